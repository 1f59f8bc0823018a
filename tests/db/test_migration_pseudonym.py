"""The migration that adds the ``pseudonym`` table (``board-bot privacy erase``): down and up
again on SQLite and PostgreSQL; the numbers handed out survive nothing but a downgrade past it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from board_bot.core import migrate
from board_bot.core.db import unit_of_work
from board_bot.models import Pseudonym
from tests.db.org_support import NOW

PREVIOUS = "5b1e9c3d7a20"  # work_package.status_since and light_since, before the pseudonyms


def test_the_pseudonym_table_goes_down_and_up(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine)
    with unit_of_work(bare_engine) as session:
        session.add_all([Pseudonym(number=1, created_at=NOW), Pseudonym(number=2, created_at=NOW)])
    with Session(bare_engine) as session:
        kept = [(p.number, p.created_at) for p in session.exec(select(Pseudonym))]
    assert kept == [(1, NOW), (2, NOW)]  # aware datetimes round-trip

    migrate.downgrade(bare_engine, PREVIOUS)
    assert "pseudonym" not in sa.inspect(bare_engine).get_table_names()
    assert "work_package" in sa.inspect(bare_engine).get_table_names()

    migrate.upgrade(bare_engine)
    columns = {c["name"]: c for c in sa.inspect(bare_engine).get_columns("pseudonym")}
    assert set(columns) == {"number", "created_at"}  # no Matrix id, nothing that links back
    with Session(bare_engine) as session:
        assert session.exec(select(Pseudonym)).all() == []
    migrate.check(bare_engine)
