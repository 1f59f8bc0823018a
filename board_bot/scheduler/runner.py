"""The scheduler itself: APScheduler 3's ``AsyncIOScheduler`` with its SQLAlchemy job store in
the bot's own database, run by exactly one process at a time (the one holding the database
lease; the others stand by), supervised and started again after errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from board_bot.core.db import unit_of_work
from board_bot.core.metrics import LeaseState
from board_bot.features.status_rounds import jobs as status_jobs
from board_bot.scheduler import jobs, lease
from board_bot.scheduler.jobs import JobContext

log = logging.getLogger(__name__)


def make_scheduler(engine: Engine, zone: str) -> Any:
    """The AsyncIOScheduler with its job store in the bot's database. The council jobs, which
    wait on another server for minutes at worst, run in a thread of their own
    (:data:`~board_bot.scheduler.jobs.COUNCIL_EXECUTOR`), not in the pool that runs commands."""
    from apscheduler.executors.asyncio import AsyncIOExecutor
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    return AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        executors={
            "default": AsyncIOExecutor(),
            jobs.COUNCIL_EXECUTOR: ThreadPoolExecutor(max_workers=1),
        },
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": int(status_jobs.GRACE.total_seconds()),
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
    try:
        with unit_of_work(context.engine) as session:
            return lease.acquire(session, LEASE, holder, now=context.clock.now(), ttl=LEASE_TTL)
    except IntegrityError:
        return False  # another process took it a moment ago


def _release(context: JobContext, holder: str) -> None:
    with unit_of_work(context.engine) as session:
        lease.release(session, LEASE, holder)


async def run_scheduler(context: JobContext, zone: str) -> None:
    """Run the scheduler while this process holds the database lease (one scheduler for all
    processes on the database), stand by while another does, and start again after an error
    (the database away at start-up, say) with a growing pause. Runs until cancelled."""
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    jobs.install(context)
    delay = 1.0
    while True:
        try:
            if not await asyncio.to_thread(_try_lease, context, holder):
                _report(context, "standby")  # another process holds a valid lease
                await asyncio.sleep(STANDBY_RETRY)
                continue
            _report(context, "held")
            log.info("this process runs the status round scheduler (%s)", holder)
            await _lead(context, zone, holder)
            log.warning("the scheduler lease was lost; standing by")
            delay = 1.0
        except asyncio.CancelledError:
            raise
        except Exception:
            _report(context, "failed")
            log.exception("the status round scheduler failed; starting again in %.0f s", delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX)


async def _lead(context: JobContext, zone: str, holder: str) -> None:
    """The scheduler, as long as the lease is renewed; returns when it is lost."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED

    scheduler = make_scheduler(context.engine, zone)
    scheduler.add_listener(_job_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_EXECUTED)
    scheduler.start()
    context.scheduler = scheduler
    try:
        add_standing_jobs(scheduler, zone, council=context.oparl.enabled)
        await asyncio.to_thread(jobs.reconcile, context.clock.now())
        while True:
            await asyncio.sleep(LEASE_RENEW)
            if not await asyncio.to_thread(_try_lease, context, holder):
                return
            _report(context, "held")
    finally:
        context.scheduler = None
        scheduler.shutdown(wait=False)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(_release, context, holder)


def add_standing_jobs(scheduler: Any, zone: str, *, council: bool = False) -> None:
    """The jobs that are not a board's: the reconciliation every half hour, and the retention
    job every night at :data:`~board_bot.scheduler.jobs.RETENTION_AT` in the bot's time zone
    ``zone``. Added anew each time this process takes the lead: a night missed while the bot
    was down is made up the next night (what is older than its period goes then).

    With ``council`` (an ``[oparl] url`` is configured) also the council jobs: the waiting
    look-ups every :data:`~board_bot.scheduler.jobs.COUNCIL_LOOKUPS_EVERY` and the results
    each day at :data:`~board_bot.scheduler.jobs.COUNCIL_RESULTS_AT`; without, they are
    removed from the job store."""
    scheduler.add_job(
        "board_bot.scheduler.jobs:reconcile_all",
        "interval",
        seconds=int(jobs.RECONCILE_EVERY.total_seconds()),
        id="status-reconcile",
        replace_existing=True,
    )
    hour, minute = jobs.RETENTION_AT
    scheduler.add_job(
        "board_bot.scheduler.jobs:apply_retention",
        "cron",
        hour=hour,
        minute=minute,
        timezone=zone,
        id="privacy-retention",
        replace_existing=True,
    )
    if not council:
        for job_id in ("council-lookups", "council-results", "council-results-retry"):
            if scheduler.get_job(job_id) is not None:
                scheduler.remove_job(job_id)
        return
    scheduler.add_job(
        "board_bot.scheduler.jobs:council_lookups",
        "interval",
        seconds=int(jobs.COUNCIL_LOOKUPS_EVERY.total_seconds()),
        id="council-lookups",
        executor=jobs.COUNCIL_EXECUTOR,
        replace_existing=True,
    )
    hour, minute = jobs.COUNCIL_RESULTS_AT
    scheduler.add_job(
        "board_bot.scheduler.jobs:council_results",
        "cron",
        hour=hour,
        minute=minute,
        timezone=zone,
        id="council-results",
        executor=jobs.COUNCIL_EXECUTOR,
        replace_existing=True,
    )


def _report(context: JobContext, state: LeaseState) -> None:
    if context.metrics is not None:
        context.metrics.lease(state)


def _job_event(event: Any) -> None:
    """Jobs that ran, failed or missed their time are counted; missed and failed ones are
    logged, and a missed prompt is caught up (and reported when it is too late) by a
    reconciliation at once."""
    from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED

    context = jobs.current()
    metrics = context.metrics if context is not None else None
    if event.code == EVENT_JOB_EXECUTED:
        if metrics is not None:
            metrics.job_run(ok=True)
        return
    if event.code == EVENT_JOB_MISSED:
        if metrics is not None:
            metrics.job_missed()
        log.warning("status job %s missed its time %s", event.job_id, event.scheduled_run_time)
    else:
        if metrics is not None:
            metrics.job_run(ok=False)
        log.error("status job %s failed: %r", event.job_id, event.exception)
    if context is not None and context.scheduler is not None:
        context.scheduler.add_job(
            "board_bot.scheduler.jobs:reconcile_all",
            id="status-reconcile-now",
            replace_existing=True,
        )
