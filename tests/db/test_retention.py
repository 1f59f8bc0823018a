"""Retention (issue 16, item 4), db tier on SQLite and PostgreSQL: with a fixed clock, data one
day on either side of each period's border; only the older goes, a second run removes nothing,
the summary of a past week still builds, and the nightly job is registered and logs counts only.
No test sleeps."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core import audit, delivery
from board_bot.core.clock import FixedClock
from board_bot.core.config import RetentionConfig
from board_bot.core.db import unit_of_work
from board_bot.features.absences import service as absences
from board_bot.features.privacy import retention
from board_bot.features.status_rounds import service as status_rounds
from board_bot.features.status_rounds.schedule import RoundTimes
from board_bot.features.summaries import service as summaries
from board_bot.models import (
    Absence,
    AuditEntry,
    Board,
    OutboxMessage,
    StatusAnswer,
    StatusFlag,
    StatusItem,
    StatusRound,
)
from board_bot.scheduler import jobs
from board_bot.scheduler.runner import add_standing_jobs, make_scheduler
from tests.db.org_support import ALICE, BOB, CAROL, CDO, DAVE
from tests.db.wp_support import EVE, City, add_wp, setup_city

RUN = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)  # Mon 07.12.2026, 03:30 in Berlin
DAY = timedelta(days=1)
# The borders of the default periods at RUN: what is older goes.
TEXT_BORDER = datetime(2024, 12, 7, 2, 30, tzinfo=UTC)  # 24 months
AUDIT_BORDER = datetime(2023, 12, 7, 2, 30, tzinfo=UTC)  # 36 months
ABSENCE_BORDER = date(2025, 12, 7)  # absences that ended before it (12 months)
OUTBOX_BORDER = RUN - timedelta(days=30)

ANSWER = (
    "WP-1 gelb 40% Personal fehlt, Frau Muster ist krank\n"
    "blockiert durch FB 13\n"
    "Entscheidung nötig (OB): Mittel für WP-1 freigeben"
)


def test_the_borders_of_the_default_periods() -> None:
    cut = retention.cutoffs(RetentionConfig(), RUN)
    assert (cut.status_text, cut.audit, cut.absence_end, cut.outbox) == (
        TEXT_BORDER,
        AUDIT_BORDER,
        ABSENCE_BORDER,
        OUTBOX_BORDER,
    )
    # Calendar months, clamped to the month's end.
    leap = retention.cutoffs(RetentionConfig(), datetime(2026, 2, 28, 12, 0, tzinfo=UTC))
    assert leap.status_text == datetime(2024, 2, 28, 12, 0, tzinfo=UTC)
    end = retention.cutoffs(RetentionConfig(), datetime(2027, 3, 31, 1, 0, tzinfo=UTC))
    assert end.absence_end == date(2026, 3, 31)
    assert end.status_text == datetime(2025, 3, 31, 1, 0, tzinfo=UTC)
    short = retention.cutoffs(
        RetentionConfig(status_text_months=1, audit_months=2, absence_months=3, outbox_days=7), RUN
    )
    assert (short.status_text, short.audit, short.absence_end, short.outbox) == (
        datetime(2026, 11, 7, 2, 30, tzinfo=UTC),
        datetime(2026, 10, 7, 2, 30, tzinfo=UTC),
        date(2026, 9, 7),
        RUN - timedelta(days=7),
    )


@dataclass(frozen=True)
class Data:
    city: City
    old_round: StatusRound
    old_answer: int
    young_answer: int
    old_audit: int
    young_audit: int
    old_absence: int
    kept_absences: tuple[int, ...]
    outbox: dict[str, int]


def _round(engine: Engine, city: City, period: str, at: datetime) -> StatusRound:
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        times = RoundTimes(period, at.date(), at, (), at + 2 * DAY, None)
        started = status_rounds.start_round(session, board, times, started_by=CDO, now=at)
        assert started is not None
        return started.round


def _answer(engine: Engine, rnd: StatusRound, event_id: str, at: datetime) -> int:
    with unit_of_work(engine) as session:
        [prompt] = [p for p in status_rounds.prompts_of(session, rnd.id or 0) if p.contact == ALICE]
        recorded = status_rounds.record_answer(
            session, prompt, event_id=event_id, room_id="!dm-alice", sender=ALICE,
            text=ANSWER, now=at,
        )  # fmt: skip
        assert recorded.took
        answer = session.exec(select(StatusAnswer).where(StatusAnswer.event_id == event_id)).one()
        assert answer.id is not None
        return answer.id


def _sent(session: Session, room: str, sent_at: datetime | None, *, give_up: bool = False) -> int:
    [row] = delivery.enqueue(
        session,
        room_id=room,
        contents=[{"msgtype": "m.notice", "body": f"Erinnerung an {ALICE}", "m.mentions": {}}],
        now=(sent_at or RUN) - DAY,
    )
    assert row.id is not None
    if sent_at is not None and give_up:
        delivery.mark_attempt_failed(
            session, row.id, error="M_FORBIDDEN", give_up=True, now=sent_at
        )
    elif sent_at is not None:
        delivery.mark_sent(session, row.id, event_id=f"$sent-{row.id}", now=sent_at)
    return row.id


def make_data(engine: Engine) -> Data:
    city = setup_city(engine)  # its audit entries: 26.11.2026, young
    with unit_of_work(engine) as session:
        add_wp(session, city, "Digitale Bauakte", leitlinie=2)
    # Status answers one day before and one day after the border of their texts.
    old_round = _round(engine, city, "2024-W49", TEXT_BORDER - 2 * DAY)
    old_answer = _answer(engine, old_round, "$old", TEXT_BORDER - DAY)
    with unit_of_work(engine) as session:
        fresh = session.get(StatusRound, old_round.id)
        assert fresh is not None
        assert status_rounds.close_round(session, fresh, actor=CDO, now=TEXT_BORDER - DAY)
    young_round = _round(engine, city, "2024-W50", TEXT_BORDER)
    young_answer = _answer(engine, young_round, "$young", TEXT_BORDER + DAY)

    with unit_of_work(engine) as session:
        entries = [
            audit.record(
                session,
                board_id=city.board_id,
                actor=DAVE,
                action="update",
                entity="work_package",
                entity_id="1",
                before={"note": "alt"},
                after={"note": f"von {DAVE}"},
                now=at,
            )
            for at in (AUDIT_BORDER - DAY, AUDIT_BORDER + DAY)
        ]
        session.flush()
        board = session.get(Board, city.board_id)
        assert board is not None
        # Absences that ended the day before the border, on it, and the day after.
        made = [
            absences.add(
                session,
                board=board,
                user_id=user,
                starts_on=ends - 3 * DAY,
                ends_on=ends,
                reason="Kur",
                actor=user,
                now=RUN - 400 * DAY,
                today=ends - 3 * DAY,
            )
            for user, ends in (
                (BOB, ABSENCE_BORDER - DAY),
                (DAVE, ABSENCE_BORDER),
                (EVE, ABSENCE_BORDER + DAY),
            )
        ]
        session.flush()
        outbox = {
            "old": _sent(session, "!board:example.org", OUTBOX_BORDER - DAY),
            "young": _sent(session, "!board:example.org", OUTBOX_BORDER + DAY),
            "given_up": _sent(session, CAROL, OUTBOX_BORDER - DAY, give_up=True),
            "unsent": _sent(session, "!board:example.org", None),
        }
        old_row = session.get(OutboxMessage, outbox["old"])
        assert old_row is not None
        old_row.attachment = b"%PDF a file sent before files were dropped on sending"
        session.add(old_row)
    return Data(
        city=city,
        old_round=old_round,
        old_answer=old_answer,
        young_answer=young_answer,
        old_audit=entries[0].id or 0,
        young_audit=entries[1].id or 0,
        old_absence=made[0].id or 0,
        kept_absences=(made[1].id or 0, made[2].id or 0),
        outbox=outbox,
    )


def apply(engine: Engine, periods: RetentionConfig | None = None) -> retention.Counts:
    with unit_of_work(engine) as session:
        return retention.apply(session, periods or RetentionConfig(), RUN)


def past_summary(engine: Engine, rnd: StatusRound) -> summaries.SummaryData:
    with Session(engine, expire_on_commit=False) as session:
        board = session.get(Board, rnd.board_id)
        kept = session.get(StatusRound, rnd.id)
        assert board is not None and kept is not None
        return summaries.build(session, board, now=RUN, rnd=kept)


def shown(data: summaries.SummaryData) -> dict[str, Any]:
    """What a past week's summary says, apart from the decisions' texts."""
    return {
        "leitlinien": [(ll.leitlinie, ll.light, ll.counts, ll.trend) for ll in data.leitlinien],
        "totals": data.totals,
        "today": data.today,
        "decisions": [(d.department, d.audience, d.package, d.since) for d in data.decisions],
        "blocked": [b.wp.number for b in data.blocked],
        "silent": [s.code for s in data.silent],
        "changed": [(c.wp.number, c.before, c.after) for c in data.changed],
    }


def texts(engine: Engine, answer_id: int) -> tuple[str, list[Any], list[Any]]:
    with Session(engine) as session:
        answer = session.get(StatusAnswer, answer_id)
        assert answer is not None
        items = session.exec(
            select(StatusItem).where(StatusItem.answer_id == answer_id).order_by(col(StatusItem.id))
        ).all()
        flags = session.exec(
            select(StatusFlag).where(StatusFlag.answer_id == answer_id).order_by(col(StatusFlag.id))
        ).all()
        return (
            answer.text,
            [(i.work_package_id, i.traffic_light, i.progress, i.status, i.note) for i in items],
            [(f.kind, f.audience, f.department_code, f.work_package_number, f.text) for f in flags],
        )


def ids(engine: Engine, model: type) -> set[int]:
    with Session(engine) as session:
        return set(session.exec(select(model.id)))  # type: ignore[attr-defined]


def test_only_what_is_older_than_its_period_goes_and_a_second_run_removes_nothing(
    engine: Engine,
) -> None:
    data = make_data(engine)
    before = past_summary(engine, data.old_round)
    assert [(d.text, d.package) for d in before.decisions] == [
        ("Mittel für WP-1 freigeben", "WP-1")
    ]
    young_texts = texts(engine, data.young_answer)
    audit_before = ids(engine, AuditEntry)
    with Session(engine) as session:
        absence_audit = {
            a.entity_id: a.id
            for a in session.exec(select(AuditEntry).where(AuditEntry.entity == "absence"))
        }

    counts = apply(engine)

    assert counts == retention.Counts(
        status_answers=1,
        status_notes=1,
        status_flags=2,
        audit_entries=1,
        absences=1,
        absence_audit_entries=1,
        outbox_bodies=2,
    )
    assert (counts.status_texts, counts.total) == (4, 9)
    # Status texts: the old answer's text goes, its figures and flags' kinds stay.
    assert texts(engine, data.old_answer) == (
        "",
        [(1, "yellow", 40, "planned", "")],
        [
            ("blocker", None, "FB 13", None, "…"),
            ("escalation", "mayor", None, 1, "…"),  # the package it named is kept
        ],
    )
    assert texts(engine, data.young_answer) == young_texts
    assert young_texts[0] == ANSWER
    # Audit entries: the old one goes, and those about the absence that went.
    assert audit_before - ids(engine, AuditEntry) == {
        data.old_audit,
        absence_audit[str(data.old_absence)],
    }
    assert data.young_audit in ids(engine, AuditEntry)
    # Absences: the one that ended before the border goes; on the border day it stays.
    assert ids(engine, Absence) == set(data.kept_absences)
    # Outbox: the old bodies go, the event id, room and times stay; nothing unsent is touched.
    with Session(engine) as session:
        rows = {name: session.get(OutboxMessage, row_id) for name, row_id in data.outbox.items()}
    old, young, given_up, unsent = (rows[k] for k in ("old", "young", "given_up", "unsent"))
    assert old is not None and young is not None and given_up is not None and unsent is not None
    assert old.content == retention.STUB and old.attachment is None
    assert (old.event_id, old.room_id, old.sent_at) == (
        f"$sent-{old.id}",
        "!board:example.org",
        OUTBOX_BORDER - DAY,
    )
    assert given_up.content == retention.STUB and given_up.room_id == ""  # was CAROL's id
    assert given_up.last_error is None  # it may name the recipient
    for kept in (young, unsent):
        assert kept.content["body"] == f"Erinnerung an {ALICE}"
    assert unsent.sent_at is None

    # Idempotent: a second run (and one a minute later) removes nothing more.
    assert apply(engine) == retention.Counts()
    with unit_of_work(engine) as session:
        assert retention.apply(session, RetentionConfig(), RUN + timedelta(minutes=1)).total == 0

    # The past week's summary still builds, the same apart from the escalation's words.
    after = past_summary(engine, data.old_round)
    assert shown(after) == shown(before)
    assert [d.text for d in after.decisions] == ["…"]


def test_longer_periods_keep_more(engine: Engine) -> None:
    data = make_data(engine)
    longer = RetentionConfig(
        status_text_months=25, audit_months=37, absence_months=13, outbox_days=32
    )
    assert apply(engine, longer) == retention.Counts()
    assert texts(engine, data.old_answer)[0] == ANSWER
    # Two days shorter than the default: the message sent 29 days ago goes too.
    shorter = RetentionConfig(outbox_days=28)
    assert apply(engine, shorter).outbox_bodies == 3


@pytest.fixture
def job_context(engine: Engine) -> Iterator[jobs.JobContext]:
    context = jobs.JobContext(engine=engine, clock=FixedClock(RUN), prefix="!", wake=lambda: None)
    jobs.install(context)
    try:
        yield context
    finally:
        jobs.install(None)


def test_the_job_applies_the_configured_periods_and_logs_counts_only(
    engine: Engine, job_context: jobs.JobContext, caplog: pytest.LogCaptureFixture
) -> None:
    data = make_data(engine)
    job_context.retention = RetentionConfig(outbox_days=60)  # keeps the old outbox bodies
    with caplog.at_level(logging.INFO, logger="board_bot.scheduler.jobs"):
        jobs.apply_retention()
        jobs.apply_retention()
    first, second = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("retention")
    ]
    assert first == (
        "retention: removed 4 status texts (1 answers, 1 line notes, 2 blockers and "
        "escalations), 1 audit entries, 1 absences (with 1 audit entries about them), "
        "0 outbox bodies"
    )
    assert second.startswith("retention: removed 0 status texts") and " 1 " not in second
    logged = caplog.text
    for secret in (ALICE, CAROL, "Personal fehlt", "Muster", "Kur", "Erinnerung"):
        assert secret not in logged
    with Session(engine) as session:
        old = session.get(OutboxMessage, data.outbox["old"])
        assert old is not None and old.content["body"] == f"Erinnerung an {ALICE}"


async def test_the_job_runs_every_night_at_half_past_three_in_the_bots_time_zone(
    engine: Engine,
) -> None:
    scheduler = make_scheduler(engine, "Europe/Berlin")
    scheduler.start(paused=True)
    try:
        add_standing_jobs(scheduler, "Europe/Berlin")
        add_standing_jobs(scheduler, "Europe/Berlin")  # a second lead replaces, never adds
        job = scheduler.get_job("privacy-retention")
        assert job.func_ref == "board_bot.scheduler.jobs:apply_retention"
        assert job.args == ()
        berlin = ZoneInfo("Europe/Berlin")
        # Across the change to summer time (28.03.2027): 03:30 on the wall clock each night.
        nights = [job.trigger.get_next_fire_time(None, datetime(2027, 3, 26, 12, 0, tzinfo=berlin))]
        for _ in range(2):
            nights.append(job.trigger.get_next_fire_time(nights[-1], nights[-1] + DAY / 2))
        assert [n.astimezone(berlin).strftime("%d.%m. %H:%M") for n in nights] == [
            "27.03. 03:30",
            "28.03. 03:30",
            "29.03. 03:30",
        ]
        assert [n.astimezone(UTC).hour for n in nights] == [2, 1, 1]
        assert sorted(j.id for j in scheduler.get_jobs()) == [
            "privacy-retention",
            "status-reconcile",
        ]
    finally:
        scheduler.shutdown(wait=False)
        scheduler.remove_all_jobs()


def _old_rows(engine: Engine, city: City, first_week: int, n: int) -> None:
    """``n`` of each kind of row retention removes or empties: answers (with a line, a blocker
    and an escalation that names its package), audit entries, ended absences, sent messages."""
    for week in range(first_week, first_week + n):
        at = TEXT_BORDER - (60 - week) * DAY
        rnd = _round(engine, city, f"2024-W{week:02d}", at)
        _answer(engine, rnd, f"$old-{week}", at + DAY)
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        for week in range(first_week, first_week + n):
            audit.record(
                session, board_id=city.board_id, actor=DAVE, action="update",
                entity="work_package", entity_id="1", before={"note": "alt"},
                after={"note": f"von {DAVE}"}, now=AUDIT_BORDER - week * DAY,
            )  # fmt: skip
            ends = ABSENCE_BORDER - 10 * week * DAY
            absences.add(
                session, board=board, user_id=BOB, starts_on=ends - 3 * DAY, ends_on=ends,
                reason="Kur", actor=BOB, now=RUN - 800 * DAY, today=ends - 3 * DAY,
            )  # fmt: skip
            _sent(session, "!board:example.org", OUTBOX_BORDER - week * DAY)


def test_each_step_is_one_statement_whatever_the_number_of_rows(engine: Engine) -> None:
    """The statements apply sends do not grow with the rows: a run over one old row of each
    kind and a run over ten of each send the same number (no statement per row)."""
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city, "Digitale Bauakte", leitlinie=2)

    def statements_of_apply() -> tuple[retention.Counts, list[str]]:
        statements: list[str] = []

        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            counts = apply(engine)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return counts, statements

    _old_rows(engine, city, 1, 1)
    once, few = statements_of_apply()
    _old_rows(engine, city, 2, 10)
    tenfold, many = statements_of_apply()

    assert (once.status_answers, tenfold.status_answers) == (1, 10)  # the rows were there
    assert (once.status_flags, tenfold.status_flags) == (2, 20)
    assert (once.absences, tenfold.absences) == (1, 10)
    assert (once.outbox_bodies, tenfold.outbox_bodies) == (1, 10)
    assert tenfold.audit_entries >= 10
    assert len(many) == len(few), many
    changes = [s for s in many if s.lstrip().upper().startswith(("UPDATE", "DELETE"))]
    assert len(changes) <= 8
