"""Engines and units of work for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000
PG_STATEMENT_TIMEOUT_MS = 30_000


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An aware datetime, stored as UTC and read back aware on every backend.

    SQLite has no time zone type: it keeps the UTC wall time and we put ``UTC`` back on reading.
    A naive datetime is refused, so that a local time can never be stored by mistake.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class IntList(sa.types.TypeDecorator[Sequence[int]]):
    """A list of integers bound as one parameter: an array on PostgreSQL, JSON text on SQLite
    (see :func:`in_int_list`)."""

    impl = sa.String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(sa.Integer))
        return dialect.type_descriptor(sa.String())

    def process_bind_param(self, value: Sequence[int] | None, dialect: Dialect) -> Any:
        numbers = [int(n) for n in value or ()]
        return numbers if dialect.name == "postgresql" else json.dumps(numbers)


class in_int_list(FunctionElement[bool]):
    """``column`` is one of a list of integers bound as one parameter ``name``: however long
    the list, the statement's text stays the same, so the statement built once is compiled
    once, and the database reuses its plan (an ``IN`` with one parameter per value changes
    its text with the list's length; PostgreSQL plans it anew each time, which on a summary
    cost more than running it). ``column = ANY(:name)`` on PostgreSQL, ``column IN (SELECT
    value FROM json_each(:name))`` on SQLite."""

    type = sa.Boolean()
    inherit_cache = True
    name = "in_int_list"
    _is_implicitly_boolean = True  # a comparison: SQLite needs no "= 1" after it

    def __init__(self, column: sa.ColumnElement[int], name: str) -> None:
        super().__init__(column, sa.bindparam(name, type_=IntList()))


@compiles(in_int_list)
def _in_int_list(element: in_int_list, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = element.clauses
    return (  # the SQL is ours; the values are a bound parameter
        f"{compiler.process(column, **kw)} IN "  # noqa: S608
        f"(SELECT value FROM json_each({compiler.process(values, **kw)}))"
    )


@compiles(in_int_list, "postgresql")
def _in_int_list_pg(element: in_int_list, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = element.clauses
    return f"{compiler.process(column, **kw)} = ANY({compiler.process(values, **kw)})"


class in_few(FunctionElement[bool]):
    """``column`` is one of the few values ``values`` (a one-column SELECT) yields: on
    PostgreSQL ``column = ANY(ARRAY(values))``, which computes them first and looks each one up
    in ``column``'s index, where its planner would scan the table for ``IN (values)`` (it cannot
    tell that they are few); ``column IN (values)`` elsewhere."""

    type = sa.Boolean()
    inherit_cache = True
    name = "in_few"
    _is_implicitly_boolean = True

    def __init__(self, column: sa.ColumnElement[Any], values: sa.Select[Any]) -> None:
        super().__init__(column, values.scalar_subquery())


@compiles(in_few)
def _in_few(element: in_few, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = element.clauses
    return f"{compiler.process(column, **kw)} IN {compiler.process(values, **kw)}"


@compiles(in_few, "postgresql")
def _in_few_pg(element: in_few, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = element.clauses
    return f"{compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(values, **kw)})"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # We begin transactions ourselves (``_sqlite_begin``), not the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    """Take the write lock when the transaction starts, waiting up to the busy timeout.

    Left to itself, the sqlite3 module begins a deferred transaction at the first write (and
    none before a SAVEPOINT). A transaction that has read first and then writes while another
    connection holds the lock gets "database is locked" at once: SQLite does not wait (busy
    timeout) when upgrading a read transaction, nor when its snapshot is stale. So every
    transaction begins IMMEDIATE: reads and writes of a unit of work see one snapshot, and a
    second writer waits its turn. Except a :func:`read_only` one: it takes no lock.
    """
    read_only = connection.get_execution_options().get("read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine with our settings: WAL, foreign keys and a busy timeout on SQLite; a statement
    timeout and connection health checks on PostgreSQL."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            hide_parameters=True,  # an error's text must not carry what people wrote
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        url,
        hide_parameters=True,  # an error's text must not carry what people wrote
        pool_pre_ping=True,
        connect_args={
            "options": f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}",
            "connect_timeout": 10,
        },
    )


def backend_name(engine: Engine) -> str:
    return "PostgreSQL" if engine.dialect.name == "postgresql" else "SQLite"


@contextmanager
def read_only(engine: Engine) -> Iterator[Session]:
    """A session that only reads (a metric, say): on SQLite its transaction takes no write lock,
    so that it never waits for, nor holds up, a unit of work."""
    with (
        engine.connect().execution_options(read_only=True) as connection,
        Session(connection) as session,
    ):
        yield session


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def unreachable_message(engine: Engine, exc: OperationalError) -> str:
    """What to tell an operator whose database cannot be reached (no password in it)."""
    url = engine.url.render_as_string(hide_password=True)
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return f"cannot reach the database {url}: {reason}"


def database_down(exc: Exception) -> bool:
    """The database is unreachable or busy: the event is retried later, not apologised for."""
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


# PostgreSQL's SQLSTATEs of a connection that failed or was cut (class 08), of a server shutting
# down or starting (57P01-57P03) and of too many connections (53300).
_UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
_SQLITE_UNREACHABLE = ("database is locked", "unable to open database", "disk i/o error")


def database_unreachable(exc: Exception) -> bool:
    """The database could not be reached (or was busy): an error that goes away by itself, unlike
    one of :func:`database_down`'s others, such as a statement cancelled by the statement
    timeout or a missing table, which would fail again and again."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate:
        return str(sqlstate).startswith(_UNREACHABLE_SQLSTATES)
    message = str(exc.orig).lower()
    if isinstance(exc.orig, sqlite3.Error):
        return any(text in message for text in _SQLITE_UNREACHABLE)
    # A client-side failure to connect (refused, timed out, no route): it has no SQLSTATE.
    return isinstance(exc, OperationalError)
