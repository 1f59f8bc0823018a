"""One active bot per database (issue 15, hot standby): the lock a standby waits for, on SQLite
(a file lock) and PostgreSQL (an advisory lock), freed when its holder dies however it dies."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from board_bot.core.db import make_engine
from board_bot.core.instance import InstanceLock

HOLD = """\
import sys, time
from pathlib import Path
from board_bot.core.db import make_engine
from board_bot.core.instance import InstanceLock
lock = InstanceLock(make_engine(sys.argv[1]), Path(sys.argv[2]))
assert lock.try_acquire()
print("held", flush=True)
time.sleep(600)
"""


def test_one_holder_at_a_time_and_a_clean_release_frees_it(
    bare_engine: Engine, tmp_path: Path
) -> None:
    first = InstanceLock(bare_engine, tmp_path)
    other = make_engine(bare_engine.url.render_as_string(hide_password=False))
    second = InstanceLock(other, tmp_path)
    try:
        assert first.try_acquire() and first.held
        assert first.try_acquire()  # held already: still ours
        assert not second.try_acquire() and not second.held
        first.check()  # still held: no error
        first.release()
        assert not first.held
        assert second.try_acquire()
        assert not first.try_acquire()
    finally:
        first.release()
        second.release()
        other.dispose()


def test_a_killed_holder_frees_the_lock_at_once(bare_engine: Engine, tmp_path: Path) -> None:
    url = bare_engine.url.render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, url, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    standby = InstanceLock(bare_engine, tmp_path)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not standby.try_acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        # The operating system closes the dead process's file and socket: the lock is free
        # (PostgreSQL ends the backend of a closed connection; a few tries for that).
        for _ in range(50):
            if standby.try_acquire():
                break
            time.sleep(0.1)
        assert standby.held
    finally:
        holder.kill()
        holder.wait()
        standby.release()


def terminate(engine: Engine, lock: InstanceLock) -> None:
    """The database drops the connection that holds ``lock`` (a restart, as the lock sees it)."""
    assert lock._conn is not None
    pid = lock._conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with engine.connect() as conn:
        # Wait for the backend to end: with it goes its lock.
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid or 0)}, 10000)")


def test_a_broken_lock_connection_is_a_lost_lock_until_taken_again(
    bare_engine: Engine, tmp_path: Path
) -> None:
    if bare_engine.dialect.name != "postgresql":
        pytest.skip("a file lock cannot be lost while its process lives")
    lock = InstanceLock(bare_engine, tmp_path)
    standby = InstanceLock(bare_engine, tmp_path)
    try:
        assert lock.try_acquire() and lock.check()
        terminate(bare_engine, lock)
        assert not lock.check() and not lock.held  # lost with its connection
        assert lock.try_acquire()  # nobody else took it: taken again
        assert not standby.try_acquire()

        terminate(bare_engine, lock)
        assert standby.try_acquire()  # the standby was quicker: it is the active one now
        assert not lock.check()
        assert not lock.try_acquire()
    finally:
        lock.release()
        standby.release()


def test_the_lock_connection_has_keepalives_on_both_ends(
    bare_engine: Engine, tmp_path: Path
) -> None:
    """A holder whose machine dies sends no FIN: the server frees the lock only once its TCP
    keepalives give up (the system's default: after two hours)."""
    if bare_engine.dialect.name != "postgresql":
        pytest.skip("a file lock is freed by the kernel of the one machine")
    lock = InstanceLock(bare_engine, tmp_path)
    try:
        assert lock.try_acquire() and lock._conn is not None
        settings = {
            name: lock._conn.exec_driver_sql(f"SHOW {name}").scalar()
            for name in ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count")
        }
        assert settings == {
            "tcp_keepalives_idle": "10",
            "tcp_keepalives_interval": "5",
            "tcp_keepalives_count": "3",
        }
    finally:
        lock.release()


def test_while_the_database_is_away_the_lock_cannot_be_taken(tmp_path: Path) -> None:
    import socket

    from sqlalchemy.exc import OperationalError

    from board_bot.core.db import database_down

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    nowhere = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/none")
    lock = InstanceLock(nowhere, tmp_path)
    try:
        assert not lock.check()
        with pytest.raises(OperationalError) as raised:
            lock.try_acquire()
        assert database_down(raised.value)  # the caller stands by and tries again
        assert not lock.held
    finally:
        lock.release()
        nowhere.dispose()
