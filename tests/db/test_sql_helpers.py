"""in_int_list (a list of integers bound as one parameter: any length, the empty list, one
statement text whatever the length) and in_few (the values of a subquery), on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from board_bot.core.db import in_few, in_int_list
from board_bot.models import Board

BOARD = Board.__table__  # type: ignore[attr-defined]
QUERY = sa.select(BOARD.c.id).where(in_int_list(BOARD.c.id, "ids")).order_by(BOARD.c.id)


def add_boards(engine: Engine, count: int) -> list[int]:
    """Boards B0, B1, ...: their ids."""
    with engine.begin() as conn:
        conn.execute(
            sa.insert(BOARD),
            [
                {"room_id": f"!r{n}:kiel.de", "name": f"B{n}", "language": "de",
                 "timezone": "Europe/Berlin", "bundesland": "SH", "created_by": "@a:kiel.de",
                 "created_at": datetime(2026, 12, 6, tzinfo=UTC)}
                for n in range(count)
            ],
        )  # fmt: skip
        return list(conn.execute(sa.select(BOARD.c.id).order_by(BOARD.c.id)).scalars())


def test_a_list_of_any_length_is_one_parameter(engine: Engine) -> None:
    ids = add_boards(engine, 5)
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        with engine.connect() as conn:
            lists = ([], ids[:1], ids[1:4], [*ids, *range(10**6, 10**6 + 5000)])
            found = [conn.execute(QUERY, {"ids": chosen}).scalars().all() for chosen in lists]
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert found == [[], ids[:1], ids[1:4], ids]
    selects = {s for s in statements if s.startswith("SELECT")}
    assert len(selects) == 1  # the same text for 0, 1, 3 and 5,005 values
    assert "= 1" not in selects.pop()  # a comparison, not a value compared with true


def test_in_few_takes_the_values_of_a_subquery(engine: Engine) -> None:
    add_boards(engine, 4)
    with engine.begin() as conn:
        chosen = sa.select(BOARD.c.id).where(BOARD.c.name.in_(["B1", "B3", "B9"]))
        found = conn.execute(
            sa.select(BOARD.c.name).where(in_few(BOARD.c.id, chosen)).order_by(BOARD.c.name)
        )
        assert found.scalars().all() == ["B1", "B3"]
        nothing = sa.select(BOARD.c.id).where(BOARD.c.name == "B9")
        assert conn.execute(sa.select(BOARD.c.id).where(in_few(BOARD.c.id, nothing))).all() == []
