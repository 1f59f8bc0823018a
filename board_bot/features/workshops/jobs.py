"""The workshops on the clock: a reminder 24 hours and one hour before each workshop."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from board_bot.core import delivery
from board_bot.core.i18n import N_, t
from board_bot.core.jobs import Run
from board_bot.core.naming import Namer
from board_bot.core.render import message_contents
from board_bot.features.workshops import messages as wr
from board_bot.features.workshops import service as wss
from board_bot.models import Board, Workshop

#: The reminder the day before and the one an hour before a workshop.
REMINDER_KEYS = {"day": N_("workshop.reminder_day"), "hour": N_("workshop.reminder_hour")}


def send_workshop_reminder(
    session: Session, board: Board, workshop_id: int, kind: str, *, now: datetime
) -> bool:
    """The reminder 24 hours (``day``) or 1 hour (``hour``) before a workshop, in the board
    room, mentioning the invited departments' contacts and everyone who said yes or maybe;
    once per slot. False when it was sent before, or the workshop is not on any more."""
    ws = session.get(Workshop, workshop_id)
    if ws is None or ws.board_id != board.id or ws.starts_at is None or ws.starts_at <= now:
        return False
    if not wss.claim_reminder(session, ws, kind, now):
        return False
    answers = wss.rsvps(session, ws)
    contacts = [c for _, c in wss.invitees(session, ws, board) if c]  # of the workshop's day
    mentions = tuple(dict.fromkeys([*contacts, *answers["yes"], *answers["maybe"]]))
    assert ws.starts_at is not None
    text = t(
        board.language,
        REMINDER_KEYS[kind],
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


def plan_reminders(
    session: Session, board: Board, *, name: Namer, prefix: str, now: datetime
) -> list[Run]:
    """The reminders still to send, as runs with (workshop id, "day" or "hour")."""
    assert board.id is not None
    return [Run(at, (ws, kind)) for ws, kind, at in wss.reminders_to_plan(session, board.id, now)]
