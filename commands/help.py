"""``!hilfe`` (``!help``): the help, rendered from the registry in the reader's language.

The first answer fits one phone screen: the three commands a department lead needs most and the
topics, one line each, with their command words. ``!hilfe <Befehl>`` (any word of any language,
``!hilfe bericht`` or ``!hilfe summary``) shows a group with its commands, or one command with its
usage, its other words and who may use it.
"""

from __future__ import annotations

from board_bot.chat.framework import Command, Context, Group, Rest, Role, command
from board_bot.core.errors import NotFound
from board_bot.core.i18n import N_, t
from board_bot.core.render import Safe

#: The topics of the overview, each with the commands and groups it names (English names).
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("help.topic.packages"), ("wp", "publish")),
    (N_("help.topic.rounds"), ("status", "update")),
    (N_("help.topic.summary"), ("summary", "decisions")),
    (N_("help.topic.workshops"), ("workshop", "workshops")),
    (N_("help.topic.minutes"), ("minutes", "decision", "action", "note")),
    (N_("help.topic.people"), ("people", "whoami", "role")),
    (N_("help.topic.absences"), ("away", "back", "absences")),
    (N_("help.topic.board"), ("board", "dept", "history", "about")),
    (N_("help.topic.privacy"), ("my-data",)),
)
#: The commands a department lead needs most, with what they do in a few words.
MOST_NEEDED: tuple[tuple[str, str], ...] = (
    ("update", N_("help.most.update")),
    ("wp.list", N_("help.most.wp_list")),
    ("away", N_("help.most.away")),
)


def _code(text: str) -> Safe:
    return Safe(f"`{text}`")


def _admin_note(cmd: Command, ctx: Context) -> list[str]:
    return [f"  {t(ctx.lang, 'help.admin_only')}"] if cmd.requires is Role.ADMIN else []


def _command_lines(cmd: Command, ctx: Context) -> list[str]:
    """The usage on one line, what the command does on the next."""
    return [f"- {_code(cmd.usage(ctx.prefix, ctx.lang))}", f"  {cmd.help(ctx.lang)}"]


def _command_text(cmd: Command, ctx: Context) -> str:
    lines = _command_lines(cmd, ctx)
    before = cmd.parent.chain(ctx.lang) if cmd.parent else []
    others = [_code(ctx.prefix + " ".join([*before, w])) for w in cmd.other_words(ctx.lang)]
    if others:
        lines.append(f"  {t(ctx.lang, 'help.aliases', aliases=Safe(', '.join(others)))}")
    lines += _admin_note(cmd, ctx)
    return "\n".join(lines)


def _group_text(group: Group, ctx: Context) -> str:
    words = ctx.prefix + " ".join(group.chain(ctx.lang))
    lines = [f"**{words}** – {group.help(ctx.lang)}"]
    before = group.parent.chain(ctx.lang) if group.parent else []
    others = [_code(ctx.prefix + " ".join([*before, w])) for w in group.other_words(ctx.lang)]
    if others:
        lines.append(t(ctx.lang, "help.aliases", aliases=Safe(", ".join(others))))
    if group.default is not None:
        alone = group.commands[group.default]
        lines.append(t(ctx.lang, "help.default", words=_code(words), command=_code(
            alone.words(ctx.prefix, ctx.lang)
        )))  # fmt: skip
    lines.append("")
    for cmd in group.unique_commands():
        lines += _command_lines(cmd, ctx)
        lines += _admin_note(cmd, ctx)
    for inner in group.unique_subgroups():  # one line each; its own page has the commands
        inner_words = ctx.prefix + " ".join(inner.chain(ctx.lang))
        help_word = ctx.registry.top["help"].word(ctx.lang)
        more = _code(f"{ctx.prefix}{help_word} {' '.join(inner.chain(ctx.lang))}")
        lines += [f"- {_code(inner_words)} …", f"  {inner.help(ctx.lang)}"]
        lines.append(f"  {t(ctx.lang, 'help.more_on', command=more)}")
    return "\n".join(lines)


def _entry(ctx: Context, name: str) -> Command | Group:
    """A top-level command or group by its English name."""
    registry = ctx.registry
    return registry.groups[name] if name in registry.groups else registry.top[name]


def _by_path(ctx: Context, path: str) -> Command:
    return next(c for c in ctx.registry.commands() if c.path == path)


def _overview(ctx: Context) -> str:
    lang, prefix = ctx.lang, ctx.prefix
    lines = [t(lang, "help.title"), "", t(lang, "help.most_needed")]
    for path, key in MOST_NEEDED:
        lines.append(f"- {_code(_by_path(ctx, path).words(prefix, lang))} – {t(lang, key)}")
    lines += ["", t(lang, "help.topics")]
    for key, names in TOPICS:
        words = ", ".join(_code(prefix + _entry(ctx, n).word(lang)) for n in names)
        lines.append(f"- {t(lang, key)}: {words}")
    lines += ["", t(lang, "help.more", prefix=Safe(prefix))]
    return "\n".join(lines)


def _inner_group(ctx: Context, word: str) -> Group | None:
    """``!hilfe zeitplan``: a group inside another, named by its own word alone."""
    inner = [g for g in ctx.registry.all_groups() if g.parent is not None]
    return next((g for g in inner if word in (g.name, *g.aliases)), None)


@command("help", de="hilfe", aliases=("h", "?"))
def help_(ctx: Context, *, topic: Rest = "") -> str:
    """Show the commands and how to use them."""
    words = topic.removeprefix(ctx.prefix).lower().split()
    if not words:
        return _overview(ctx)
    registry = ctx.registry
    if words[0] in registry.top:
        if len(words) == 1:
            return _command_text(registry.top[words[0]], ctx)
        raise NotFound("help.unknown_topic", topic=topic)
    group = registry.groups.get(words[0]) or _inner_group(ctx, words[0])
    for i, word in enumerate(words[1:], start=1):
        if group is None:
            break
        if word in group.subgroups:
            group = group.subgroups[word]
        elif word in group.commands and i == len(words) - 1:
            return _command_text(group.commands[word], ctx)
        else:
            group = None
    if group is not None:
        return _group_text(group, ctx)
    raise NotFound("help.unknown_topic", topic=topic)
