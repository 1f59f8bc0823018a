"""Backup and restore (issue 15), on SQLite and PostgreSQL: ``board-bot backup`` and ``board-bot
restore`` bring back every row, the login and the crypto store; they refuse a non-empty target
and a damaged backup, and write nothing then."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from board_bot.cli import main
from board_bot.core import backup as backups
from board_bot.core import migrate
from board_bot.core.config import Config, parse_config
from board_bot.core.db import make_engine, unit_of_work
from tests.db.org_support import NOW
from tests.db.wp_support import add_wp, setup_city
from tests.pg_databases import fresh_database, require_pg_tools

CREDENTIALS = {
    "homeserver": "https://matrix.stadt.example",
    "user_id": "@board-bot:stadt.example",
    "device_id": "BOTDEVICE",
    "access_token": "syt_secret_token",
}


def config_for(data_dir: Path, database_url: str) -> Config:
    return parse_config(
        {
            "matrix": {
                "homeserver": CREDENTIALS["homeserver"],
                "user_id": CREDENTIALS["user_id"],
                "password": "unused",
            },
            "bot": {"admins": ["@cdo:stadt.example"]},
            "storage": {"data_dir": str(data_dir), "database_url": database_url},
            "encryption": {"pickle_key": "a-test-pickle-key-0123456789"},
        },
        base_dir=data_dir.parent,
        env={},
    )


def write_config(path: Path, data_dir: Path, database_url: str) -> Path:
    path.write_text(
        f'[matrix]\nhomeserver = "{CREDENTIALS["homeserver"]}"\n'
        f'user_id = "{CREDENTIALS["user_id"]}"\npassword = "unused"\n'
        '[bot]\nadmins = ["@cdo:stadt.example"]\n'
        f'[storage]\ndata_dir = "{data_dir}"\ndatabase_url = "{database_url}"\n'
        '[encryption]\npickle_key = "a-test-pickle-key-0123456789"\n',
        encoding="utf-8",
    )
    return path


def all_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of ours and alembic's, in a stable order."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    data = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            data[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*order))]
    return data


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def source(engine: Engine, db_url: str, tmp_path: Path) -> Config:
    """A bot's data: a board with departments, people and packages in the database, its login
    and a crypto store (a SQLite file, as matrix-nio keeps it) in the data directory."""
    if engine.dialect.name == "postgresql":
        require_pg_tools()
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(
            session,
            city,
            "Digitale Bauakte",
            progress=40,
            traffic_light="yellow",
            traffic_reason="Personal fehlt",
        )
        add_wp(session, city, "Geoportal")
    data = tmp_path / "data"
    (data / "crypto").mkdir(parents=True)
    (data / "credentials.json").write_text(json.dumps(CREDENTIALS), encoding="utf-8")
    with sqlite3.connect(data / "crypto" / "board-bot_BOTDEVICE.db") as store:
        store.execute("CREATE TABLE accounts (pickle BLOB)")
        store.execute("INSERT INTO accounts VALUES (x'00ff10')")
    return config_for(data, db_url)


@pytest.fixture
def target_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new file, or a new PostgreSQL database."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'board.db'}"
        return
    with fresh_database() as url:
        yield url


def test_backup_and_restore_bring_back_every_row_the_login_and_the_keys(
    source: Config, engine: Engine, target_url: str, tmp_path: Path
) -> None:
    backup_dir = tmp_path / "backup"
    manifest = backups.backup(source, backup_dir, now=NOW, version="1.2.3")

    assert manifest.backend == ("sqlite" if engine.dialect.name == "sqlite" else "postgresql")
    with engine.connect() as conn:
        head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert manifest.schema_revision == head
    stored = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    assert stored["bot_version"] == "1.2.3" and stored["created_at"] == NOW.isoformat()
    paths = {f["path"] for f in stored["files"]}
    assert paths == {
        manifest.database_file,
        "data/credentials.json",
        "data/crypto/board-bot_BOTDEVICE.db",
    }
    assert all(len(f["sha256"]) == 64 for f in stored["files"])
    assert mode(backup_dir) == 0o700
    for path in backup_dir.rglob("*"):
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path

    restored = config_for(tmp_path / "restored", target_url)
    result = backups.restore(restored, backup_dir)
    assert result.warnings == []

    restored_engine = make_engine(target_url)
    try:
        before, after = all_rows(engine), all_rows(restored_engine)
        assert before["work_package"] and before["department"] and before["audit_entry"]
        assert after == before
        migrate.upgrade(restored_engine)  # what the bot does at start: nothing to do
        migrate.check(restored_engine)
    finally:
        restored_engine.dispose()
    data = tmp_path / "restored"
    assert json.loads((data / "credentials.json").read_text(encoding="utf-8")) == CREDENTIALS
    with sqlite3.connect(data / "crypto" / "board-bot_BOTDEVICE.db") as store:
        assert store.execute("SELECT hex(pickle) FROM accounts").fetchall() == [("00FF10",)]
    assert mode(data) == 0o700
    for path in data.rglob("*"):
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_the_sqlite_backup_is_consistent_while_the_bot_writes(tmp_path: Path) -> None:
    """The online backup takes what is committed, while another connection is in the middle of
    a write transaction (the running bot), and does not wait for it."""
    data = tmp_path / "data"
    url = f"sqlite:///{data / 'board.db'}"
    bot_engine = make_engine(url)
    migrate.upgrade(bot_engine)
    setup_city(bot_engine)
    committed = all_rows(bot_engine)
    with bot_engine.begin() as conn:  # BEGIN IMMEDIATE: holds the write lock
        conn.execute(sa.text("DELETE FROM audit_entry"))
        backups.backup(config_for(data, url), tmp_path / "backup", now=NOW, version="1")
    bot_engine.dispose()
    copy = make_engine(f"sqlite:///{tmp_path / 'backup' / 'database.sqlite3'}")
    try:
        assert all_rows(copy) == committed
    finally:
        copy.dispose()


def test_backup_refuses_a_directory_that_is_not_empty(
    source: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup_dir = tmp_path / "backup"
    backup_dir.mkdir()
    (backup_dir / "old-notes.txt").write_text("keep me", encoding="utf-8")
    config = write_config(
        tmp_path / "config.toml", source.storage.data_dir, source.storage.database_url
    )

    assert main(["backup", "--config", str(config), "--to", str(backup_dir)]) == 2

    err = capsys.readouterr().err
    assert "backup refused" in err and "is not empty" in err and "old-notes.txt" in err
    assert [p.name for p in backup_dir.iterdir()] == ["old-notes.txt"]


def test_restore_refuses_a_data_dir_that_is_not_empty(
    source: Config, target_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup_dir = tmp_path / "backup"
    backups.backup(source, backup_dir, now=NOW, version="1")
    busy = tmp_path / "restored"
    busy.mkdir()
    (busy / "credentials.json").write_text("{}", encoding="utf-8")
    config = write_config(tmp_path / "config.toml", busy, target_url)

    assert main(["restore", "--config", str(config), "--from", str(backup_dir)]) == 2

    err = capsys.readouterr().err
    assert "restore refused" in err and f"data directory {busy} is not empty" in err
    assert [p.name for p in busy.iterdir()] == ["credentials.json"]
    target = make_engine(target_url)
    try:
        assert sa.inspect(target).get_table_names() == []  # the database is untouched
    finally:
        target.dispose()


def test_restore_refuses_a_database_that_is_not_empty(
    source: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Into the database backed up (it has tables; SQLite: its file exists): refused."""
    backup_dir = tmp_path / "backup"
    backups.backup(source, backup_dir, now=NOW, version="1")
    empty = tmp_path / "new-data"
    config = write_config(tmp_path / "config.toml", empty, source.storage.database_url)

    assert main(["restore", "--config", str(config), "--from", str(backup_dir)]) == 2

    err = capsys.readouterr().err
    assert "restore refused" in err
    assert "already has" in err or "exists already" in err
    assert not empty.exists()


