"""The status rounds' scheduler wiring (db tier: the job store lives in SQLite or PostgreSQL):
its jobs are inspected, and the job functions are called with a fixed clock. No test sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core.clock import FixedClock
from board_bot.core.db import unit_of_work
from board_bot.models import OutboxMessage, StatusPrompt, StatusRound
from board_bot.scheduler import jobs as rounds
from board_bot.scheduler.runner import make_scheduler
from tests.db.org_support import ALICE, CAROL, CDO, NOW
from tests.db.wp_support import City, add_wp, setup_city

MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Mon 30.11.2026, 09:00 in Berlin


@pytest.fixture
def city(engine: Engine) -> City:
    return setup_city(engine)


@pytest_asyncio.fixture
async def scheduler(engine: Engine, city: City) -> AsyncIterator[Any]:
    """A paused scheduler on the database: jobs are stored and inspected, never run by it."""
    woken: list[int] = []
    context = rounds.JobContext(
        engine=engine, clock=FixedClock(NOW), prefix="!", wake=lambda: woken.append(1)
    )
    made = make_scheduler(engine, "Europe/Berlin")
    context.scheduler = made
    rounds.install(context)
    made.start(paused=True)
    try:
        yield made
    finally:
        made.shutdown(wait=False)
        made.remove_all_jobs()
        rounds.install(None)


def jobs(scheduler: Any) -> dict[str, tuple[str, tuple[Any, ...], datetime]]:
    return {j.id: (j.func_ref, tuple(j.args), j.next_run_time) for j in scheduler.get_jobs()}


def set_clock(at: datetime) -> None:
    context = rounds._ctx()
    context.clock = FixedClock(at)


async def test_start_up_plans_the_next_prompt(scheduler: Any, city: City) -> None:
    rounds.reconcile(NOW)
    assert jobs(scheduler) == {
        f"status-prompt-{city.board_id}": (
            "board_bot.scheduler.jobs:scheduled_prompt",
            (city.board_id, "2026-W49"),
            MONDAY,
        )
    }


async def test_the_prompt_job_starts_the_round_once_and_plans_the_next(
    scheduler: Any, city: City, engine: Engine
) -> None:
    with unit_of_work(engine) as session:
        add_wp(session, city, "Digitale Bauakte", leitlinie=2)
    rounds.reconcile(NOW)
    set_clock(MONDAY)
    rounds.scheduled_prompt(city.board_id, "2026-W49")
    rounds.scheduled_prompt(city.board_id, "2026-W49")  # fired twice: nobody is asked twice

    with Session(engine) as session:
        [rnd] = session.exec(select(StatusRound)).all()
        prompts = session.exec(select(StatusPrompt)).all()
        queued = session.exec(select(OutboxMessage)).all()
    assert (rnd.period, rnd.late, rnd.started_by) == ("2026-W49", False, "schedule")
    assert len(prompts) == 3  # FB 13, FB 61, FB 68
    # FB 68 has no lead: nobody to ask, nothing queued for it.
    assert sorted(m.room_id for m in queued) == sorted(p.contact for p in prompts if p.contact)
    assert jobs(scheduler) == {
        f"status-prompt-{city.board_id}": (
            "board_bot.scheduler.jobs:scheduled_prompt",
            (city.board_id, "2026-W50"),
            MONDAY + timedelta(days=7),
        ),
        f"status-reminder-{city.board_id}-1": (
            "board_bot.scheduler.jobs:scheduled_reminder",
            (city.board_id, "2026-W49", 1),
            MONDAY + timedelta(days=1, hours=1),  # Tue 10:00
        ),
        f"status-summary-{city.board_id}": (
            "board_bot.scheduler.jobs:scheduled_summary",
            (city.board_id, "2026-W49"),
            MONDAY + timedelta(days=2, hours=3),  # Wed 12:00, the deadline
        ),
    }

    set_clock(MONDAY + timedelta(days=1, hours=1))
    rounds.scheduled_reminder(city.board_id, "2026-W49", 1)
    rounds.scheduled_reminder(city.board_id, "2026-W49", 1)  # twice: one reminder each
    with Session(engine) as session:
        reminders = [
            m for m in session.exec(select(OutboxMessage)) if "Erinnerung" in m.content["body"]
        ]
    assert sorted(m.room_id for m in reminders) == [ALICE, CAROL]

    set_clock(MONDAY + timedelta(days=2, hours=3))
    rounds.scheduled_summary(city.board_id, "2026-W49")
    rounds.scheduled_summary(city.board_id, "2026-W49")  # twice: posted once
    with Session(engine) as session:
        posted = [
            m for m in session.exec(select(OutboxMessage)) if "Lagebericht" in m.content["body"]
        ]
    assert [m.room_id for m in posted] == [city.board.room_id]
    with Session(engine) as session:
        [image] = [m for m in session.exec(select(OutboxMessage)) if m.attachment is not None]
    assert image.content["msgtype"] == "m.image" and image.attachment.startswith(b"\x89PNG")
    assert image.content["body"].startswith(
        "Ampeln je Leitlinie, KW 49. Ziele & Strategien: KW 49 nichts offen."
    )


async def test_a_paused_schedule_plans_nothing(scheduler: Any, city: City, engine: Engine) -> None:
    from board_bot.features.status_rounds import service as sr

    with unit_of_work(engine) as session:
        board = session.get(type(city.board), city.board_id)
        assert board is not None
        sr.set_schedule(
            session, board, sr.schedule_of(session, board), enabled=False, actor=CDO, now=NOW
        )
    rounds.reconcile(NOW)
    assert jobs(scheduler) == {}
    set_clock(MONDAY)
    rounds.scheduled_prompt(city.board_id, "2026-W49")  # a job left from before the pause
    with Session(engine) as session:
        assert session.exec(select(StatusRound)).all() == []


def test_one_process_holds_the_scheduler_lease(engine: Engine) -> None:
    from board_bot.scheduler import lease

    ttl = timedelta(seconds=90)
    with unit_of_work(engine) as session:
        assert lease.acquire(session, "scheduler", "a", now=NOW, ttl=ttl)
    with unit_of_work(engine) as session:
        assert not lease.acquire(
            session, "scheduler", "b", now=NOW + timedelta(seconds=60), ttl=ttl
        )
        assert lease.acquire(session, "scheduler", "a", now=NOW + timedelta(seconds=60), ttl=ttl)
    with unit_of_work(engine) as session:  # "a" stopped renewing: "b" takes over when it expires
        later = NOW + timedelta(seconds=60) + ttl
        assert not lease.acquire(
            session, "scheduler", "b", now=later - timedelta(seconds=1), ttl=ttl
        )
        assert lease.acquire(session, "scheduler", "b", now=later, ttl=ttl)
        assert lease.holder_of(session, "scheduler", later) == "b"
    with unit_of_work(engine) as session:
        lease.release(session, "scheduler", "a")  # not the holder: nothing happens
        assert lease.holder_of(session, "scheduler", later) == "b"
        lease.release(session, "scheduler", "b")
        assert lease.holder_of(session, "scheduler", later) is None


async def test_a_reminder_claimed_by_two_processes_goes_out_once(
    scheduler: Any, city: City, engine: Engine
) -> None:
    rounds.reconcile(NOW)
    set_clock(MONDAY)
    rounds.scheduled_prompt(city.board_id, "2026-W49")
    from board_bot.features.status_rounds import service as sr

    at = MONDAY + timedelta(days=1, hours=1)
    if engine.dialect.name == "postgresql":
        # Both read the round (reminders_sent 0) before either writes: only one may go on.
        with unit_of_work(engine) as first, unit_of_work(engine) as second:
            mine, theirs = (s.exec(select(StatusRound)).one() for s in (first, second))
            one = sr.remind(first, mine, 1, now=at)
            first.commit()
            two = sr.remind(second, theirs, 1, now=at)
    else:  # SQLite runs write transactions one after the other (BEGIN IMMEDIATE)
        with unit_of_work(engine) as first:
            one = sr.remind(first, first.exec(select(StatusRound)).one(), 1, now=at)
        with unit_of_work(engine) as second:
            two = sr.remind(second, second.exec(select(StatusRound)).one(), 1, now=at)
    assert len(one) == 2 and two == []


async def test_an_undeliverable_prompt_is_told_to_the_admins_once(
    scheduler: Any, city: City, engine: Engine
) -> None:
    """The outbox gives a prompt up: the board's admins hear of it in the board room, once, in
    words that fit why (the lead left the direct room; no direct room could be opened; the bot
    cannot write in the department's room), and it is counted; a reminder to the same person
    given up later, or another message given up, tells nobody."""
    import asyncio

    from nio import AsyncClient

    from board_bot.core import delivery
    from board_bot.core import metrics as metrics_module
    from board_bot.core.render import message_contents
    from board_bot.features.departments import service as departments
    from board_bot.features.people import service as people
    from board_bot.features.status_rounds import service as sr
    from board_bot.matrix.outbox import OutboxSender

    fritz = "@fritz:kiel.de"
    with unit_of_work(engine) as session:  # FB 68 gets a lead, and a room of its own
        board = session.get(type(city.board), city.board_id)
        fb68 = session.get(type(city.fb68), city.fb68.id)
        assert board is not None and fb68 is not None
        people.assign(
            session, board=board, user_id=fritz, role="lead", department=fb68, actor=CDO, now=NOW
        )
        departments.set_room(session, dept=fb68, room_id="!fb68:kiel.de", actor=CDO, now=NOW)
    rounds.reconcile(NOW)
    set_clock(MONDAY)
    rounds.scheduled_prompt(city.board_id, "2026-W49")
    dm = "!dm-alice:kiel.de"
    with unit_of_work(engine) as session:  # Alice's prompt went to her direct room
        sr.remember_direct_room(session, ALICE, dm, MONDAY)
        delivery.retarget(session, ALICE, dm)
        sr.retarget_prompts(session, ALICE, dm)
        prompts = {p.contact: p for p in session.exec(select(StatusPrompt))}
        other = delivery.enqueue(
            session, room_id=dm, contents=message_contents("Hallo"), now=MONDAY
        )[0].id
    assert prompts[CAROL].room_id == CAROL  # no direct room with Carol yet
    assert prompts[fritz].room_id == "!fb68:kiel.de"
    client = AsyncClient("http://127.0.0.1:9", "@bot:kiel.de")
    clock = FixedClock(MONDAY + timedelta(minutes=20))
    sender = OutboxSender(client, engine, clock, asyncio.Lock())
    counted = metrics_module.Metrics(clock)
    metrics_module.install(counted)
    try:

        def notices() -> list[str]:
            with Session(engine) as session:
                return [
                    m.content["body"]
                    for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
                    if m.room_id == city.board.room_id
                ]

        alice = prompts[ALICE].outbox_id
        assert alice is not None and other is not None
        sender._close(other, "not in this room")  # not a prompt: nobody is told
        assert notices() == []
        sender._close(alice, f"{ALICE} is not in the direct room {dm}")
        sender._close(alice, f"{ALICE} is not in the direct room {dm}")  # told once
        assert notices() == [
            "⚠️ Die Abfrage der Statusrunde KW 49 an FB 61 hat alice (@alice:kiel.de) nicht "
            "erreicht: Die Einladung in den Direktchat mit dem Bot wurde nicht angenommen, oder "
            "der Chat wurde verlassen. Bitte sprechen Sie die Person direkt an."
        ]
        with Session(engine) as session:
            [notice] = [
                m for m in session.exec(select(OutboxMessage)) if m.room_id == city.board.room_id
            ]
        assert notice.content["m.mentions"] == {"user_ids": [CDO]}  # the board's admins

        # The reminder to Alice goes where the prompt went and is given up too: not told again.
        set_clock(MONDAY + timedelta(days=1, hours=1))
        rounds.scheduled_reminder(city.board_id, "2026-W49", 1)
        with Session(engine) as session:
            reminder = session.exec(
                select(OutboxMessage).where(OutboxMessage.room_id == dm, OutboxMessage.id != other)
            ).all()[-1]
        assert reminder.id is not None and reminder.id != alice
        sender._close(reminder.id, f"{ALICE} is not in the direct room {dm}")
        assert len(notices()) == 1

        # No direct room could be opened with Carol (an account that does not exist, say).
        assert prompts[CAROL].outbox_id is not None
        sender._close(prompts[CAROL].outbox_id, "room_create: M_NOT_FOUND: unknown user")
        assert notices()[-1] == (
            "⚠️ Die Abfrage der Statusrunde KW 49 an FB 13 hat carol (@carol:kiel.de) nicht "
            "erreicht: Der Bot konnte keinen Direktchat öffnen. Bitte prüfen Sie, ob die "
            "Matrix-ID stimmt, oder sprechen Sie die Person direkt an."
        )
        # FB 68's room, in which the bot may not write.
        assert prompts[fritz].outbox_id is not None
        sender._close(prompts[fritz].outbox_id, "M_FORBIDDEN: not allowed to send")
        assert notices()[-1].startswith(
            "⚠️ Die Abfrage der Statusrunde KW 49 an FB 68 konnte nicht in den Raum des "
            "Fachbereichs gesendet werden"
        )
        assert len(notices()) == 3
        assert counted.registry.get_sample_value("board_bot_prompts_undeliverable_total") == 3
    finally:
        metrics_module.install(None)
        await client.close()


async def test_a_prompt_whose_direct_room_was_never_joined_is_told_at_the_reminder(
    scheduler: Any, city: City, engine: Engine
) -> None:
    """Alice was invited to her direct room and never joined it: her prompt sits there unread.
    At the first reminder the admins hear of it, once; Carol, who joined, is nobody's concern."""
    from board_bot.features.status_rounds import service as sr

    rounds.reconcile(NOW)
    set_clock(MONDAY)
    rounds.scheduled_prompt(city.board_id, "2026-W49")
    rooms = {ALICE: "!dm-alice:kiel.de", CAROL: "!dm-carol:kiel.de"}
    with unit_of_work(engine) as session:  # both prompts went out to the direct rooms
        for person, room in rooms.items():
            sr.remember_direct_room(session, person, room, MONDAY)
            sr.retarget_prompts(session, person, room)
        for prompt in session.exec(select(StatusPrompt)):
            if prompt.contact in rooms:
                prompt.event_id = f"$prompt-{prompt.id}"
                session.add(prompt)
    asked: list[tuple[str, str]] = []

    def joined(room_id: str, user_id: str) -> bool | None:
        asked.append((room_id, user_id))
        return user_id != ALICE

    rounds._ctx().joined = joined

    def notices() -> list[str]:
        with Session(engine) as session:
            return [
                m.content["body"]
                for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
                if m.room_id == city.board.room_id
            ]

    set_clock(MONDAY + timedelta(days=1, hours=1))
    rounds.scheduled_reminder(city.board_id, "2026-W49", 1)
    assert sorted(asked) == sorted((room, person) for person, room in rooms.items())
    assert notices() == [
        "⚠️ Die Abfrage der Statusrunde KW 49 an FB 61 hat alice (@alice:kiel.de) nicht "
        "erreicht: Die Einladung in den Direktchat mit dem Bot wurde nicht angenommen, oder "
        "der Chat wurde verlassen. Bitte sprechen Sie die Person direkt an."
    ]
    rounds.scheduled_reminder(city.board_id, "2026-W49", 1)  # fired twice: told once
    rounds.scheduled_reminder(city.board_id, "2026-W49", 2)
    assert len(notices()) == 1
