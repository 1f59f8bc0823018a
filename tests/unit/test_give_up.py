"""When the bot gives up an event whose handling fails (issue 15): after three failures of its
own, never while the database is down: then it is tried again until the database is back, so
that a command is carried out once it can be, not apologised for because the database came
back just as it was being given up."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from board_bot.matrix.runner import MAX_EVENT_ATTEMPTS, MatrixBot


def down() -> Exception:
    return sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def give_up(bot: SimpleNamespace, exc: Exception) -> bool:
    return MatrixBot._give_up(bot, "$event", exc)  # type: ignore[arg-type]


def test_a_failing_event_is_given_up_after_its_third_failure() -> None:
    bot = SimpleNamespace(_attempts={})
    results = [give_up(bot, ValueError("a bug")) for _ in range(MAX_EVENT_ATTEMPTS)]
    assert results == [False] * (MAX_EVENT_ATTEMPTS - 1) + [True]


def test_while_the_database_is_down_an_event_is_never_given_up() -> None:
    bot = SimpleNamespace(_attempts={})
    assert not give_up(bot, ValueError("a bug"))  # one failure of its own
    assert not any(give_up(bot, down()) for _ in range(50))
    # The database is back and the event fails on its own again: its third failure of its
    # own gives it up.
    assert [give_up(bot, ValueError("a bug")) for _ in range(2)] == [False, True]


def test_a_statement_that_fails_by_itself_counts_even_as_an_operational_error() -> None:
    """A statement cancelled by the statement timeout, or one on a missing table, would fail
    again and again: it is given up, so that it cannot hold up every room."""
    import sqlite3

    from psycopg.errors import QueryCanceled

    for failure in (
        QueryCanceled("canceling statement due to statement timeout"),
        sqlite3.OperationalError("no such table: work_package"),
    ):
        bot = SimpleNamespace(_attempts={})
        exc = sa.exc.OperationalError("SELECT 1", {}, failure)
        assert [give_up(bot, exc) for _ in range(MAX_EVENT_ATTEMPTS)][-1]


def test_a_busy_sqlite_or_a_cut_connection_is_waited_for() -> None:
    import sqlite3

    from psycopg.errors import AdminShutdown

    for failure in (
        sqlite3.OperationalError("database is locked"),
        AdminShutdown("terminating connection due to administrator command"),
    ):
        bot = SimpleNamespace(_attempts={})
        exc = sa.exc.OperationalError("SELECT 1", {}, failure)
        assert not any(give_up(bot, exc) for _ in range(10))
