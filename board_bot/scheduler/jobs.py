"""Status rounds on the clock: APScheduler jobs, and the prompts and reminders they queue.

The scheduler is APScheduler 3's ``AsyncIOScheduler`` with its SQLAlchemy job store in the
bot's own database. Jobs are the module-level functions below, referenced by import path and
taking only ids; their ids are explicit (``status-prompt-<board>``,
``status-reminder-<board>-<n>``) and added with ``replace_existing``. Each prompt job plans the
board's next round when it has run; :func:`reconcile` plans every board's next round at start-up
and after a schedule change, so the job store never has to be right on its own.

Exactly once: a round is unique per (board, period) in the database, and a round with all its
prompts is written in one transaction together with the outbox rows that carry the prompts. A
job that fires twice finds the round and does nothing; a crash before the commit leaves nothing,
and the start-up reconciliation starts the round then (marked late) as long as the grace period
(:data:`GRACE`) has not passed; after it, the board's room is told that the round was missed.

Every function here that does the work takes ``now``; the job wrappers read the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from board_bot.core import delivery
from board_bot.core.clock import Clock
from board_bot.core.db import unit_of_work
from board_bot.core.i18n import t
from board_bot.core.render import Safe, escape, message_contents
from board_bot.features.status_rounds import schedule as rs
from board_bot.features.status_rounds import service as sr
from board_bot.models import (
    Board,
    Department,
    HandledEvent,
    StatusPrompt,
    StatusRound,
    Workshop,
)

log = logging.getLogger(__name__)

GRACE = timedelta(hours=6)
# Every so often the job store is checked against the boards (new boards, lost jobs).
RECONCILE_EVERY = timedelta(minutes=30)
PROMPT_JOB = "status-prompt-{board}"
REMINDER_JOB = "status-reminder-{board}-{number}"
SUMMARY_JOB = "status-summary-{board}"
WORKSHOP_JOB = "workshop-reminder-{board}-{workshop}-{kind}"
# A summary not posted at its round's deadline (the bot was down) is posted this late at most.
SUMMARY_LATE_MAX = timedelta(days=6)


@dataclass
class JobContext:
    """What the jobs need, installed once by the app (jobs take only ids)."""

    engine: Engine
    clock: Clock
    prefix: str
    wake: Callable[[], None]
    scheduler: Any = None  # the AsyncIOScheduler, when one runs


_context: JobContext | None = None


def install(context: JobContext | None) -> None:
    global _context
    _context = context


def _ctx() -> JobContext:
    if _context is None:
        raise RuntimeError("status round jobs run without an installed JobContext")
    return _context


def _plain_name(user_id: str) -> Safe:
    return escape(user_id)


# --- queueing prompts and reminders (one transaction with the round) ---------------------------


def queue_prompts(session: Session, board: Board, started: sr.Started, *, now: datetime) -> int:
    """Queue one prompt per department that has someone to ask; the number queued."""
    queued = 0
    for planned in started.prompts:
        prompt = planned.prompt
        if prompt.room_id is None:
            continue
        in_room = not prompt.room_id.startswith("@")
        text = _render().prompt_text(
            board.language,
            board.timezone,
            started.round,
            planned,
            _plain_name,
            in_department_room=in_room,
        )
        mentions = (prompt.contact,) if in_room and prompt.contact else ()
        rows = delivery.enqueue(
            session,
            room_id=prompt.room_id,
            contents=message_contents(text, mentions=mentions, msgtype="m.text"),
            now=now,
        )
        if rows and rows[0].id is not None:
            sr.mark_prompt_queued(session, prompt, rows[0].id)
        queued += 1
    return queued


def queue_reminders(
    session: Session, board: Board, rnd: StatusRound, prompts: list[StatusPrompt], now: datetime
) -> int:
    render = _render()
    for prompt in prompts:
        dept = session.get(Department, prompt.department_id)
        if dept is None or prompt.contact is None or prompt.room_id is None:
            continue
        text = render.reminder_text(
            board.language, board.timezone, rnd, dept, prompt.contact, _plain_name
        )
        delivery.enqueue(
            session,
            room_id=prompt.room_id,
            contents=message_contents(text, mentions=(prompt.contact,), msgtype="m.text"),
            now=now,
        )
    return len(prompts)


def _render() -> Any:
    from board_bot.features.status_rounds import (
        messages as status_render,  # the words live with the commands
    )

    return status_render


# --- the work of the jobs (take now) ------------------------------------------------------------


def start_planned_round(session: Session, board: Board, period: str, *, now: datetime) -> bool:
    """Start the board's planned round of ``period`` (a scheduled prompt); False when it ran
    already, is not a round of the schedule, or the schedule is paused."""
    if not sr.is_enabled(session, board):
        return False
    schedule = sr.schedule_of(session, board)
    times = _planned(schedule, period, now)
    if times is None:
        log.warning("board %s: no planned round %s near %s", board.id, period, now)
        return False
    started = sr.start_round(session, board, times, started_by=sr.SCHEDULED, now=now)
    if started is None:
        return False
    queue_prompts(session, board, started, now=now)
    return True


def _planned(schedule: rs.Schedule, period: str, now: datetime) -> rs.RoundTimes | None:
    for times in rs.rounds_between(schedule, now - GRACE - timedelta(days=8), now + GRACE):
        if times.period == period:
            return times
    return None


def send_reminder(
    session: Session, board: Board, period: str, number: int, *, now: datetime
) -> int:
    """Remind the silent departments of the round of ``period``; how many were reminded."""
    assert board.id is not None
    rnd = sr.find_round(session, board.id, period)
    if rnd is None:
        return 0
    prompts = sr.remind(session, rnd, number, now=now)
    return queue_reminders(session, board, rnd, prompts, now)


def note_missed(session: Session, board: Board, times: rs.RoundTimes, *, now: datetime) -> bool:
    """Tell the board's room once that a round was missed; False when told before."""
    key = f"missed:{board.id}:{times.period}"
    if session.get(HandledEvent, key) is not None:
        return False
    log.warning(
        "board %s: the status round %s (planned %s) was missed",
        board.id,
        times.period,
        times.prompt_at.isoformat(),
    )
    delivery.mark_handled(session, event_id=key, room_id=board.room_id, outcome="missed", now=now)
    from board_bot.features.status_rounds.messages import moment, period_label

    text = t(
        board.language,
        "status.missed",
        period=period_label(board.language, times.period),
        at=moment(board.language, times.prompt_at, board.timezone),
        prefix=Safe(_ctx().prefix if _context else "!"),
    )
    from board_bot.features.people import service as people

    admins = tuple(people.admins(session, board.id or 0))
    delivery.enqueue(
        session,
        room_id=board.room_id,
        contents=message_contents(text, mentions=admins),  # the admins can start it by hand
        now=now,
    )
    return True


