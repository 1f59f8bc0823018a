"""The chat grammar: commands declared by their signature, help rendered from the registry.

A command is a plain function ``(ctx, <positional args>, *, <options>) -> str | None``:

- positional parameters are positional arguments, required unless they have a default;
- keyword-only parameters with a default are options ``--name VALUE`` (``bool``: a flag ``--name``);
- one keyword-only parameter annotated :data:`Rest` takes the rest of the line as free text;
- an option annotated :data:`Words` takes every word up to the next option
  (``--depts FB 61, FB 13 --duration 2h``), so that its value needs no quotes.

The annotation picks the converter (see ``board_bot.chat.converters``). The function's
docstring is its English help; the German help stands in the catalog under ``cmd.<group>.<name>``.
"""

from __future__ import annotations

import difflib
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

from sqlmodel import Session

from board_bot.chat import converters
from board_bot.core.config import OParlConfig, PublishConfig
from board_bot.core.errors import BotError, Forbidden, UsageError
from board_bot.core.i18n import has_text, t
from board_bot.core.ids import RoomId, UserId
from board_bot.core.naming import (
    JoinedLookup,
    MemberLookup,
    NameLookup,
    Namer,
    People,
    namer,
    no_members,
    not_known,
    unknown_name,
)
from board_bot.core.render import Safe
from board_bot.models import Board


class _RestMarker:
    def __repr__(self) -> str:
        return "Rest"


REST = _RestMarker()
Rest = Annotated[str, REST]
"""Free text: everything after the other arguments."""


class _WordsMarker:
    def __repr__(self) -> str:
        return "Words"


WORDS = _WordsMarker()
Words = Annotated[str, WORDS]
"""An option's value of several words: everything up to the next option."""


class _CodeMarker:
    def __repr__(self) -> str:
        return "Code"


CODE = _CodeMarker()
Code = Annotated[str, CODE]
"""A department's code, which may take two words without quotes (``--dept FB 68``)."""


class Role(Enum):
    ANYONE = "anyone"
    ADMIN = "admin"


#: room id -> whether the room is encrypted, or None when the room is not known
EncryptedLookup = Callable[[str], bool | None]


def encryption_not_known(room_id: str) -> bool | None:
    """Whether a room is encrypted: not known (the bot tier's tests, a command-line tool)."""
    return None


@dataclass
class Runtime:
    """Facts about the running bot that commands may show; kept up to date by the app.

    The Matrix side installs ``display_name``, ``room_members``, ``joined`` and
    ``room_encrypted``; without it (in tests of the bot tier) names are unknown and membership
    and encryption cannot be checked.
    """

    version: str
    started_at: datetime
    database: str
    encryption: bool
    joined_rooms: int = 0
    #: (room id, user id) -> the user's display name in that room, if known. Shown, never trusted.
    display_name: NameLookup = unknown_name
    #: room id -> the joined and invited members, or None when the room is not known
    room_members: MemberLookup = no_members
    #: the deployment's fields of action (bot.handlungsfelder)
    handlungsfelder: tuple[str, ...] = ()
    #: (room id, user id) -> whether they joined the room (False: invited only, or not in it;
    #: None: the room is not known)
    joined: JoinedLookup = not_known
    #: room id -> whether the room is encrypted (None: the room is not known)
    room_encrypted: EncryptedLookup = encryption_not_known
    #: the city's council information system (``[oparl]``); off unless a URL is configured
    oparl: OParlConfig = field(default_factory=OParlConfig)
    #: the public portfolio page (``[publish]``); off unless a folder is configured
    publish: PublishConfig = field(default_factory=PublishConfig)


@dataclass(frozen=True)
class Attachment:
    """A file a command sends after its text reply (``!wp export``)."""

    filename: str
    mimetype: str
    data: bytes
    msgtype: str = "m.file"
    description: str | None = None  # an image's alt text
    info: dict[str, Any] | None = None  # more of the event's info (an image's w and h)


