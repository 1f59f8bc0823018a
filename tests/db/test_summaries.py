"""The summary's data (issue 6, first step), from crafted boards: empty, a first round without
trend, all green, everything late, trends, decisions, blockers, milestones, silent departments.
db tier: SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from board_bot.core.db import unit_of_work
from board_bot.features.absences import service as absences
from board_bot.features.status_rounds import service as status_rounds
from board_bot.features.status_rounds.schedule import RoundTimes
from board_bot.features.summaries import service as summaries
from board_bot.features.work_packages import service as wps
from board_bot.models import Board, StatusRound, WorkPackage
from tests.db.org_support import ALICE, CAROL, CDO, NOW, TODAY
from tests.db.wp_support import City, add_wp, setup_city


def times(period: str, start: int) -> RoundTimes:
    at = NOW + timedelta(days=start)
    return RoundTimes(period, at.date(), at, (), at + timedelta(days=2), None)


def build(engine: Engine, **kwargs: Any) -> summaries.SummaryData:
    with Session(engine, expire_on_commit=False) as session:
        board = session.exec(select(Board)).one()
        return summaries.build(session, board, now=NOW + timedelta(days=30), **kwargs)


def start(engine: Engine, city: City, period: str, day: int) -> StatusRound:
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        started = status_rounds.start_round(
            session, board, times(period, day), started_by=CDO, now=NOW + timedelta(days=day)
        )
        assert started is not None
        return started.round


def snapshot(engine: Engine, rnd: StatusRound) -> None:
    with unit_of_work(engine) as session:
        fresh = session.get(StatusRound, rnd.id)
        assert fresh is not None
        assert status_rounds.take_snapshot(session, fresh, now=NOW)
        assert not status_rounds.take_snapshot(session, fresh, now=NOW)  # once


def test_an_empty_board(engine: Engine) -> None:
    setup_city(engine)
    data = build(engine)
    assert data.round is None
    assert [(ll.leitlinie, ll.light, ll.trend) for ll in data.leitlinien] == [
        (1, None, "new"), (2, None, "new"), (3, None, "new"), (4, None, "new"),
    ]  # fmt: skip
    assert data.totals == {"green": 0, "yellow": 0, "red": 0}
    assert (data.changed, data.blocked, data.overdue, data.silent) == ([], [], [], [])


def test_the_leitlinie_light_is_decided_by_a_fifth() -> None:
    assert summaries.leitlinie_light([]) is None
    assert summaries.leitlinie_light(["green"] * 5) == "green"
    assert summaries.leitlinie_light(["green"] * 4 + ["yellow"]) == "yellow"
    assert summaries.leitlinie_light(["green"] * 5 + ["yellow"]) == "green"
    assert summaries.leitlinie_light(["green"] * 4 + ["red"]) == "red"
    assert summaries.leitlinie_light(["green"] * 3 + ["yellow", "red"] + ["green"] * 5) == "yellow"


def test_a_first_round_has_no_trend_and_everything_late_shows(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        for n in range(3):
            add_wp(session, city, f"Spät {n}", leitlinie=2, due_date=TODAY - timedelta(days=n + 1))
    start(engine, city, "2026-W48", 0)
    data = build(engine)
    ll2 = data.leitlinien[1]
    assert (ll2.leitlinie, ll2.light, ll2.trend, ll2.counts["green"]) == (2, "green", "new", 3)
    assert [wp.title for wp in data.overdue] == ["Spät 2", "Spät 1", "Spät 0"]  # oldest first
    assert data.changed == []  # nothing to compare with yet


def test_trends_changes_and_closed_packages_against_the_last_round(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        one = add_wp(session, city, "Eins", leitlinie=1)
        two = add_wp(session, city, "Zwei", leitlinie=3, traffic_light="red", traffic_reason="Geld")
        three = add_wp(session, city, "Drei", leitlinie=3)
    first = start(engine, city, "2026-W48", 0)
    snapshot(engine, first)
    with unit_of_work(engine) as session:
        wp_one = session.get(WorkPackage, one.id)
        wp_two = session.get(WorkPackage, two.id)
        assert wp_one is not None and wp_two is not None
        wps.update(session, wp_one, actor=ALICE, now=NOW, traffic_light="red",
                   traffic_reason="Personal fehlt", progress=30)  # fmt: skip
        wps.update(session, wp_two, actor=ALICE, now=NOW, traffic_light="green")
        wp_three = session.get(WorkPackage, three.id)
        assert wp_three is not None
        wps.close(session, wp_three, actor=ALICE, now=NOW)
    start(engine, city, "2026-W49", 7)

    data = build(engine)
    by_ll = {ll.leitlinie: ll for ll in data.leitlinien}
    assert (by_ll[1].light, by_ll[1].trend) == ("red", "down")
    assert by_ll[1].reason == "WP-1: Personal fehlt"
    assert (by_ll[3].light, by_ll[3].trend) == ("green", "up")
    assert [(c.wp.number, c.before.traffic_light if c.before else None, c.after.traffic_light)
            for c in data.changed] == [(1, "green", "red"), (2, "red", "green")]  # fmt: skip
    assert [wp.number for wp in data.closed] == [3]
    assert data.totals == {"green": 1, "yellow": 0, "red": 1}


def test_decisions_blockers_milestones_and_silent_departments(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        one = add_wp(session, city, "Bauakte", leitlinie=2)
        portal = add_wp(session, city, "Portal", owner=city.fb13, leitlinie=2)
        blocked = add_wp(session, city, "Geoportal", leitlinie=2)
        wps.depend(session, blocked, one, actor=ALICE, now=NOW - timedelta(days=10))
        wps.depend(session, portal, one, actor=ALICE, now=NOW - timedelta(days=5))
        halted = add_wp(session, city, "Funknetz", leitlinie=3)
        wps.update(session, halted, actor=ALICE, now=NOW - timedelta(days=8), status="blocked")
        wps.add_milestone(session, one, "Vergabe", TODAY + timedelta(days=40), actor=ALICE, now=NOW)
        absences.add(session, board=board, user_id=CAROL, starts_on=TODAY + timedelta(days=29),
                     ends_on=TODAY + timedelta(days=35), reason=None, actor=CAROL, now=NOW,
                     today=TODAY)  # fmt: skip
    rnd = start(engine, city, "2026-W52", 29)
    with unit_of_work(engine) as session:
        [fb61_prompt] = [
            p for p in status_rounds.prompts_of(session, rnd.id or 0) if p.contact == ALICE
        ]
        status_rounds.record_answer(
            session, fb61_prompt, event_id="$a", room_id="!dm", sender=ALICE,
            text="WP-1 gelb 40%\nEntscheidung nötig (OB): Mittel für WP-3 freigeben",
            now=NOW + timedelta(days=29),
        )  # fmt: skip
    data = build(engine)
    assert [(d.department, d.audience, d.package) for d in data.decisions] == [
        ("FB 61", "mayor", "WP-3")
    ]
    assert [(b.wp.number, b.since, [w.number for w in b.waits_for]) for b in data.blocked] == [
        (3, (NOW - timedelta(days=10)).date(), [1]),
        (4, (NOW - timedelta(days=8)).date(), []),  # since its status became blocked
        (2, (NOW - timedelta(days=5)).date(), [1]),
    ]
    assert [(wp.number, m.title) for wp, m in data.milestones] == [(1, "Vergabe")]
    silent = [(s.code, s.contact, s.covering_for) for s in data.silent]
    assert silent == [("FB 13", None, None), ("FB 68", None, None)]  # CAROL away, no deputy
    only_fb13 = build(engine, department_id=city.fb13.id)
    assert [wp.title for ll in only_fb13.leitlinien for wp in ll.packages] == ["Portal"]
    # FB 13's package waits for one of FB 61's, outside the view: still named.
    assert [(b.wp.title, [w.title for w in b.waits_for]) for b in only_fb13.blocked] == [
        ("Portal", ["Bauakte"])
    ]
    assert only_fb13.decisions == []
    only_ll1 = build(engine, leitlinie=1)
    assert [ll.leitlinie for ll in only_ll1.leitlinien] == [1]  # the others are not shown
    assert only_ll1.decisions == []  # the decision names WP-3, filed under Leitlinie 2
    assert [d.package for d in build(engine, leitlinie=2).decisions] == ["WP-3"]


def test_no_rendered_summary_exceeds_the_event_size_limit(engine: Engine) -> None:
    """Everything late, red, blocked and escalated, with the longest texts allowed: the summary
    goes out in several events, each under the limit, no folded section cut in two."""
    from board_bot.core.naming import plain_names
    from board_bot.core.render import MAX_CONTENT_BYTES, content_size, message_contents
    from board_bot.features.departments import service as departments
    from board_bot.features.summaries.messages import render

    city = setup_city(engine)
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        depts = [
            departments.add(session, board=board, code=f"FB {n}", name=f"Fachbereich {n}",
                            actor=CDO, now=NOW)
            for n in range(70, 82)
        ]  # fmt: skip
        for n in range(160):
            wp = add_wp(
                session,
                city,
                f"Ein sehr langer Titel eines Arbeitspakets Nummer {n} " * 3,
                owner=depts[n % len(depts)],
                leitlinie=n % 4 + 1,
                traffic_light="red",
                traffic_reason=("Förderbescheid fehlt, Vergabe gestoppt <b>&</b> " * 6)[:300],
                due_date=TODAY - timedelta(days=n + 1),
            )
            if n % 3 == 0:
                wps.update(session, wp, actor=ALICE, now=NOW, status="blocked")
    rnd = start(engine, city, "2026-W49", 0)
    with unit_of_work(engine) as session:
        for prompt in status_rounds.prompts_of(session, rnd.id or 0)[:1]:
            status_rounds.record_answer(
                session, prompt, event_id="$big", room_id="!dm", sender=ALICE, now=NOW,
                text="\n".join(f"Entscheidung nötig: {'Mittel freigeben ' * 25}{n}"
                               for n in range(40)),
            )  # fmt: skip
    data = build(engine)
    markdown = render("de", data, name=plain_names)
    contents = message_contents(markdown)
    assert len(contents) > 1
    for content in contents:
        assert content_size(content) <= MAX_CONTENT_BYTES
        html = content["formatted_body"]
        assert html.count("<details>") == html.count("</details>")
        assert ":::" not in html and ":::" not in content["body"]
    assert "… und 25 weitere" in markdown  # 40 packages per Leitlinie: 15 shown, the rest counted


def test_long_lists_are_counted_and_cut_by_the_database(engine: Engine) -> None:
    """Changed, closed and blocked packages: the first 15 of each come back, in order, with
    the count of all; the statements a summary sends do not grow with the lists."""
    import sqlalchemy as sa

    city = setup_city(engine)
    with unit_of_work(engine) as session:
        first_ids = [add_wp(session, city, f"Paket {n}", leitlinie=n % 4 + 1).id for n in range(60)]
    first = start(engine, city, "2026-W48", 0)
    snapshot(engine, first)

    def change(numbers: range) -> None:
        with unit_of_work(engine) as session:
            for n in numbers:
                wp = session.get(WorkPackage, first_ids[n])
                assert wp is not None
                if n % 3 == 0:
                    wps.close(session, wp, actor=ALICE, now=NOW + timedelta(days=n))
                elif n % 3 == 1:
                    wps.update(session, wp, actor=ALICE, now=NOW + timedelta(days=n),
                               status="blocked")  # fmt: skip
                else:
                    wps.update(session, wp, actor=ALICE, now=NOW, traffic_light="yellow",
                               traffic_reason="Personal")  # fmt: skip

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    change(range(0, 6))
    start(engine, city, "2026-W49", 7)
    sa.event.listen(engine, "before_cursor_execute", count)
    few = build(engine)
    sent_for_few = len(statements)
    change(range(6, 60))
    statements.clear()
    many = build(engine)
    sa.event.remove(engine, "before_cursor_execute", count)

    assert (few.changed_count, few.closed_count, few.blocked_count) == (4, 2, 2)
    assert len(statements) == sent_for_few  # the same statements, however long the lists
    # Blocked and yellow packages changed (40 of 60, numbers 2, 3, 5, 6, ...), 20 closed.
    assert (many.changed_count, many.closed_count, many.blocked_count) == (40, 20, 20)
    assert [c.wp.number for c in many.changed] == [n + 1 for n in range(60) if n % 3][:15]
    assert [wp.number for wp in many.closed] == [n + 1 for n in range(60) if n % 3 == 0][:15]
    # Longest blocked first: the status was set on day n.
    assert [b.wp.number for b in many.blocked] == [n + 1 for n in range(60) if n % 3 == 1][:15]
    assert [b.since for b in many.blocked][:2] == [(NOW + timedelta(days=1)).date(),
                                                  (NOW + timedelta(days=4)).date()]  # fmt: skip


def test_a_past_weeks_summary_shows_what_was_blocked_then(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        then = add_wp(session, city, "Damals blockiert", leitlinie=1, status="blocked")
        now = add_wp(session, city, "Heute blockiert", leitlinie=1)
    first = start(engine, city, "2026-W48", 0)
    snapshot(engine, first)
    with unit_of_work(engine) as session:
        for wp_id, status in ((then.id, "in_progress"), (now.id, "blocked")):
            wp = session.get(WorkPackage, wp_id)
            assert wp is not None
            wps.update(session, wp, actor=ALICE, now=NOW + timedelta(days=3), status=status)
    start(engine, city, "2026-W49", 7)
    assert [(b.wp.title, b.since) for b in build(engine).blocked] == [
        ("Heute blockiert", (NOW + timedelta(days=3)).date())
    ]
    past = build(engine, rnd=first)
    assert ([b.wp.title for b in past.blocked], past.blocked_count) == (["Damals blockiert"], 1)


def test_a_round_that_kept_nothing_is_nothing_to_compare_with(engine: Engine) -> None:
    city = setup_city(engine)
    first = start(engine, city, "2026-W48", 0)
    with unit_of_work(engine) as session:
        fresh = session.get(StatusRound, first.id)
        assert fresh is not None
        assert status_rounds.take_snapshot(session, fresh, now=NOW)  # no packages yet
        add_wp(session, city, "Neu", leitlinie=1)
    start(engine, city, "2026-W49", 7)
    data = build(engine)
    assert [ll.trend for ll in data.leitlinien] == ["new"] * 4
    assert (data.changed, data.changed_count) == ([], 0)


def test_a_kept_round_tells_the_day_a_light_was_set_as_the_live_summary_does(
    engine: Engine,
) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(session, city, "Ampel", leitlinie=1)
    first = start(engine, city, "2026-W48", 0)
    with unit_of_work(engine) as session:
        fresh = session.get(WorkPackage, wp.id)
        assert fresh is not None
        wps.update(session, fresh, actor=ALICE, now=NOW + timedelta(days=2),
                   traffic_light="red", traffic_reason="Geld fehlt")  # fmt: skip
        kept = session.get(StatusRound, first.id)
        assert kept is not None
        assert status_rounds.take_snapshot(session, kept, now=NOW + timedelta(days=3))
    red_since = (NOW + timedelta(days=2)).date()  # not the round's first day
    assert build(engine, rnd=first).light_since == {wp.id: red_since}
    assert build(engine).light_since == {wp.id: red_since}
