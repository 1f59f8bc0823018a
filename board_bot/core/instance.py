"""One active bot per database: a hot standby waits for the active process's lock.

Two processes with the same config (and database) may run side by side: the first to take the
lock is the active bot (it syncs, answers and runs the scheduler), the other stands by: it
neither syncs nor answers, and tries the lock again every :data:`STANDBY_POLL` seconds. The
lock is one the operating system or the database frees when its holder dies, however it dies:

* PostgreSQL: a session-level advisory lock, held on a connection of its own, with TCP
  keepalives on both ends, so that the server frees it within about half a minute when the
  holder's machine dies or is cut off (not after the two hours of the system's defaults);
* SQLite: an exclusive ``flock`` of a file beside the database (both processes share the data
  directory, and so the machine).

The active process checks its lock every :data:`CHECK_EVERY` seconds, more often than a
standby tries to take it. When the connection that held it broke (the database restarted, say),
the process stops its bot at once and stands by again; it takes the lock again when nobody else
did. A process that had to wait for the lock waits a little longer once it has it
(:data:`FENCE`): long enough for a process whose lock connection broke to have seen it and
stopped, so that two never answer side by side.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

#: The advisory lock's key: any 64-bit number the bot's database uses for nothing else.
ADVISORY_KEY = 0x5343_424F_4152_4401  # "SCBOARD" 1
STANDBY_POLL = 5.0  # seconds between a standby's tries
CHECK_EVERY = 2.0  # seconds between the active process's checks of its lock
#: seconds a process that had to wait for the lock waits before it starts (see the module)
FENCE = 2 * CHECK_EVERY + 1.0
LOCK_FILE = "active.lock"
#: TCP keepalives of the lock's connection (seconds): idle before the first probe, between
#: probes, probes lost before the connection counts as dead; and how long sent data may stay
#: unacknowledged (milliseconds) before the client gives the connection up.
KEEPALIVE = {"idle": 10, "interval": 5, "count": 3}
TCP_USER_TIMEOUT_MS = 20_000
CHECK_TIMEOUT_MS = 5_000  # the check's statement timeout


class InstanceLock:
    """The lock that makes one process the active bot (see the module)."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self.path = data_dir / LOCK_FILE
        self._lock_engine: Engine | None = None
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process holds it now. Database
        errors propagate (the database is away: the caller tries again)."""
        if self.held:
            return True
        if self.engine.dialect.name == "postgresql":
            return self._try_advisory()
        return self._try_flock()

    def _connect(self) -> Connection:
        """A connection of the lock's own (never from the bot's pool), with keepalives."""
        if self._lock_engine is None:
            self._lock_engine = sa.create_engine(
                self.engine.url,
                poolclass=sa.pool.NullPool,
                isolation_level="AUTOCOMMIT",
                connect_args={
                    "connect_timeout": 5,
                    "keepalives": 1,
                    "keepalives_idle": KEEPALIVE["idle"],
                    "keepalives_interval": KEEPALIVE["interval"],
                    "keepalives_count": KEEPALIVE["count"],
                    "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
                    # the server's side: it frees the lock once it sees the holder gone
                    "options": (
                        f"-c tcp_keepalives_idle={KEEPALIVE['idle']} "
                        f"-c tcp_keepalives_interval={KEEPALIVE['interval']} "
                        f"-c tcp_keepalives_count={KEEPALIVE['count']} "
                        f"-c statement_timeout={CHECK_TIMEOUT_MS}"
                    ),
                },
            )
        return self._lock_engine.connect()

    def _try_advisory(self) -> bool:
        conn = self._connect()
        try:
            taken = conn.execute(
                sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            ).scalar()
        except Exception:
            conn.close()
            raise
        if not taken:
            conn.close()
            return False
        self._conn = conn
        return True

    def _try_flock(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        except Exception:
            handle.close()
            raise
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")  # for the operator: who is active
        handle.flush()
        self._file = handle
        return True

    def check(self) -> bool:
        """Whether this process still holds the lock. False when the connection that held it
        broke (the lock is gone with it: the caller stops its bot and stands by again)."""
        if self._file is not None:
            return True  # a file lock lasts as long as the process
        if self._conn is None:
            return False
        try:
            self._conn.execute(sa.text("SELECT 1"))
            return True
        except Exception as exc:
            log.warning("the database connection holding the active lock broke: %s", exc)
            self._drop()
            return False

    def release(self) -> None:
        """Give the lock up (a clean stop), so that a standby takes over at once."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
        self._drop()
        if self._lock_engine is not None:
            self._lock_engine.dispose()
            self._lock_engine = None

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()
                conn.close()
        handle, self._file = self._file, None
        if handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
