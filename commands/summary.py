"""``!bericht`` (``!summary``): the board's summary on demand, whole or for one department,
Leitlinie or week, since a date, or as files for the committee; admins send it to a further room
or thread. Anyone in the board room may ask, observers included."""

from __future__ import annotations

import re
from datetime import date

from board_bot.chat.common import board_of, today
from board_bot.chat.converters import to_room_id
from board_bot.chat.framework import Attachment, Context, Group, Rest, Role
from board_bot.core.dates import parse_past_date
from board_bot.core.errors import UsageError
from board_bot.core.i18n import t
from board_bot.core.render import Safe
from board_bot.features.boards import service as boards
from board_bot.features.status_rounds import service as sr
from board_bot.features.summaries import messages as r
from board_bot.features.summaries import report
from board_bot.features.summaries import service as summaries
from board_bot.features.work_packages.vocabulary import leitlinie_name
from commands.departments import find

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


_WEEK_START = re.compile(r"(?i)(?:kw|w|week|woche)?\d{1,2}(?:$|[/\s])|\d{4}-?w")


def _looks_like_a_week(word: str) -> bool:
    """``KW50``, ``50``, ``50/2026``, ``2026-W50``: a week without the word ``kw`` before it."""
    return _WEEK_START.match(word) is not None


group = Group(
    "summary",
    de="bericht",
    aliases=("lagebericht", "zusammenfassung"),
    default="show",
    fallback=("week", _looks_like_a_week),
)


def _with_chart(ctx: Context, data: summaries.SummaryData) -> None:
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


@group.command("show", de="zeigen")
def show(ctx: Context) -> str:
    """The board's summary, with its chart."""
    data = summaries.build(ctx.session, board_of(ctx), now=ctx.now)
    _with_chart(ctx, data)
    return r.render(ctx.lang, data, name=ctx.name)


@group.command("since", de="seit", aliases=("ab",))
def since(ctx: Context, day: Rest) -> str:
    """The summary with the changes since a date."""
    board = board_of(ctx)
    start = parse_past_date(day, today=today(ctx))
    if start > today(ctx):
        raise UsageError("summary.since_future", since=start, prefix=Safe(ctx.prefix))
    founded = sr.local_day(board, board.created_at)
    if start < founded:
        raise UsageError("summary.since_before_board", since=start, founded=founded)
    data = summaries.build(ctx.session, board, now=ctx.now, since=start)
    _with_chart(ctx, data)
    return r.render(ctx.lang, data, name=ctx.name)


@group.command("dept", de="fb", aliases=("fachbereich", "amt", "department"))
def dept(ctx: Context, dept: Rest) -> str:
    """One department's summary."""
    found = find(ctx, dept)
    data = summaries.build(ctx.session, board_of(ctx), now=ctx.now, department_id=found.id)
    return r.render(ctx.lang, data, name=ctx.name, scope=found.code)


@group.command("guideline", de="ll", aliases=("leitlinie",))
def guideline(ctx: Context, ll: int) -> str:
    """One Leitlinie's summary."""
    if not 1 <= ll <= 4:
        raise UsageError("summary.bad_ll", ll=ll)
    data = summaries.build(ctx.session, board_of(ctx), now=ctx.now, leitlinie=ll)
    return r.render(ctx.lang, data, name=ctx.name, scope=leitlinie_name(ctx.lang, ll))


@group.command("week", de="kw", aliases=("woche",))
def week(ctx: Context, week: Rest) -> str:
    """The summary of a past week's round (``kw 48``, also ``!bericht KW48``)."""
    board = board_of(ctx)
    found_week = _week(week, today(ctx))
    if found_week is None:
        raise UsageError("summary.bad_week", week=week[:20])
    year, number = found_week
    found = sr.find_round(ctx.session, board.id or 0, f"{year}-W{number:02d}")
    if found is None:
        raise UsageError("summary.no_such_round", week=f"{number}/{year}")
    data = summaries.build(ctx.session, board, now=ctx.now, rnd=found)
    return r.render(ctx.lang, data, name=ctx.name)


@group.command("export", de="exportieren", aliases=("datei", "hauptausschuss"))
def export(ctx: Context) -> str:
    """The summary as files for the committee: PDF, HTML and Markdown."""
    data = summaries.build(ctx.session, board_of(ctx), now=ctx.now)
    drawn = r.chart(ctx.session, data, ctx.lang, with_now=True)
    made = report.report(ctx.lang, data, drawn, name=ctx.name)
    markdown = r.render(ctx.lang, data, name=ctx.name)
    stem = r.export_stem(ctx.lang, data)
    ctx.attachments.append(Attachment(f"{stem}.pdf", "application/pdf", made.pdf))
    ctx.attachments.append(Attachment(f"{stem}.html", "text/html", made.html.encode()))
    ctx.attachments.append(Attachment(f"{stem}.md", "text/markdown", markdown.encode()))
    return t(ctx.lang, "summary.exported", pdf=f"{stem}.pdf", html=f"{stem}.html", md=f"{stem}.md")


@group.command("room", de="raum", requires=Role.ADMIN)
def room(ctx: Context, room: str) -> str:
    """``!bericht raum !abc:stadt.de`` (or ``aus``): a further room for the round's summary."""
    board = board_of(ctx)
    target = None if room.casefold() in NO_ROOM else to_room_id(room)
    boards.set_summary_room(ctx.session, board, target, actor=ctx.sender, now=ctx.now)
    if target is None:
        return t(ctx.lang, "summary.room_cleared")
    return t(ctx.lang, "summary.room_set", room=target)


@group.command("thread", aliases=("faden",), requires=Role.ADMIN)
def thread(ctx: Context, stop: str = "") -> str:
    """``!bericht thread``, written in a thread of the board room: each round's summary also
    goes into that thread; ``!bericht thread aus`` ends it."""
    board = board_of(ctx)
    if stop and stop.casefold() not in NO_ROOM:
        raise UsageError("summary.thread_usage", prefix=Safe(ctx.prefix))
    if stop:
        boards.set_summary_thread(ctx.session, board, None, actor=ctx.sender, now=ctx.now)
        return t(ctx.lang, "summary.thread_cleared")
    if ctx.thread_root is None:
        raise UsageError("summary.thread_usage", prefix=Safe(ctx.prefix))
    boards.set_summary_thread(ctx.session, board, ctx.thread_root, actor=ctx.sender, now=ctx.now)
    return t(ctx.lang, "summary.thread_set")
