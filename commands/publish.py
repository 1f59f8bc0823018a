"""``!veröffentlichen`` (``!publish``): the public portfolio page. ``vorschau`` shows what would
be published (the overview page as a file, and what changes against the site online);
``freigeben`` (admins) writes the static site to ``[publish] dir``, atomically."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from board_bot.chat.common import board_of
from board_bot.chat.framework import Attachment, Context, Group, Role
from board_bot.core.errors import BotError
from board_bot.core.formats import format_datetime
from board_bot.core.i18n import t, tn
from board_bot.core.render import Safe, escape
from board_bot.features.people import service as roles
from board_bot.features.publishing import portfolio, site
from board_bot.features.publishing import service as publishing
from board_bot.features.work_packages import fields
from board_bot.models import Board

group = Group(
    "publish", de="veröffentlichen", aliases=("veroeffentlichen", "portfolio"), default="preview"
)

#: How many packages a line of the preview's diff names before it counts the rest.
NAMED = 8


@group.command("preview", de="vorschau")
def preview(ctx: Context) -> str:
    """Show what the public portfolio page would show: the page as a file, and what changes
    against the page online"""
    board = board_of(ctx)
    found = publishing.draft(ctx.session, board, ctx.runtime.publish, now=ctx.now)
    if not found.made.packages and found.online is None:
        return t(ctx.lang, "publish.nothing_public", prefix=Safe(ctx.prefix))
    page = publishing.one_file(site.render(found.made))
    name = f"{portfolio.slug(board.name)}-vorschau.html"
    ctx.attachments.append(Attachment(name, "text/html", page))
    lines: list[str] = [tn(ctx.lang, "publish.preview", len(found.made.packages))]
    lines += _diff_lines(ctx, found)
    for named in portfolio.names_in(found.made, _people_names(ctx, board)):
        lines.append(
            "- " + t(
                ctx.lang, "publish.names_person", code=named.key,
                field=_label(ctx, named.field), name=named.name,
            )
        )  # fmt: skip
    lines.append(
        t(ctx.lang, "publish.how_to_approve", command=_approve_command(ctx, found.code))
        if found.target is not None
        else t(ctx.lang, "publish.not_configured")
    )
    return "\n".join(lines)


@group.command("approve", de="freigeben", requires=Role.ADMIN)
def approve(ctx: Context, approval: str = "") -> str:
    """Publish the public portfolio page (admins); with the preview's code only if the page is
    still as the preview showed it"""
    board = board_of(ctx)
    try:
        done = publishing.publish(
            ctx.session, board, ctx.runtime.publish, actor=ctx.sender, now=ctx.now,
            code=approval,
        )  # fmt: skip
    except BotError as exc:
        if exc.key == "publish.nothing_public":
            raise BotError("publish.nothing_public", prefix=Safe(ctx.prefix)) from exc
        raise
    path = Safe(f"`{done.target}`")
    if done.unchanged:
        return t(ctx.lang, "publish.unchanged", path=path)
    return tn(
        ctx.lang, "publish.done", len(done.made.packages), added=len(done.changes.added),
        changed=len(done.changes.changed), removed=len(done.changes.removed), path=path,
    )  # fmt: skip


def _diff_lines(ctx: Context, found: publishing.Draft) -> list[str]:
    changes, online = found.changes, found.online
    if online is None:
        return [t(ctx.lang, "publish.first")]
    if found.unchanged:
        return [t(ctx.lang, "publish.no_changes", since=_when(ctx, online))]
    lines: list[str] = [t(ctx.lang, "publish.against", since=_when(ctx, online))]
    if found.frame_changed:
        lines.append("- " + t(ctx.lang, "publish.frame_changed"))
    for kind, line in (
        (changes.added, lambda named: t(ctx.lang, "publish.added", packages=named)),
        (changes.changed, lambda named: t(ctx.lang, "publish.changed", packages=named)),
        (changes.removed, lambda named: t(ctx.lang, "publish.removed", packages=named)),
    ):
        if kind:
            listed: list[str] = [_change(ctx, c) for c in kind[:NAMED]]
            if len(kind) > NAMED:
                listed.append(t(ctx.lang, "publish.more", count=len(kind) - NAMED))
            lines.append("- " + _say(line, Safe("; ".join(listed))))
    return lines


def _say(line: Callable[[Safe], Safe], named: Safe) -> str:
    return str(line(named))


def _change(ctx: Context, change: site.Change) -> Safe:
    text = f"{escape(change.key)} {escape(f'„{change.title}“')}"
    if change.fields:
        labels = ", ".join(str(_label(ctx, name)) for name in change.fields)
        text += f" ({labels})"
    return Safe(text)


def _people_names(ctx: Context, board: Board) -> set[str]:
    """The display names of the board room's members and of everyone with a role on the
    board, as the room knows them."""
    people = set(ctx.runtime.room_members(board.room_id) or ())
    people |= {m.user_id for m in roles.active(ctx.session, board.id or 0)}
    return {n for user in people if (n := ctx.runtime.display_name(board.room_id, user))}


def _label(ctx: Context, name: str) -> Safe:
    """A package's JSON field as the board calls it."""
    if name == "department":
        return t(ctx.lang, "wp.field.owner")
    if name == "description":
        return t(ctx.lang, "wp.field.public_description")
    if name == "milestones":
        return t(ctx.lang, "publish.field_milestones")
    if name == "papers":
        return t(ctx.lang, "publish.field_papers")
    if name in fields.BY_NAME:
        return t(ctx.lang, fields.spec(name).label_key)
    return escape(name)


def _when(ctx: Context, online: dict[str, Any]) -> Safe:
    stamp = online.get("published_at")
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return Safe("?")
    if moment.tzinfo is None:
        return Safe("?")
    return escape(format_datetime(ctx.lang, moment, ctx.default_timezone))


def _approve_command(ctx: Context, code: str) -> Safe:
    (command,) = [c for c in group.commands.values() if c.name == "approve"][:1]
    return Safe(f"`{command.words(ctx.prefix, ctx.lang)} {code}`")
