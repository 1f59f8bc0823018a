"""Catalogue item 20: SQLite locked by another writer: retried within the busy timeout, no loss.

Another connection (standing in for a second process, or the sqlite3 shell) holds the write lock
with ``BEGIN IMMEDIATE``, writes a row and commits about half a second later. Meanwhile a unit of
work writes through our engine. It must wait for the lock and then succeed; both writes survive.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from board_bot.core import delivery, migrate
from board_bot.core.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, unit_of_work
from board_bot.features.boards import service as boards
from board_bot.models import Board, HandledEvent, SyncState

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
HOLD_SECONDS = 0.5


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@contextmanager
def other_writer_holds_the_lock(engine: Engine) -> Iterator[threading.Event]:
    """A raw sqlite3 connection takes the write lock, writes, and commits after HOLD_SECONDS
    (on a timer thread). Yields an event that is set once it has committed."""
    path = engine.url.database
    assert path
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO sync_state (account, next_batch, updated_at) VALUES (?, ?, ?)",
        ("@other:example.org", "s_other", "2026-11-26 09:00:00.000000"),
    )
    released = threading.Event()

    def release() -> None:
        other.execute("COMMIT")
        released.set()

    timer = threading.Timer(HOLD_SECONDS, release)
    timer.start()
    try:
        yield released
    finally:
        timer.join(timeout=5)
        if not released.is_set():  # the timer never ran: release anyway, fail below
            other.execute("ROLLBACK")
        other.close()
    assert released.is_set(), "the other writer did not commit"


def write_only(session: Session) -> None:
    delivery.mark_handled(
        session, event_id="$ours", room_id="!r:example.org", outcome="ok", now=NOW
    )


def read_then_write(session: Session) -> None:
    """What boards.create does: look first, then insert."""
    boards.create(
        session,
        room_id="!r:example.org",
        name="Smart City Board",
        language="de",
        timezone="Europe/Berlin",
        actor="@alice:example.org",
        now=NOW,
    )
    write_only(session)


def like_the_dispatcher(session: Session) -> None:
    """What Dispatcher.handle does: read, run the command in a savepoint, record the event."""
    assert not delivery.is_handled(session, "$ours")
    assert boards.for_room(session, "!r:example.org") is None
    with session.begin_nested():
        boards.create(
            session,
            room_id="!r:example.org",
            name="Smart City Board",
            language="de",
            timezone="Europe/Berlin",
            actor="@alice:example.org",
            now=NOW,
        )
    write_only(session)


@pytest.mark.parametrize(
    "work",
    [write_only, read_then_write, like_the_dispatcher],
    ids=["write-only", "read-then-write", "dispatcher-savepoint"],
)
def test_write_waits_for_another_writer_and_succeeds(
    sqlite_engine: Engine, work: Callable[[Session], None]
) -> None:
    with other_writer_holds_the_lock(sqlite_engine) as released:
        started = time.monotonic()
        with unit_of_work(sqlite_engine) as session:
            work(session)
            # Our transaction came after the other writer's commit: it sees that row.
            assert delivery.load_sync_token(session, "@other:example.org") == "s_other"
        waited = time.monotonic() - started
        assert released.wait(timeout=5)
        assert waited < SQLITE_BUSY_TIMEOUT_MS / 1000  # waited for the lock, within the timeout

    with Session(sqlite_engine) as session:
        assert session.get(HandledEvent, "$ours") is not None
        accounts = session.exec(select(SyncState.account)).all()
        assert accounts == ["@other:example.org"]  # the other writer's row is there, too
        expected_boards = 0 if work is write_only else 1
        assert session.exec(select(sa.func.count()).select_from(Board)).one() == expected_boards


def test_a_read_only_session_neither_waits_for_nor_takes_the_write_lock(
    sqlite_engine: Engine,
) -> None:
    """A metrics scrape reads the outbox while a unit of work holds the write lock: it reads
    at once (a unit of work would wait out the busy timeout and fail), and the writer it runs
    beside still commits."""
    from board_bot.core.db import read_only
    from board_bot.core.render import message_contents

    with unit_of_work(sqlite_engine) as writer:  # BEGIN IMMEDIATE: holds the write lock
        delivery.enqueue(writer, room_id="!r:x", contents=message_contents("Hallo"), now=NOW)
        with read_only(sqlite_engine) as reader:
            assert delivery.backlog(reader) == (0, None)  # the writer has not committed
    with read_only(sqlite_engine) as reader:
        count, oldest = delivery.backlog(reader)
    assert count == 1 and oldest == NOW
