"""Departments: add, rename, room, archive, find; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError, NotFound
from board_bot.features.departments import service as departments
from board_bot.features.people import service as people
from board_bot.models import Board, Department
from tests.db.org_support import (
    ALICE,
    CDO,
    NOW,
    audit_entries,
    count,
    make_board,
    setup_board,
    snapshot,
)

LATER = NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("FB 61", "fb61"),
        ("fb61", "fb61"),
        ("FB61", "fb61"),
        (" Fb  6 1 ", "fb61"),
        ("STRAẞE", "strasse"),
    ],
)
def test_code_key_ignores_case_and_spaces(code: str, key: str) -> None:
    assert departments.code_key(code) == key


# --- add ----------------------------------------------------------------------------------------


def test_add_writes_the_department_and_an_audit_entry(engine: Engine) -> None:
    board, _ = setup_board(engine)
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        dept = departments.add(
            session,
            board=board,
            code="  FB   61 ",
            name=" Amt für   Stadtplanung ",
            room_id="!fb61:kiel.de",
            actor=ALICE,
            now=LATER,
        )
        dept_id = dept.id
    assert dept_id is not None

    with Session(engine) as session:
        stored = session.get(Department, dept_id)
        assert stored is not None
        assert (stored.board_id, stored.code, stored.code_key, stored.name, stored.room_id) == (
            board.id,
            "FB 61",
            "fb61",
            "Amt für Stadtplanung",
            "!fb61:kiel.de",
        )
        assert (stored.created_at, stored.archived_at) == (LATER, None)

    [entry] = audit_entries(engine, since=before)
    assert (entry.board_id, entry.actor, entry.action, entry.entity, entry.entity_id) == (
        board.id,
        ALICE,
        "create",
        "department",
        str(dept_id),
    )
    assert entry.before is None
    assert entry.after == {
        "code": "FB 61",
        "name": "Amt für Stadtplanung",
        "room_id": "!fb61:kiel.de",
    }
    assert entry.at == LATER


@pytest.mark.parametrize("again", ["FB 61", "fb61", "FB61", "Fb 6 1", "  fb   61"])
def test_a_code_taken_in_any_spelling_is_refused(engine: Engine, again: str) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"))
    unchanged = snapshot(engine)

    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        departments.add(session, board=board, code=again, name="Noch eins", actor=CDO, now=NOW)
    assert caught.value.key == "dept.code_taken"
    assert snapshot(engine) == unchanged


def test_the_same_code_on_another_board_is_fine(engine: Engine) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
        dept = departments.add(
            session, board=other, code="FB 61", name="Planung", actor=CDO, now=NOW
        )
    assert dept.board_id == other.id != board.id
    assert count(engine, Department) == 2


def test_the_code_of_an_archived_department_may_be_reused(engine: Engine) -> None:
    board, [old] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        departments.archive(session, dept=session.get(Department, old.id), actor=CDO, now=NOW)
    with unit_of_work(engine) as session:
        new = departments.add(session, board=board, code="fb61", name="Neu", actor=CDO, now=LATER)
    assert new.id != old.id
    with Session(engine) as session:
        assert [d.id for d in departments.active(session, board.id)] == [new.id]


@pytest.mark.parametrize(
    ("code", "name", "key"),
    [
        ("", "Amt", "dept.code_invalid"),
        ("   ", "Amt", "dept.code_invalid"),
        ("FB#61", "Amt", "dept.code_invalid"),
        ("-FB", "Amt", "dept.code_invalid"),
        ("X" * 33, "Amt", "dept.code_invalid"),
        ("FB 61", "", "dept.name_missing"),
        ("FB 61", " \t ", "dept.name_missing"),
        ("FB 61", "N" * 201, "dept.name_too_long"),
    ],
)
def test_bad_code_or_name_is_refused(engine: Engine, code: str, name: str, key: str) -> None:
    board, _ = setup_board(engine)
    unchanged = snapshot(engine)
    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        departments.add(session, board=board, code=code, name=name, actor=CDO, now=NOW)
    assert caught.value.key == key
    assert snapshot(engine) == unchanged


def test_longest_code_and_name_are_accepted(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with unit_of_work(engine) as session:
        dept = departments.add(
            session, board=board, code="X" * 32, name="N" * 200, actor=CDO, now=NOW
        )
    assert (len(dept.code), len(dept.name)) == (32, 200)


# --- rename, room -------------------------------------------------------------------------------


def test_rename_records_before_and_after(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "fb61")
        departments.rename(
            session, dept=dept, name="Stadtplanung und Bauordnung", actor=ALICE, now=LATER
        )

    with Session(engine) as session:
        stored = session.get(Department, dept.id)
        assert stored is not None
        assert (stored.code, stored.name) == ("FB 61", "Stadtplanung und Bauordnung")
    [entry] = audit_entries(engine, since=before)
    assert (entry.actor, entry.action, entry.entity, entry.entity_id, entry.at) == (
        ALICE,
        "rename",
        "department",
        str(dept.id),
        LATER,
    )
    assert entry.before == {"code": "FB 61", "name": "Stadtplanung", "room_id": None}
    assert entry.after == {"code": "FB 61", "name": "Stadtplanung und Bauordnung", "room_id": None}


def test_rename_with_a_new_code(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 61")
        departments.rename(session, dept=dept, name="Planung", code="Amt 61", actor=CDO, now=LATER)

    with Session(engine) as session:
        found = departments.find(session, board.id, "amt61")
        assert (found.id, found.code, found.code_key, found.name) == (
            dept.id,
            "Amt 61",
            "amt61",
            "Planung",
        )
        with pytest.raises(NotFound):
            departments.find(session, board.id, "FB 61")
    entry = audit_entries(engine)[-1]
    assert entry.before == {"code": "FB 61", "name": "Stadtplanung", "room_id": None}
    assert entry.after == {"code": "Amt 61", "name": "Planung", "room_id": None}


def test_rename_to_its_own_code_in_another_spelling_is_fine(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("fb61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 61")
        departments.rename(
            session, dept=dept, name="Stadtplanung", code="FB 61", actor=CDO, now=NOW
        )
    with Session(engine) as session:
        assert departments.find(session, board.id, "fb61").code == "FB 61"


def test_rename_to_a_taken_code_is_refused_and_changes_nothing(engine: Engine) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr"))
    unchanged = snapshot(engine)

    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 68")
        departments.rename(session, dept=dept, name="Mobilität", code="fb 61", actor=CDO, now=NOW)
    assert caught.value.key == "dept.code_taken"
    assert snapshot(engine) == unchanged


def test_a_refused_rename_leaves_the_object_untouched(engine: Engine) -> None:
    """A caller that catches the refusal and carries on must not commit half a rename."""
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr"))
    unchanged = snapshot(engine)

    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 68")
        with pytest.raises(BotError):
            departments.rename(
                session, dept=dept, name="Mobilität", code="FB 61", actor=CDO, now=NOW
            )
        with pytest.raises(BotError):
            departments.rename(session, dept=dept, name="Mobilität", code="F#B", actor=CDO, now=NOW)
        assert (dept.code, dept.name) == ("FB 68", "Verkehr")
    assert snapshot(engine) == unchanged


def test_rename_to_an_empty_name_is_refused(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 61", "Stadtplanung"))
    unchanged = snapshot(engine)
    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 61")
        departments.rename(session, dept=dept, name="  ", actor=CDO, now=NOW)
    assert caught.value.key == "dept.name_missing"
    assert snapshot(engine) == unchanged


def test_set_room_and_clear_it(engine: Engine) -> None:
    board, [dept] = setup_board(engine, ("FB 68", "Verkehr"))
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 68")
        departments.set_room(session, dept=dept, room_id="!verkehr:kiel.de", actor=ALICE, now=NOW)
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 68")
        assert dept.room_id == "!verkehr:kiel.de"
        departments.set_room(session, dept=dept, room_id=None, actor=ALICE, now=LATER)
    with Session(engine) as session:
        assert departments.find(session, board.id, "FB 68").room_id is None

    set_it, clear_it = audit_entries(engine, since=before)
    assert (set_it.action, set_it.entity, set_it.entity_id) == ("room", "department", str(dept.id))
    assert set_it.before == {"code": "FB 68", "name": "Verkehr", "room_id": None}
    assert set_it.after == {"code": "FB 68", "name": "Verkehr", "room_id": "!verkehr:kiel.de"}
    assert clear_it.before == set_it.after
    assert clear_it.after == set_it.before
    assert clear_it.at == LATER


# --- archive ------------------------------------------------------------------------------------


def test_archive_keeps_the_row_and_drops_it_from_lists(engine: Engine) -> None:
    board, [_, traffic] = setup_board(engine, ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr"))
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 68")
        departments.archive(session, dept=dept, actor=ALICE, now=LATER)

    with Session(engine) as session:
        assert [d.code for d in departments.active(session, board.id)] == ["FB 61"]
        with pytest.raises(NotFound):
            departments.find(session, board.id, "FB 68")
        stored = session.get(Department, traffic.id)
        assert stored is not None
        assert (stored.code, stored.name, stored.archived_at) == ("FB 68", "Verkehr", LATER)
    assert count(engine, Department) == 2

    [entry] = audit_entries(engine, since=before)
    assert (entry.actor, entry.action, entry.entity, entry.entity_id, entry.at) == (
        ALICE,
        "archive",
        "department",
        str(traffic.id),
        LATER,
    )
    assert entry.before == {"code": "FB 68", "name": "Verkehr", "room_id": None}
    assert entry.after is None


# --- find, active -------------------------------------------------------------------------------


def test_active_is_in_natural_order_and_per_board(engine: Engine) -> None:
    board, _ = setup_board(
        engine,
        ("FB 68", "Verkehr"),
        ("FB 9", "Kultur"),
        ("FB 61", "Stadtplanung"),
        ("FB 13", "Hauptamt"),
        ("Bürgeramt", "Bürgerservice"),
    )
    with unit_of_work(engine) as session:
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
        departments.add(session, board=other, code="FB 1", name="Fremd", actor=CDO, now=NOW)

    with Session(engine) as session:
        codes = [d.code for d in departments.active(session, board.id)]
    assert codes == ["Bürgeramt", "FB 9", "FB 13", "FB 61", "FB 68"]


@pytest.mark.parametrize("spelling", ["FB 61", "fb61", "Fb 61", " FB61 "])
def test_find_by_any_spelling(engine: Engine, spelling: str) -> None:
    board, [_, planning] = setup_board(engine, ("FB 13", "Hauptamt"), ("FB 61", "Stadtplanung"))
    with Session(engine) as session:
        assert departments.find(session, board.id, spelling).id == planning.id


def test_find_suggests_close_codes(engine: Engine) -> None:
    board, _ = setup_board(
        engine, ("FB 13", "Hauptamt"), ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr")
    )
    with Session(engine) as session, pytest.raises(NotFound) as caught:
        departments.find(session, board.id, "FB 60")
    assert caught.value.key == "dept.not_found_close"
    assert caught.value.params["code"] == "FB 60"
    suggestions = caught.value.params["suggestions"].split(", ")
    assert "FB 61" in suggestions
    assert "FB 68" in suggestions


def test_find_lists_known_codes_when_nothing_is_close(engine: Engine) -> None:
    board, _ = setup_board(engine, ("FB 13", "Hauptamt"), ("FB 61", "Stadtplanung"))
    with Session(engine) as session, pytest.raises(NotFound) as caught:
        departments.find(session, board.id, "Feuerwehr")
    assert caught.value.key == "dept.not_found"
    assert caught.value.params == {"code": "Feuerwehr", "known": "FB 13, FB 61"}


def test_find_on_a_board_without_departments(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with Session(engine) as session, pytest.raises(NotFound) as caught:
        departments.find(session, board.id, "FB 61")
    assert caught.value.key == "dept.none_yet"


def test_find_does_not_see_archived_or_foreign_departments(engine: Engine) -> None:
    board, _ = setup_board(engine, ("FB 61", "Stadtplanung"))
    with unit_of_work(engine) as session:
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
        departments.add(session, board=other, code="FB 68", name="Verkehr", actor=CDO, now=NOW)
        departments.archive(
            session, dept=departments.find(session, board.id, "FB 61"), actor=CDO, now=NOW
        )

    with Session(engine) as session:
        for code in ("FB 61", "FB 68"):
            with pytest.raises(NotFound) as caught:
                departments.find(session, board.id, code)
            assert caught.value.key == "dept.none_yet"


def test_find_cuts_a_very_long_code_in_its_message(engine: Engine) -> None:
    board, _ = setup_board(engine)
    with Session(engine) as session, pytest.raises(NotFound) as caught:
        departments.find(session, board.id, "x" * 500)
    assert len(caught.value.params["code"]) == 40


def test_archive_ends_the_roles_in_the_department(engine: Engine) -> None:
    board, [traffic] = setup_board(engine, ("FB 68", "Verkehr"))
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 68")
        stored_board = session.get(Board, board.id)
        assert stored_board is not None
        for user, role in (("@lead:example.org", "lead"), ("@dep:example.org", "deputy")):
            people.assign(
                session, board=stored_board, user_id=user, role=role, department=dept,
                actor=ALICE, now=NOW,
            )  # fmt: skip
    before = len(audit_entries(engine))
    with unit_of_work(engine) as session:
        dept = departments.find(session, board.id, "FB 68")
        departments.archive(session, dept=dept, actor=ALICE, now=LATER)

    with Session(engine) as session:
        assert people.roles_of(session, board.id, "@lead:example.org") == []
        assert people.roles_of(session, board.id, "@dep:example.org") == []
    entries = audit_entries(engine, since=before)
    assert [e.action for e in entries] == ["role.remove", "role.remove", "archive"]
    assert {e.entity_id for e in entries} == {str(traffic.id)}
