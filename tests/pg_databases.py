"""More fresh PostgreSQL databases than the session's one (``postgres_url``): a restore needs a
database of its own, empty, on the same server; the PostgreSQL client programs the backup
uses. Both skip with a visible reason, or fail where ``BOARD_BOT_REQUIRE_POSTGRES=1``."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get(
    "BOARD_BOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("BOARD_BOT_REQUIRE_POSTGRES") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"{reason} (BOARD_BOT_REQUIRE_POSTGRES=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


def require_pg_tools() -> None:
    """pg_dump and pg_restore: on the PATH or in Debian's versioned directory."""
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool) and not list(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}")):
            skip_or_fail(
                f"{tool} is not installed (Debian: apt-get install postgresql-client): the "
                "PostgreSQL backup cannot run"
            )


class Unreachable(Exception):
    """The test server cannot be reached (the message says where and why)."""


@contextmanager
def new_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database ``<prefix>_<random>`` on the test server, dropped
    afterwards (its connections ended first); :class:`Unreachable` without a server."""
    admin = sa.create_engine(
        POSTGRES_ADMIN_URL,
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
        connect_args={"connect_timeout": 3},
    )
    name = f"{prefix}_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        raise Unreachable(
            f"PostgreSQL not reachable at "
            f"{make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
        ) from exc
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server; dropped afterwards."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(new_database("board_bot_restore"))
        except Unreachable as exc:
            skip_or_fail(str(exc))
        yield url
