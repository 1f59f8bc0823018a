"""Work packages: numbering, validation, dependencies, lists, details, permissions, audit; on
SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError, Forbidden, NotFound
from board_bot.features.departments import service as departments
from board_bot.features.people import service as people
from board_bot.features.work_packages import service as work_packages
from board_bot.features.work_packages.service import WpFilter
from board_bot.models import Department, WorkPackage
from tests.db.org_support import ALICE, BOB, CAROL, CDO, DAVE, NOW, TODAY, make_board
from tests.db.wp_support import (
    EVE,
    HANDLUNGSFELDER,
    OTTO,
    City,
    add_wp,
    d,
    setup_city,
    wp_audit,
    wp_rows,
)

LATER = NOW + timedelta(hours=3)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The queries (SELECTs) run inside the block; BEGIN and the like are not counted."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def load(session: Session, city: City, number: int) -> WorkPackage:
    return work_packages.get(session, city.board_id, number)


# --- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("WP-12", 12), ("wp-12", 12), ("AP-12", 12), ("AP12", 12), ("12", 12), (" ap-3 ", 3)],
)
def test_parse_code_accepts_the_spellings(text: str, number: int) -> None:
    assert work_packages.parse_code(text) == number


@pytest.mark.parametrize("text", ["", "WP-", "WP-0", "XY-12", "WP-1a", "-3", "12.5", "WP--1"])
def test_parse_code_refuses_the_rest(text: str) -> None:
    with pytest.raises(BotError) as err:
        work_packages.parse_code(text)
    assert err.value.key == "wp.bad_code"


def test_code_formats_the_number() -> None:
    assert work_packages.code(12) == "WP-12"


# --- create and numbering -----------------------------------------------------------------------


def test_create_numbers_per_board_and_records_a_snapshot(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        first = work_packages.create(
            session,
            board=city.board,
            title="  Digitale   Bauakte ",
            owner=city.fb61,
            actor=ALICE,
            now=NOW,
            leitlinie=2,
            handlungsfeld="verwaltung",
            handlungsfelder=HANDLUNGSFELDER,
            responsible=DAVE,
            start_date=d(1),
            due_date=d(31),
        )
        second = add_wp(session, city, "Sensorik Parkplätze", owner=city.fb68)
        other_board = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
        dept = Department(board_id=other_board.id or 0, code="A", code_key="a", name="A")
        dept.created_at = NOW
        session.add(dept)
        session.flush()
        elsewhere = work_packages.create(
            session, board=other_board, title="Anderswo", owner=dept, actor=CDO, now=NOW
        )
        ids = (first.id, second.id)
        numbers = (first.number, second.number, elsewhere.number)
    assert numbers == (1, 2, 1)
    assert work_packages.code(first) == "WP-1"

    with Session(engine) as session:
        wp = load(session, city, 1)
        assert (wp.title, wp.leitlinie, wp.handlungsfeld, wp.responsible) == (
            "Digitale Bauakte",
            2,
            "Verwaltung",
            DAVE,
        )
        assert (wp.status, wp.traffic_light, wp.progress, wp.created_by) == (
            "planned",
            "green",
            0,
            ALICE,
        )
        assert (wp.created_at, wp.updated_at) == (NOW, NOW)

    [entry] = wp_audit(engine, ids[0])
    assert (entry.action, entry.actor, entry.before, entry.board_id) == (
        "create",
        ALICE,
        None,
        city.board_id,
    )
    assert entry.after is not None
    assert entry.after["owner"] == "FB 61"
    assert entry.after["due_date"] == "2026-12-31"
    assert entry.after["number"] == 1


def test_numbers_are_never_reused_after_discard(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        for title in ("A", "B", "C"):
            add_wp(session, city, title)
        work_packages.close(session, load(session, city, 3), "discarded", actor=CDO, now=NOW)
        work_packages.close(session, load(session, city, 2), "done", actor=CDO, now=NOW)
    with unit_of_work(engine) as session:
        assert add_wp(session, city, "D").number == 4
        assert add_wp(session, city, "E").number == 5


def test_get_unknown_number_is_not_found(engine: Engine) -> None:
    city = setup_city(engine)
    with Session(engine) as session, pytest.raises(NotFound) as err:
        work_packages.get(session, city.board_id, 7)
    assert (err.value.key, err.value.params) == ("wp.not_found", {"code": "WP-7"})


CREATE_REFUSALS: list[tuple[dict[str, Any], str]] = [
    ({"title": "   "}, "wp.title_missing"),
    ({"title": "x" * 201}, "wp.title_too_long"),
    ({"leitlinie": 5}, "wp.leitlinie_invalid"),
    ({"leitlinie": 0}, "wp.leitlinie_invalid"),
    ({"handlungsfeld": "Raumfahrt"}, "wp.handlungsfeld_unknown"),
    ({"start_date": d(10), "due_date": d(9)}, "wp.due_before_start"),
    ({"responsible": "dave"}, "wp.responsible_invalid"),
    ({"owner": "archived"}, "wp.department_inactive"),
]


@pytest.mark.parametrize(("kwargs", "key"), CREATE_REFUSALS, ids=[k for _, k in CREATE_REFUSALS])
def test_create_refusals_change_nothing(engine: Engine, kwargs: dict[str, Any], key: str) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city)
        departments.archive(session, dept=city.fb68, actor=CDO, now=NOW)
    before = wp_rows(engine)
    with unit_of_work(engine) as session:
        args: dict[str, Any] = {"title": "Neu", "owner": session.get(Department, city.fb61.id)}
        args.update(kwargs)
        if args["owner"] == "archived":
            args["owner"] = session.get(Department, city.fb68.id)
        with pytest.raises(BotError) as err:
            work_packages.create(
                session,
                board=city.board,
                actor=CDO,
                now=LATER,
                handlungsfelder=HANDLUNGSFELDER,
                **args,
            )
        assert err.value.key == key
    assert wp_rows(engine) == before


# --- update -------------------------------------------------------------------------------------


def test_update_returns_and_audits_only_the_changed_fields(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp_id = add_wp(session, city, leitlinie=1).id
    with unit_of_work(engine) as session:
        wp = load(session, city, 1)
        changed = work_packages.update(
            session,
            wp,
            actor=ALICE,
            now=LATER,
            handlungsfelder=HANDLUNGSFELDER,
            title="Digitale Bauakte",  # unchanged
            leitlinie=3,
            handlungsfeld=" mobilität ",
            owner=city.fb13,
            traffic_light="yellow",
            traffic_reason="Vergabe verzögert",
            due_date=d(15),
            funding_programme="Modellprojekte Smart Cities",
        )
    assert changed == {
        "leitlinie": (1, 3),
        "handlungsfeld": (None, "Mobilität"),
        "owner": ("FB 61", "FB 13"),
        "traffic_light": ("green", "yellow"),
        "traffic_reason": (None, "Vergabe verzögert"),
        "due_date": (None, d(15)),
        "funding_programme": (None, "Modellprojekte Smart Cities"),
    }
    entry = wp_audit(engine, wp_id)[-1]
    assert (entry.action, entry.actor, entry.at) == ("update", ALICE, LATER)
    assert entry.before == {
        "leitlinie": 1,
        "handlungsfeld": None,
        "owner": "FB 61",
        "traffic_light": "green",
        "traffic_reason": None,
        "due_date": None,
        "funding_programme": None,
    }
    assert entry.after == {
        "leitlinie": 3,
        "handlungsfeld": "Mobilität",
        "owner": "FB 13",
        "traffic_light": "yellow",
        "traffic_reason": "Vergabe verzögert",
        "due_date": "2026-12-15",
        "funding_programme": "Modellprojekte Smart Cities",
    }
    with Session(engine) as session:
        wp = load(session, city, 1)
        assert (wp.owner_department_id, wp.updated_at) == (city.fb13.id, LATER)


def test_update_without_a_change_writes_nothing(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city, progress=30)
    before = wp_rows(engine)
    with unit_of_work(engine) as session:
        wp = load(session, city, 1)
        assert work_packages.update(session, wp, actor=CDO, now=LATER, progress=30) == {}
        assert work_packages.update(session, wp, actor=CDO, now=LATER) == {}
    assert wp_rows(engine) == before


UPDATE_REFUSALS: list[tuple[dict[str, Any], str]] = [
    ({"title": ""}, "wp.title_missing"),
    ({"title": "y" * 201}, "wp.title_too_long"),
    ({"leitlinie": 7}, "wp.leitlinie_invalid"),
    ({"handlungsfeld": "Raumfahrt"}, "wp.handlungsfeld_unknown"),
    ({"progress": 101}, "wp.progress_invalid"),
    ({"progress": -1}, "wp.progress_invalid"),
    ({"due_date": d(1)}, "wp.due_before_start"),  # start is 10.12.
    ({"start_date": d(20, 1, 2027)}, "wp.due_before_start"),  # due is 31.12.
    ({"traffic_light": "red"}, "wp.traffic_needs_reason"),
    ({"traffic_light": "red", "traffic_reason": "  "}, "wp.traffic_needs_reason"),
    ({"traffic_light": "blue", "traffic_reason": "x"}, "wp.traffic_invalid"),
    ({"status": "finished"}, "wp.status_invalid"),
    ({"status": "done", "progress": 50}, "wp.done_progress"),
    ({"responsible": "not a user"}, "wp.responsible_invalid"),
    ({"traffic_reason": "r" * 301, "traffic_light": "red"}, "wp.text_too_long"),
    ({"description": "z" * 20_001}, "wp.text_too_long"),
    # a valid change next to an invalid one: neither is made
    ({"title": "Neuer Titel", "progress": 120}, "wp.progress_invalid"),
    ({"status": "in_progress", "leitlinie": 9}, "wp.leitlinie_invalid"),
]


@pytest.mark.parametrize(("changes", "key"), UPDATE_REFUSALS, ids=[k for _, k in UPDATE_REFUSALS])
def test_update_refusals_change_nothing(engine: Engine, changes: dict[str, Any], key: str) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city, start_date=d(10), due_date=d(31), progress=40)
    before = wp_rows(engine)
    # The refusal is caught and the unit of work commits: the service must not have changed
    # the object or flushed anything.
    with unit_of_work(engine) as session:
        wp = load(session, city, 1)
        fields = wp.model_dump()
        with pytest.raises(BotError) as err:
            work_packages.update(
                session, wp, actor=CDO, now=LATER, handlungsfelder=HANDLUNGSFELDER, **changes
            )
        assert err.value.key == key
        assert wp.model_dump() == fields
    assert wp_rows(engine) == before


def test_update_refuses_an_archived_or_foreign_owner(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city)
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
        foreign = Department(board_id=other.id or 0, code="X", code_key="x", name="X")
        foreign.created_at = NOW
        session.add(foreign)
    before = wp_rows(engine)
    archived = city.fb68.model_copy(update={"archived_at": NOW})
    for owner in (foreign, archived):
        with unit_of_work(engine) as session:
            with pytest.raises(BotError) as err:
                work_packages.update(
                    session, load(session, city, 1), actor=CDO, now=LATER, owner=owner
                )
            assert err.value.key == "wp.department_inactive"
    assert wp_rows(engine) == before


def test_traffic_light_reason_rules(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city, traffic_light="red", traffic_reason="Haushaltssperre")
        assert (wp.traffic_light, wp.traffic_reason) == ("red", "Haushaltssperre")
        # A new reason for the same colour is fine.
        work_packages.update(session, wp, actor=CDO, now=LATER, traffic_reason="Personal fehlt")
        assert wp.traffic_reason == "Personal fehlt"
        # A new colour needs a new reason: the old one does not carry over.
        with pytest.raises(BotError) as err:
            work_packages.update(session, wp, actor=CDO, now=LATER, traffic_light="yellow")
        assert err.value.key == "wp.traffic_needs_reason"
        # Green clears the reason.
        changed = work_packages.update(session, wp, actor=CDO, now=LATER, traffic_light="green")
        assert changed == {
            "traffic_light": ("red", "green"),
            "traffic_reason": ("Personal fehlt", None),
        }


def test_status_done_means_full_progress_and_reopen_keeps_it(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city, progress=60)
        changed = work_packages.update(session, wp, actor=CDO, now=LATER, status="done")
        assert changed == {"status": ("planned", "done"), "progress": (60, 100)}
        with pytest.raises(BotError) as err:
            work_packages.close(session, wp, actor=CDO, now=LATER)
        assert err.value.key == "wp.already_closed"
        reopened = work_packages.reopen(session, wp, actor=BOB, now=LATER)
        assert reopened == {"status": ("done", "in_progress")}
        assert wp.progress == 100
        with pytest.raises(BotError) as err:
            work_packages.reopen(session, wp, actor=BOB, now=LATER)
        assert err.value.key == "wp.not_closed"
        with pytest.raises(BotError) as err:
            work_packages.close(session, wp, "planned", actor=BOB, now=LATER)
        assert err.value.key == "wp.close_status_invalid"
        assert work_packages.close(session, wp, "discarded", actor=BOB, now=LATER) == {
            "status": ("in_progress", "discarded")
        }
        wp_id = wp.id
    actions = [e.action for e in wp_audit(engine, wp_id)]
    assert actions == ["create", "update", "update", "reopen", "close"]


# --- contributors, links, milestones ------------------------------------------------------------


def test_set_contributors_replaces_leaves_out_the_owner_and_audits(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city)
        result = work_packages.set_contributors(
            session, wp, [city.fb68, city.fb13, city.fb61, city.fb13], actor=CDO, now=LATER
        )
        assert [x.code for x in result] == ["FB 13", "FB 68"]
        work_packages.set_contributors(session, wp, [city.fb68, city.fb13], actor=CDO, now=LATER)
        work_packages.set_contributors(session, wp, [city.fb68], actor=CDO, now=LATER)
        info = work_packages.details(session, wp)
        assert [x.code for x in info.contributors] == ["FB 68"]
        wp_id = wp.id
    entries = [e for e in wp_audit(engine, wp_id) if e.action == "contributors"]
    assert [(e.before, e.after) for e in entries] == [
        ({"contributors": []}, {"contributors": ["FB 13", "FB 68"]}),
        ({"contributors": ["FB 13", "FB 68"]}, {"contributors": ["FB 68"]}),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://kiel.de/plan.pdf",
        "javascript:alert(1)",
        "kiel.de/plan",
        "https://",
        "https://kiel.de/a b",
        "https://kiel.de/" + "x" * 2000,
    ],
)
def test_add_link_refuses_anything_but_http(engine: Engine, url: str) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city)
    before = wp_rows(engine)
    with unit_of_work(engine) as session:
        with pytest.raises(BotError) as err:
            work_packages.add_link(session, load(session, city, 1), url, actor=CDO, now=LATER)
        assert err.value.key == "wp.link_invalid"
    assert wp_rows(engine) == before


def test_links_and_milestones(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city)
        work_packages.add_link(
            session, wp, "https://kiel.de/bauakte", "Konzept", actor=DAVE, now=LATER
        )
        work_packages.add_link(session, wp, "HTTP://wiki.kiel.de/AP-1", actor=DAVE, now=LATER)
        work_packages.add_milestone(
            session, wp, "Ausschreibung", d(20, 1, 2027), actor=DAVE, now=LATER
        )
        work_packages.add_milestone(session, wp, "Konzept", d(15), actor=DAVE, now=LATER)
        with pytest.raises(BotError) as err:
            work_packages.add_milestone(session, wp, " ", d(15), actor=DAVE, now=LATER)
        assert err.value.key == "wp.title_missing"
        done = work_packages.complete_milestone(session, wp, 1, actor=DAVE, now=LATER)
        assert (done.title, done.done_at) == ("Konzept", LATER)
        for index, key in ((1, "wp.milestone_already_done"), (3, "wp.milestone_not_found"),
                           (0, "wp.milestone_not_found")):  # fmt: skip
            with pytest.raises(BotError) as err:
                work_packages.complete_milestone(session, wp, index, actor=DAVE, now=LATER)
            assert err.value.key == key
        info = work_packages.details(session, wp)
        assert [(m.title, m.done_at) for m in info.milestones] == [
            ("Konzept", LATER),
            ("Ausschreibung", None),
        ]
        assert [(x.url, x.title) for x in info.links] == [
            ("https://kiel.de/bauakte", "Konzept"),
            ("HTTP://wiki.kiel.de/AP-1", None),
        ]
        other = add_wp(session, city, "Anderes")
        foreign = work_packages.add_milestone(session, other, "Fremd", d(1), actor=CDO, now=NOW)
        with pytest.raises(NotFound):
            work_packages.complete_milestone(session, wp, foreign, actor=DAVE, now=LATER)
        wp_id = wp.id
    actions = [(e.action, e.after) for e in wp_audit(engine, wp_id)][1:]
    assert actions == [
        ("link.add", {"url": "https://kiel.de/bauakte", "title": "Konzept"}),
        ("link.add", {"url": "HTTP://wiki.kiel.de/AP-1", "title": None}),
        ("milestone.add", {"milestone": "Ausschreibung", "due_on": "2027-01-20"}),
        ("milestone.add", {"milestone": "Konzept", "due_on": "2026-12-15"}),
        ("milestone.done", {"milestone": "Konzept", "done": True}),
    ]


# --- dependencies -------------------------------------------------------------------------------


def _chain(engine: Engine, city: City, count: int) -> None:
    """WP-1 … WP-<count> in three departments; WP-n waits for WP-(n+1)."""
    owners = (city.fb13, city.fb61, city.fb68)
    with unit_of_work(engine) as session:
        wps = [add_wp(session, city, f"AP {i}", owner=owners[i % 3]) for i in range(count)]
        for a, b in itertools.pairwise(wps):
            work_packages.depend(session, a, b, actor=CDO, now=NOW)


@pytest.mark.parametrize(
    ("count", "wp", "on", "key", "path"),
    [
        (2, 2, 1, "wp.cycle", "WP-2 → WP-1 → WP-2"),
        (3, 3, 1, "wp.cycle", "WP-3 → WP-1 → WP-2 → WP-3"),
        (5, 5, 1, "wp.cycle", "WP-5 → WP-1 → WP-2 → WP-3 → WP-4 → WP-5"),
        (5, 4, 2, "wp.cycle", "WP-4 → WP-2 → WP-3 → WP-4"),
        (2, 1, 1, "wp.depend_self", None),
        (2, 1, 2, "wp.depend_exists", None),
    ],
)
def test_depend_refusals_change_nothing(
    engine: Engine, count: int, wp: int, on: int, key: str, path: str | None
) -> None:
    city = setup_city(engine)
    _chain(engine, city, count)
    before = wp_rows(engine)
    with unit_of_work(engine) as session:
        with pytest.raises(BotError) as err:
            work_packages.depend(
                session, load(session, city, wp), load(session, city, on), actor=CDO, now=LATER
            )
        assert err.value.key == key
        if path is not None:
            assert err.value.params["path"] == path
            assert err.value.params["codes"] == path.split(" → ")
    assert wp_rows(engine) == before


def test_depend_across_departments_and_undepend(engine: Engine) -> None:
    city = setup_city(engine)
    _chain(engine, city, 3)  # 1 → 2 → 3, owners FB 13, FB 61, FB 68
    with unit_of_work(engine) as session:
        one, three = load(session, city, 1), load(session, city, 3)
        # A shortcut is no cycle.
        work_packages.depend(session, one, three, actor=ALICE, now=LATER)
        info = work_packages.details(session, three)
        assert [w.number for w in info.blocks] == [1, 2]
        assert info.waits_for == []
        work_packages.undepend(session, one, three, actor=ALICE, now=LATER)
        with pytest.raises(NotFound) as err:
            work_packages.undepend(session, one, three, actor=ALICE, now=LATER)
        assert err.value.key == "wp.depend_missing"
        # Without 2 → 3 there is no way back from 3 to 1: 3 may wait for 1.
        two = load(session, city, 2)
        work_packages.undepend(session, two, three, actor=ALICE, now=LATER)
        work_packages.depend(session, three, one, actor=ALICE, now=LATER)
        assert [w.number for w in work_packages.details(session, three).waits_for] == [1]
        one_id = one.id
    entries = [(e.action, e.before, e.after) for e in wp_audit(engine, one_id)][1:]
    assert entries == [
        ("depend", None, {"waits_for": "WP-2"}),
        ("depend", None, {"waits_for": "WP-3"}),
        ("undepend", {"waits_for": "WP-3"}, None),
    ]


def test_depend_on_another_boards_package_is_refused(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        mine = add_wp(session, city)
        other = make_board(session, room_id="!other:kiel.de", name="Anderes Board")
        dept = Department(board_id=other.id or 0, code="X", code_key="x", name="X")
        dept.created_at = NOW
        session.add(dept)
        session.flush()
        theirs = work_packages.create(
            session, board=other, title="Fremd", owner=dept, actor=CDO, now=NOW
        )
        with pytest.raises(BotError) as err:
            work_packages.depend(session, mine, theirs, actor=CDO, now=NOW)
        assert err.value.key == "wp.depend_other_board"


# --- lists --------------------------------------------------------------------------------------


def _portfolio(engine: Engine) -> City:
    """Eight packages with known properties (today is 26.11.2026):

    ==  =====  =====  ==  ==========  ===========  ======  ====  ======  ========
    WP  owner  contr  LL  HF          status       light   %     due     resp.
    ==  =====  =====  ==  ==========  ===========  ======  ====  ======  ========
    1   FB 61         1   Mobilität   in_progress  green   50    20.11.  DAVE
    2   FB 13  FB 61  2   Bildung     planned      yellow  0     01.12.
    3   FB 68         1   Mobilität   blocked      red     10    15.01.  DAVE
    4   FB 61         3   Verwaltung  done         green   100   01.11.
    5   FB 13         4               discarded    green   0     –
    6   FB 68         2   Umwelt      planned      green   0     –       (waits for 1)
    7   FB 61                         in_progress  red     80    30.11.  (waits for 4)
    8   FB 13  FB 68  1   Verwaltung  planned      yellow  20    10.12.
    ==  =====  =====  ==  ==========  ===========  ======  ====  ======  ========
    """
    city = setup_city(engine)
    c = city
    with unit_of_work(engine) as session:
        w = [
            add_wp(session, c, "1", owner=c.fb61, leitlinie=1, handlungsfeld="Mobilität",
                   status="in_progress", progress=50, due_date=d(20, 11), responsible=DAVE),
            add_wp(session, c, "2", owner=c.fb13, leitlinie=2, handlungsfeld="Bildung",
                   traffic_light="yellow", traffic_reason="Personal", due_date=d(1)),
            add_wp(session, c, "3", owner=c.fb68, leitlinie=1, handlungsfeld="Mobilität",
                   status="blocked", traffic_light="red", traffic_reason="Vergabe", progress=10,
                   due_date=d(15, 1, 2027), responsible=DAVE),
            add_wp(session, c, "4", owner=c.fb61, leitlinie=3, handlungsfeld="Verwaltung",
                   status="done", due_date=d(1, 11)),
            add_wp(session, c, "5", owner=c.fb13, leitlinie=4),
            add_wp(session, c, "6", owner=c.fb68, leitlinie=2, handlungsfeld="Umwelt"),
            add_wp(session, c, "7", owner=c.fb61, status="in_progress", traffic_light="red",
                   traffic_reason="Lieferverzug", progress=80, due_date=d(30, 11)),
            add_wp(session, c, "8", owner=c.fb13, leitlinie=1, handlungsfeld="Verwaltung",
                   traffic_light="yellow", traffic_reason="Abstimmung", progress=20,
                   due_date=d(10)),
        ]  # fmt: skip
        work_packages.close(session, w[4], "discarded", actor=CDO, now=NOW)
        work_packages.set_contributors(session, w[1], [c.fb61], actor=CDO, now=NOW)
        work_packages.set_contributors(session, w[7], [c.fb68], actor=CDO, now=NOW)
        work_packages.depend(session, w[5], w[0], actor=CDO, now=NOW)
        work_packages.depend(session, w[6], w[3], actor=CDO, now=NOW)
    return city


def _filters(city: City) -> list[tuple[str, WpFilter, list[int]]]:
    fb13, fb61, fb68 = (x.id for x in (city.fb13, city.fb61, city.fb68))
    return [
        ("default: open only", WpFilter(), [1, 2, 3, 6, 7, 8]),
        ("include closed", WpFilter(include_closed=True), [1, 2, 3, 4, 5, 6, 7, 8]),
        ("department: owner or contributor", WpFilter(department_id=fb61), [1, 2, 7]),
        ("department incl. closed", WpFilter(department_id=fb61, include_closed=True),
         [1, 2, 4, 7]),
        ("department as contributor", WpFilter(department_id=fb68), [3, 6, 8]),
        ("department with none", WpFilter(department_id=fb13, statuses=frozenset({"blocked"})),
         []),
        ("leitlinie", WpFilter(leitlinie=1), [1, 3, 8]),
        ("handlungsfeld", WpFilter(handlungsfeld="Mobilität"), [1, 3]),
        ("status planned", WpFilter(statuses=frozenset({"planned"})), [2, 6, 8]),
        ("statuses closed", WpFilter(statuses=frozenset({"done", "discarded"})), [4, 5]),
        ("traffic red", WpFilter(traffic_light="red"), [3, 7]),
        ("traffic yellow", WpFilter(traffic_light="yellow"), [2, 8]),
        ("overdue", WpFilter(overdue=True), [1]),
        ("overdue never closed", WpFilter(overdue=True, include_closed=True), [1]),
        ("due within 5 days", WpFilter(due_within_days=5), [2, 7]),
        ("due within 14 days", WpFilter(due_within_days=14), [2, 7, 8]),
        ("due today", WpFilter(due_within_days=0), []),
        ("blocked: status or waiting for an open package", WpFilter(blocked=True), [3, 6]),
        ("responsible", WpFilter(responsible=DAVE), [1, 3]),
        ("department + leitlinie", WpFilter(department_id=fb61, leitlinie=1), [1]),
        ("leitlinie + traffic", WpFilter(leitlinie=1, traffic_light="red"), [3]),
        ("blocked + responsible", WpFilter(blocked=True, responsible=DAVE), [3]),
        ("department + overdue", WpFilter(department_id=fb68, overdue=True), []),
        ("department + due within + traffic",
         WpFilter(department_id=fb61, due_within_days=5, traffic_light="red"), [7]),
    ]  # fmt: skip


def test_filters_each_and_combined(engine: Engine) -> None:
    city = _portfolio(engine)
    with Session(engine) as session:
        for name, wp_filter, expected in _filters(city):
            with counted(engine) as statements:
                page, total = work_packages.list_packages(
                    session, city.board_id, wp_filter, today=TODAY, sort="number", limit=50
                )
            assert [int(w.title) for w in page] == expected, name
            assert total == len(expected), name
            assert len(statements) == 2, name  # the page and the count, nothing per row


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due", [1, 7, 2, 8, 3, 6]),  # no due date last
        ("number", [1, 2, 3, 6, 7, 8]),
        ("status", [2, 8, 6, 1, 7, 3]),  # planned, in progress, blocked; then by due date
        ("traffic", [7, 3, 2, 8, 1, 6]),  # red first
        ("progress", [2, 6, 3, 8, 1, 7]),  # least first
    ],
)
def test_sorting(engine: Engine, sort: str, expected: list[int]) -> None:
    city = _portfolio(engine)
    with Session(engine) as session:
        page, total = work_packages.list_packages(
            session, city.board_id, WpFilter(), today=TODAY, sort=sort, limit=50
        )
    assert ([int(w.title) for w in page], total) == (expected, 6)


def test_unknown_sort_is_refused(engine: Engine) -> None:
    city = setup_city(engine)
    with Session(engine) as session, pytest.raises(BotError) as err:
        work_packages.list_packages(session, city.board_id, WpFilter(), today=TODAY, sort="x")
    assert err.value.key == "wp.bad_sort"


def test_pagination_counts_all_matches(engine: Engine) -> None:
    city = _portfolio(engine)
    every = WpFilter(include_closed=True)
    with Session(engine) as session:

        def page(offset: int, limit: int = 3) -> tuple[list[int], int]:
            wps, total = work_packages.list_packages(
                session, city.board_id, every, today=TODAY, sort="number", limit=limit,
                offset=offset,
            )  # fmt: skip
            return [w.number for w in wps], total

        assert page(0) == ([1, 2, 3], 8)
        assert page(3) == ([4, 5, 6], 8)
        assert page(6) == ([7, 8], 8)
        assert page(9) == ([], 8)
        # Other boards' packages never show.
        assert work_packages.list_packages(session, city.board_id + 1000, every, today=TODAY) == (
            [],
            0,
        )


def test_waits_for_open_marks_a_page(engine: Engine) -> None:
    city = _portfolio(engine)
    with Session(engine) as session:
        page, _ = work_packages.list_packages(
            session, city.board_id, WpFilter(include_closed=True), today=TODAY, sort="number"
        )
        by_number = {w.number: w.id for w in page}
        marked = work_packages.waits_for_open(session, [i for i in by_number.values() if i])
        assert marked == {by_number[6]}
        assert work_packages.waits_for_open(session, []) == set()


# --- details ------------------------------------------------------------------------------------


def test_details_has_everything_in_a_constant_number_of_queries(engine: Engine) -> None:
    city = _portfolio(engine)
    with unit_of_work(engine) as session:
        wp = load(session, city, 2)
        for i in range(4):
            work_packages.add_milestone(session, wp, f"M{i}", d(10 - i), actor=CDO, now=NOW)
            work_packages.add_link(session, wp, f"https://kiel.de/{i}", actor=CDO, now=NOW)
        work_packages.depend(session, wp, load(session, city, 3), actor=CDO, now=NOW)
        work_packages.depend(session, wp, load(session, city, 8), actor=CDO, now=NOW)
        work_packages.depend(session, load(session, city, 7), wp, actor=CDO, now=NOW)
        work_packages.set_contributors(session, wp, [city.fb68, city.fb61], actor=CDO, now=NOW)
    counts = []
    for number in (2, 5):  # a full package and an empty one
        with Session(engine) as session:
            wp = load(session, city, number)
            with counted(engine) as statements:
                info = work_packages.details(session, wp)
            counts.append(len(statements))
            if number == 2:
                assert info.owner.code == "FB 13"
                assert [x.code for x in info.contributors] == ["FB 61", "FB 68"]
                assert [m.title for m in info.milestones] == ["M3", "M2", "M1", "M0"]
                assert [x.url for x in info.links] == [f"https://kiel.de/{i}" for i in range(4)]
                assert [w.number for w in info.waits_for] == [3, 8]
                assert [w.number for w in info.blocks] == [7]
            else:
                assert (info.contributors, info.milestones, info.links) == ([], [], [])
                assert (info.waits_for, info.blocks) == ([], [])
    assert counts[0] == counts[1] <= 6


def test_history_is_newest_first(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city)
        for progress in (10, 20, 30):
            work_packages.update(session, wp, actor=DAVE, now=LATER, progress=progress)
        entries = work_packages.history(session, wp, limit=3)
    assert [(e.action, e.after) for e in entries] == [
        ("update", {"progress": 30}),
        ("update", {"progress": 20}),
        ("update", {"progress": 10}),
    ]


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "user", "is_admin", "manage", "update"),
    [
        ("admin", CDO, True, True, True),
        ("lead of the owner", ALICE, False, True, True),
        ("deputy of the owner", BOB, False, True, True),
        ("lead of another department", CAROL, False, False, False),
        ("member, responsible", DAVE, False, False, True),
        ("member, not responsible", EVE, False, False, False),
        ("observer", OTTO, False, False, False),
        ("stranger", "@x:kiel.de", False, False, False),
    ],
)
def test_permissions(
    engine: Engine, who: str, user: str, is_admin: bool, manage: bool, update: bool
) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city, responsible=DAVE)
        assert work_packages.can_manage(session, wp, user, is_admin) is manage, who
        assert work_packages.can_update(session, wp, user, is_admin) is update, who
        if manage:
            work_packages.check_update(session, wp, user, is_admin, ["owner", "responsible"])
        elif update:
            work_packages.check_update(session, wp, user, is_admin, ["progress", "status"])
            with pytest.raises(Forbidden) as err:
                work_packages.check_update(session, wp, user, is_admin, ["progress", "owner"])
            assert (err.value.key, err.value.params) == (
                "wp.forbidden_field",
                {"code": "WP-1", "field": "owner"},
            )
        else:
            with pytest.raises(Forbidden) as err:
                work_packages.check_update(session, wp, user, is_admin, ["progress"])
            assert err.value.key == "wp.forbidden_update"
            with pytest.raises(Forbidden) as err:
                work_packages.check_manage(session, wp, user, is_admin)
            assert err.value.key == "wp.forbidden_manage"


def test_permissions_follow_roles_and_departments(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city, responsible=OTTO)
        # An observer named responsible still only reads.
        assert not work_packages.can_update(session, wp, OTTO, False)
        # Creating for a department: its lead may, another's may not.
        assert work_packages.can_manage(session, city.fb61, ALICE, False)
        assert not work_packages.can_manage(session, city.fb13, ALICE, False)
        with pytest.raises(Forbidden) as err:
            work_packages.check_manage(session, city.fb13, ALICE, False)
        assert (err.value.key, err.value.params) == ("wp.forbidden_department", {"dept": "FB 13"})
        # The deputy's role ends: no more rights.
        people.remove(
            session, board=city.board, user_id=BOB, role="deputy", department=city.fb61,
            actor=CDO, now=LATER,
        )  # fmt: skip
        assert not work_packages.can_manage(session, wp, BOB, False)
        # The owner changes: FB 13's lead manages it now, FB 61's no longer.
        work_packages.update(session, wp, actor=CDO, now=LATER, owner=city.fb13)
        assert work_packages.can_manage(session, wp, CAROL, False)
        assert not work_packages.can_manage(session, wp, ALICE, False)