@dataclass
class Context:
    """What a command handler gets: who asked, where, when, and a session for the services."""

    session: Session
    sender: UserId
    room_id: RoomId
    board: Board | None
    lang: str
    now: datetime
    prefix: str
    is_admin: bool
    #: the board's admins (or the configured ones while the room has no board), for refusals
    admins: tuple[str, ...]
    config_admins: tuple[str, ...]
    default_language: str
    default_timezone: str
    default_bundesland: str
    runtime: Runtime
    registry: Registry
    #: files to send after the reply, in this order (only when the command succeeds)
    attachments: list[Attachment] = field(default_factory=list)
    #: the event of the command, when it came from the chat
    event_id: str | None = None
    #: the root of the thread the command was written in, if any (the reply goes there too)
    thread_root: str | None = None
    #: the message as typed, without the prefix
    text: str = ""
    #: called with the session after the reply is queued, in the same transaction (messages
    #: that belong after the reply, such as a round's summary when it is closed)
    follow_ups: list[Callable[[Session], object]] = field(default_factory=list)
    #: called after the command's changes are committed (only when it succeeds)
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    _namer: Namer | None = field(default=None, repr=False)

    def name(self, user_id: str) -> Safe:
        """The person as shown in this room (:mod:`board_bot.core.naming`)."""
        if self._namer is None:
            self._namer = namer(self.room_id, self.runtime.display_name, self.runtime.room_members)
        return self._namer(user_id)


Handler = Callable[..., str | None]
T = TypeVar("T")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "positional" | "option" | "words" | "flag" | "rest"
    converter: Callable[[str], Any]
    required: bool
    default: Any = None
    #: a department's code: takes a second word when the two make one code (``FB 68``)
    code: bool = False

    @property
    def option(self) -> str:
        """``--name``; a trailing underscore (``for_``, a Python keyword) is dropped."""
        return "--" + self.name.rstrip("_").replace("_", "-")

    def metavar(self, lang: str) -> str:
        """The placeholder in usage lines: ``arg.<name>`` from the catalog, else the name."""
        key = f"arg.{self.name}"
        return t(lang, key) if has_text(key) else self.name

    def usage(self, lang: str = "en") -> str:
        meta = self.metavar(lang).upper() if self.kind == "option" else self.metavar(lang)
        if self.kind == "flag":
            return f"[{self.option}]"
        if self.kind == "option":
            return f"[{self.option} {meta}]"
        if self.kind == "words":
            return f"[{self.option} {self.metavar(lang).upper()} …]"
        return f"<{meta}>" if self.required else f"[{meta}]"


@dataclass
class Command:
    name: str
    func: Handler
    group: str | None
    aliases: tuple[str, ...] = ()
    requires: Role = Role.ANYONE
    needs_board: bool = True
    params: tuple[Param, ...] = ()
    #: values for placeholders in the help text (``{fields}``), from what the command knows
    help_params: Mapping[str, str] = field(default_factory=dict)
    #: the command's word in each language other than English (``{"de": "bericht"}``)
    local: Mapping[str, str] = field(default_factory=dict)
    #: the group the command belongs to, if any
    parent: Group | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        return f"{self.group}.{self.name}" if self.group else self.name

    def word(self, lang: str) -> str:
        """The word a reader of ``lang`` is shown (``bericht`` in German, ``summary`` in
        English); every word of every language works in every board."""
        return self.local.get(lang, self.name)

    def words(self, prefix: str, lang: str = "en", typed: Sequence[str] = ()) -> str:
        """``!ap liste``: the command as a reader of ``lang`` writes it, or with the words the
        person ``typed`` (an error's usage line repeats the words they used)."""
        own = [*(self.parent.chain(lang) if self.parent else ()), self.word(lang)]
        return prefix + " ".join([*typed, *own[len(typed) :]])

    def usage(self, prefix: str, lang: str = "en", typed: Sequence[str] = ()) -> str:
        return " ".join([self.words(prefix, lang, typed), *(p.usage(lang) for p in self.params)])

    def other_words(self, lang: str) -> list[str]:
        """The command's other words (aliases and the other languages' words)."""
        return [w for w in (self.name, *self.aliases) if w != self.word(lang)]

    def help(self, lang: str) -> str:
        return t(lang, f"cmd.{self.path}", **self.help_params)


