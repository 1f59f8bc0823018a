"""How workshops read in the chat: the poll and its live tally, the invitation, reminders, the
list. Shared by the commands, the reactions (dispatcher) and the reminder jobs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from board_bot.core.formats import clock as clock_of
from board_bot.core.formats import weekday_date
from board_bot.core.i18n import t, tn
from board_bot.core.naming import Namer
from board_bot.core.render import Safe, escape
from board_bot.features.workshops import service as wss
from board_bot.models import Board, Department, Workshop

NAMES_SHOWN = 8  # voters named per department and option in the tally; the rest are counted


def when(lang: str, at: datetime, zone: str, minutes: int | None = None) -> Safe:
    """``Do, 03.12.2026, 10:00–12:00 Uhr`` (with the end when the duration is given)."""
    local = at.astimezone(ZoneInfo(zone))
    clock = clock_of(lang, at, zone)
    if minutes is not None:
        clock = f"{clock}–{clock_of(lang, at + timedelta(minutes=minutes), zone)}"
    return Safe(f"{weekday_date(lang, local.date())}, {t(lang, 'time.clock', time=clock)}")


def duration(lang: str, minutes: int) -> Safe:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return tn(lang, "workshop.minutes", rest)
    if not rest:
        return t(lang, "workshop.hours", n=hours)
    return t(lang, "workshop.hours_minutes", h=hours, m=rest)


def where(lang: str, ws: Workshop) -> Safe:
    if ws.place and ws.online_url:
        return t(lang, "workshop.where_both", place=ws.place, url=link(ws.online_url))
    if ws.place:
        return escape(ws.place)
    if ws.online_url:
        return t(lang, "workshop.where_online", url=link(ws.online_url))
    return t(lang, "workshop.where_open")


def link(url: str) -> Safe:
    """A checked web address as a link (``check_url`` let no space, ``<``, ``>`` or quote
    through)."""
    return Safe(f"<{url}>")


def codes(depts: list[Department]) -> Safe:
    return escape(", ".join(d.code for d in depts))


def title(ws: Workshop) -> Safe:
    return escape(f"„{ws.title}“")


def poll_header(
    lang: str, ws: Workshop, board: Board, depts: list[Department], prefix: str
) -> Safe:
    return t(
        lang,
        "workshop.planned",
        number=ws.number,
        title=title(ws),
        depts=codes(depts),
        duration=duration(lang, ws.duration_minutes),
        where=where(lang, ws),
        prefix=Safe(prefix),
    )


def option_line(lang: str, ws: Workshop, board: Board, position: int, at: datetime) -> Safe:
    return t(
        lang,
        "workshop.option",
        number=ws.number,
        option=position,
        when=when(lang, at, board.timezone, ws.duration_minutes),
    )


def tally(session: Session, lang: str, ws: Workshop, board: Board, name: Namer) -> Safe:
    """The live tally: each option with its votes by department and what it clashes with."""
    lines: list[str] = [t(lang, "workshop.tally_title", number=ws.number, title=title(ws))]
    entries = wss.tally(session, ws, board)
    best = max((e.count for e in entries), default=0)
    for entry in entries:
        parts = [
            f"{escape(code) if code else t(lang, 'workshop.others')}: "
            + ", ".join(name(u) for u in users[:NAMES_SHOWN])
            + (f" +{len(users) - NAMES_SHOWN}" if len(users) > NAMES_SHOWN else "")
            for code, users in sorted(
                entry.by_department.items(), key=lambda kv: (not kv[0], kv[0])
            )
        ]
        mark = " ⭐" if best and entry.count == best else ""
        line = tn(
            lang,
            "workshop.tally_line",
            entry.count,
            option=entry.option.position,
            when=when(lang, entry.option.starts_at, board.timezone),
            mark=Safe(mark),
        )
        lines.append(f"- {line}" + (f" — {'; '.join(parts)}" if parts else ""))
        for kind, detail in entry.clashes:
            lines.append(f"  - ⚠️ {clash(lang, kind, detail, name)}")
    if ws.status == wss.CONFIRMED and ws.starts_at is not None:
        lines.append(
            t(lang, "workshop.tally_confirmed", when=when(lang, ws.starts_at, board.timezone))
        )
    elif ws.status == wss.CANCELLED:
        lines.append(t(lang, "workshop.tally_cancelled"))
    return Safe("\n".join(lines))


def clash(lang: str, kind: str, detail: str, name: Namer) -> Safe:
    if kind == "holiday":
        return t(lang, "workshop.clash_holiday", name=detail)
    if kind == "weekend":
        return t(lang, "workshop.clash_weekend")
    who = name(detail)
    return t(lang, "workshop.clash_absence", who=who)


def invitation_head(lang: str, ws: Workshop, board: Board, depts: list[Department]) -> Safe:
    """The invitation without the hint how to answer (for the direct messages)."""
    assert ws.starts_at is not None
    return t(
        lang,
        "workshop.invitation_head",
        number=ws.number,
        title=title(ws),
        when=when(lang, ws.starts_at, board.timezone, ws.duration_minutes),
        where=where(lang, ws),
        depts=codes(depts),
    )


def invitation(lang: str, ws: Workshop, board: Board, depts: list[Department], prefix: str) -> Safe:
    """The invitation in the board room: the head and how to answer there."""
    hint = t(lang, "workshop.invitation_hint", number=ws.number, prefix=Safe(prefix))
    return Safe(f"{invitation_head(lang, ws, board, depts)}\n\n{hint}")


def rsvp_lines(lang: str, answers: dict[str, list[str]], name: Namer) -> list[str]:
    show = name
    lines = []
    for answer in wss.ANSWERS:
        people = answers.get(answer, [])
        who = ", ".join(show(u) for u in people) or "–"
        lines.append(f"- {t(lang, f'workshop.rsvp_{answer}')} ({len(people)}): {who}")
    return lines


def ics_name(ws: Workshop) -> str:
    return f"workshop-{ws.number}.ics"


def list_line(
    session: Session, lang: str, ws: Workshop, board: Board, *, expired: bool = False
) -> Safe:
    """One workshop in ``!workshops``: number, title, departments and where it stands."""
    depts = codes(wss.departments_of(session, ws))
    if ws.status == wss.PLANNING and expired:
        state = t(lang, "workshop.state_expired")
    elif ws.status == wss.PLANNING:
        state = tn(lang, "workshop.state_planning", wss.voter_count(session, ws))
    elif ws.status == wss.CANCELLED:
        state = t(lang, "workshop.state_cancelled")
    else:
        assert ws.starts_at is not None
        yes = len(wss.rsvps(session, ws)["yes"])
        state = tn(
            lang,
            "workshop.state_confirmed",
            yes,
            when=when(lang, ws.starts_at, board.timezone),
        )
    return t(
        lang, "workshop.list_line", number=ws.number, title=title(ws), depts=depts, state=state
    )
