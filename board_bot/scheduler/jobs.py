"""The scheduler's jobs: module-level functions that APScheduler stores by import path and calls
with ids only, and the plan that keeps its job store in line with the boards.

Job ids are explicit (``status-prompt-<board>``, ``status-reminder-<board>-<n>``,
``status-summary-<board>``, ``workshop-reminder-<board>-<workshop>-<kind>``) and added with
``replace_existing``. Each prompt job plans the board's next round when it has run;
:func:`reconcile` plans every board's jobs at start-up, after a schedule change and every half
hour, so the job store never has to be right on its own. The work itself is the features'
(``board_bot/features/*/jobs.py``): plain functions that take ``now``; the wrappers here read the
clock, open the unit of work and name people as the board room knows them.

A job function never moves without a migration of the stored references (APScheduler deletes a
job whose function it cannot import); ``tests/unit/test_job_refs.py`` checks that they resolve.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from board_bot.core.clock import Clock
from board_bot.core.db import unit_of_work
from board_bot.core.naming import MemberLookup, NameLookup, Namer, namer, no_members, unknown_name
from board_bot.features.status_rounds import jobs as status_jobs
from board_bot.features.status_rounds import schedule as rs
from board_bot.features.status_rounds import service as sr
from board_bot.features.summaries import jobs as summary_jobs
from board_bot.features.workshops import jobs as workshop_jobs
from board_bot.features.workshops import service as workshops
from board_bot.models import Board

log = logging.getLogger(__name__)

# Every so often the job store is checked against the boards (new boards, lost jobs).
RECONCILE_EVERY = timedelta(minutes=30)
PROMPT_JOB = "status-prompt-{board}"
REMINDER_JOB = "status-reminder-{board}-{number}"
SUMMARY_JOB = "status-summary-{board}"
WORKSHOP_JOB = "workshop-reminder-{board}-{workshop}-{kind}"


@dataclass
class JobContext:
    """What the jobs need, installed once by the app (jobs take only ids)."""

    engine: Engine
    clock: Clock
    prefix: str
    wake: Callable[[], None]
    scheduler: Any = None  # the AsyncIOScheduler, when one runs
    #: (room id, user id) -> the display name there, if known (the Matrix side's)
    display_name: NameLookup = unknown_name
    #: room id -> its members, or None when not known (the Matrix side's)
    room_members: MemberLookup = no_members

    def names(self, room_id: str) -> Namer:
        """How people are named in a message of a job to the board room ``room_id``."""
        return namer(room_id, self.display_name, self.room_members)


_context: JobContext | None = None


def install(context: JobContext | None) -> None:
    global _context
    _context = context


def current() -> JobContext | None:
    """The installed context, if any (none in tests that do not run the scheduler)."""
    return _context


def _ctx() -> JobContext:
    if _context is None:
        raise RuntimeError("status round jobs run without an installed JobContext")
    return _context


@dataclass(frozen=True)
class Plan:
    """The jobs one board needs now."""

    board_id: int
    prompt: rs.RoundTimes | None  # the next round to start
    reminders: list[tuple[int, datetime, str]]  # (number, when, period) of the open round
    summary: tuple[datetime, str] | None = None  # the open round's summary after its deadline
    #: (workshop id, "day" or "hour", when) of the workshop reminders still to send
    workshop_reminders: list[tuple[int, str, datetime]] = field(default_factory=list)


def catch_up(session: Session, board: Board, *, name: Namer, prefix: str, now: datetime) -> Plan:
    """Start a round missed within the grace period (late), report one missed longer ago, post
    a summary missed within :data:`SUMMARY_LATE_MAX`, and say which jobs the board needs."""
    assert board.id is not None
    workshop_reminders = workshops.reminders_to_plan(session, board.id, now)
    if not sr.is_enabled(session, board):
        return Plan(board.id, None, [], workshop_reminders=workshop_reminders)
    schedule = sr.schedule_of(session, board)
    current = rs.current_round(schedule, now)
    if current is not None and current.prompt_at < board.created_at:
        current = None  # planned before the board existed: neither due nor missed
    if current is not None and sr.find_round(session, board.id, current.period) is None:
        if now - current.prompt_at <= status_jobs.GRACE:
            started = sr.start_round(session, board, current, started_by=sr.SCHEDULED, now=now)
            if started is not None:
                status_jobs.queue_prompts(session, board, started, name=name, now=now)
        else:
            status_jobs.note_missed(session, board, current, prefix=prefix, now=now)
    summary: tuple[datetime, str] | None = None
    rnd = sr.open_round(session, board.id)
    if rnd is not None and not summary_jobs.summary_posted(session, board.id, rnd.period):
        if rnd.deadline_at > now:
            summary = (rnd.deadline_at, rnd.period)
        elif now - rnd.deadline_at <= summary_jobs.SUMMARY_LATE_MAX:
            summary_jobs.post_summary(
                session, board, rnd.period, name=name, now=now
            )  # bot was down
    return Plan(
        board.id,
        rs.next_round(schedule, now),
        status_jobs.reminders_to_plan(session, board, now),
        summary,
        workshop_reminders,
    )


# --- the jobs (referenced by import path; ids only) ---------------------------------------------


def _for_board(board_id: int, work: Callable[[Session, Board, Namer, datetime], object]) -> bool:
    """Run a job's work for an active board in one unit of work; wake the outbox when it
    queued something. False when there was nothing to do, or another process just did it."""
    ctx = _ctx()
    now = ctx.clock.now()
    try:
        with unit_of_work(ctx.engine) as session:
            board = session.get(Board, board_id)
            if board is None or board.archived_at is not None:
                return False
            done = bool(work(session, board, ctx.names(board.room_id), now))
    except IntegrityError:  # another process did it a moment ago
        return False
    if done:
        ctx.wake()
    return done


def scheduled_prompt(board_id: int, period: str) -> None:
    _for_board(
        board_id,
        lambda s, b, name, now: status_jobs.start_planned_round(s, b, period, name=name, now=now),
    )
    reconcile_board(board_id, _ctx().clock.now())


def scheduled_summary(board_id: int, period: str) -> None:
    _for_board(
        board_id,
        lambda s, b, name, now: summary_jobs.post_summary(s, b, period, name=name, now=now),
    )


def scheduled_reminder(board_id: int, period: str, number: int) -> None:
    _for_board(
        board_id,
        lambda s, b, name, now: status_jobs.send_reminder(s, b, period, number, name=name, now=now),
    )


def scheduled_workshop_reminder(board_id: int, workshop_id: int, kind: str) -> None:
    _for_board(
        board_id,
        lambda s, b, _name, now: workshop_jobs.send_workshop_reminder(
            s, b, workshop_id, kind, now=now
        ),
    )


def reconcile_all() -> None:
    """A job: :func:`reconcile` with the clock's time."""
    reconcile(_ctx().clock.now())