def post_summary(session: Session, board: Board, period: str, *, now: datetime) -> bool:
    """Post the summary of the round of ``period`` to the board room, and a copy to the board's
    summary thread and summary room if it has them, once per round (across restarts too); the
    round's state is kept for the next summary's trends. False when it was posted before or there
    is no such round."""
    from board_bot.features.summaries import service as summaries
    from board_bot.features.summaries.messages import chart, chart_filename, render

    assert board.id is not None
    key = f"summary:{board.id}:{period}"
    rnd = sr.find_round(session, board.id, period)
    if rnd is None or session.get(HandledEvent, key) is not None:
        return False
    delivery.mark_handled(session, event_id=key, room_id=board.room_id, outcome="summary", now=now)
    summaries.take_snapshot(session, rnd, now=now)
    data = summaries.build(session, board, now=now, rnd=rnd)
    text = render(board.language, data)
    drawn = chart(session, data, board.language, with_now=False)
    places: list[tuple[str, str | None]] = [(board.room_id, None)]
    if board.summary_thread:
        places.append((board.room_id, board.summary_thread))
    if board.summary_room and board.summary_room != board.room_id:
        places.append((board.summary_room, None))
    for room_id, thread in places:
        delivery.enqueue(
            session,
            room_id=room_id,
            contents=message_contents(text, thread_root=thread),
            now=now,
        )
        if drawn is not None:
            delivery.enqueue_file(
                session,
                room_id=room_id,
                thread_root=thread,
                filename=chart_filename(data),
                mimetype="image/png",
                data=drawn.png,
                now=now,
                msgtype="m.image",
                description=drawn.alt,
                info={"w": drawn.width, "h": drawn.height},
            )
    return True


def summary_posted(session: Session, board_id: int, period: str) -> bool:
    return session.get(HandledEvent, f"summary:{board_id}:{period}") is not None


