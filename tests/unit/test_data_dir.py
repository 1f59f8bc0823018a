"""The data directory is the bot's alone (issue 15): whatever the umask the bot starts with,
the database with its -wal and -shm, and everything else it writes there, is 0600 in a 0700
directory; a directory found with looser modes is tightened, with a log line."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from board_bot.core.db import make_engine
from board_bot.core.files import secure_data_dir


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    """Started as many services are: with umask 022 (files 0644, directories 0755)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_dir_and_the_database_in_it_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert secure_data_dir(data) == []
    engine = make_engine(f"sqlite:///{data / 'board.db'}")
    with engine.begin() as conn:  # WAL: the -wal and -shm files exist while it is open
        conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        files = {p.name: mode(p) for p in data.iterdir()}
    engine.dispose()
    assert mode(data) == 0o700
    assert files == {"board.db": 0o600, "board.db-wal": 0o600, "board.db-shm": 0o600}
    (data / "files").mkdir()
    (data / "files" / "lagebericht.pdf").write_bytes(b"%PDF")
    assert (mode(data / "files"), mode(data / "files" / "lagebericht.pdf")) == (0o700, 0o600)


def test_a_loose_data_dir_is_tightened_and_the_log_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    (data / "crypto").mkdir(parents=True, mode=0o755)
    (data / "board.db").write_bytes(b"")
    (data / "crypto" / "store.db").write_bytes(b"")
    (data / "crypto" / "store.db").chmod(0o666)
    data.chmod(0o755)
    with caplog.at_level(logging.WARNING):
        tightened = secure_data_dir(data)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tightened) == [
        "data", "data/board.db", "data/crypto", "data/crypto/store.db",
    ]  # fmt: skip
    assert [mode(p) for p in (data, data / "board.db", data / "crypto")] == [0o700, 0o600, 0o700]
    assert mode(data / "crypto" / "store.db") == 0o600
    assert "could be read by other users" in caplog.text
    caplog.clear()
    assert secure_data_dir(data) == []  # once tight, nothing to say
    assert caplog.text == ""
