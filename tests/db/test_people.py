"""Roles on a board and in departments, seeding admins, acting contacts, the roster; on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError, NotFound
from board_bot.core.naming import Person
from board_bot.features.absences import service as absences
from board_bot.features.departments import service as departments
from board_bot.features.people import service as people
from board_bot.models import Board, Department, Membership
from tests.db.org_support import (
    ALICE,
    BOB,
    CAROL,
    CDO,
    DAVE,
    NOW,
    TODAY,
    audit_entries,
    make_board,
    rows,
    setup_board,
    snapshot,
)

LATER = NOW + timedelta(hours=1)


def assign(
    session: Session,
    board: Board,
    user_id: str,
    role: str,
    code: str | None = None,
    *,
    actor: str = CDO,
    now: datetime = NOW,
) -> people.Assigned:
    assert board.id is not None
    dept = departments.find(session, board.id, code) if code else None
    return people.assign(
        session, board=board, user_id=user_id, role=role, department=dept, actor=actor, now=now
    )


def remove(
    session: Session,
    board: Board,
    user_id: str,
    role: str,
    code: str | None = None,
    *,
    actor: str = CDO,
    now: datetime = NOW,
) -> Membership:
    assert board.id is not None
    dept = departments.find(session, board.id, code) if code else None
    return people.remove(
        session, board=board, user_id=user_id, role=role, department=dept, actor=actor, now=now
    )


def held(engine: Engine, board_id: int | None) -> list[tuple[str, str, int | None]]:
    """(user, role, department id) of every role held now, oldest first."""
    assert board_id is not None
    with Session(engine) as session:
        return [(m.user_id, m.role, m.department_id) for m in people.active(session, board_id)]


# --- boards seed their admins -------------------------------------------------------------------


def test_create_board_seeds_the_configured_admins_and_the_creator(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        board = make_board(session, admins=(CDO, ALICE), actor=BOB)
    assert held(engine, board.id) == [
        (CDO, "admin", None),
        (ALICE, "admin", None),
        (BOB, "admin", None),
    ]

    create, *assigned = audit_entries(engine)
    assert (create.action, create.entity, create.entity_id) == ("create", "board", str(board.id))
    assert [(e.action, e.entity, e.entity_id, e.actor, e.at) for e in assigned] == [
        ("role.assign", "board", str(board.id), BOB, NOW)
    ] * 3
    assert [e.after for e in assigned] == [
        {"user_id": CDO, "role": "admin"},
        {"user_id": ALICE, "role": "admin"},
        {"user_id": BOB, "role": "admin"},
    ]
    assert all(e.before is None for e in assigned)


def test_create_board_seeds_each_admin_once(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        board = make_board(session, admins=(CDO, ALICE, CDO), actor=CDO)
    assert held(engine, board.id) == [(CDO, "admin", None), (ALICE, "admin", None)]
    assert len(audit_entries(engine)) == 1 + 2


def test_create_board_stores_the_bundesland(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        default = make_board(session)
        nrw = make_board(session, room_id="!nrw:koeln.de", name="Köln", bundesland="NW")
    with Session(engine) as session:
        assert session.get(Board, default.id).bundesland == "SH"
        assert session.get(Board, nrw.id).bundesland == "NW"


def test_a_refused_board_seeds_no_admins(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        make_board(session)
    unchanged = snapshot(engine)
    with pytest.raises(BotError), unit_of_work(engine) as session:
        make_board(session, admins=(ALICE,), actor=BOB)  # same room
    assert snapshot(engine) == unchanged


def test_seed_admins_directly(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with unit_of_work(engine) as session:
        people.seed_admins(session, board=board, user_ids=[ALICE, BOB, ALICE], actor=CDO, now=NOW)
    assert held(engine, board.id) == [
        (CDO, "admin", None),
        (ALICE, "admin", None),
        (BOB, "admin", None),
    ]
    with Session(engine) as session:
        assert people.admins(session, board.id) == [CDO, ALICE, BOB]


# --- assign -------------------------------------------------------------------------------------


def test_assign_board_roles_audits_on_the_board(engine: Engine) -> None:
    board, _ = setup_board(engine)
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        result = assign(session, board, ALICE, "observer", actor=CDO, now=LATER)
        assign(session, board, BOB, "admin", actor=CDO, now=LATER)
    assert result.replaced is None
    assert result.membership.created_at == LATER
    assert held(engine, board.id) == [
        (CDO, "admin", None),
        (ALICE, "observer", None),
        (BOB, "admin", None),
    ]
    observer, admin = audit_entries(engine, since=before)
    for entry in (observer, admin):
        assert (
            entry.board_id,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.actor,
            entry.at,
        ) == (
            board.id,
            "role.assign",
            "board",
            str(board.id),
            CDO,
            LATER,
        )
        assert entry.before is None
    assert observer.after == {"user_id": ALICE, "role": "observer"}
    assert admin.after == {"user_id": BOB, "role": "admin"}


def test_assign_department_roles_audits_on_the_department(engine: Engine) -> None:
    board, [planning, traffic] = setup_board(
        engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr")
    )
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, CAROL, "member", "FB 61")
        assign(session, board, ALICE, "member", "FB 68")  # one person, two departments
    assert held(engine, board.id)[1:] == [
        (ALICE, "lead", planning.id),
        (BOB, "deputy", planning.id),
        (CAROL, "member", planning.id),
        (ALICE, "member", traffic.id),
    ]
    entries = audit_entries(engine, since=before)
    assert [(e.action, e.entity, e.entity_id) for e in entries] == [
        ("role.assign", "department", str(planning.id)),
        ("role.assign", "department", str(planning.id)),
        ("role.assign", "department", str(planning.id)),
        ("role.assign", "department", str(traffic.id)),
    ]
    assert [e.after for e in entries] == [
        {"user_id": ALICE, "role": "lead"},
        {"user_id": BOB, "role": "deputy"},
        {"user_id": CAROL, "role": "member"},
        {"user_id": ALICE, "role": "member"},
    ]


def test_any_number_of_deputies_and_members(engine: Engine) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr"))
    with unit_of_work(engine) as session:
        for user in (ALICE, BOB, CAROL):
            assign(session, board, user, "deputy", "FB 61")
            assign(session, board, user, "member", "FB 68")
        assign(session, board, DAVE, "member", "FB 61")
    assert len(held(engine, board.id)) == 1 + 7


def test_a_new_lead_replaces_the_old_one(engine: Engine) -> None:
    board, [planning, traffic] = setup_board(
        engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr")
    )
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, CAROL, "lead", "FB 68")
        assign(session, board, ALICE, "deputy", "FB 68")
    before = len(audit_entries(engine))

    with unit_of_work(engine) as session:
        result = assign(session, board, BOB, "lead", "FB 61", actor=CDO, now=LATER)
    assert result.replaced == ALICE
    assert held(engine, board.id)[1:] == [
        (CAROL, "lead", traffic.id),  # the other department keeps its lead
        (ALICE, "deputy", traffic.id),  # and the old lead keeps her other roles
        (BOB, "lead", planning.id),
    ]
    with Session(engine) as session:
        [old] = session.exec(
            select(Membership).where(Membership.user_id == ALICE, Membership.role == "lead")
        ).all()
        assert old.ended_at == LATER  # the row stays for the history

    ended, started = audit_entries(engine, since=before)
    assert (ended.action, ended.entity, ended.entity_id, ended.at) == (
        "role.remove",
        "department",
        str(planning.id),
        LATER,
    )
    assert (ended.before, ended.after) == ({"user_id": ALICE, "role": "lead"}, None)
    assert (started.action, started.entity_id) == ("role.assign", str(planning.id))
    assert (started.before, started.after) == (None, {"user_id": BOB, "role": "lead"})


def test_a_deputy_who_becomes_lead_is_no_longer_deputy(engine: Engine) -> None:
    """One role per person and department: the new role ends the other, recorded like any end."""
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, BOB, "deputy", "FB 61")
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        result = assign(session, board, BOB, "lead", "FB 61", now=LATER)
    assert (result.replaced, result.ended) == (None, ["deputy"])
    assert held(engine, board.id)[1:] == [(BOB, "lead", dept.id)]
    ended, started = audit_entries(engine, since=before)
    assert (ended.action, ended.entity_id, ended.at) == ("role.remove", str(dept.id), LATER)
    assert (ended.before, ended.after) == ({"user_id": BOB, "role": "deputy"}, None)
    assert (started.action, started.after) == ("role.assign", {"user_id": BOB, "role": "lead"})


def test_one_role_per_department_leaves_other_departments_and_board_roles(
    engine: Engine,
) -> None:
    board, [planning, traffic] = setup_board(
        engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr")
    )
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, CAROL, "member", "FB 61")
        assign(session, board, CAROL, "member", "FB 68")
        assign(session, board, CAROL, "observer")
    with unit_of_work(engine) as session:
        result = assign(session, board, CAROL, "deputy", "FB 61")
        assert (result.replaced, result.ended) == (None, ["member"])
        # The lead who becomes a member no longer leads: the department is without a lead.
        result = assign(session, board, ALICE, "member", "FB 61")
        assert (result.replaced, result.ended) == (None, ["lead"])
    assert held(engine, board.id)[1:] == [
        (BOB, "deputy", planning.id),
        (CAROL, "member", traffic.id),
        (CAROL, "observer", None),
        (CAROL, "deputy", planning.id),
        (ALICE, "member", planning.id),
    ]
    # A new lead ends the old lead's role and the new lead's own deputyship.
    with unit_of_work(engine) as session:
        result = assign(session, board, ALICE, "lead", "FB 61")
        assert (result.replaced, result.ended) == (None, ["member"])
        result = assign(session, board, BOB, "lead", "FB 61")
        assert (result.replaced, result.ended) == (ALICE, ["deputy"])
    assert [(u, r) for u, r, d in held(engine, board.id) if d == planning.id] == [
        (CAROL, "deputy"),
        (BOB, "lead"),
    ]


def test_remove_in_an_archived_department_is_a_programming_error(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
    with unit_of_work(engine) as session:
        found = session.get(Department, dept.id)
        assert found is not None
        departments.archive(session, dept=found, actor=CDO, now=LATER)
    unchanged = snapshot(engine)
    with pytest.raises(ValueError, match="not an active department"), unit_of_work(engine) as s:
        archived = s.get(Department, dept.id)
        people.remove(
            s, board=board, user_id=ALICE, role="lead", department=archived, actor=CDO, now=LATER
        )
    assert snapshot(engine) == unchanged


@pytest.mark.parametrize(
    ("role", "code", "key"),
    [
        ("chef", None, "role.unknown"),
        ("Admin", None, "role.unknown"),
        ("lead", None, "role.needs_department"),
        ("deputy", None, "role.needs_department"),
        ("member", None, "role.needs_department"),
        ("admin", "FB 61", "role.no_department"),
        ("observer", "FB 61", "role.no_department"),
    ],
)
def test_role_and_department_must_fit(
    engine: Engine, role: str, code: str | None, key: str
) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"))
    unchanged = snapshot(engine)
    for action in (assign, remove):
        with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
            action(session, board, ALICE, role, code)
        assert caught.value.key == key
    assert snapshot(engine) == unchanged


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("admin", None),
        ("observer", None),
        ("lead", "FB 61"),
        ("deputy", "FB 61"),
        ("member", "FB 61"),
    ],
)
def test_a_role_held_already_is_refused(engine: Engine, role: str, code: str | None) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, role, code)
    unchanged = snapshot(engine)

    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        assign(session, board, ALICE, role, code)
    assert caught.value.key == "role.already"
    assert caught.value.params == {"user": Person(ALICE), "role": role}
    assert snapshot(engine) == unchanged


def test_a_role_may_be_given_again_after_it_ended(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "deputy", "FB 61")
    with unit_of_work(engine) as session:
        remove(session, board, ALICE, "deputy", "FB 61")
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "deputy", "FB 61", now=LATER)
    assert held(engine, board.id)[1:] == [(ALICE, "deputy", dept.id)]
    assert len(rows(engine, Membership)) == 1 + 2


# --- remove -------------------------------------------------------------------------------------


def test_remove_ends_the_role_and_audits_it(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "observer")
    before = len(audit_entries(engine))

    with unit_of_work(engine) as session:
        ended = remove(session, board, ALICE, "lead", "FB 61", actor=CDO, now=LATER)
        remove(session, board, BOB, "observer", actor=CDO, now=LATER)
    assert ended.ended_at == LATER
    assert held(engine, board.id) == [(CDO, "admin", None)]
    assert len(rows(engine, Membership)) == 3  # ended, not deleted

    lead, observer = audit_entries(engine, since=before)
    assert (lead.action, lead.entity, lead.entity_id, lead.actor, lead.at) == (
        "role.remove",
        "department",
        str(dept.id),
        CDO,
        LATER,
    )
    assert (lead.before, lead.after) == ({"user_id": ALICE, "role": "lead"}, None)
    assert (observer.action, observer.entity, observer.entity_id) == (
        "role.remove",
        "board",
        str(board.id),
    )
    assert (observer.before, observer.after) == ({"user_id": BOB, "role": "observer"}, None)


@pytest.mark.parametrize(
    ("user", "role", "code"),
    [
        (ALICE, "observer", None),  # never held
        (BOB, "deputy", "FB 61"),  # held in the other department
        (BOB, "lead", "FB 68"),  # another role in that department
        (CAROL, "member", "FB 61"),  # held once, ended
    ],
)
def test_removing_a_role_not_held_is_refused(
    engine: Engine, user: str, role: str, code: str | None
) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr"))
    with unit_of_work(engine) as session:
        assign(session, board, BOB, "deputy", "FB 68")
        assign(session, board, CAROL, "member", "FB 61")
    with unit_of_work(engine) as session:
        remove(session, board, CAROL, "member", "FB 61")
    unchanged = snapshot(engine)

    with pytest.raises(NotFound) as caught, unit_of_work(engine) as session:
        remove(session, board, user, role, code)
    assert caught.value.key == "role.not_held"
    assert snapshot(engine) == unchanged


def test_the_last_admin_cannot_be_removed(engine: Engine) -> None:
    board, _ = setup_board(engine)
    unchanged = snapshot(engine)
    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        remove(session, board, CDO, "admin", actor=CDO)
    assert caught.value.key == "role.last_admin"
    assert caught.value.params == {"user": Person(CDO)}
    assert snapshot(engine) == unchanged


def test_an_admin_may_go_while_another_stays(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "admin")
        assign(session, board, BOB, "observer")  # an observer is no admin
    with unit_of_work(engine) as session:
        remove(session, board, CDO, "admin", actor=ALICE, now=LATER)
    with Session(engine) as session:
        assert people.admins(session, board.id) == [ALICE]

    unchanged = snapshot(engine)
    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        remove(session, board, ALICE, "admin", actor=ALICE, now=LATER)
    assert caught.value.key == "role.last_admin"
    assert snapshot(engine) == unchanged


def test_admins_of_another_board_do_not_count(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with unit_of_work(engine) as session:
        make_board(session, room_id="!other:kiel.de", name="Anderes Board", admins=(ALICE,))
    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        remove(session, board, CDO, "admin")
    assert caught.value.key == "role.last_admin"


# --- queries ------------------------------------------------------------------------------------


def test_roles_of_and_department_roles(engine: Engine) -> None:
    board, [planning, traffic] = setup_board(
        engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr")
    )
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, ALICE, "member", "FB 68")
        assign(session, board, ALICE, "observer")
        assign(session, board, BOB, "deputy", "FB 61")

    with Session(engine) as session:
        planning = session.get(Department, planning.id)
        traffic = session.get(Department, traffic.id)
        assert planning is not None and traffic is not None
        assert [(m.role, m.department_id) for m in people.roles_of(session, board.id, ALICE)] == [
            ("lead", planning.id),
            ("member", traffic.id),
            ("observer", None),
        ]
        assert people.roles_of(session, board.id, DAVE) == []
        assert [(m.user_id, m.role) for m in people.department_roles(session, planning)] == [
            (ALICE, "lead"),
            (BOB, "deputy"),
        ]
        assert [(m.user_id, m.role) for m in people.department_roles(session, traffic)] == [
            (ALICE, "member")
        ]
        assert not hasattr(people, "require_department_role")  # unused: removed


def test_roster_orders_roles_and_leaves_out_ended_ones(engine: Engine) -> None:
    board, _ = setup_board(
        engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr"), ("FB 13", "Hauptamt")
    )
    with unit_of_work(engine) as session:
        assign(session, board, DAVE, "member", "FB 61")
        assign(session, board, CAROL, "deputy", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, ALICE, "observer")
        assign(session, board, BOB, "admin")
        assign(session, board, CAROL, "lead", "FB 68")
    with unit_of_work(engine) as session:
        remove(session, board, DAVE, "member", "FB 61")

    with Session(engine) as session:
        depts = departments.active(session, board.id)
        roster = people.roster(session, board.id, depts)
    assert [(m.user_id, m.role) for m in roster.board_roles] == [
        (CDO, "admin"),
        (BOB, "admin"),
        (ALICE, "observer"),
    ]
    assert [(d.code, [(m.user_id, m.role) for m in ms]) for d, ms in roster.departments] == [
        ("FB 13", []),
        ("FB 61", [(ALICE, "lead"), (CAROL, "deputy"), (BOB, "deputy")]),
        ("FB 68", [(CAROL, "lead")]),
    ]


# --- acting contact -----------------------------------------------------------------------------


def away(engine: Engine, board: Board, user: str, start: date, end: date) -> None:
    with unit_of_work(engine) as session:
        absences.add(
            session,
            board=board,
            user_id=user,
            starts_on=start,
            ends_on=end,
            reason=None,
            actor=CDO,
            now=NOW,
            today=TODAY,
        )


def contact(engine: Engine, dept_id: int | None, day: date) -> str | None:
    with Session(engine) as session:
        dept = session.get(Department, dept_id)
        assert dept is not None
        return people.acting_contact(session, dept, day)


def test_acting_contact_is_the_lead_unless_away(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, CAROL, "deputy", "FB 61")
        assign(session, board, DAVE, "member", "FB 61")  # a member never stands in
    away(engine, board, ALICE, date(2026, 12, 21), date(2027, 1, 6))
    away(engine, board, BOB, date(2026, 12, 28), date(2026, 12, 31))

    assert contact(engine, dept.id, date(2026, 12, 18)) == ALICE
    assert contact(engine, dept.id, date(2026, 12, 20)) == ALICE  # the day before
    assert contact(engine, dept.id, date(2026, 12, 21)) == BOB  # first day away
    assert contact(engine, dept.id, date(2026, 12, 27)) == BOB
    assert contact(engine, dept.id, date(2026, 12, 28)) == CAROL  # first deputy away, too
    assert contact(engine, dept.id, date(2026, 12, 31)) == CAROL
    assert contact(engine, dept.id, date(2027, 1, 1)) == BOB
    assert contact(engine, dept.id, date(2027, 1, 6)) == BOB  # last day away
    assert contact(engine, dept.id, date(2027, 1, 7)) == ALICE


def test_nobody_there_is_none(engine: Engine) -> None:
    board, [dept, empty] = setup_board(engine, ("FB 61", "Stadtplanung"), ("FB 13", "Hauptamt"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, CAROL, "member", "FB 13")
    away(engine, board, ALICE, date(2026, 12, 1), date(2026, 12, 31))
    away(engine, board, BOB, date(2026, 12, 15), date(2026, 12, 31))

    assert contact(engine, dept.id, date(2026, 12, 14)) == BOB
    assert contact(engine, dept.id, date(2026, 12, 15)) is None
    assert contact(engine, empty.id, date(2026, 12, 15)) is None  # members only


def test_without_a_lead_the_first_deputy_answers(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, CAROL, "deputy", "FB 61")
    with unit_of_work(engine) as session:
        remove(session, board, ALICE, "lead", "FB 61")
        remove(session, board, BOB, "deputy", "FB 61")
    assert contact(engine, dept.id, TODAY) == CAROL


def test_a_new_lead_is_the_contact(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, CAROL, "lead", "FB 61")
    assert contact(engine, dept.id, TODAY) == CAROL


def test_absences_that_do_not_count(engine: Engine) -> None:
    """A cancelled absence, an absence that ended, and one on another board leave the lead in."""
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
    away(engine, board, ALICE, TODAY, TODAY + timedelta(days=10))
    away(engine, other, ALICE, TODAY + timedelta(days=20), TODAY + timedelta(days=30))
    assert contact(engine, dept.id, TODAY) == BOB

    with unit_of_work(engine) as session:
        absences.back(session, board=board, user_id=ALICE, actor=ALICE, now=NOW, today=TODAY)
    assert contact(engine, dept.id, TODAY) == ALICE  # started today: cancelled
    assert contact(engine, dept.id, TODAY + timedelta(days=25)) == ALICE  # other board


def test_acting_contact_ignores_roles_that_ended(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
    with unit_of_work(engine) as session:
        remove(session, board, BOB, "deputy", "FB 61")
    away(engine, board, ALICE, TODAY, TODAY)
    assert contact(engine, dept.id, TODAY) is None
    with Session(engine) as session:
        assert [
            m.user_id for m in session.exec(select(Membership).order_by(col(Membership.id)))
        ] == [
            CDO,
            ALICE,
            BOB,
        ]


# --- acting contacts for many departments at once -------------------------------------------------


def test_acting_contacts_say_who_stands_in_for_whom_until_when(engine: Engine) -> None:
    board, depts = setup_board(
        engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr"), ("FB 13", "Hauptamt")
    )
    planning, traffic, main = depts
    with unit_of_work(engine) as session:
        assign(session, board, ALICE, "lead", "FB 61")
        assign(session, board, BOB, "deputy", "FB 61")
        assign(session, board, CAROL, "deputy", "FB 68")  # no lead
        assign(session, board, DAVE, "lead", "FB 13")
    # Two absences that follow on without a gap are one time away.
    away(engine, board, ALICE, TODAY, TODAY + timedelta(days=2))
    away(engine, board, ALICE, TODAY + timedelta(days=3), TODAY + timedelta(days=9))
    away(engine, board, ALICE, TODAY + timedelta(days=11), TODAY + timedelta(days=12))

    with Session(engine) as session:
        found = people.acting_contacts(session, board.id, depts, TODAY)
    assert found == {
        planning.id: people.Acting(BOB, ALICE, TODAY + timedelta(days=9)),
        traffic.id: people.Acting(CAROL, None, None),
        main.id: people.Acting(DAVE, DAVE, None),
    }
    assert [found[d.id].stand_in for d in depts] == [True, True, False]

    with Session(engine) as session:
        later = people.acting_contacts(session, board.id, depts, TODAY + timedelta(days=10))
        assert later[planning.id] == people.Acting(ALICE, ALICE, None)
        assert people.acting_contacts(session, board.id, [], TODAY) == {}
    away(engine, board, BOB, TODAY, TODAY)
    with Session(engine) as session:
        nobody = people.acting_contacts(session, board.id, [planning], TODAY)[planning.id]
    assert nobody == people.Acting(None, ALICE, TODAY + timedelta(days=9))
    assert not nobody.stand_in


def test_acting_contacts_take_two_queries_for_any_number_of_departments(engine: Engine) -> None:
    codes = [(f"FB {n}", f"Fachbereich {n}") for n in range(10, 30)]
    board, depts = setup_board(engine, *codes)
    with unit_of_work(engine) as session:
        for n, (code, _) in enumerate(codes):
            assign(session, board, f"@lead{n}:kiel.de", "lead", code)
            assign(session, board, f"@deputy{n}:kiel.de", "deputy", code)
    for n in range(len(codes)):
        away(engine, board, f"@lead{n}:kiel.de", TODAY, TODAY + timedelta(days=n))

    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    with Session(engine) as session:
        depts = departments.active(session, board.id)
        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            found = people.acting_contacts(session, board.id, depts, TODAY)
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 2, statements
    assert [found[d.id].user_id for d in depts] == [f"@deputy{n}:kiel.de" for n in range(20)]
    assert [found[d.id].lead_away_until for d in depts] == [
        TODAY + timedelta(days=n) for n in range(20)
    ]
