"""The departments/people/absences migration keeps existing boards and gives them Bundesland SH;
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from board_bot.core import migrate
from board_bot.features.people import service as people
from board_bot.models import Board

PREVIOUS = "a66fdb785d2f"  # the initial schema, before departments and bundesland
NEW_TABLES = {"department", "membership", "absence"}
CREATED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def table_names(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def board_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("board")}


def revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def insert_old_board(engine: Engine) -> int:
    """A board as the previous release wrote it, in raw SQL (the models know a newer schema)."""
    created = "2026-11-20 08:30:00.000000" if engine.dialect.name == "sqlite" else CREATED
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO board (room_id, name, language, timezone, created_by, created_at) "
                "VALUES (:room, :name, 'de', 'Europe/Berlin', :by, :at)"
            ),
            {"room": "!alt:kiel.de", "name": "Altes Board", "by": "@cdo:kiel.de", "at": created},
        )
        return conn.execute(sa.text("SELECT id FROM board")).scalar_one()


def test_existing_boards_get_bundesland_sh_and_downgrade_is_clean(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, PREVIOUS)
    assert revision(bare_engine) == PREVIOUS
    assert table_names(bare_engine) & NEW_TABLES == set()
    assert "bundesland" not in board_columns(bare_engine)
    board_id = insert_old_board(bare_engine)

    migrate.upgrade(bare_engine)
    assert table_names(bare_engine) >= NEW_TABLES
    with Session(bare_engine) as session:
        board = session.get(Board, board_id)
        assert board is not None
        assert board.bundesland == "SH"
        assert (board.room_id, board.name, board.created_at) == (
            "!alt:kiel.de",
            "Altes Board",
            CREATED,
        )
        # The creator becomes the board's first admin, as !board init does for new boards.
        assert [(m.user_id, m.role, m.department_id) for m in people.active(session, board_id)] == [
            ("@cdo:kiel.de", "admin", None)
        ]
    migrate.check(bare_engine)

    # One step down: the board survives (SQLite rebuilds the table), bundesland goes.
    migrate.downgrade(bare_engine, PREVIOUS)
    assert revision(bare_engine) == PREVIOUS
    assert table_names(bare_engine) & NEW_TABLES == set()
    assert "bundesland" not in board_columns(bare_engine)
    with bare_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, name FROM board")).all() == [
            (board_id, "Altes Board")
        ]

    migrate.downgrade(bare_engine)
    assert table_names(bare_engine) <= {"alembic_version"}
    with bare_engine.connect() as conn:
        if "alembic_version" in table_names(bare_engine):
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == []
