"""``!workshop`` (``!ws``): cross-department workshops. Plan with slot options, vote (or react to
an option's message), confirm with an iCalendar invitation, answer it (or react to it),
reschedule, cancel; ``!workshops`` lists them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from board_bot.chat.common import board_of
from board_bot.chat.framework import Context, Group, Rest, Words, command
from board_bot.core.dates import parse_date
from board_bot.core.errors import Forbidden, UsageError
from board_bot.core.i18n import N_, t
from board_bot.core.naming import People
from board_bot.core.render import Safe
from board_bot.features.work_packages import service as wps
from board_bot.features.workshops import messages as r
from board_bot.features.workshops import service as wss
from board_bot.features.workshops.posting import post_calendar, post_poll, queue_tally_edit
from board_bot.models import (
    Board,
    Department,
    Workshop,
)
from board_bot.scheduler import jobs as rounds
from commands.departments import find

group = Group("workshop", aliases=("ws",))

_TIME = re.compile(
    r"^(?P<day>.+?)[\s,]+(?:um\s+|at\s+)?(?P<h>[0-9]{1,2})(?:[:.](?P<m>[0-9]{2}))?\s*(?:uhr|h)?$",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"^(?:(?P<h>[0-9]{1,2}(?:[.,][0-9]{1,2})?)\s*(?:h|std\.?|stunden?|hours?)"
    r"(?:\s*(?P<hm>[0-9]{1,3})\s*(?:min|m|minuten|minutes)?)?"
    r"|(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})"
    r"|(?P<min>[0-9]{1,4})\s*(?:min\.?|m|minuten|minutes)?)$",
    re.IGNORECASE,
)
_ANSWERS = {
    "ja": "yes",
    "yes": "yes",
    "zusage": "yes",
    "nein": "no",
    "no": "no",
    "absage": "no",
    "vielleicht": "maybe",
    "maybe": "maybe",
    "evtl": "maybe",
    "evtl.": "maybe",
}


# --- parsing --------------------------------------------------------------------------------------


def parse_slot(text: str, board: Board, now: datetime) -> datetime:
    """``03.12. 10:00``, ``03.12.2026 10 Uhr``, ``morgen 14:30``: a moment in the board's zone."""
    match = _TIME.match(" ".join(text.split()))
    if match is None:
        raise UsageError("workshop.bad_slot", slot=text.strip()[:50])
    zone = ZoneInfo(board.timezone)
    day = parse_date(match["day"], today=now.astimezone(zone).date())
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 23 or minute > 59:
        raise UsageError("workshop.bad_slot", slot=text.strip()[:50])
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    # A time the clocks skip (02:30 on the night summer time begins) does not exist there.
    back = local.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise UsageError("workshop.no_such_time", slot=text.strip()[:50])
    return local


def parse_duration(text: str) -> timedelta:
    """``2h``, ``1,5 Std``, ``1h 30``, ``1:30``, ``90 min``, ``90``."""
    match = _DURATION.match(" ".join(text.split()))
    if match is None:
        raise UsageError("workshop.bad_duration", duration=text.strip()[:30])
    if match["h"] is not None:
        hours = float(match["h"].replace(",", "."))
        return timedelta(hours=hours, minutes=int(match["hm"] or 0))
    if match["hh"] is not None:
        return timedelta(hours=int(match["hh"]), minutes=int(match["mm"]))
    return timedelta(minutes=int(match["min"]))


def parse_positions(text: str) -> list[int]:
    """``1,3`` or ``1 3`` or ``1;3``: option numbers."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not parts or not all(p.isdigit() and len(p) <= 3 for p in parts):
        raise UsageError("workshop.bad_positions", text=text.strip()[:40])
    return [int(p) for p in parts]


def _departments(ctx: Context, text: str) -> list[Department]:
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        raise UsageError("workshop.depts_missing")
    return [find(ctx, p) for p in parts]


def workshop_named(ctx: Context, number: str) -> Workshop:
    value = number.strip().lstrip("#")
    if value.lower().startswith("ws-"):
        value = value[3:]
    if not value.isdigit() or len(value) > 6:
        raise UsageError("workshop.bad_number", text=number[:20])
    return wss.find(ctx.session, board_of(ctx).id or 0, int(value))


def may_organise(ctx: Context, ws: Workshop | None, depts: list[Department]) -> None:
    """Admins, the workshop's planner, and the leads and deputies of its departments."""
    if ctx.is_admin or (ws is not None and ws.created_by == ctx.sender):
        return
    if any(wps.can_manage(ctx.session, d, ctx.sender, False) for d in depts):
        return
    raise Forbidden("workshop.forbidden", admins=People(ctx.admins))