@dataclass
class Group:
    """Commands under one word (``!wp add``, ``!ap anlegen``); its help text is the catalog's
    ``group.<name>``, each command's ``cmd.<group>.<name>``."""

    name: str
    aliases: tuple[str, ...] = ()
    commands: dict[str, Command] = field(default_factory=dict)
    #: the command that runs when the group's word comes alone (``!status``)
    default: str | None = None
    #: the group's German word (``ap``), also one of its aliases
    de: str | None = None
    #: a command that takes a word no sub-command has, when ``accepts`` it (``!bericht KW50``
    #: is ``!bericht kw KW50``): (command name, accepts)
    fallback: tuple[str, Callable[[str], bool]] | None = None
    #: groups inside this one (``!status zeitplan``)
    subgroups: dict[str, Group] = field(default_factory=dict)
    parent: Group | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.aliases = _with_word(self.aliases, self.de)

    @property
    def path(self) -> str:
        """``status.schedule``: the names from the top group down (catalog keys use it)."""
        return f"{self.parent.path}.{self.name}" if self.parent else self.name

    def chain(self, lang: str) -> list[str]:
        """The words of this group and those above it, in ``lang``."""
        return [*(self.parent.chain(lang) if self.parent else ()), self.word(lang)]

    def group(
        self,
        name: str,
        *,
        de: str | None = None,
        aliases: Iterable[str] = (),
        default: str | None = None,
    ) -> Group:
        """A group inside this one: ``!status zeitplan`` with its own commands."""
        sub = Group(name, aliases=tuple(aliases), default=default, de=de, parent=self)
        for word in (name, *sub.aliases):
            self._claim(word)
            self.subgroups[word] = sub
        return sub

    def _claim(self, word: str) -> None:
        if word in self.commands or word in self.subgroups:
            raise ValueError(f"duplicate command word {self.path} {word}")

    @property
    def local(self) -> Mapping[str, str]:
        return {"de": self.de} if self.de else {}

    def word(self, lang: str) -> str:
        return self.local.get(lang, self.name)

    def other_words(self, lang: str) -> list[str]:
        return [w for w in (self.name, *self.aliases) if w != self.word(lang)]

    def command(
        self,
        name: str,
        *,
        de: str | None = None,
        aliases: Iterable[str] = (),
        requires: Role = Role.ANYONE,
        needs_board: bool = True,
        help_params: Mapping[str, str] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            cmd = Command(
                name=name,
                func=func,
                group=self.path,
                aliases=_with_word(tuple(aliases), de),
                requires=requires,
                needs_board=needs_board,
                params=params_of(func),
                help_params=dict(help_params or {}),
                local={"de": de} if de else {},
                parent=self,
            )
            for word in (name, *cmd.aliases):
                self._claim(word)
                self.commands[word] = cmd
            return func

        return register

    def unique_commands(self) -> list[Command]:
        """This group's own commands, each once."""
        return _distinct(self.commands.values())

    def unique_subgroups(self) -> list[Group]:
        return _distinct(self.subgroups.values())

    def all_commands(self) -> list[Command]:
        """This group's commands and those of the groups inside it."""
        return self.unique_commands() + [
            c for sub in self.unique_subgroups() for c in sub.all_commands()
        ]

    def help(self, lang: str) -> str:
        return t(lang, f"group.{self.path}")


def _with_word(aliases: tuple[str, ...], word: str | None) -> tuple[str, ...]:
    """The aliases with a language's own word first (added when it is not there yet)."""
    if word is None:
        return aliases
    return (word, *(a for a in aliases if a != word))


def command(
    name: str,
    *,
    de: str | None = None,
    aliases: Iterable[str] = (),
    requires: Role = Role.ANYONE,
    needs_board: bool = False,
) -> Callable[[Handler], Command]:
    """Declare a top-level command (``!help``, German ``!hilfe``); group commands use
    ``Group.command``. ``de`` is the German word a German board is shown."""

    def make(func: Handler) -> Command:
        return Command(
            name=name,
            func=func,
            group=None,
            aliases=_with_word(tuple(aliases), de),
            requires=requires,
            needs_board=needs_board,
            params=params_of(func),
            local={"de": de} if de else {},
        )

    return make


def _marks(hint: Any) -> tuple[Any, ...]:
    """The marks of an annotation (``Rest``, ``Words``, ``Code``), also of ``Code | None``."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return tuple(m for arg in typing.get_args(hint) for m in _marks(arg))
    return typing.get_args(hint)[1:] if typing.get_origin(hint) is Annotated else ()


def params_of(func: Handler) -> tuple[Param, ...]:
    hints = typing.get_type_hints(func, include_extras=True)
    params: list[Param] = []
    signature = inspect.signature(func)
    for index, p in enumerate(signature.parameters.values()):
        if index == 0:  # ctx
            continue
        hint = hints.get(p.name, str)
        marks = _marks(hint)
        is_rest = REST in marks
        is_code = CODE in marks
        required = p.default is inspect.Parameter.empty
        default = None if required else p.default
        if is_rest:
            params.append(Param(p.name, "rest", converters.converter_for(str), required, default))
        elif p.kind is inspect.Parameter.KEYWORD_ONLY:
            if required:
                raise TypeError(f"{func.__name__}: option {p.name} needs a default")
            if WORDS in marks:
                params.append(Param(p.name, "words", converters.converter_for(str), False, default))
            elif hint is bool:
                params.append(Param(p.name, "flag", bool, False, default))
            else:
                params.append(
                    Param(
                        p.name,
                        "option",
                        converters.converter_for(hint),
                        False,
                        default,
                        code=is_code,
                    )
                )
        else:
            params.append(
                Param(
                    p.name,
                    "positional",
                    converters.converter_for(hint),
                    required,
                    default,
                    code=is_code,
                )
            )
    return tuple(params)


def tokenize(text: str) -> list[str]:
    """Split like a shell, but friendlier to prose: double quotes (also „…“ and “…”) group words;
    apostrophes and backslashes are ordinary characters."""
    tokens: list[str] = []
    current: list[str] = []
    in_token = False
    closing: str | None = None
    for ch in text:
        if closing is not None:
            if ch == closing or (closing == "“" and ch == "”"):
                closing = None
            else:
                current.append(ch)
        elif ch in '"„“':
            closing = {'"': '"', "„": "“", "“": "”"}[ch]
            in_token = True
        elif ch.isspace():
            if in_token:
                tokens.append("".join(current))
                current, in_token = [], False
        else:
            current.append(ch)
            in_token = True
    if closing is not None:
        raise UsageError("parse.unclosed_quote")
    if in_token:
        tokens.append("".join(current))
    return tokens


def bind(cmd: Command, tokens: list[str], lang: str = "en") -> dict[str, Any]:
    """Turn tokens into keyword arguments for ``cmd.func``; raises UsageError."""
    by_option = {p.option: p for p in cmd.params if p.kind in ("option", "words", "flag")}
    values: dict[str, Any] = {}
    positionals: list[str] = []
    i = 0
    options_done = False
    while i < len(tokens):
        token = tokens[i]
        if token == "--" and not options_done:
            options_done = True
        elif token.startswith("--") and len(token) > 2 and not options_done:
            name, _, inline = token.partition("=")
            param = by_option.get(name)
            if param is None:
                raise UsageError("parse.unknown_option", option=token)
            if param.kind == "flag":
                values[param.name] = True
            elif param.kind == "words":
                words = [inline] if inline else []
                while i + 1 < len(tokens) and not _is_option(tokens[i + 1]):
                    i += 1
                    words.append(tokens[i])
                if not words:
                    raise UsageError("parse.option_needs_value", option=name)
                values[param.name] = param.converter(" ".join(words))
            else:
                if not inline:
                    if i + 1 >= len(tokens):
                        raise UsageError("parse.option_needs_value", option=name)
                    i += 1
                    inline = tokens[i]
                if param.code and i + 1 < len(tokens) and code_continues(inline, tokens[i + 1]):
                    i += 1
                    inline = f"{inline} {tokens[i]}"
                values[param.name] = param.converter(inline)
        else:
            positionals.append(token)
        i += 1
    for param in cmd.params:
        if param.kind == "positional":
            if positionals:
                value = positionals.pop(0)
                if param.code and positionals and code_continues(value, positionals[0]):
                    value = f"{value} {positionals.pop(0)}"
                values[param.name] = param.converter(value)
            elif param.required:
                raise UsageError("parse.missing_argument", name=Safe(param.metavar(lang)))
        elif param.kind == "rest":
            if positionals:
                values[param.name] = param.converter(" ".join(positionals))
                positionals = []
            elif param.required:
                raise UsageError("parse.missing_argument", name=Safe(param.metavar(lang)))
    if positionals:
        raise UsageError("parse.too_many_arguments", extra=" ".join(positionals))
    return values


def code_continues(first: str, following: str) -> bool:
    """Whether two words make one department code: a word of letters and a number, ``FB 68``,
    ``Amt 13``, ``Dez. II`` (the rule by which ``!dept add`` reads a code)."""
    return not _is_option(following) and converters.code_continues(first, following)


def _is_option(token: str) -> bool:
    return token.startswith("--") and len(token) > 2


class UnknownCommand(BotError):
    """No command matches; carries suggestions."""


@dataclass
class Registry:
    """All commands: top-level ones and groups, each reachable by its name and aliases."""

    top: dict[str, Command] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)

    def add_command(self, cmd: Command) -> None:
        for word in (cmd.name, *cmd.aliases):
            self._claim(word)
            self.top[word] = cmd

    def add_group(self, group: Group) -> None:
        for word in (group.name, *group.aliases):
            self._claim(word)
            self.groups[word] = group

    def _claim(self, word: str) -> None:
        if word in self.top or word in self.groups:
            raise ValueError(f"command word {word!r} is used twice")

    def commands(self) -> list[Command]:
        """Every command once, top-level ones first."""
        return self.unique_top() + [c for g in self.unique_groups() for c in g.all_commands()]

    def unique_groups(self) -> list[Group]:
        """The top-level groups, each once."""
        return _distinct(self.groups.values())

    def all_groups(self) -> list[Group]:
        """Every group once, also those inside others."""
        found: list[Group] = []
        todo = self.unique_groups()
        while todo:
            group = todo.pop(0)
            found.append(group)
            todo.extend(group.unique_subgroups())
        return found

    def unique_top(self) -> list[Command]:
        return _distinct(self.top.values())

    def _close_words(self, word: str) -> list[str]:
        targets: dict[str, object] = {**self.top, **self.groups}
        return _close(word, targets)

    def resolve(
        self, tokens: list[str], prefix: str, lang: str = "en"
    ) -> tuple[Command, list[str]]:
        """The command named by the first token(s), and the tokens left for its arguments;
        suggestions are written in ``lang``'s words, after the group word the person typed."""
        word = tokens[0].lower()
        if word in self.top:
            return self.top[word], tokens[1:]
        group = self.groups.get(word)
        if group is None:
            raise UnknownCommand(
                "error.unknown_command",
                command=f"{prefix}{_clip(tokens[0])}",
                suggestions=[f"{prefix}{w}" for w in self._close_words(word)],
            )
        depth = 1
        while True:
            # Words of the registry, so safe to repeat as they are.
            typed = Safe(prefix + " ".join(w.lower() for w in tokens[:depth]))
            if len(tokens) <= depth:
                if group.default is not None:
                    return group.commands[group.default], []
                raise UnknownCommand(
                    "error.missing_subcommand",
                    command=typed,
                    group=typed,
                    suggestions=[f"{typed} {w}" for w in group_words(group, lang)],
                )
            sub = tokens[depth].lower()
            if sub in group.subgroups:
                group = group.subgroups[sub]
                depth += 1
                continue
            cmd = group.commands.get(sub)
            if cmd is not None:
                return cmd, tokens[depth + 1 :]
            if group.fallback is not None and group.fallback[1](tokens[depth]):
                return group.commands[group.fallback[0]], tokens[depth:]
            targets: dict[str, Command | Group] = {**group.commands, **group.subgroups}
            raise UnknownCommand(
                "error.unknown_subcommand",
                command=_clip(tokens[depth]),
                group=typed,
                suggestions=[f"{typed} {targets[c].word(lang)}" for c in _close(sub, targets)]
                or [f"{typed} {w}" for w in group_words(group, lang)],
            )


def group_words(group: Group, lang: str) -> list[str]:
    """The words of a group's commands and inner groups, in ``lang``."""
    return [c.word(lang) for c in group.unique_commands()] + [
        g.word(lang) for g in group.unique_subgroups()
    ]


ECHO_LIMIT = 40


def _clip(word: str) -> str:
    """A word the user typed, as an error message repeats it: at most ECHO_LIMIT characters."""
    return word if len(word) <= ECHO_LIMIT else word[: ECHO_LIMIT - 1] + "…"


def _distinct(values: Iterable[T]) -> list[T]:
    """Each object once (a command is listed under its name and each alias), in order."""
    return list({id(v): v for v in values}.values())


def _close(word: str, targets: Mapping[str, object]) -> list[str]:
    """Words close to ``word``, at most one per command (``!help``, not also ``!hilfe``)."""
    seen: set[int] = set()
    result = []
    for match in difflib.get_close_matches(word, list(targets)):
        if id(targets[match]) not in seen:
            seen.add(id(targets[match]))
            result.append(match)
    return result


def run(ctx: Context, text: str) -> str | None:
    """Parse ``text`` (the message without its prefix), authorise, and call the handler."""
    tokens = tokenize(text)
    if not tokens:
        raise UnknownCommand("error.unknown_command", command=ctx.prefix, suggestions=[])
    cmd, rest = ctx.registry.resolve(tokens, ctx.prefix, ctx.lang)
    typed = [word.lower() for word in tokens[: len(tokens) - len(rest)]]
    if cmd.requires is Role.ADMIN and not ctx.is_admin:
        raise Forbidden("error.forbidden_admin", admins=People(ctx.admins))
    if cmd.needs_board and ctx.board is None:
        raise BotError("error.no_board", prefix=Safe(ctx.prefix))
    try:
        return cmd.func(ctx, **bind(cmd, rest, ctx.lang))
    except UsageError as exc:
        exc.usage = exc.usage or cmd.usage(ctx.prefix, ctx.lang, typed)
        raise
