"""``!wp export``: the board's work packages as a CSV file (for Excel) and a JSON file (for
other systems), uploaded to the room. The files are built by
``board_bot.features.work_packages.exchange``; the CSV file is also what
``board-bot import workpackages`` reads."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from board_bot.chat.common import board_of
from board_bot.chat.framework import Attachment, Context
from board_bot.core.formats import format_datetime
from board_bot.core.i18n import t, tn
from board_bot.core.render import Safe
from board_bot.features.work_packages import exchange as wp_exchange
from commands.work_packages import group


@group.command("export", de="exportieren")
def export(ctx: Context) -> str:
    """Export all work packages as CSV (for Excel) and JSON files"""
    board = board_of(ctx)
    assert board.id is not None
    records = wp_exchange.load(ctx.session, board.id)
    if not records:
        return t(ctx.lang, "wp.export.empty", prefix=Safe(ctx.prefix))
    local = ctx.now.astimezone(ZoneInfo(board.timezone))
    csv_name = wp_exchange.filename(ctx.lang, local, "csv")
    json_name = wp_exchange.filename(ctx.lang, local, "json")
    ctx.attachments.append(Attachment(csv_name, "text/csv", wp_exchange.to_csv(ctx.lang, records)))
    ctx.attachments.append(
        Attachment(json_name, "application/json", wp_exchange.to_json(board, records, ctx.now))
    )
    return tn(
        ctx.lang,
        "wp.export.done",
        len(records),
        board=board.name,
        stamp=format_datetime(ctx.lang, ctx.now, board.timezone),
        csv=csv_name,
        json=json_name,
    )