# --- commands -------------------------------------------------------------------------------------


@group.command("plan", de="planen", aliases=("neu",))
def plan(
    ctx: Context,
    *,
    ws_title: Rest = "",
    depts: Words = "",
    duration: Words = "",
    options: Words = "",
    place: Words = "",
    online: str = "",
) -> str:
    """Plan a workshop: title, --depts FB 61, FB 13, --duration 2h, --options "03.12. 10:00;
    04.12. 14:00", and --place or --online URL; the options are posted for a vote"""
    board = board_of(ctx)
    if not ws_title.strip():
        raise UsageError("workshop.title_missing")
    invited = _departments(ctx, depts)
    if not duration:
        raise UsageError("workshop.duration_missing")
    length = parse_duration(duration)
    if not options:
        raise UsageError("workshop.options_missing")
    slots = [parse_slot(s, board, ctx.now) for s in options.split(";") if s.strip()]
    may_organise(ctx, None, invited)
    ws, made = wss.plan(
        ctx.session,
        board=board,
        title=ws_title,
        departments=invited,
        duration=length,
        options=slots,
        place=place or None,
        online_url=online or None,
        actor=ctx.sender,
        now=ctx.now,
    )
    lang, prefix = ctx.lang, ctx.prefix
    depts_sorted = wss.departments_of(ctx.session, ws)

    name = ctx.name
    ctx.follow_ups.append(
        lambda session: post_poll(session, ws, made, board, lang, name=name, now=ctx.now)
    )
    return r.poll_header(lang, ws, board, depts_sorted, prefix)


@group.command("vote", de="abstimmen", aliases=("stimme",))
def vote(ctx: Context, number: str, *, positions: Rest = "") -> str:
    """Say at which options of a workshop you can come (replaces your earlier vote)"""
    ws = workshop_named(ctx, number)
    chosen = wss.vote(ctx.session, ws, ctx.sender, parse_positions(positions), now=ctx.now)
    queue_tally_edit(ctx.session, ws, board_of(ctx), ctx.lang, name=ctx.name, now=ctx.now)
    return t(
        ctx.lang,
        "workshop.voted",
        number=ws.number,
        options=", ".join(str(o.position) for o in chosen),
    )


@group.command("show", de="zeigen", aliases=("stand",))
def show(ctx: Context, number: str) -> str:
    """Show a workshop: the vote's tally with clashes, or the slot and who comes"""
    ws = workshop_named(ctx, number)
    board = board_of(ctx)
    depts = wss.departments_of(ctx.session, ws)
    if ws.status == wss.PLANNING:
        return r.tally(ctx.session, ctx.lang, ws, board, ctx.name)
    lines: list[str] = []
    if ws.status == wss.CONFIRMED:
        lines.append(r.invitation(ctx.lang, ws, board, depts, ctx.prefix))
        lines += r.rsvp_lines(ctx.lang, wss.rsvps(ctx.session, ws), ctx.name)
    else:
        lines.append(t(ctx.lang, "workshop.cancelled_line", number=ws.number, title=r.title(ws)))
    return "\n".join(lines)


@group.command("confirm", de="bestätigen", aliases=("festlegen",))
def confirm(ctx: Context, number: str, option: str) -> str:
    """Fix a workshop's slot: the invitation with its .ics file goes to the room and, by direct
    message, to the invited departments' leads"""
    ws = workshop_named(ctx, number)
    board = board_of(ctx)
    depts = wss.departments_of(ctx.session, ws)
    may_organise(ctx, ws, depts)
    if not option.strip().isdigit():
        raise UsageError("workshop.bad_positions", text=option[:40])
    wss.confirm(ctx.session, ws, int(option), actor=ctx.sender, now=ctx.now)
    return _announce(ctx, ws, board, depts, kind="invitation", key=N_("workshop.confirmed"))


