"""The status rounds' work on the clock: starting a planned round with its prompts, reminding
the departments that have not answered, and telling the board room of a round that was missed.

Plain functions over a session that take ``now`` (the scheduler's jobs in
:mod:`board_bot.scheduler.jobs` call them, and so do ``!status start`` and ``!status remind``).
Exactly once: a round is unique per (board, period), and a round with all its prompts is written
in one transaction together with the outbox rows that carry the prompts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, select

from board_bot.core import delivery, metrics
from board_bot.core.formats import moment
from board_bot.core.i18n import N_, t
from board_bot.core.jobs import Run
from board_bot.core.naming import JoinedLookup, Namer
from board_bot.core.render import Safe, message_contents
from board_bot.features.people import service as people
from board_bot.features.status_rounds import messages
from board_bot.features.status_rounds import schedule as rs
from board_bot.features.status_rounds import service as sr
from board_bot.models import Board, Department, StatusPrompt, StatusRound

log = logging.getLogger(__name__)

#: How late a round missed while the bot was down is still started (marked late); after it, the
#: board room is told that it was missed. Also the jobs' misfire grace time.
GRACE = timedelta(hours=6)


def queue_prompts(
    session: Session, board: Board, started: sr.Started, *, name: Namer, now: datetime
) -> int:
    """Queue one prompt per department that has someone to ask; the number queued."""
    queued = 0
    for planned in started.prompts:
        prompt = planned.prompt
        if prompt.room_id is None:
            continue
        in_room = not prompt.room_id.startswith("@")
        text = messages.prompt_text(
            board.language,
            board.timezone,
            started.round,
            planned,
            name,
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
    session: Session,
    board: Board,
    rnd: StatusRound,
    prompts: list[StatusPrompt],
    *,
    name: Namer,
    now: datetime,
) -> int:
    """Queue a reminder to each of ``prompts``' contacts; how many there were."""
    for prompt in prompts:
        dept = session.get(Department, prompt.department_id)
        if dept is None or prompt.contact is None or prompt.room_id is None:
            continue
        text = messages.reminder_text(
            board.language, board.timezone, rnd, dept, prompt.contact, name
        )
        delivery.enqueue(
            session,
            room_id=prompt.room_id,
            contents=message_contents(text, mentions=(prompt.contact,), msgtype="m.text"),
            now=now,
        )
    return len(prompts)


def start_planned_round(
    session: Session, board: Board, period: str, *, name: Namer, now: datetime
) -> bool:
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
    queue_prompts(session, board, started, name=name, now=now)
    return True


def _planned(schedule: rs.Schedule, period: str, now: datetime) -> rs.RoundTimes | None:
    for times in rs.rounds_between(schedule, now - GRACE - timedelta(days=8), now + GRACE):
        if times.period == period:
            return times
    return None


def send_reminder(
    session: Session, board: Board, period: str, number: int, *, name: Namer, now: datetime
) -> int:
    """Remind the silent departments of the round of ``period``; how many were reminded."""
    assert board.id is not None
    rnd = sr.find_round(session, board.id, period)
    if rnd is None:
        return 0
    prompts = sr.remind(session, rnd, number, now=now)
    return queue_reminders(session, board, rnd, prompts, name=name, now=now)


def note_missed(
    session: Session, board: Board, times: rs.RoundTimes, *, prefix: str, now: datetime
) -> bool:
    """Tell the board's room once that a round was missed; False when told before."""
    key = f"missed:{board.id}:{times.period}"
    if delivery.is_handled(session, key):
        return False
    log.warning(
        "board %s: the status round %s (planned %s) was missed",
        board.id,
        times.period,
        times.prompt_at.isoformat(),
    )
    text = t(
        board.language,
        "status.missed",
        period=messages.period_label(board.language, times.period),
        at=moment(board.language, times.prompt_at, board.timezone),
        prefix=Safe(prefix),
    )
    _tell_admins(session, board, key, "missed", text, now)  # they can start it by hand
    return True


def _tell_admins(
    session: Session, board: Board, key: str, outcome: str, text: str, now: datetime
) -> None:
    """Post ``text`` to the board room, mentioning its admins, and remember ``key`` (told)."""
    delivery.mark_handled(session, event_id=key, room_id=board.room_id, outcome=outcome, now=now)
    admins = tuple(people.admins(session, board.id or 0))
    delivery.enqueue(
        session,
        room_id=board.room_id,
        contents=message_contents(text, mentions=admins),
        now=now,
    )