@dataclass(frozen=True)
class Plan:
    """The jobs one board needs now."""

    board_id: int
    prompt: rs.RoundTimes | None  # the next round to start
    reminders: list[tuple[int, datetime, str]]  # (number, when, period) of the open round
    summary: tuple[datetime, str] | None = None  # the open round's summary after its deadline
    #: (workshop id, "day" or "hour", when) of the workshop reminders still to send
    workshop_reminders: list[tuple[int, str, datetime]] = field(default_factory=list)


def catch_up(session: Session, board: Board, *, now: datetime) -> Plan:
    """Start a round missed within the grace period (late), report one missed longer ago, and
    say which jobs the board needs."""
    assert board.id is not None
    from board_bot.features.workshops import service as workshops

    workshop_reminders = workshops.reminders_to_plan(session, board.id, now)
    if not sr.is_enabled(session, board):
        return Plan(board.id, None, [], workshop_reminders=workshop_reminders)
    schedule = sr.schedule_of(session, board)
    current = rs.current_round(schedule, now)
    if current is not None and current.prompt_at < board.created_at:
        current = None  # planned before the board existed: neither due nor missed
    if current is not None and sr.find_round(session, board.id, current.period) is None:
        if now - current.prompt_at <= GRACE:
            started = sr.start_round(session, board, current, started_by=sr.SCHEDULED, now=now)
            if started is not None:
                queue_prompts(session, board, started, now=now)
        else:
            note_missed(session, board, current, now=now)
    summary: tuple[datetime, str] | None = None
    rnd = sr.open_round(session, board.id)
    if rnd is not None and not summary_posted(session, board.id, rnd.period):
        if rnd.deadline_at > now:
            summary = (rnd.deadline_at, rnd.period)
        elif now - rnd.deadline_at <= SUMMARY_LATE_MAX:
            post_summary(session, board, rnd.period, now=now)  # the bot was down at the time
    return Plan(
        board.id,
        rs.next_round(schedule, now),
        _reminders_to_plan(session, board, now),
        summary,
        workshop_reminders,
    )


def _reminders_to_plan(
    session: Session, board: Board, now: datetime
) -> list[tuple[int, datetime, str]]:
    """The open round's reminders still to send: those ahead, and of those missed (the bot was
    down) only the latest within the grace period, so that nobody gets two at once."""
    assert board.id is not None
    rnd = sr.open_round(session, board.id)
    if rnd is None:
        return []
    ahead: list[tuple[int, datetime, str]] = []
    missed: list[tuple[int, datetime, str]] = []
    for number, at in enumerate(rnd.reminders_at, start=1):
        when = datetime.fromisoformat(at)
        if number <= rnd.reminders_sent:
            continue
        if when > now:
            ahead.append((number, when, rnd.period))
        elif now - when <= GRACE:
            missed.append((number, when, rnd.period))
    return missed[-1:] + ahead


# --- the jobs (referenced by import path; ids only) ---------------------------------------------


def _for_board(board_id: int, work: Callable[[Session, Board, datetime], object]) -> bool:
    """Run a job's work for an active board in one unit of work; wake the outbox when it
    queued something. False when there was nothing to do, or another process just did it."""
    ctx = _ctx()
    now = ctx.clock.now()
    try:
        with unit_of_work(ctx.engine) as session:
            board = session.get(Board, board_id)
            if board is None or board.archived_at is not None:
                return False
            done = bool(work(session, board, now))
    except IntegrityError:  # another process did it a moment ago
        return False
    if done:
        ctx.wake()
    return done


def scheduled_prompt(board_id: int, period: str) -> None:
    _for_board(board_id, lambda s, b, now: start_planned_round(s, b, period, now=now))
    reconcile_board(board_id, _ctx().clock.now())


def scheduled_summary(board_id: int, period: str) -> None:
    _for_board(board_id, lambda s, b, now: post_summary(s, b, period, now=now))


def scheduled_reminder(board_id: int, period: str, number: int) -> None:
    _for_board(board_id, lambda s, b, now: send_reminder(s, b, period, number, now=now))


def scheduled_workshop_reminder(board_id: int, workshop_id: int, kind: str) -> None:
    _for_board(board_id, lambda s, b, now: send_workshop_reminder(s, b, workshop_id, kind, now=now))


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
            plan = catch_up(session, board, now=now)
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


