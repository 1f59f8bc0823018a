"""Absences: add with its refusals, back, cancel, who is away, what is coming; on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError, NotFound
from board_bot.core.naming import Person
from board_bot.features.absences import service as absences
from board_bot.models import Absence, Board
from tests.db.org_support import (
    ALICE,
    BOB,
    CAROL,
    CDO,
    NOW,
    TODAY,
    audit_entries,
    make_board,
    rows,
    setup_board,
    snapshot,
)

D = date


def add(
    engine: Engine,
    board: Board,
    user: str,
    start: date,
    end: date,
    reason: str | None = None,
    *,
    actor: str | None = None,
    now: datetime = NOW,
    today: date = TODAY,
) -> Absence:
    with unit_of_work(engine) as session:
        return absences.add(
            session,
            board=board,
            user_id=user,
            starts_on=start,
            ends_on=end,
            reason=reason,
            actor=actor or user,
            now=now,
            today=today,
        )


def back(
    engine: Engine, board: Board, user: str, *, today: date = TODAY, now: datetime = NOW
) -> Absence:
    with unit_of_work(engine) as session:
        return absences.back(session, board=board, user_id=user, actor=user, now=now, today=today)


# --- add ----------------------------------------------------------------------------------------


def test_add_writes_the_absence_and_an_audit_entry(engine: Engine) -> None:
    board, _ = setup_board(engine)
    before = len(audit_entries(engine))
    absence = add(
        engine,
        board,
        ALICE,
        D(2026, 12, 21),
        D(2027, 1, 6),
        "  Urlaub \n über  Weihnachten ",
        actor=CDO,
    )

    with Session(engine) as session:
        stored = session.get(Absence, absence.id)
        assert stored is not None
        assert (stored.board_id, stored.user_id, stored.starts_on, stored.ends_on) == (
            board.id,
            ALICE,
            D(2026, 12, 21),
            D(2027, 1, 6),
        )
        assert stored.reason == "Urlaub über Weihnachten"
        assert (stored.created_by, stored.created_at, stored.cancelled_at) == (CDO, NOW, None)

    [entry] = audit_entries(engine, since=before)
    assert (entry.board_id, entry.actor, entry.action, entry.entity, entry.entity_id, entry.at) == (
        board.id,
        CDO,
        "absence.add",
        "absence",
        str(absence.id),
        NOW,
    )
    assert entry.before is None
    assert entry.after == {
        "user_id": ALICE,
        "starts_on": "2026-12-21",
        "ends_on": "2027-01-06",
        "reason": "Urlaub über Weihnachten",
    }


@pytest.mark.parametrize(
    ("reason", "stored"),
    [
        (None, None),
        ("", None),
        ("  \t ", None),
        ("x" * 200, "x" * 200),
        ("x  " * 100, "x " * 99 + "x"),
    ],
)
def test_reason_is_optional(engine: Engine, reason: str | None, stored: str | None) -> None:
    board, _ = setup_board(engine)
    absence = add(engine, board, ALICE, TODAY, TODAY, reason)
    assert absence.reason == stored
    assert audit_entries(engine)[-1].after["reason"] == stored


def test_a_reason_too_long_is_refused_not_cut(engine: Engine) -> None:
    board, _ = setup_board(engine)
    unchanged = snapshot(engine)
    with pytest.raises(BotError) as caught:
        add(engine, board, ALICE, TODAY, TODAY, "x" * 201)
    assert (caught.value.key, caught.value.params) == (
        "away.reason_too_long",
        {"length": 201, "limit": 200},
    )
    assert snapshot(engine) == unchanged


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (TODAY, TODAY),  # a single day, today
        (TODAY - timedelta(days=3), TODAY),  # began earlier, ends today
        (D(2027, 1, 1), D(2027, 12, 31)),  # a whole year
        (D(2028, 1, 1), D(2028, 12, 31)),  # a whole leap year: 366 days
    ],
)
def test_boundaries_that_are_accepted(engine: Engine, start: date, end: date) -> None:
    board, _ = setup_board(engine)
    absence = add(engine, board, ALICE, start, end)
    assert (absence.starts_on, absence.ends_on) == (start, end)


@pytest.mark.parametrize(
    ("start", "end", "key"),
    [
        (D(2026, 12, 22), D(2026, 12, 21), "away.end_before_start"),
        (D(2027, 1, 6), D(2026, 12, 21), "away.end_before_start"),
        (TODAY - timedelta(days=1), TODAY - timedelta(days=1), "away.in_past"),
        (D(2026, 1, 5), D(2026, 1, 9), "away.in_past"),
        (D(2028, 1, 1), D(2029, 1, 1), "away.too_long"),  # 367 days
        (D(2027, 1, 1), D(2030, 1, 1), "away.too_long"),
    ],
)
def test_bad_dates_are_refused(engine: Engine, start: date, end: date, key: str) -> None:
    board, _ = setup_board(engine)
    unchanged = snapshot(engine)
    with pytest.raises(BotError) as caught:
        add(engine, board, ALICE, start, end)
    assert caught.value.key == key
    assert snapshot(engine) == unchanged


def test_end_before_start_names_both_dates(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with pytest.raises(BotError) as caught:
        add(engine, board, ALICE, D(2026, 12, 22), D(2026, 12, 21))
    assert caught.value.params == {"start": D(2026, 12, 22), "end": D(2026, 12, 21)}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 12, 21), D(2027, 1, 6)),  # the same
        (D(2026, 12, 24), D(2026, 12, 26)),  # inside
        (D(2026, 12, 1), D(2027, 2, 1)),  # around
        (D(2026, 12, 1), D(2026, 12, 21)),  # touches the first day
        (D(2027, 1, 6), D(2027, 1, 10)),  # touches the last day
    ],
)
def test_an_overlapping_absence_is_refused(engine: Engine, start: date, end: date) -> None:
    board, _ = setup_board(engine)
    add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6))
    unchanged = snapshot(engine)

    with pytest.raises(BotError) as caught:
        add(engine, board, ALICE, start, end)
    assert caught.value.key == "away.overlap"
    assert caught.value.params == {"start": D(2026, 12, 21), "end": D(2027, 1, 6)}
    assert snapshot(engine) == unchanged


def test_absences_that_do_not_overlap(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with unit_of_work(engine) as session:
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
    add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6))
    add(engine, board, ALICE, D(2026, 12, 14), D(2026, 12, 20))  # ends the day before
    add(engine, board, ALICE, D(2027, 1, 7), D(2027, 1, 8))  # starts the day after
    add(engine, board, BOB, D(2026, 12, 21), D(2027, 1, 6))  # someone else
    add(engine, other, ALICE, D(2026, 12, 21), D(2027, 1, 6))  # another board
    assert len(rows(engine, Absence)) == 5


def test_a_cancelled_absence_does_not_block_a_new_one(engine: Engine) -> None:
    board, _ = setup_board(engine)
    add(engine, board, ALICE, TODAY, TODAY + timedelta(days=4))
    back(engine, board, ALICE)  # started today: cancelled
    again = add(engine, board, ALICE, TODAY + timedelta(days=1), TODAY + timedelta(days=2))
    assert again.cancelled_at is None


# --- back ---------------------------------------------------------------------------------------


def test_back_ends_the_absence_yesterday(engine: Engine) -> None:
    board, _ = setup_board(engine)
    absence = add(engine, board, ALICE, D(2026, 11, 20), D(2026, 12, 4), "Kur")
    before = len(audit_entries(engine))
    later = NOW + timedelta(hours=3)

    returned = back(engine, board, ALICE, now=later)
    assert returned.id == absence.id
    with Session(engine) as session:
        stored = session.get(Absence, absence.id)
        assert stored is not None
        assert (stored.starts_on, stored.ends_on, stored.cancelled_at) == (
            D(2026, 11, 20),
            D(2026, 11, 25),
            None,
        )
        assert absences.away_on(session, board.id, [ALICE], TODAY) == set()
        assert absences.away_on(session, board.id, [ALICE], D(2026, 11, 25)) == {ALICE}

    [entry] = audit_entries(engine, since=before)
    assert (entry.actor, entry.action, entry.entity, entry.entity_id, entry.at) == (
        ALICE,
        "absence.back",
        "absence",
        str(absence.id),
        later,
    )
    assert entry.before == {
        "user_id": ALICE,
        "starts_on": "2026-11-20",
        "ends_on": "2026-12-04",
        "reason": "Kur",
    }
    assert entry.after == {
        "user_id": ALICE,
        "starts_on": "2026-11-20",
        "ends_on": "2026-11-25",
        "reason": "Kur",
    }


def test_back_on_the_first_day_cancels(engine: Engine) -> None:
    board, _ = setup_board(engine)
    absence = add(engine, board, ALICE, TODAY, D(2026, 12, 4))
    before = len(audit_entries(engine))

    back(engine, board, ALICE)
    with Session(engine) as session:
        stored = session.get(Absence, absence.id)
        assert stored is not None
        assert (stored.starts_on, stored.ends_on, stored.cancelled_at) == (
            TODAY,
            D(2026, 12, 4),
            NOW,
        )
        assert absences.current_and_upcoming(session, board.id, TODAY) == []

    [entry] = audit_entries(engine, since=before)
    assert (entry.action, entry.entity, entry.entity_id) == (
        "absence.back",
        "absence",
        str(absence.id),
    )
    assert entry.before == {
        "user_id": ALICE,
        "starts_on": "2026-11-26",
        "ends_on": "2026-12-04",
        "reason": None,
    }
    assert entry.after is None


def test_back_on_the_last_day(engine: Engine) -> None:
    board, _ = setup_board(engine)
    absence = add(engine, board, ALICE, D(2026, 11, 23), TODAY)
    back(engine, board, ALICE)
    with Session(engine) as session:
        stored = session.get(Absence, absence.id)
        assert stored is not None
        assert (stored.ends_on, stored.cancelled_at) == (D(2026, 11, 25), None)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 11, 27), D(2026, 12, 4)),  # starts tomorrow
        (D(2026, 12, 21), D(2027, 1, 6)),  # later
    ],
)
def test_back_when_not_away_leaves_a_planned_absence_alone(
    engine: Engine, start: date, end: date
) -> None:
    """``!back`` is about today: a planned absence (the Christmas leave) is never cancelled by
    it; that takes ``cancel`` and a date."""
    board, _ = setup_board(engine)
    add(engine, board, ALICE, start, end, "Urlaub")
    add(engine, board, BOB, D(2026, 11, 20), D(2026, 12, 4))  # someone else is away
    unchanged = snapshot(engine)

    with pytest.raises(BotError) as caught:
        back(engine, board, ALICE)
    assert (caught.value.key, caught.value.params) == ("away.not_away", {"user": Person(ALICE)})
    assert snapshot(engine) == unchanged


def test_back_without_any_absence_is_refused(engine: Engine) -> None:
    board, _ = setup_board(engine)
    add(engine, board, ALICE, D(2026, 11, 2), D(2026, 11, 6), today=D(2026, 11, 1))  # over
    add(engine, board, BOB, D(2026, 11, 20), D(2026, 12, 4))  # someone else is away
    unchanged = snapshot(engine)

    with pytest.raises(BotError) as caught:
        back(engine, board, ALICE)
    assert caught.value.key == "away.not_away"
    assert caught.value.params == {"user": Person(ALICE)}
    assert snapshot(engine) == unchanged


def test_back_twice_is_refused(engine: Engine) -> None:
    board, _ = setup_board(engine)
    add(engine, board, ALICE, D(2026, 11, 20), D(2026, 12, 4))
    back(engine, board, ALICE)
    unchanged = snapshot(engine)
    with pytest.raises(BotError) as caught:
        back(engine, board, ALICE)
    assert caught.value.key == "away.not_away"
    assert snapshot(engine) == unchanged


# --- cancel -------------------------------------------------------------------------------------


def cancel(
    engine: Engine,
    board: Board,
    user: str,
    day: date,
    *,
    actor: str | None = None,
    now: datetime = NOW,
) -> Absence:
    with unit_of_work(engine) as session:
        return absences.cancel(
            session, board=board, user_id=user, day=day, actor=actor or user, now=now, today=TODAY
        )


@pytest.mark.parametrize(
    "day",
    [D(2026, 12, 21), D(2026, 12, 24), D(2027, 1, 6)],  # its first day, one within, its last
)
def test_cancel_marks_the_absence_on_that_day_cancelled(engine: Engine, day: date) -> None:
    board, _ = setup_board(engine)
    absence = add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6), "Urlaub")
    following = add(engine, board, ALICE, D(2027, 2, 1), D(2027, 2, 5))
    add(engine, board, BOB, D(2026, 12, 21), D(2027, 1, 6))  # someone else, the same days
    before = len(audit_entries(engine))
    later = NOW + timedelta(hours=1)

    cancelled = cancel(engine, board, ALICE, day, actor=CDO, now=later)
    assert cancelled.id == absence.id
    with Session(engine) as session:
        stored = session.get(Absence, absence.id)
        assert stored is not None  # kept, not deleted
        assert (stored.starts_on, stored.ends_on, stored.cancelled_at) == (
            D(2026, 12, 21),
            D(2027, 1, 6),
            later,
        )
        assert session.get(Absence, following.id).cancelled_at is None  # only that one
        assert absences.away_on(session, board.id, [ALICE, BOB], D(2026, 12, 24)) == {BOB}
    [entry] = audit_entries(engine, since=before)
    assert (entry.actor, entry.action, entry.entity, entry.entity_id, entry.at) == (
        CDO,
        "absence.cancel",
        "absence",
        str(absence.id),
        later,
    )
    assert entry.before == {
        "user_id": ALICE,
        "starts_on": "2026-12-21",
        "ends_on": "2027-01-06",
        "reason": "Urlaub",
    }
    assert entry.after is None


def test_cancel_takes_back_a_current_absence_too(engine: Engine) -> None:
    """Entered with wrong dates and already begun: cancelled as a whole, still on record."""
    board, _ = setup_board(engine)
    absence = add(engine, board, ALICE, D(2026, 11, 20), D(2026, 12, 4))
    cancel(engine, board, ALICE, TODAY)
    with Session(engine) as session:
        stored = session.get(Absence, absence.id)
        assert stored is not None and stored.cancelled_at == NOW


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 12, 20),  # the day before it
        D(2027, 1, 7),  # the day after it
        D(2026, 11, 4),  # an absence that is over: history stays
        D(2026, 11, 24),  # someone else's absence
    ],
)
def test_cancel_without_an_absence_on_that_day_changes_nothing(engine: Engine, day: date) -> None:
    board, _ = setup_board(engine)
    add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6))
    add(engine, board, ALICE, D(2026, 11, 2), D(2026, 11, 6), today=D(2026, 11, 1))  # over
    add(engine, board, BOB, D(2026, 11, 20), D(2026, 12, 4))
    unchanged = snapshot(engine)

    with pytest.raises(NotFound) as caught:
        cancel(engine, board, ALICE, day)
    assert (caught.value.key, caught.value.params) == (
        "away.no_such_absence",
        {"user": Person(ALICE), "day": day},
    )
    assert snapshot(engine) == unchanged


def test_cancel_twice_is_refused(engine: Engine) -> None:
    board, _ = setup_board(engine)
    add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6))
    cancel(engine, board, ALICE, D(2026, 12, 21))
    unchanged = snapshot(engine)
    with pytest.raises(NotFound):
        cancel(engine, board, ALICE, D(2026, 12, 21))
    assert snapshot(engine) == unchanged


def test_planned_lists_what_begins_after_today(engine: Engine) -> None:
    board, _ = setup_board(engine)
    add(engine, board, ALICE, D(2026, 11, 20), TODAY)  # current
    later = add(engine, board, ALICE, D(2027, 2, 1), D(2027, 2, 5))
    sooner = add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6))
    add(engine, board, ALICE, D(2027, 3, 1), D(2027, 3, 1))
    cancel(engine, board, ALICE, D(2027, 3, 1))  # cancelled
    add(engine, board, BOB, D(2026, 12, 21), D(2027, 1, 6))  # someone else's
    with Session(engine) as session:
        found = absences.planned(session, board.id, ALICE, TODAY)
    assert [a.id for a in found] == [sooner.id, later.id]


# --- queries ------------------------------------------------------------------------------------


def test_away_on_counts_both_ends_and_nothing_else(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with unit_of_work(engine) as session:
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
    add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6))
    add(engine, board, BOB, TODAY, D(2026, 12, 31))
    back(engine, board, BOB)  # cancelled
    add(engine, other, CAROL, D(2026, 12, 1), D(2026, 12, 31))

    def away(day: date, users: list[str]) -> set[str]:
        with Session(engine) as session:
            return absences.away_on(session, board.id, users, day)

    everyone = [ALICE, BOB, CAROL, CDO]
    assert away(D(2026, 12, 20), everyone) == set()
    assert away(D(2026, 12, 21), everyone) == {ALICE}
    assert away(D(2027, 1, 6), everyone) == {ALICE}
    assert away(D(2027, 1, 7), everyone) == set()
    assert away(D(2026, 12, 24), [BOB, CAROL]) == set()
    assert away(D(2026, 12, 24), []) == set()


def test_current_and_upcoming_is_soonest_first(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with unit_of_work(engine) as session:
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
    add(engine, board, ALICE, D(2026, 11, 2), D(2026, 11, 6), today=D(2026, 11, 1))  # over
    upcoming = add(engine, board, ALICE, D(2026, 12, 21), D(2027, 1, 6))
    ends_today = add(engine, board, BOB, D(2026, 11, 23), TODAY)
    add(engine, board, CAROL, TODAY, D(2026, 11, 30))
    back(engine, board, CAROL)  # cancelled
    same_start = add(engine, board, CAROL, D(2026, 12, 21), D(2026, 12, 23))
    current = add(engine, board, CDO, D(2026, 11, 20), D(2026, 12, 4))
    add(engine, other, ALICE, TODAY, TODAY)  # another board

    with Session(engine) as session:
        found = absences.current_and_upcoming(session, board.id, TODAY)
        assert [a.id for a in found] == [current.id, ends_today.id, upcoming.id, same_start.id]
        later = absences.current_and_upcoming(session, board.id, D(2026, 12, 24))
        assert [a.id for a in later] == [upcoming.id]