def plan_prompt(
    session: Session, board: Board, *, name: Namer, prefix: str, now: datetime
) -> list[Run]:
    """Start a round missed within :data:`GRACE` (late), tell the board room of one missed
    longer ago, and plan the next round's prompt (none while the schedule is paused)."""
    assert board.id is not None
    if not sr.is_enabled(session, board):
        return []
    schedule = sr.schedule_of(session, board)
    current = rs.current_round(schedule, now)
    if current is not None and current.prompt_at < board.created_at:
        current = None  # planned before the board existed: neither due nor missed
    if current is not None and sr.find_round(session, board.id, current.period) is None:
        if now - current.prompt_at <= GRACE:
            started = sr.start_round(session, board, current, started_by=sr.SCHEDULED, now=now)
            if started is not None:
                queue_prompts(session, board, started, name=name, now=now)
        else:
            note_missed(session, board, current, prefix=prefix, now=now)
    upcoming = rs.next_round(schedule, now)
    return [Run(upcoming.prompt_at, (upcoming.period,))] if upcoming is not None else []


def plan_reminders(
    session: Session, board: Board, *, name: Namer, prefix: str, now: datetime
) -> list[Run]:
    """The open round's reminders still to send, as runs with (period, number): those ahead,
    and of those missed (the bot was down) only the latest within the grace period, so that
    nobody gets two at once."""
    assert board.id is not None
    rnd = sr.open_round(session, board.id) if sr.is_enabled(session, board) else None
    if rnd is None:
        return []
    ahead: list[Run] = []
    missed: list[Run] = []
    for number, at in enumerate(rnd.reminders_at, start=1):
        when = datetime.fromisoformat(at)
        if number <= rnd.reminders_sent:
            continue
        if when > now:
            ahead.append(Run(when, (rnd.period, number)))
        elif now - when <= GRACE:
            missed.append(Run(when, (rnd.period, number)))
    return missed[-1:] + ahead


def note_undeliverable(
    session: Session, outbox_id: int, *, names: Callable[[str], Namer], now: datetime
) -> StatusPrompt | None:
    """The outbox gave up the message ``outbox_id``: when it carried a round's prompt (the
    person left their direct room and did not come back, no room could be opened with them, or
    the bot cannot write in the department's room), tell the board's admins in the board room,
    once for the prompt (its reminders go where the prompt went and are not told again).
    ``names``: how people are named in a room. The prompt told of, if any."""
    prompt = session.exec(select(StatusPrompt).where(StatusPrompt.outbox_id == outbox_id)).first()
    if prompt is None:
        return None
    rnd = session.get(StatusRound, prompt.round_id)
    board = session.get(Board, rnd.board_id) if rnd is not None else None
    if rnd is None or board is None:
        return None
    told = _tell_undeliverable(session, board, rnd, prompt, name=names(board.room_id), now=now)
    return prompt if told else None


def note_unjoined(
    session: Session,
    board: Board,
    period: str,
    *,
    joined: JoinedLookup,
    name: Namer,
    now: datetime,
) -> int:
    """At a reminder: tell the board's admins of the round's unanswered prompts that went to a
    direct room the person has still not joined (invited, never accepted), once for each
    prompt. ``joined``: (room, person) -> joined? (None: not known). How many were told."""
    assert board.id is not None
    rnd = sr.find_round(session, board.id, period)
    if rnd is None or rnd.id is None or rnd.closed_at is not None:
        return 0
    waiting = [
        p
        for p in sr.prompts_of(session, rnd.id)
        if not sr.is_answered(p)
        and p.event_id is not None  # sent (before, the outbox has it)
        and p.room_id is not None
        and p.contact is not None
    ]
    rooms = sr.direct_rooms(session, (p.contact for p in waiting if p.contact))
    told = 0
    for prompt in waiting:
        room, person = prompt.room_id or "", prompt.contact or ""
        if rooms.get(person) == room and joined(room, person) is False:
            told += _tell_undeliverable(session, board, rnd, prompt, name=name, now=now)
    return told


def _tell_undeliverable(
    session: Session,
    board: Board,
    rnd: StatusRound,
    prompt: StatusPrompt,
    *,
    name: Namer,
    now: datetime,
) -> bool:
    """The notice of an undeliverable prompt to the board's admins; False when told before."""
    key = f"undeliverable:{prompt.id}"
    dept = session.get(Department, prompt.department_id)
    if prompt.id is None or dept is None or delivery.is_handled(session, key):
        return False
    log.warning(
        "board %s: the prompt of round %s to department %s could not be delivered",
        board.id,
        rnd.period,
        dept.id,
    )
    room = prompt.room_id or ""
    if room.startswith("@"):  # no direct room could be opened with them
        key_of_text = N_("status.undeliverable.no_room")
    elif prompt.contact is not None and sr.direct_room(session, prompt.contact) == room:
        key_of_text = N_("status.undeliverable.direct")
    else:
        key_of_text = N_("status.undeliverable.room")
    text = t(
        board.language,
        key_of_text,
        period=messages.period_label(board.language, rnd.period),
        dept=dept.code,
        person=name(prompt.contact) if prompt.contact else "–",
    )
    _tell_admins(session, board, key, "undeliverable", text, now)
    metrics.prompts_undeliverable()
    return True
