"""The scheduler's jobs: one list of job kinds (:data:`JOBS`), the functions APScheduler stores
by import path and calls with ids only, and the plan that keeps its job store in line with the
boards.

A feature adds a job in one place, a :class:`JobSpec` in :data:`JOBS`: its id, the feature's
planner (which runs a board needs now; it may catch up on work missed while the bot was down) and
its work (a plain function that takes ``now``). :func:`reconcile` plans every board's jobs at
start-up, after a schedule change and every half hour, so the job store never has to be right on
its own; the wrappers here read the clock, open the unit of work and name people as the board room
knows them. A job function never moves without a migration of the stored references (APScheduler
deletes a job whose function it cannot import); ``tests/unit/test_job_refs.py`` checks that they
resolve.
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
from board_bot.core.config import OParlConfig, RetentionConfig
from board_bot.core.db import unit_of_work
from board_bot.core.jobs import Run
from board_bot.core.metrics import Metrics
from board_bot.core.naming import (
    JoinedLookup,
    MemberLookup,
    NameLookup,
    Namer,
    namer,
    no_members,
    not_known,
    unknown_name,
)
from board_bot.features.council import papers
from board_bot.features.privacy import retention
from board_bot.features.status_rounds import jobs as status_jobs
from board_bot.features.summaries import jobs as summary_jobs
from board_bot.features.workshops import jobs as workshop_jobs
from board_bot.models import Board

log = logging.getLogger(__name__)

# Every so often the job store is checked against the boards (new boards, lost jobs).
RECONCILE_EVERY = timedelta(minutes=30)
#: When the retention job runs each night, in the bot's time zone (``bot.timezone``).
RETENTION_AT = (3, 30)
#: When the council results are read each day (the council information system's night
#: imports are done by then), in the bot's time zone; a run that could not read every paper
#: is followed by one more after :data:`COUNCIL_RETRY`.
COUNCIL_RESULTS_AT = (7, 15)
COUNCIL_RETRY = timedelta(hours=2)
#: How often waiting council look-ups (``!beschlüsse vorlage``) are looked at: a retry is due,
#: or the process that took the command could not start the look-up at once.
COUNCIL_LOOKUPS_EVERY = timedelta(minutes=1)
#: The scheduler's executor for the council jobs: one thread of their own.
COUNCIL_EXECUTOR = "council"

#: A job's work for a board: (session, board, *the run's args, name=, now=) -> done?
Work = Callable[..., object]
#: A feature's planner: (session, board, name=, prefix=, now=) -> the runs the board needs; it
#: may catch up on work missed while the bot was down (a round started late, say).
Planner = Callable[..., list[Run]]


@dataclass(frozen=True)
class JobSpec:
    """A kind of scheduled job: the one place a feature adds one."""

    kind: str
    #: the job's id from the board and the run's args (``{0}``, ``{1}``, ...)
    id_template: str
    #: what the feature plans, and what a run does
    plan: Planner
    work: Work
    #: the import path stored for it; None: the generic :func:`run_job` (kind, board, args)
    func: str | None = None
    #: plan the board's jobs again after a run (the next round after a prompt)
    replan_after: bool = False

    def job_id(self, board_id: int, run: Run) -> str:
        return self.id_template.format(*run.args, board=board_id)

    def owns(self, board_id: int, job_id: str) -> bool:
        """Whether ``job_id`` is one of this kind's jobs for the board: the id itself when the
        kind has one job a board, else any id that starts like the template before its args."""
        fixed = self.id_template.split("-{0}")[0].split("-{1}")[0].format(board=board_id)
        if "{0}" in self.id_template or "{1}" in self.id_template:
            return job_id.startswith(fixed + "-")
        return job_id == fixed


def _workshop_reminder(
    session: Session, board: Board, *args: Any, name: Namer, now: datetime
) -> bool:
    return workshop_jobs.send_workshop_reminder(session, board, *args, now=now)


#: Every kind of job, in the order they are planned (a round started late before its reminders
#: and its summary). The first four keep the import paths jobs were stored with.
JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "prompt",
        "status-prompt-{board}",
        status_jobs.plan_prompt,
        status_jobs.start_planned_round,
        func="board_bot.scheduler.jobs:scheduled_prompt",
        replan_after=True,
    ),
    JobSpec(
        "reminder",
        "status-reminder-{board}-{1}",
        status_jobs.plan_reminders,
        status_jobs.send_reminder,
        func="board_bot.scheduler.jobs:scheduled_reminder",
    ),
    JobSpec(
        "summary",
        "status-summary-{board}",
        summary_jobs.plan_summary,
        summary_jobs.post_summary,
        func="board_bot.scheduler.jobs:scheduled_summary",
    ),
    JobSpec(
        "workshop-reminder",
        "workshop-reminder-{board}-{0}-{1}",
        workshop_jobs.plan_reminders,
        _workshop_reminder,
        func="board_bot.scheduler.jobs:scheduled_workshop_reminder",
    ),
)
BY_KIND = {spec.kind: spec for spec in JOBS}


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
    #: (room id, user id) -> whether they joined it (None: not known; the Matrix side's)
    joined: JoinedLookup = not_known
    #: where the scheduler reports its lease and its jobs (none: not counted)
    metrics: Metrics | None = None
    #: how long personal data is kept (``[retention]``)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    #: the city's council information system (``[oparl]``)
    oparl: OParlConfig = field(default_factory=OParlConfig)

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
    """The jobs one board needs now: the runs of each kind of job."""

    board_id: int
    runs: dict[str, list[Run]] = field(default_factory=dict)


def catch_up(session: Session, board: Board, *, name: Namer, prefix: str, now: datetime) -> Plan:
    """Catch up on what was missed while the bot was down (each planner does its part) and say
    which jobs the board needs."""
    assert board.id is not None
    runs = {
        spec.kind: spec.plan(session, board, name=name, prefix=prefix, now=now) for spec in JOBS
    }
    return Plan(board.id, runs)


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


def run_job(kind: str, board_id: int, *args: Any) -> None:
    """A job: the work of the job kind ``kind`` for the board, with the run's args."""
    spec = BY_KIND[kind]
    _for_board(board_id, lambda s, b, name, now: spec.work(s, b, *args, name=name, now=now))
    if spec.replan_after:
        reconcile_board(board_id, _ctx().clock.now())


