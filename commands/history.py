"""``!history <dept>``: a department's audit log (Änderungsprotokoll), newest first."""

from __future__ import annotations

from typing import Any

from board_bot.chat.common import board_of, role_name
from board_bot.chat.framework import Context, Rest, command
from board_bot.core import audit
from board_bot.core.formats import format_datetime
from board_bot.core.i18n import N_, t
from board_bot.core.render import Safe, escape
from board_bot.features.departments import service as departments
from board_bot.features.departments.messages import code_and_name, dept_title
from board_bot.features.people import service as people
from board_bot.models import AuditEntry

LIMIT = 20


def _title(snapshot: dict[str, Any] | None) -> Safe:
    snapshot = snapshot or {}
    return code_and_name(snapshot.get("code", "?"), snapshot.get("name", "?"))


def describe(ctx: Context, entry: AuditEntry) -> Safe:
    """The change in words: created, renamed from … to …, room set, archived, role assigned."""
    before, after = entry.before or {}, entry.after or {}
    if entry.action == "create":
        return t(ctx.lang, "history.created", dept=_title(after))
    if entry.action == "rename":
        return t(ctx.lang, "history.renamed", old=_title(before), new=_title(after))
    if entry.action == "room":
        room = after.get("room_id")
        if room:
            return t(ctx.lang, "history.room_set", room=str(room))
        return t(ctx.lang, "history.room_cleared")
    if entry.action == "archive":
        return t(ctx.lang, "history.archived")
    if entry.action in ("role.assign", "role.remove"):
        snapshot = after if entry.action == "role.assign" else before
        role = str(snapshot.get("role", ""))
        label = role_name(ctx.lang, role) if role in people.ROLES else escape(role)
        key = (
            N_("history.role_assigned")
            if entry.action == "role.assign"
            else N_("history.role_removed")
        )
        return t(ctx.lang, key, user=ctx.name(str(snapshot.get("user_id", "?"))), role=label)
    return t(ctx.lang, "history.other", action=entry.action)


@command("history", de="verlauf", aliases=("änderungen",), needs_board=True)
def history(ctx: Context, *, dept: Rest) -> str:
    """Show a department's change log, newest first (at most 20 entries)"""
    board = board_of(ctx)
    found = departments.find_with_history(ctx.session, board.id or 0, dept)
    entries = audit.entries_for(
        ctx.session,
        board_id=board.id or 0,
        entity="department",
        entity_id=str(found.id),
        limit=LIMIT,
    )
    key = N_("history.title_archived") if found.archived_at else N_("history.title")
    lines = [t(ctx.lang, key, dept=dept_title(found), limit=LIMIT), ""]
    for entry in entries:
        when = format_datetime(ctx.lang, entry.at, board.timezone)
        lines.append(f"- {Safe(when)} · {ctx.name(entry.actor)} · {describe(ctx, entry)}")
    if not entries:
        lines.append(t(ctx.lang, "history.empty"))
    return "\n".join(lines)
