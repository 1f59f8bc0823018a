"""Shared fixtures: one database engine, run against SQLite and against PostgreSQL.

PostgreSQL: a fresh database with a unique name is created once per test session on the server at
127.0.0.1:5432 (override with ``BOARD_BOT_TEST_POSTGRES_URL``) and dropped at the end. Without a
server the PostgreSQL cases skip with the reason; ``BOARD_BOT_REQUIRE_POSTGRES=1`` (CI) turns that
skip into a failure. ``-m "not postgres"`` deselects them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from board_bot.core import i18n, migrate
from board_bot.core.db import make_engine
from tests.pg_databases import REQUIRE_POSTGRES, Unreachable, new_database

_postgres_skip_reason: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once, without -rs, that the PostgreSQL cases did not run, and why."""
    for reason in _postgres_skip_reason:
        terminalreporter.write_line(f"PostgreSQL cases skipped: {reason}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database for this test session; dropped at the end."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(new_database("board_bot_test"))
        except Unreachable as exc:
            if REQUIRE_POSTGRES:
                pytest.fail(f"{exc} (BOARD_BOT_REQUIRE_POSTGRES=1 forbids skipping)", pytrace=False)
            _postgres_skip_reason.append(str(exc))
            pytest.skip(str(exc))
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/board.db"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database: a file in tmp_path, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


def _drop_everything(engine: Engine) -> None:
    """Empty the session's PostgreSQL database: our tables, alembic_version, what tests made."""
    with engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    """An engine on an empty database, no schema yet; emptied again afterwards."""
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        if engine.dialect.name == "postgresql":
            _drop_everything(engine)
        engine.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    """An engine whose database alembic has migrated to head (alembic owns the schema)."""
    migrate.upgrade(bare_engine)
    return bare_engine


@pytest.fixture(autouse=True)
def _catalog_titles() -> Iterator[None]:
    """A bot built with its own chair title (``[bot] chair_title``) or names of the Leitlinien
    (``[bot] leitlinien``) sets them for the process; every test starts and ends with the
    catalog's."""
    from board_bot.features.work_packages import vocabulary

    def reset() -> None:
        for lang in i18n.CHAIR_TITLES.copy():
            i18n.set_chair_title(lang, None)
        for lang in vocabulary.LEITLINIE_NAMES.copy():
            vocabulary.set_leitlinie_names(lang, None)

    reset()
    yield
    reset()
