"""``!summary`` (``!bericht``): the board's summary on demand, whole or for one department,
Leitlinie or week. Anyone in the board room may ask, observers included."""

from __future__ import annotations

import re
from datetime import date

from board_bot.chat.common import board_of, today
from board_bot.chat.converters import to_room_id
from board_bot.chat.framework import Attachment, Context, Rest, command
from board_bot.core.dates import format_date, parse_date
from board_bot.core.errors import Forbidden, UsageError
from board_bot.core.i18n import t
from board_bot.core.naming import People
from board_bot.core.render import Safe
from board_bot.features.boards import service as boards
from board_bot.features.status_rounds import service as sr
from board_bot.features.summaries import messages as r
from board_bot.features.summaries import service as summaries
from commands.departments import find

DEPT_WORDS = frozenset({"fb", "dept", "fachbereich", "amt", "department"})
LL_WORDS = frozenset({"ll", "leitlinie", "guideline"})
SINCE_WORDS = frozenset({"seit", "since", "ab"})
EXPORT_WORDS = frozenset({"export", "exportieren", "datei", "hauptausschuss"})
ROOM_WORDS = frozenset({"raum", "room"})
THREAD_WORDS = frozenset({"thread", "faden"})
NO_ROOM = frozenset({"aus", "off", "keiner", "none", "-"})


_WEEK = re.compile(
    r"(?:(?:kw|week|woche|w)\s*)?(?P<week>\d{1,2})(?:(?:\s*/\s*|\s+)(?P<year>\d{4}|\d{2}))?"
    r"|(?P<iso_year>\d{4})-?w(?P<iso_week>\d{1,2})",
    re.IGNORECASE,
)


def _week(text: str, today: date) -> tuple[int, int] | None:
    """The ISO (year, week) in ``kw 48``, ``KW48``, ``48``, ``48/2025``, ``48/25``, ``kw 48 2025``
    or ``2025-W48``; without a year the latest such week up to today (for KW 53, the latest year
    that had one). None when the text names no week."""
    match = _WEEK.fullmatch(text.strip())
    if match is None:
        return None
    number = int(match["week"] or match["iso_week"])
    given = match["year"] or match["iso_year"]
    current = today.isocalendar()
    if given:
        year = int(given) + (2000 if len(given) == 2 else 0)
    else:
        year = current.year - (number > current.week)
        while number == 53 and not _has_week_53(year) and year > current.year - 7:
            year -= 1
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        raise UsageError("summary.bad_week", week=text.strip()[:20]) from None
    return year, number


def _has_week_53(year: int) -> bool:
    return date(year, 12, 28).isocalendar().week == 53


def _date(ctx: Context, text: str) -> date:
    if not text:
        raise UsageError("summary.bad_scope", scope="seit")
    return parse_date(text, today=today(ctx))


@command("summary", aliases=("bericht", "lagebericht", "zusammenfassung"))
def summary(ctx: Context, scope: Rest = "") -> str:
    """The board's summary: traffic lights per Leitlinie, decisions needed, changes, blockers,
    overdue packages, missing reports; also for one department, Leitlinie or week"""
    board = board_of(ctx)
    assert board.id is not None
    words = scope.split()
    kind = words[0].casefold() if words else ""
    rest = " ".join(words[1:])
    if not words or kind in SINCE_WORDS:
        since = _date(ctx, rest) if words else None
        data = summaries.build(ctx.session, board, now=ctx.now, since=since)
        drawn = r.chart(ctx.session, data, ctx.lang, with_now=True)
        if drawn is not None:
            ctx.attachments.append(
                Attachment(
                    r.chart_filename(data),
                    "image/png",
                    drawn.png,
                    msgtype="m.image",
                    description=drawn.alt,
                    info={"w": drawn.width, "h": drawn.height},
                )
            )
        scope_text = t(ctx.lang, "summary.since", since=format_date(since)) if since else None
        return r.render(ctx.lang, data, name=ctx.name, scope=scope_text)
    if kind in EXPORT_WORDS and not rest:
        data = summaries.build(ctx.session, board, now=ctx.now)
        drawn = r.chart(ctx.session, data, ctx.lang, with_now=True)
        markdown = r.render(ctx.lang, data, name=ctx.name)
        stem = r.export_stem(ctx.lang, data)
        page = r.html_page(ctx.lang, data, markdown, drawn)
        ctx.attachments.append(Attachment(f"{stem}.html", "text/html", page.encode()))
        ctx.attachments.append(Attachment(f"{stem}.md", "text/markdown", markdown.encode()))
        return t(ctx.lang, "summary.exported", html=f"{stem}.html", md=f"{stem}.md")
    if kind in DEPT_WORDS and rest:
        dept = find(ctx, rest)
        data = summaries.build(ctx.session, board, now=ctx.now, department_id=dept.id)
        return r.render(ctx.lang, data, name=ctx.name, scope=dept.code)
    if kind in LL_WORDS and re.fullmatch(r"[1-4]", rest):
        data = summaries.build(ctx.session, board, now=ctx.now, leitlinie=int(rest))
        return r.render(ctx.lang, data, name=ctx.name, scope=f"LL {rest}")
    week = _week(scope, today(ctx))
    if week is not None:
        year, number = week
        period = f"{year}-W{number:02d}"
        found = sr.find_round(ctx.session, board.id or 0, period)
        if found is None:
            raise UsageError("summary.no_such_round", week=f"{number}/{year}")
        data = summaries.build(ctx.session, board, now=ctx.now, rnd=found)
        return r.render(ctx.lang, data, name=ctx.name)
    if kind in ROOM_WORDS and rest:
        return _summary_room(ctx, rest)
    if kind in THREAD_WORDS:
        return _summary_thread(ctx, rest)
    raise UsageError("summary.bad_scope", scope=scope[:40])


def _summary_room(ctx: Context, text: str) -> str:
    """``!bericht raum !abc:stadt.de`` (or ``aus``): a further room for the round's summary."""
    if not ctx.is_admin:
        raise Forbidden("error.forbidden_admin", admins=People(ctx.admins))
    board = board_of(ctx)
    room = None if text.casefold() in NO_ROOM else to_room_id(text)
    boards.set_summary_room(ctx.session, board, room, actor=ctx.sender, now=ctx.now)
    if room is None:
        return t(ctx.lang, "summary.room_cleared")
    return t(ctx.lang, "summary.room_set", room=room)


def _summary_thread(ctx: Context, text: str) -> str:
    """``!bericht thread``, written in a thread of the board room: each round's summary also goes
    into that thread; ``!bericht thread aus`` ends it."""
    if not ctx.is_admin:
        raise Forbidden("error.forbidden_admin", admins=People(ctx.admins))
    board = board_of(ctx)
    if text and text.casefold() not in NO_ROOM:
        raise UsageError("summary.thread_usage", prefix=Safe(ctx.prefix))
    if text:
        boards.set_summary_thread(ctx.session, board, None, actor=ctx.sender, now=ctx.now)
        return t(ctx.lang, "summary.thread_cleared")
    if ctx.thread_root is None:
        raise UsageError("summary.thread_usage", prefix=Safe(ctx.prefix))
    boards.set_summary_thread(ctx.session, board, ctx.thread_root, actor=ctx.sender, now=ctx.now)
    return t(ctx.lang, "summary.thread_set")
