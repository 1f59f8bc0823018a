"""``!about``: what is running, since when, on what."""

from __future__ import annotations

from datetime import timedelta

from board_bot.chat.framework import Context, command
from board_bot.core.formats import format_datetime
from board_bot.core.i18n import t
from board_bot.core.render import Safe
from board_bot.features.boards import service as boards


def format_duration(lang: str, delta: timedelta) -> Safe:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return t(lang, "duration.days_hours", days=days, hours=hours)
    if hours:
        return t(lang, "duration.hours_minutes", hours=hours, minutes=minutes)
    return t(lang, "duration.minutes", minutes=minutes)


@command("about", de="info", aliases=("über", "ueber", "version"))
def about(ctx: Context) -> str:
    """Show the bot's version, uptime, database and encryption"""
    rt = ctx.runtime
    zone = ctx.board.timezone if ctx.board else ctx.default_timezone
    return t(
        ctx.lang,
        "about.text",
        version=Safe(rt.version),
        started=format_datetime(ctx.lang, rt.started_at, zone),
        uptime=format_duration(ctx.lang, ctx.now - rt.started_at),
        database=Safe(rt.database),
        encryption=t(ctx.lang, "about.encryption_on" if rt.encryption else "about.encryption_off"),
        rooms=rt.joined_rooms,
        boards=boards.count_active(ctx.session),
    )