def replan(board_id: int) -> None:
    """A job: plan the board's rounds again (after a schedule change)."""
    reconcile_board(board_id, _ctx().clock.now())


def replan_soon(board_id: int) -> None:
    """Queue :func:`replan` in the scheduler (nothing when no scheduler runs, as in tests)."""
    if _context is None or _context.scheduler is None:
        return
    _context.scheduler.add_job(
        "board_bot.scheduler.jobs:replan",
        args=[board_id],
        id=f"status-replan-{board_id}",
        replace_existing=True,
    )


# --- keeping the job store in line --------------------------------------------------------------


def reconcile(now: datetime) -> None:
    """Catch up and (re)plan the jobs of every active board (start-up, schedule changes)."""
    ctx = _ctx()
    with unit_of_work(ctx.engine) as session:
        ids = [
            b.id
            for b in session.exec(select(Board).where(col(Board.archived_at).is_(None)))
            if b.id is not None
        ]
    for board_id in ids:
        try:
            reconcile_board(board_id, now)
        except Exception:
            log.exception("could not plan the status rounds of board %s", board_id)


def reconcile_board(board_id: int, now: datetime) -> None:
    ctx = _ctx()
    try:
        with unit_of_work(ctx.engine) as session:
            board = session.get(Board, board_id)
            if board is None:
                return
            plan = catch_up(
                session, board, name=ctx.names(board.room_id), prefix=ctx.prefix, now=now
            )
    except IntegrityError:
        return  # another process caught up; its plan is the same
    ctx.wake()
    if ctx.scheduler is not None:
        apply_plan(ctx.scheduler, plan)


def apply_plan(scheduler: Any, plan: Plan) -> None:
    """Put the plan's jobs into the scheduler, replacing what it had for the board."""
    prompt_id = PROMPT_JOB.format(board=plan.board_id)
    if plan.prompt is None:
        if scheduler.get_job(prompt_id) is not None:
            scheduler.remove_job(prompt_id)
    else:
        scheduler.add_job(
            "board_bot.scheduler.jobs:scheduled_prompt",
            "date",
            run_date=plan.prompt.prompt_at,
            args=[plan.board_id, plan.prompt.period],
            id=prompt_id,
            replace_existing=True,
        )
    summary_id = SUMMARY_JOB.format(board=plan.board_id)
    if plan.summary is None:
        if scheduler.get_job(summary_id) is not None:
            scheduler.remove_job(summary_id)
    else:
        scheduler.add_job(
            "board_bot.scheduler.jobs:scheduled_summary",
            "date",
            run_date=plan.summary[0],
            args=[plan.board_id, plan.summary[1]],
            id=summary_id,
            replace_existing=True,
        )
    _apply_workshop_reminders(scheduler, plan)
    prefix = REMINDER_JOB.format(board=plan.board_id, number="")
    wanted = {REMINDER_JOB.format(board=plan.board_id, number=n) for n, _, _ in plan.reminders}
    for job in scheduler.get_jobs():
        if job.id.startswith(prefix) and job.id not in wanted:
            scheduler.remove_job(job.id)
    for number, when, period in plan.reminders:
        scheduler.add_job(
            "board_bot.scheduler.jobs:scheduled_reminder",
            "date",
            run_date=when,
            args=[plan.board_id, period, number],
            id=REMINDER_JOB.format(board=plan.board_id, number=number),
            replace_existing=True,
        )


def _apply_workshop_reminders(scheduler: Any, plan: Plan) -> None:
    prefix = WORKSHOP_JOB.split("{workshop}")[0].format(board=plan.board_id)
    wanted = {
        WORKSHOP_JOB.format(board=plan.board_id, workshop=ws, kind=kind): (ws, kind, when)
        for ws, kind, when in plan.workshop_reminders
    }
    for job in scheduler.get_jobs():
        if job.id.startswith(prefix) and job.id not in wanted:
            scheduler.remove_job(job.id)
    for job_id, (ws, kind, when) in wanted.items():
        scheduler.add_job(
            "board_bot.scheduler.jobs:scheduled_workshop_reminder",
            "date",
            run_date=when,
            args=[plan.board_id, ws, kind],
            id=job_id,
            replace_existing=True,
        )
