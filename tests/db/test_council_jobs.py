"""The council jobs in the scheduler (issue 17): the waiting look-ups every minute and the
results each morning at 07:15 in the bot's time zone, only with an ``[oparl] url``; the job
functions read the installed context's OParl settings, wake the outbox when they queued
something, and plan one second try when a paper could not be read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from board_bot.core.clock import FixedClock
from board_bot.core.config import OParlConfig
from board_bot.core.db import unit_of_work
from board_bot.features.council import papers
from board_bot.models import Board, CouncilRequest, Decision, OutboxMessage
from board_bot.scheduler import jobs
from board_bot.scheduler.runner import add_standing_jobs, make_scheduler
from tests.oparl_server import OParlServer

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
CDO = "@cdo:example.org"


async def test_the_council_jobs_are_standing_jobs_only_with_an_oparl_url(engine: Engine) -> None:
    scheduler = make_scheduler(engine, "Europe/Berlin")
    scheduler.start(paused=True)
    try:
        add_standing_jobs(scheduler, "Europe/Berlin", council=True)
        add_standing_jobs(scheduler, "Europe/Berlin", council=True)  # replaces, never adds
        lookups = scheduler.get_job("council-lookups")
        assert lookups.func_ref == "board_bot.scheduler.jobs:council_lookups"
        assert lookups.trigger.interval == jobs.COUNCIL_LOOKUPS_EVERY
        # A slow council server never holds a thread that commands need.
        assert lookups.executor == jobs.COUNCIL_EXECUTOR
        daily = scheduler.get_job("council-results")
        assert daily.func_ref == "board_bot.scheduler.jobs:council_results"
        assert daily.executor == jobs.COUNCIL_EXECUTOR
        berlin = ZoneInfo("Europe/Berlin")
        first = daily.trigger.get_next_fire_time(None, datetime(2027, 3, 27, 12, 0, tzinfo=berlin))
        second = daily.trigger.get_next_fire_time(first, first + timedelta(hours=12))
        # 07:15 on the wall clock, before and after the change to summer time
        assert [f.astimezone(berlin).strftime("%d.%m. %H:%M") for f in (first, second)] == [
            "28.03. 07:15",
            "29.03. 07:15",
        ]
        # The URL taken out of the configuration: the next lead removes them.
        add_standing_jobs(scheduler, "Europe/Berlin", council=False)
        assert sorted(j.id for j in scheduler.get_jobs()) == [
            "privacy-retention",
            "status-reconcile",
        ]
    finally:
        scheduler.shutdown(wait=False)
        scheduler.remove_all_jobs()


@pytest.fixture
def server() -> Iterator[OParlServer]:
    with OParlServer(delay=0.0) as running:
        yield running


@pytest.fixture
def woken(engine: Engine, server: OParlServer) -> Iterator[list[int]]:
    calls: list[int] = []
    context = jobs.JobContext(
        engine=engine,
        clock=FixedClock(NOW),
        prefix="!",
        wake=lambda: calls.append(1),
        oparl=OParlConfig(url=server.system_url, timeout_seconds=5),
    )
    jobs.install(context)
    try:
        yield calls
    finally:
        jobs.install(None)


def _decision_with_request(engine: Engine, wanted: str) -> int:
    with unit_of_work(engine) as session:
        board = Board(
            room_id="!board:example.org", name="Board", language="de",
            timezone="Europe/Berlin", created_by=CDO, created_at=NOW,
        )  # fmt: skip
        session.add(board)
        session.flush()
        decision = Decision(
            board_id=board.id or 0, number=1, text="Datenportal", created_by=CDO,
            created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.add(decision)
        session.flush()
        papers.request(
            session, decision, wanted, config=OParlConfig(url="https://ratsinfo.example/oparl"),
            room_id=board.room_id, reply_to="$cmd:example.org", thread_root=None, actor=CDO,
            now=NOW,
        )  # fmt: skip
        return decision.id or 0


def test_the_job_functions_link_note_and_wake(
    engine: Engine, server: OParlServer, woken: list[int]
) -> None:
    decision_id = _decision_with_request(engine, "B 19/0379")
    jobs.council_lookups()
    assert woken == [1]
    jobs.council_lookups()  # nothing left: no wake
    assert woken == [1]
    with Session(engine) as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None and decision.paper_reference == "B 19/0379"
        assert session.exec(select(CouncilRequest)).all() == []
    jobs.council_results()
    assert woken == [1, 1]
    with Session(engine) as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None and decision.council_outcome == "approved"
        bodies = [m.content["body"] for m in session.exec(select(OutboxMessage))]
    assert len(bodies) == 2 and bodies[1].startswith("🏛️ Ratsbeschluss: Die Vorlage B 19/0379")


async def test_an_unreadable_paper_plans_one_second_try(
    engine: Engine, server: OParlServer, woken: list[int]
) -> None:
    _decision_with_request(engine, "B 19/0379")
    jobs.council_lookups()
    server.fault("error")
    scheduler = make_scheduler(engine, "Europe/Berlin")
    scheduler.start(paused=True)
    context = jobs.current()
    assert context is not None
    context.scheduler = scheduler
    try:
        jobs.council_results()
        retry = scheduler.get_job("council-results-retry")
        assert retry.func_ref == "board_bot.scheduler.jobs:council_results_retry"
        assert retry.next_run_time == NOW + jobs.COUNCIL_RETRY
        assert retry.executor == jobs.COUNCIL_EXECUTOR
        scheduler.remove_job("council-results-retry")
        jobs.council_results_retry()  # fails again: no third try
        assert scheduler.get_job("council-results-retry") is None
        server.clear_faults()
        jobs.council_results_retry()
        assert woken == [1, 1]
    finally:
        context.scheduler = None
        scheduler.shutdown(wait=False)
        scheduler.remove_all_jobs()
