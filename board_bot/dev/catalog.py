"""The message keys the code uses, found by reading it: the extractor ``pybabel extract`` calls
(see ``babel.cfg``) and the tests that hold the catalogs and the code together.

A key reaches the catalog in one of four ways, and each is found with ``ast`` (not a regex, so
``"a" if x else "b"`` and keys split over lines are seen):

- ``t(lang, "key", …)`` – a text;
- ``tn(lang, "key", n, …)`` – a text with plural forms (extracted with ``msgid_plural``);
- ``SomeError("key", …)`` – an error a command raises, shown to the user;
- ``N_("key")`` – a key kept in data (a field's label) and looked up later.

Keys built at run time (``f"cmd.{path}"``) cannot be read off the code: each f-string pattern
must be listed in :func:`dynamic_keys` with every key it can produce, or the extraction fails.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
KEY_SHAPE = re.compile(r"[a-z_]+(\.[a-z_]+)*")
#: An f-string that looks like a key: ``"namespace.{…}"``, ``"wp.{…}.{…}"``, ``"x.{…}_missing"``.
DYNAMIC_SHAPE = re.compile(r"[a-z_]+\.[a-z_.{}]*\{\}[a-z_.{}]*")


def sources() -> list[Path]:
    """The product code: every module of ``board_bot`` and ``commands``."""
    return sorted([*ROOT.glob("board_bot/**/*.py"), *ROOT.glob("commands/**/*.py")])


@cache
def error_classes() -> frozenset[str]:
    """The names of every error a command can raise with a key as its first argument."""
    from board_bot.chat.framework import UnknownCommand
    from board_bot.core.errors import BotError

    found = {BotError.__name__, UnknownCommand.__name__}
    todo: list[type[BotError]] = [BotError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return frozenset(found)


@cache
def dynamic_keys() -> Mapping[str, frozenset[str]]:
    """Each f-string key pattern in the code, and the keys it stands for."""
    from board_bot.core.config import LANGUAGES
    from board_bot.core.workdays import BUNDESLAENDER
    from board_bot.features.council import papers
    from board_bot.features.people import service as people
    from board_bot.features.work_packages.fields import FIELDS
    from board_bot.features.work_packages.vocabulary import LEITLINIEN, VOCABULARIES
    from board_bot.features.workshops import minutes
    from board_bot.features.workshops import service as workshops
    from commands import build_registry

    registry = build_registry()
    return {
        "wp.field.{}": frozenset(f.label_key for f in FIELDS),
        "wp.{}.{}": frozenset(v.key(code) for v in VOCABULARIES for code in v.codes),
        "workshop.rsvp_{}": frozenset(f"workshop.rsvp_{a}" for a in workshops.ANSWERS),
        "workshop.answered_{}": frozenset(f"workshop.answered_{a}" for a in workshops.ANSWERS),
        "minutes.{}_missing": frozenset(f"minutes.{kind}_missing" for kind in minutes.KINDS),
        "decision.status_{}": frozenset(f"decision.status_{s}" for s in minutes.STATUSES),
        "language.{}": frozenset(f"language.{lang}" for lang in LANGUAGES),
        "cmd.{}": frozenset(f"cmd.{c.path}" for c in registry.commands()),
        "group.{}": frozenset(f"group.{g.path}" for g in registry.all_groups()),
        # The placeholder of every parameter in usage lines (a flag has none).
        "arg.{}": frozenset(
            f"arg.{p.name}" for c in registry.commands() for p in c.params if p.kind != "flag"
        ),
        "role_name.{}": frozenset(f"role_name.{role}" for role in people.ROLES),
        "land.{}": frozenset(f"land.{code.lower()}" for code in BUNDESLAENDER),
        "leitlinie.short.{}": frozenset(f"leitlinie.short.{n}" for n in LEITLINIEN),
        "leitlinie.name.{}": frozenset(f"leitlinie.name.{n}" for n in LEITLINIEN),
        "council.by_{}": frozenset(f"council.by_{a}" for a in papers.ARTICLES),
        "council.outcome_{}": frozenset(f"council.outcome_{o}" for o in papers.OUTCOMES),
    }


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _strings(node: ast.AST) -> list[str]:
    """The string literals ``node`` can evaluate to (f-strings are handled on their own)."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.JoinedStr):
        return []
    return [s for child in ast.iter_child_nodes(node) for s in _strings(child)]


def _fstring_pattern(node: ast.JoinedStr) -> str:
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


def keys_in(tree: ast.AST) -> Iterator[tuple[int, str, bool]]:
    """``(line, key, plural)`` for every literal key in ``tree``."""
    errors = error_classes()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        arg: ast.AST | None = None
        plural = False
        if name in ("t", "tn") and len(node.args) >= 2:
            arg, plural = node.args[1], name == "tn"
        elif (name in errors or name == "N_") and node.args:
            arg = node.args[0]
        if arg is not None:
            for key in _strings(arg):
                yield node.lineno, key, plural


def patterns_in(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """``(line, pattern)`` for every f-string in ``tree`` shaped like a key."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            pattern = _fstring_pattern(node)
            if DYNAMIC_SHAPE.fullmatch(pattern):
                yield node.lineno, pattern


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """The Babel extraction method (``babel.cfg``): the keys of one source file."""
    source = fileobj.read().decode("utf-8")
    tree = ast.parse(source)
    for line, key, plural in keys_in(tree):
        # Reported under gettext's own names, whose specs Babel knows (singular; singular and
        # plural): the key itself is the message id.
        yield line, "ngettext" if plural else "_", (key, key) if plural else key, []
    known = dynamic_keys()
    for line, pattern in patterns_in(tree):
        if pattern not in known:
            raise ValueError(
                f"line {line}: the key pattern {pattern!r} is built at run time; list the keys "
                "it can produce in board_bot.dev.catalog.dynamic_keys"
            )
        for key in sorted(known[pattern]):
            yield line, "_", key, [f"built at run time from {pattern}"]


def scan() -> tuple[dict[str, set[str]], dict[str, set[str]], set[str]]:
    """(literal keys, f-string patterns), each mapped to the files that use them, and the
    plural keys."""
    literal: dict[str, set[str]] = {}
    dynamic: dict[str, set[str]] = {}
    plural: set[str] = set()
    for path in sources():
        where = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=where)
        for _, key, is_plural in keys_in(tree):
            literal.setdefault(key, set()).add(where)
            if is_plural:
                plural.add(key)
        for _, pattern in patterns_in(tree):
            dynamic.setdefault(pattern, set()).add(where)
    return literal, dynamic, plural
