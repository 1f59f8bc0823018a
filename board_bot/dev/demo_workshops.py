"""The demo board's workshops: one held last week, with its minutes (a decision in the register,
an action that became a work package); one still looking for a slot (two departments have
voted, the newcomer can react to the options); one confirmed for next week with its invitation
and .ics file in the room and a few answers. Through the same services and messages as the
chat; only the past one's date is written directly (the chat plans nothing in the past). Once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from board_bot.core.naming import Namer
from board_bot.core.workdays import next_working_day
from board_bot.features.departments import service as departments
from board_bot.features.workshops import minutes as ms
from board_bot.features.workshops import posting
from board_bot.features.workshops import service as wss
from board_bot.models import Board, Workshop

ACTOR = "import:demo"


def _slot(board: Board, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(board.timezone))


def seed_workshops(
    session: Session,
    board: Board,
    *,
    server_name: str,
    name: Namer,
    now: datetime,
    prefix: str = "!",
) -> bool:
    """False when the board has workshops already."""
    assert board.id is not None
    if session.exec(select(Workshop).where(Workshop.board_id == board.id)).first() is not None:
        return False
    by_code = {d.code: d for d in departments.active(session, board.id)}
    today = now.astimezone(ZoneInfo(board.timezone)).date()
    days: list[date] = []
    day = today
    while len(days) < 8:
        day = next_working_day(board.bundesland, day, include_today=False)
        days.append(day)
    lang = board.language

    # Held last week, with its minutes.
    held, _ = wss.plan(
        session,
        board=board,
        title="Open-Data-Portal: Auftakt mit Hauptamt und Finanzen",
        departments=[by_code["FB 13"], by_code["FB 20"]],
        duration=timedelta(hours=2),
        options=[now + timedelta(days=1)],
        place="Rathaus, Raum 2.14",
        online_url=None,
        actor=ACTOR,
        now=now,
    )
    wss.confirm(session, held, 1, actor=ACTOR, now=now)
    held.starts_at = _slot(board, today - timedelta(days=7), 10)
    session.add(held)
    wss.rsvp(session, held, f"@amt13-leitung:{server_name}", "yes", now=now)
    wss.rsvp(session, held, f"@fb20-vertretung:{server_name}", "yes", now=now)
    ms.start(session, held, actor=f"@cdo:{server_name}", now=now)
    ms.record(
        session, held, "decision",
        "Das Open-Data-Portal wird vom Hauptamt betrieben; die Fachbereiche liefern ihre Daten zu.",
        actor=f"@cdo:{server_name}", now=now,
    )  # fmt: skip
    ms.record(
        session, held, "action", "Datenkatalog der Finanzdaten für das Portal aufstellen",
        actor=f"@cdo:{server_name}", now=now, assignee=f"@fb20-vertretung:{server_name}",
        due_on=today + timedelta(days=21),
    )  # fmt: skip
    ms.record(
        session, held, "note", "Nächstes Treffen nach dem Haushaltsbeschluss.",
        actor=f"@cdo:{server_name}", now=now,
    )  # fmt: skip
    ms.end(session, held, board, actor=f"@cdo:{server_name}", now=now, today=today)

    # Planning: three options in the coming days, two leads have voted.
    poll, options = wss.plan(
        session,
        board=board,
        title="Offene Verkehrsdaten: was Stadtplanung und Verkehr voneinander brauchen",
        departments=[by_code["FB 61"], by_code["FB 68"]],
        duration=timedelta(hours=2),
        options=[_slot(board, days[2], 10), _slot(board, days[3], 14), _slot(board, days[4], 9)],
        place="Rathaus, Raum 2.14",
        online_url=None,
        actor=ACTOR,
        now=now,
    )
    wss.vote(session, poll, f"@fb61-leitung:{server_name}", [1, 2], now=now)
    wss.vote(session, poll, f"@fb68-vertretung:{server_name}", [1], now=now)
    posting.post_poll(session, poll, options, board, lang, name=name, now=now)

    # Confirmed for next week, with its invitation, the .ics file and some answers.
    meeting, _ = wss.plan(
        session,
        board=board,
        title="Digitale Bauakte: Erfahrungsaustausch mit dem Hauptamt",
        departments=[by_code["FB 13"], by_code["FB 61"]],
        duration=timedelta(minutes=90),
        options=[_slot(board, days[6], 10)],
        place="Rathaus, Sitzungssaal",
        online_url=None,
        actor=ACTOR,
        now=now,
    )
    wss.confirm(session, meeting, 1, actor=ACTOR, now=now)
    wss.rsvp(session, meeting, f"@fb61-leitung:{server_name}", "yes", now=now)
    wss.rsvp(session, meeting, f"@amt13-leitung:{server_name}", "maybe", now=now)
    posting.post_calendar(
        session,
        meeting,
        board,
        wss.departments_of(session, meeting),
        kind="invitation",
        lang=lang,
        prefix=prefix,
        now=now,
        direct=False,
    )
    return True