# The import paths the first jobs were stored with (a job store keeps them: they stay).
def scheduled_prompt(board_id: int, period: str) -> None:
    run_job("prompt", board_id, period)


def scheduled_summary(board_id: int, period: str) -> None:
    run_job("summary", board_id, period)


def scheduled_reminder(board_id: int, period: str, number: int) -> None:
    run_job("reminder", board_id, period, number)
    # Whoever has still not joined the direct room their prompt went to is told to the admins.
    joined = _ctx().joined
    _for_board(
        board_id,
        lambda s, b, name, now: status_jobs.note_unjoined(
            s, b, period, joined=joined, name=name, now=now
        ),
    )


def scheduled_workshop_reminder(board_id: int, workshop_id: int, kind: str) -> None:
    run_job("workshop-reminder", board_id, workshop_id, kind)


def reconcile_all() -> None:
    """A job: :func:`reconcile` with the clock's time."""
    reconcile(_ctx().clock.now())


def apply_retention() -> None:
    """A job (daily): remove the personal data older than its period (``[retention]``) and log
    how much of each kind went, never what."""
    ctx = _ctx()
    with unit_of_work(ctx.engine) as session:
        counts = retention.apply(session, ctx.retention, ctx.clock.now())
    log.info(
        "retention: removed %d status texts (%d answers, %d line notes, %d blockers and "
        "escalations), %d audit entries, %d absences (with %d audit entries about them), "
        "%d outbox bodies",
        counts.status_texts,
        counts.status_answers,
        counts.status_notes,
        counts.status_flags,
        counts.audit_entries,
        counts.absences,
        counts.absence_audit_entries,
        counts.outbox_bodies,
    )


def council_lookups() -> None:
    """A job: look up the council papers that ``!beschlüsse vorlage`` asked for and are due."""
    ctx = _ctx()
    if papers.process_requests(ctx.engine, ctx.oparl, ctx.clock):
        ctx.wake()


def council_soon() -> None:
    """Queue :func:`council_lookups` at once (nothing when no scheduler runs here: the standing
    job every :data:`COUNCIL_LOOKUPS_EVERY` picks the request up)."""
    if _context is None or _context.scheduler is None:
        return
    _context.scheduler.add_job(
        "board_bot.scheduler.jobs:council_lookups",
        id="council-lookups-now",
        executor=COUNCIL_EXECUTOR,
        replace_existing=True,
    )


def council_results() -> None:
    """A job (daily): note what the council decided on the papers linked to decisions and tell
    the board rooms; when a paper could not be read, try once more a little later."""
    ctx = _ctx()
    checked = papers.check_results(ctx.engine, ctx.oparl, ctx.clock)
    if checked.decided:
        ctx.wake()
    log.info(
        "council results: %d papers read, %d decided, %d not readable",
        checked.papers - checked.failed,
        checked.decided,
        checked.failed,
    )
    if checked.failed and ctx.scheduler is not None:
        ctx.scheduler.add_job(
            "board_bot.scheduler.jobs:council_results_retry",
            "date",
            run_date=ctx.clock.now() + COUNCIL_RETRY,
            id="council-results-retry",
            executor=COUNCIL_EXECUTOR,
            replace_existing=True,
        )


def council_results_retry() -> None:
    """A job: the daily council job's second try, which does not plan a third."""
    ctx = _ctx()
    checked = papers.check_results(ctx.engine, ctx.oparl, ctx.clock)
    if checked.decided:
        ctx.wake()
    log.info("council results (second try): %d decided, %d not readable", checked.decided,
             checked.failed)  # fmt: skip


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
    board = plan.board_id
    for spec in JOBS:
        wanted = {spec.job_id(board, run): run for run in plan.runs.get(spec.kind, [])}
        for job in scheduler.get_jobs():
            if spec.owns(board, job.id) and job.id not in wanted:
                scheduler.remove_job(job.id)
        for job_id, run in wanted.items():
            scheduler.add_job(
                spec.func or "board_bot.scheduler.jobs:run_job",
                "date",
                run_date=run.at,
                args=[board, *run.args] if spec.func else [spec.kind, board, *run.args],
                id=job_id,
                replace_existing=True,
            )