def send_workshop_reminder(
    session: Session, board: Board, workshop_id: int, kind: str, *, now: datetime
) -> bool:
    """The reminder 24 hours (``day``) or 1 hour (``hour``) before a workshop, in the board
    room, mentioning the invited departments' contacts and everyone who said yes or maybe;
    once per slot. False when it was sent before, or the workshop is not on any more."""
    from board_bot.features.workshops import messages as wr
    from board_bot.features.workshops import service as wss

    ws = session.get(Workshop, workshop_id)
    if ws is None or ws.board_id != board.id or ws.starts_at is None or ws.starts_at <= now:
        return False
    if not wss.claim_reminder(session, ws, kind, now):
        return False
    answers = wss.rsvps(session, ws)
    contacts = [c for _, c in wss.invitees(session, ws, sr.local_day(board, now)) if c]
    mentions = tuple(dict.fromkeys([*contacts, *answers["yes"], *answers["maybe"]]))
    assert ws.starts_at is not None
    text = t(
        board.language,
        f"workshop.reminder_{kind}",
        number=ws.number,
        title=wr.title(ws),
        when=wr.when(board.language, ws.starts_at, board.timezone, ws.duration_minutes),
        where=wr.where(board.language, ws),
        yes=len(answers["yes"]),
    )
    delivery.enqueue(
        session,
        room_id=board.room_id,
        contents=message_contents(text, mentions=mentions),
        now=now,
    )
    return True


def make_scheduler(engine: Engine, zone: str) -> Any:
    """The AsyncIOScheduler with its job store in the bot's database."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    return AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": int(GRACE.total_seconds()),
            "max_instances": 1,
        },
        timezone=zone,
    )


LEASE = "scheduler"
LEASE_TTL = timedelta(seconds=90)
LEASE_RENEW = 30.0  # seconds
STANDBY_RETRY = 30.0
BACKOFF_MAX = 300.0


def _try_lease(context: JobContext, holder: str) -> bool:
    from board_bot.scheduler import lease

    try:
        with unit_of_work(context.engine) as session:
            return lease.acquire(session, LEASE, holder, now=context.clock.now(), ttl=LEASE_TTL)
    except IntegrityError:
        return False  # another process took it a moment ago


def _release(context: JobContext, holder: str) -> None:
    from board_bot.scheduler import lease

    with unit_of_work(context.engine) as session:
        lease.release(session, LEASE, holder)


async def run_scheduler(context: JobContext, zone: str) -> None:
    """Run the scheduler while this process holds the database lease (one scheduler for all
    processes on the database), stand by while another does, and start again after an error
    (the database away at start-up, say) with a growing pause. Runs until cancelled."""
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    install(context)
    delay = 1.0
    while True:
        try:
            if not await asyncio.to_thread(_try_lease, context, holder):
                await asyncio.sleep(STANDBY_RETRY)
                continue
            log.info("this process runs the status round scheduler (%s)", holder)
            await _lead(context, zone, holder)
            log.warning("the scheduler lease was lost; standing by")
            delay = 1.0
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the status round scheduler failed; starting again in %.0f s", delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX)


async def _lead(context: JobContext, zone: str, holder: str) -> None:
    """The scheduler, as long as the lease is renewed; returns when it is lost."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED

    scheduler = make_scheduler(context.engine, zone)
    scheduler.add_listener(_job_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    scheduler.start()
    context.scheduler = scheduler
    try:
        scheduler.add_job(
            "board_bot.scheduler.jobs:reconcile_all",
            "interval",
            seconds=int(RECONCILE_EVERY.total_seconds()),
            id="status-reconcile",
            replace_existing=True,
        )
        await asyncio.to_thread(reconcile, context.clock.now())
        while True:
            await asyncio.sleep(LEASE_RENEW)
            if not await asyncio.to_thread(_try_lease, context, holder):
                return
    finally:
        context.scheduler = None
        scheduler.shutdown(wait=False)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(_release, context, holder)


def _job_event(event: Any) -> None:
    """Missed and failed jobs are logged; a missed prompt is caught up (and reported when it is
    too late) by a reconciliation at once."""
    if getattr(event, "exception", None) is not None:
        log.error("status job %s failed: %r", event.job_id, event.exception)
    else:
        log.warning("status job %s missed its time %s", event.job_id, event.scheduled_run_time)
    if _context is not None and _context.scheduler is not None:
        _context.scheduler.add_job(
            "board_bot.scheduler.jobs:reconcile_all",
            id="status-reconcile-now",
            replace_existing=True,
        )
