"""The workshop service on SQLite and PostgreSQL: numbering, votes, the tally's clashes, confirm,
and the reminders' once-per-slot claim (a conditional UPDATE on a timestamp column)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from board_bot.core.db import unit_of_work
from board_bot.features.absences import service as absences
from board_bot.features.workshops import service as wss
from board_bot.models import Board, Workshop
from tests.db.org_support import ALICE, BOB, CAROL, CDO, NOW
from tests.db.wp_support import City, setup_city


def planned(engine: Engine, city: City) -> int:
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        ws, options = wss.plan(
            session,
            board=board,
            title="  Offene   Daten ",
            departments=[city.fb61, city.fb13, city.fb61],
            duration=timedelta(minutes=90),
            options=[NOW + timedelta(days=7), NOW + timedelta(days=8, hours=3)],
            place=None,
            online_url="https://meet.kiel.de/ws",
            actor=CDO,
            now=NOW,
        )
        assert (ws.number, ws.title, [o.position for o in options]) == (1, "Offene Daten", [1, 2])
        assert ws.id is not None
        return ws.id


def test_votes_tally_by_department_and_flag_absences(engine: Engine) -> None:
    city = setup_city(engine)
    ws_id = planned(engine, city)
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        ws = session.get(Workshop, ws_id)
        assert board is not None and ws is not None
        absences.add(session, board=board, user_id=BOB, starts_on=date(2026, 12, 4),
                     ends_on=date(2026, 12, 4), reason=None, actor=BOB, now=NOW,
                     today=NOW.date())  # fmt: skip
        wss.vote(session, ws, ALICE, [1, 2], now=NOW)
        wss.vote(session, ws, CAROL, [2], now=NOW)
        wss.vote(session, ws, ALICE, [2], now=NOW)  # replaces ALICE's vote
        tally = wss.tally(session, ws, board)
    assert [(e.option.position, e.count, e.by_department) for e in tally] == [
        (1, 0, {}),
        (2, 2, {"FB 61": [ALICE], "FB 13": [CAROL]}),
    ]
    assert tally[1].clashes == [("absence", BOB)]  # BOB is FB 61's deputy, away that day


def test_a_second_plan_gets_the_next_number_and_reminders_are_claimed_once(
    engine: Engine,
) -> None:
    city = setup_city(engine)
    first = planned(engine, city)
    second = planned_again(engine, city)
    with unit_of_work(engine) as session:
        ws = session.get(Workshop, second)
        assert ws is not None and ws.number == 2 and first != second
        wss.confirm(session, ws, 1, actor=CDO, now=NOW)
    with unit_of_work(engine) as session:
        ws = session.get(Workshop, second)
        assert ws is not None
        assert wss.claim_reminder(session, ws, "day", NOW)
    with unit_of_work(engine) as session:
        ws = session.get(Workshop, second)
        assert ws is not None
        assert not wss.claim_reminder(session, ws, "day", NOW)
        assert wss.claim_reminder(session, ws, "hour", NOW)
    with Session(engine) as session:
        ws = session.get(Workshop, second)
        assert ws is not None and ws.reminded_day_at == NOW and ws.reminded_hour_at == NOW


def planned_again(engine: Engine, city: City) -> int:
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        ws, _ = wss.plan(
            session, board=board, title="Zweiter", departments=[city.fb68],
            duration=timedelta(hours=2), options=[NOW + timedelta(days=3)], place="Rathaus",
            online_url=None, actor=CDO, now=NOW,
        )  # fmt: skip
        assert ws.id is not None
        return ws.id
