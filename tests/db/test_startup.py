"""Start-up through the command line: bad config refuses to start (catalogue 22), an unreachable
database fails fast with a clear message (21), and `migrate` brings the schema to head."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from board_bot.cli import main

GOOD = """\
[matrix]
homeserver = "https://matrix.stadt.example"
user_id = "@board-bot:stadt.example"
password = "env:TEST_PASSWORD"
[bot]
admins = ["@cdo:stadt.example"]
[storage]
data_dir = "data"
database_url = "{url}"
[encryption]
pickle_key = "a-test-pickle-key-0123456789"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("command", ["run", "check-config", "migrate"])
def test_an_invalid_config_refuses_to_start_and_names_the_keys(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = (
        GOOD.format(url="")
        .replace('admins = ["@cdo:stadt.example"]', 'admins = ["cdo"]\ntimezone = "Mars/Olympus"')
        .replace("a-test-pickle-key-0123456789", "DEFAULT_KEY")
    )
    assert main([command, "--config", str(write(tmp_path, bad))]) == 2
    err = capsys.readouterr().err
    assert "bot.admins[0]" in err
    assert "bot.timezone" in err and "Mars/Olympus" in err
    assert "matrix.password" in err and "TEST_PASSWORD" in err  # the env variable is not set
    assert "encryption.pickle_key" in err


def test_check_config_accepts_a_good_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    assert main(["check-config", "--config", str(write(tmp_path, GOOD.format(url="")))]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "secret-password" not in out


def test_an_unreachable_database_fails_fast_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    url = f"postgresql+psycopg://board:hunter2@127.0.0.1:{closed_port()}/board"
    assert main(["migrate", "--config", str(write(tmp_path, GOOD.format(url=url)))]) == 3
    assert "cannot reach the database" in caplog.text
    assert "hunter2" not in caplog.text  # the password stays out of the log


def test_migrate_brings_the_schema_to_head(
    bare_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    url = bare_engine.url.render_as_string(hide_password=False)
    assert main(["migrate", "--config", str(write(tmp_path, GOOD.format(url=url)))]) == 0
    tables = set(sa.inspect(bare_engine).get_table_names())
    assert {"board", "handled_event", "outbox", "sync_state", "audit_entry"} <= tables


def test_migrate_to_an_older_revision_and_back(
    bare_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """The way back to an earlier version of the bot: its schema revision (the backup's
    manifest names it), down and up again; an unknown revision is refused."""
    from board_bot.core import migrate

    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    url = bare_engine.url.render_as_string(hide_password=False)
    config = str(write(tmp_path, GOOD.format(url=url)))
    assert main(["migrate", "--config", config]) == 0
    head = migrate.current(bare_engine)
    older = "5b1e9c3d7a20"  # the status_since / light_since columns came with it
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config(bare_engine))
    before_since = script.get_revision(older).down_revision
    assert isinstance(before_since, str)
    capsys.readouterr()

    assert main(["migrate", "--config", config, "--to", before_since]) == 0
    assert f"at revision {before_since} (was {head})" in capsys.readouterr().out
    columns = {c["name"] for c in sa.inspect(bare_engine).get_columns("work_package")}
    assert "status_since" not in columns and migrate.current(bare_engine) == before_since

    assert main(["migrate", "--config", config, "--to", "head"]) == 0
    assert migrate.current(bare_engine) == head
    columns = {c["name"] for c in sa.inspect(bare_engine).get_columns("work_package")}
    assert "status_since" in columns

    assert main(["migrate", "--config", config, "--to", "0000nonsense"]) == 2
    assert "cannot migrate" in capsys.readouterr().err
    assert migrate.current(bare_engine) == head
