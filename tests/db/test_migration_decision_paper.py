"""The migration that adds the council paper (Vorlage) to the ``decision`` table: down and up
again on SQLite and PostgreSQL; the decisions survive it, their papers only while it stands."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from board_bot.core import migrate
from board_bot.core.db import unit_of_work
from board_bot.models import Board, Decision
from tests.db.org_support import NOW

PREVIOUS = "3f8e2d6c1b94"  # the pseudonyms, before the council papers
PAPER_COLUMNS = {
    "paper_id", "paper_reference", "paper_name", "paper_date", "paper_web",
    "council_organization", "council_date", "council_outcome", "council_noted_at",
}  # fmt: skip
PAPER = "https://ratsinfo.example.org/oparl/v1.1/paper/4"


def test_the_decision_paper_columns_go_down_and_up(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine)
    with unit_of_work(bare_engine) as session:
        board = Board(
            room_id="!board:example.org", name="Board", language="de",
            timezone="Europe/Berlin", created_by="@cdo:example.org", created_at=NOW,
        )  # fmt: skip
        session.add(board)
        session.flush()
        session.add(
            Decision(
                board_id=board.id or 0, number=1, text="Datenportal", created_by="@cdo:example.org",
                created_at=NOW, updated_at=NOW, paper_id=PAPER, paper_reference="B 19/0379",
                paper_name="Smart-City-Strategie", paper_date=date(2027, 2, 1),
                paper_web="https://ratsinfo.example.org/vo020?VOLFDNR=4",
            )
        )  # fmt: skip
    with Session(bare_engine) as session:
        (kept,) = session.exec(select(Decision)).all()
        assert (kept.paper_id, kept.paper_reference, kept.paper_date) == (
            PAPER,
            "B 19/0379",
            date(2027, 2, 1),
        )

    migrate.downgrade(bare_engine, PREVIOUS)
    columns = {c["name"] for c in sa.inspect(bare_engine).get_columns("decision")}
    assert not columns & PAPER_COLUMNS
    assert "council_request" not in sa.inspect(bare_engine).get_table_names()
    with bare_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT number, text FROM decision")).all() == [
            (1, "Datenportal")
        ]

    migrate.upgrade(bare_engine)
    columns = {c["name"]: c for c in sa.inspect(bare_engine).get_columns("decision")}
    assert set(columns) >= PAPER_COLUMNS
    assert all(columns[name]["nullable"] for name in PAPER_COLUMNS)
    assert "council_request" in sa.inspect(bare_engine).get_table_names()
    with Session(bare_engine) as session:
        (again,) = session.exec(select(Decision)).all()
        assert (again.number, again.paper_id, again.paper_date) == (1, None, None)
    migrate.check(bare_engine)
