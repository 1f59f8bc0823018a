"""``!help``: the command list and usage, rendered from the registry."""

from __future__ import annotations

from board_bot.chat.framework import Command, Context, Group, Rest, Role, command
from board_bot.core.errors import NotFound
from board_bot.core.i18n import t
from board_bot.core.render import Safe


def _command_lines(cmd: Command, ctx: Context, *, detail: bool) -> list[str]:
    lines = [f"- `{cmd.usage(ctx.prefix, ctx.lang)}` — {cmd.help(ctx.lang)}"]
    if detail:
        if cmd.aliases:
            aliases = Safe(
                ", ".join(
                    f"`{ctx.prefix}{cmd.group + ' ' if cmd.group else ''}{a}`" for a in cmd.aliases
                )
            )
            lines.append(f"  {t(ctx.lang, 'help.aliases', aliases=aliases)}")
        if cmd.requires is Role.ADMIN:
            lines.append(f"  {t(ctx.lang, 'help.admin_only')}")
    return lines


def _group_text(group: Group, ctx: Context) -> str:
    lines = [f"**{ctx.prefix}{group.name}** — {group.help(ctx.lang)}"]
    if group.aliases:
        aliases = Safe(", ".join(f"`{ctx.prefix}{a}`" for a in group.aliases))
        lines.append(t(ctx.lang, "help.aliases", aliases=aliases))
    lines.append("")
    for cmd in group.unique_commands():
        lines.extend(_command_lines(cmd, ctx, detail=True))
    return "\n".join(lines)


def _overview(ctx: Context) -> str:
    lines = [t(ctx.lang, "help.title"), ""]
    for cmd in ctx.registry.unique_top():
        lines.extend(_command_lines(cmd, ctx, detail=False))
    for group in ctx.registry.unique_groups():
        for cmd in group.unique_commands():
            lines.extend(_command_lines(cmd, ctx, detail=False))
    lines += ["", t(ctx.lang, "help.more", prefix=Safe(ctx.prefix))]
    return "\n".join(lines)


@command("help", aliases=("hilfe", "h", "?"))
def help_(ctx: Context, *, topic: Rest = "") -> str:
    """Show the commands and how to use them"""
    words = topic.removeprefix(ctx.prefix).lower().split()
    if not words:
        return _overview(ctx)
    registry = ctx.registry
    if words[0] in registry.top and len(words) == 1:
        cmd = registry.top[words[0]]
        return "\n".join(_command_lines(cmd, ctx, detail=True))
    group = registry.groups.get(words[0])
    if group is not None:
        if len(words) == 1:
            return _group_text(group, ctx)
        sub = group.commands.get(words[1])
        if sub is not None and len(words) == 2:
            lines = _command_lines(sub, ctx, detail=True)
            return "\n".join(lines)
    raise NotFound("help.unknown_topic", topic=topic)
