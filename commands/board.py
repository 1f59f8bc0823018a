"""``!board``: set up this room's Smart City Board and show it."""

from __future__ import annotations

from board_bot.chat.common import today
from board_bot.chat.converters import Language
from board_bot.chat.framework import Context, Group, Rest, Role
from board_bot.core.errors import BotError
from board_bot.core.formats import format_datetime, weekday_date
from board_bot.core.i18n import t
from board_bot.core.render import Safe
from board_bot.core.workdays import BUNDESLAENDER, next_working_day
from board_bot.features.boards import service as boards
from board_bot.models import Board
from board_bot.scheduler import jobs as rounds


def land_name(lang: str, code: str) -> str:
    """``Schleswig-Holstein`` for ``SH``; an unknown code as it is."""
    return t(lang, f"land.{code.lower()}") if code in BUNDESLAENDER else code


group = Group("board", aliases=("gremium",))


@group.command(
    "init", de="einrichten", aliases=("anlegen",), requires=Role.ADMIN, needs_board=False
)
def init(ctx: Context, *, name: Rest) -> str:
    """Make this room the board room of a new Smart City Board"""
    board = boards.create(
        ctx.session,
        room_id=ctx.room_id,
        name=name,
        language=ctx.default_language,
        timezone=ctx.default_timezone,
        bundesland=ctx.default_bundesland,
        admins=ctx.config_admins,
        actor=ctx.sender,
        now=ctx.now,
    )
    board_id = board.id or 0
    ctx.after_commit.append(lambda: rounds.replan_soon(board_id))  # its status rounds
    return t(
        board.language,
        "board.created",
        name=board.name,  # user text: t() escapes it
        timezone=board.timezone,
        prefix=Safe(ctx.prefix),
    )


@group.command("show", de="zeigen", aliases=("info",))
def show(ctx: Context) -> str:
    """Show the board's name, language, time zone, Bundesland, next working day and where the
    summaries go"""
    board = ctx.board
    if board is None:  # guarded by needs_board; kept for the type checker
        raise BotError("error.no_board", prefix=Safe(ctx.prefix))
    next_day = next_working_day(board.bundesland, today(ctx), include_today=False)
    return t(
        ctx.lang,
        "board.info",
        name=board.name,  # user text: t() escapes it
        language=t(ctx.lang, f"language.{board.language}"),  # Safe: a catalog text
        timezone=board.timezone,
        created=format_datetime(ctx.lang, board.created_at, board.timezone),
        created_by=ctx.name(board.created_by),
        bundesland=land_name(ctx.lang, board.bundesland),
        next_day=weekday_date(ctx.lang, next_day),
        summary_to=_summary_places(ctx.lang, board),
    )


def _summary_places(lang: str, board: Board) -> Safe:
    """Where each round's summary goes, as a list of places."""
    places = [t(lang, "board.summary_room")]
    if board.summary_thread:
        places.append(t(lang, "board.summary_thread"))
    if board.summary_room and board.summary_room != board.room_id:
        places.append(t(lang, "board.summary_extra_room", room=board.summary_room))
    return Safe(", ".join(places))


@group.command("language", de="sprache", requires=Role.ADMIN)
def language(ctx: Context, language: Language) -> str:
    """Switch the board's language (de or en)"""
    board = ctx.board
    if board is None:
        raise BotError("error.no_board", prefix=Safe(ctx.prefix))
    boards.set_language(ctx.session, board, language=language, actor=ctx.sender, now=ctx.now)
    return t(language, "board.language_set")
