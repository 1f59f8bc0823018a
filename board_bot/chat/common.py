"""Helpers the command modules share: the board, its today, people and departments as shown."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from board_bot.chat.framework import Context
from board_bot.core import naming
from board_bot.core.config import DEFAULT_HANDLUNGSFELDER
from board_bot.core.errors import BotError
from board_bot.core.i18n import t
from board_bot.core.naming import People
from board_bot.core.render import Safe
from board_bot.models import Absence, Board


def board_of(ctx: Context) -> Board:
    """The room's board; commands that need one are guarded by ``needs_board`` already."""
    if ctx.board is None or ctx.board.id is None:
        raise BotError("error.no_board", prefix=Safe(ctx.prefix))
    return ctx.board


def today(ctx: Context) -> date:
    """Today in the board's calendar (its time zone), not in UTC."""
    return ctx.now.astimezone(ZoneInfo(board_of(ctx).timezone)).date()


def people_list(ctx: Context, user_ids: Iterable[str]) -> Safe:
    """People separated by commas, or a dash for nobody."""
    return naming.people_list(ctx.name, user_ids)


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


def admins(ctx: Context) -> People:
    """Who may do what only admins may do, for refusals (named for the reader)."""
    return People(ctx.admins)


def handlungsfelder(ctx: Context) -> tuple[str, ...]:
    """The board's fields of action (``bot.handlungsfelder``, put on the runtime by build_app)."""
    return ctx.runtime.handlungsfelder or DEFAULT_HANDLUNGSFELDER