@group.command("reschedule", de="verschieben")
def reschedule(ctx: Context, number: str, *, slot: Rest = "") -> str:
    """Move a confirmed workshop to a new slot (03.12. 10:00); everyone invited gets the updated
    .ics file"""
    ws = workshop_named(ctx, number)
    board = board_of(ctx)
    depts = wss.departments_of(ctx.session, ws)
    may_organise(ctx, ws, depts)
    if not slot.strip():
        raise UsageError("workshop.slot_missing")
    wss.reschedule(
        ctx.session,
        ws,
        parse_slot(slot, board, ctx.now),
        zone=board.timezone,
        actor=ctx.sender,
        now=ctx.now,
    )
    return _announce(ctx, ws, board, depts, kind="update", key=N_("workshop.rescheduled"))


def _announce(
    ctx: Context, ws: Workshop, board: Board, depts: list[Department], *, kind: str, key: str
) -> str:
    """After a new slot: the invitation (or update) goes out, the reminders are planned anew,
    and the reply names the slot."""
    _send_calendar(ctx, ws, board, depts, kind=kind)
    ctx.after_commit.append(lambda: rounds.replan_soon(board.id or 0))
    assert ws.starts_at is not None
    when = r.when(ctx.lang, ws.starts_at, board.timezone, ws.duration_minutes)
    return t(ctx.lang, key, number=ws.number, when=when)


@group.command("cancel", de="absagen")
def cancel(ctx: Context, number: str) -> str:
    """Call a workshop off; everyone invited gets the cancellation (.ics)"""
    ws = workshop_named(ctx, number)
    board = board_of(ctx)
    depts = wss.departments_of(ctx.session, ws)
    may_organise(ctx, ws, depts)
    invited = wss.cancel(ctx.session, ws, actor=ctx.sender, now=ctx.now)
    if invited:
        _send_calendar(ctx, ws, board, depts, kind="cancellation")
        ctx.after_commit.append(lambda: rounds.replan_soon(board.id or 0))
    else:
        queue_tally_edit(ctx.session, ws, board, ctx.lang, name=ctx.name, now=ctx.now)
    return t(ctx.lang, "workshop.cancelled", number=ws.number, title=r.title(ws))


@group.command("rsvp", de="zusage", aliases=("antwort",))
def rsvp(ctx: Context, number: str, answer: str) -> str:
    """Answer a workshop's invitation: ja, nein or vielleicht"""
    ws = workshop_named(ctx, number)
    value = _ANSWERS.get(answer.strip().casefold())
    if value is None:
        raise UsageError("workshop.bad_answer", answer=answer[:20])
    wss.rsvp(ctx.session, ws, ctx.sender, value, now=ctx.now)
    return t(ctx.lang, f"workshop.answered_{value}", number=ws.number, title=r.title(ws))


@command("workshops", de="termine", needs_board=True)
def workshops_(ctx: Context) -> str:
    """List the board's upcoming and past workshops"""
    board = board_of(ctx)
    upcoming, past = wss.listing(ctx.session, board.id or 0, ctx.now)
    if not upcoming and not past:
        return t(ctx.lang, "workshop.none", prefix=Safe(ctx.prefix))
    lines: list[str] = [t(ctx.lang, "workshop.list_upcoming")]
    lines += [f"- {r.list_line(ctx.session, ctx.lang, ws, board)}" for ws in upcoming] or [
        f"- {t(ctx.lang, 'workshop.list_nothing')}"
    ]
    if past:
        lines.append(t(ctx.lang, "workshop.list_past"))
        lines += [
            f"- {r.list_line(ctx.session, ctx.lang, ws, board, expired=True)}" for ws in past[:10]
        ]
    return "\n".join(lines)


# --- messages after a change ----------------------------------------------------------------------


def _send_calendar(
    ctx: Context, ws: Workshop, board: Board, depts: list[Department], *, kind: str
) -> None:
    lang, prefix, now = ctx.lang, ctx.prefix, ctx.now
    ctx.follow_ups.append(
        lambda session: post_calendar(
            session, ws, board, depts, kind=kind, lang=lang, prefix=prefix, now=now
        )
    )