def test_restore_refuses_a_damaged_backup_and_writes_nothing(
    source: Config, target_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup_dir = tmp_path / "backup"
    backups.backup(source, backup_dir, now=NOW, version="1")
    store = backup_dir / "data" / "crypto" / "board-bot_BOTDEVICE.db"
    damaged = bytearray(store.read_bytes())
    damaged[-1] ^= 0xFF  # same size, one bit pattern changed
    store.write_bytes(bytes(damaged))
    config = write_config(tmp_path / "config.toml", tmp_path / "restored", target_url)

    assert main(["restore", "--config", str(config), "--from", str(backup_dir)]) == 2

    err = capsys.readouterr().err
    assert "data/crypto/board-bot_BOTDEVICE.db differs from the manifest" in err
    assert "nothing was restored" in err
    assert not (tmp_path / "restored").exists()
    target = make_engine(target_url)
    try:
        assert sa.inspect(target).get_table_names() == []
    finally:
        target.dispose()


def test_a_restore_that_fails_halfway_leaves_nothing_and_can_be_tried_again(
    source: Config,
    engine: Engine,
    target_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database step fails (a full disk, pg_restore stopped): the data directory is empty
    again and no database was written, so that the same restore simply runs again."""
    backup_dir = tmp_path / "backup"
    backups.backup(source, backup_dir, now=NOW, version="1")
    restored = tmp_path / "restored-data"
    config = config_for(restored, target_url)
    if engine.dialect.name == "sqlite":  # the copy is made, its rename fails
        real_replace = os.replace

        def replace_fails(src: Any, dst: Any) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(backups.os, "replace", replace_fails)
    else:  # pg_restore fails: its one transaction leaves no table

        def restore_fails(*args: Any) -> None:
            raise backups.BackupError("pg_restore failed")

        monkeypatch.setattr(backups, "_restore_postgres", restore_fails)
    with pytest.raises((backups.BackupError, OSError)):
        backups.restore(config, backup_dir)
    assert list(restored.iterdir()) == []  # the login and keys written first are gone again
    if engine.dialect.name == "sqlite":
        db_path = Path(target_url.removeprefix("sqlite:///"))
        assert not db_path.exists()
        assert not db_path.with_name(db_path.name + ".restoring").exists()
        monkeypatch.setattr(backups.os, "replace", real_replace)
    monkeypatch.undo()
    backups.restore(config, backup_dir)  # tried again: it works
    assert (restored / "credentials.json").exists()
    target = make_engine(target_url)
    try:
        assert all_rows(target) == all_rows(engine)
    finally:
        target.dispose()


def test_restore_refuses_an_unfinished_backup(source: Config, tmp_path: Path) -> None:
    backup_dir = tmp_path / "backup"
    backups.backup(source, backup_dir, now=NOW, version="1")
    (backup_dir / "manifest.json").unlink()  # written last: a backup that did not finish
    with pytest.raises(backups.BackupRefused, match=r"no manifest\.json"):
        backups.restore(config_for(tmp_path / "restored", "sqlite:///x.db"), backup_dir)


@pytest.mark.postgres
def test_pg_dump_gets_the_password_by_environment_never_by_command_line(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_pg_tools()
    url = make_url(postgres_url).set(password="hunter2 with spaces")
    config = config_for(tmp_path / "data", url.render_as_string(hide_password=False))
    calls: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def recording_run(command: list[str], **kwargs: Any) -> Any:
        calls.append((list(command), dict(kwargs.get("env") or {})))
        return real_run(command, **kwargs)

    monkeypatch.setattr(backups.subprocess, "run", recording_run)
    backups.backup(config, tmp_path / "backup", now=NOW, version="1")  # trust auth: any password

    dumps = [(cmd, env) for cmd, env in calls if Path(cmd[0]).name == "pg_dump" and len(cmd) > 2]
    assert len(dumps) == 1
    command, env = dumps[0]
    assert "--format=custom" in command
    assert not any("hunter2" in part for part in command)
    assert env["PGPASSWORD"] == "hunter2 with spaces"
    assert env["PGDATABASE"] == url.database and env["PGHOST"] == "127.0.0.1"


@pytest.mark.postgres
def test_a_missing_pg_dump_is_named_and_the_backup_leaves_nothing(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    monkeypatch.setattr(backups, "PG_BIN_DIRS", ())
    config = config_for(tmp_path / "data", postgres_url)
    with pytest.raises(backups.BackupRefused, match="pg_dump is not installed"):
        backups.backup(config, tmp_path / "backup", now=NOW, version="1")
    assert not (tmp_path / "backup").exists()
