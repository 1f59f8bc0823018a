"""Helpers the command modules share: the board, its today, people and departments as shown."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from board_bot.chat.converters import strip_control
from board_bot.chat.framework import Context
from board_bot.core.config import DEFAULT_HANDLUNGSFELDER
from board_bot.core.errors import BotError
from board_bot.core.i18n import t
from board_bot.core.render import Safe, escape
from board_bot.models import Absence, Board, Department

# A display name is shown next to the id, never instead of it, and at most this long.
MAX_DISPLAY_NAME = 60


def board_of(ctx: Context) -> Board:
    """The room's board; commands that need one are guarded by ``needs_board`` already."""
    if ctx.board is None or ctx.board.id is None:
        raise BotError("error.no_board", prefix=Safe(ctx.prefix))
    return ctx.board


def today(ctx: Context) -> date:
    """Today in the board's calendar (its time zone), not in UTC."""
    return ctx.now.astimezone(ZoneInfo(board_of(ctx).timezone)).date()


def person(ctx: Context, user_id: str) -> Safe:
    """``Erika Musterfrau (@erika:stadt.example)``: the display name, if the room knows one,
    cleaned and escaped, next to the id that alone identifies the person."""
    name = ctx.runtime.display_name(ctx.room_id, user_id)
    name = strip_control(name)[:MAX_DISPLAY_NAME] if name else None
    if name and name != user_id:
        return Safe(f"{escape(name)} ({escape(user_id)})")
    return escape(user_id)


def people_list(ctx: Context, user_ids: Iterable[str]) -> Safe:
    """People separated by commas, or a dash for nobody."""
    return Safe(", ".join(person(ctx, u) for u in user_ids) or "–")


def dept_title(dept: Department) -> Safe:
    """``FB 61 – Stadtplanung``, escaped."""
    return code_and_name(dept.code, dept.name)


def code_and_name(code: object, name: object) -> Safe:
    """A department's title from its parts (also from an audit snapshot), escaped."""
    return escape(f"{code} – {name}")


def period(ctx: Context, absence: Absence) -> Safe:
    """``21.12.2026 bis 06.01.2027 (Urlaub)``, or ``am 08.12.2026`` for a single day."""
    if absence.starts_on == absence.ends_on:
        text = t(ctx.lang, "away.day", day=absence.starts_on)
    else:
        text = t(ctx.lang, "away.period", start=absence.starts_on, end=absence.ends_on)
    if absence.reason:
        text = Safe(f"{text} ({t(ctx.lang, 'away.reason', reason=absence.reason)})")
    return text


def role_name(lang: str, role: str) -> Safe:
    return t(lang, f"role_name.{role}")


def admins(ctx: Context) -> str:
    """Who may do what only admins may do, for refusals (user ids: escaped by ``t()``)."""
    return ", ".join(ctx.admins)


def handlungsfelder(ctx: Context) -> tuple[str, ...]:
    """The board's fields of action (``bot.handlungsfelder``, put on the runtime by build_app)."""
    return ctx.runtime.handlungsfelder or DEFAULT_HANDLUNGSFELDER
