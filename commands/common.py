"""Helpers the command modules share: the board, its today, people and departments as shown."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from board_bot.errors import BotError
from board_bot.i18n import t
from board_bot.models import Board, Department
from board_bot.render import Safe, escape
from commands.converters import strip_control
from commands.framework import Context

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
    return escape(f"{dept.code} – {dept.name}")


def role_name(lang: str, role: str) -> Safe:
    return t(lang, f"role_name.{role}")


def admins(ctx: Context) -> str:
    """Who may do what only admins may do, for refusals (user ids: escaped by ``t()``)."""
    return ", ".join(ctx.admins)
