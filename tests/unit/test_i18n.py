"""The catalog: every key the code uses exists in German; de and en agree; formal address.

Keys are found by reading the sources with ``ast`` rather than a regex: it sees every string that
can reach ``t(lang, <key>)`` or an error's ``<key>`` argument, also inside ``"a" if x else "b"``
and across line breaks, and it finds the f-string keys (``f"cmd.{path}"``), each of which must be
known to this test.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from board_bot.chat.framework import UnknownCommand
from board_bot.core.config import LANGUAGES
from board_bot.core.errors import BotError
from board_bot.core.i18n import DEFAULT_LANGUAGE, MESSAGES, t
from board_bot.core.render import Safe, escape, markdown_to_html, plain_text
from board_bot.features.people import service as people
from commands import build_registry

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("board_bot/**/*.py"), *ROOT.glob("commands/**/*.py")])


def _error_classes() -> set[str]:
    found = {BotError.__name__}
    todo = [BotError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return found


ERROR_CLASSES = _error_classes() | {UnknownCommand.__name__}
KEY_SHAPE = re.compile(r"[a-z_]+(\.[a-z_]+)*")
# f-string keys in the code, and the keys each stands for.
DYNAMIC_KEYS = {
    "language.{}": {f"language.{lang}" for lang in LANGUAGES},
    "cmd.{}": {f"cmd.{c.path}" for c in build_registry().commands()},
    "group.{}": {f"group.{g.name}" for g in build_registry().unique_groups()},
    # Placeholders in usage lines; a parameter without one shows its own name.
    "arg.{}": {"arg.name", "arg.topic", "arg.language", "arg.code", "arg.dept", "arg.room"},
    "role_name.{}": {f"role_name.{role}" for role in people.ROLES},
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


def scan() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(literal keys, f-string key patterns), each mapped to the files that use them."""
    literal: dict[str, set[str]] = {}
    dynamic: dict[str, set[str]] = {}
    for path in SOURCES:
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=where)):
            if isinstance(node, ast.Call):
                name = _callee(node)
                arg: ast.AST | None = None
                if name == "t" and len(node.args) >= 2:
                    arg = node.args[1]
                elif name in ERROR_CLASSES and node.args:
                    arg = node.args[0]
                if arg is not None:
                    for key in _strings(arg):
                        literal.setdefault(key, set()).add(where)
            elif isinstance(node, ast.JoinedStr):
                pattern = _fstring_pattern(node)
                # A catalog-shaped f-string: "namespace.{...}"
                if re.fullmatch(r"[a-z_]+\.\{\}", pattern):
                    dynamic.setdefault(pattern, set()).add(where)
    return literal, dynamic


LITERAL_KEYS, DYNAMIC_PATTERNS = scan()


def test_the_scan_finds_keys() -> None:
    """Guards the scanner itself: it must see the keys we know are there."""
    assert {"error.internal", "parse.unclosed_quote", "convert.date", "help.unknown_topic"} <= set(
        LITERAL_KEYS
    )
    assert {"about.encryption_on", "about.encryption_off"} <= set(LITERAL_KEYS)  # x if c else y
    assert set(DYNAMIC_PATTERNS) >= {"language.{}", "cmd.{}", "group.{}"}


@pytest.mark.parametrize("key", sorted(LITERAL_KEYS))
def test_every_key_in_the_code_has_german_text(key: str) -> None:
    assert KEY_SHAPE.fullmatch(key), f"{key!r} does not look like a key ({LITERAL_KEYS[key]})"
    assert key in MESSAGES, f"{key} used in {sorted(LITERAL_KEYS[key])} is not in the catalog"
    assert MESSAGES[key].get(DEFAULT_LANGUAGE), f"{key} has no German text"


@pytest.mark.parametrize("pattern", sorted(DYNAMIC_PATTERNS))
def test_every_dynamic_key_is_known_and_complete(pattern: str) -> None:
    assert pattern in DYNAMIC_KEYS, (
        f"f-string key {pattern!r} in {sorted(DYNAMIC_PATTERNS[pattern])}: "
        "add the keys it can produce to DYNAMIC_KEYS in this test"
    )
    for key in DYNAMIC_KEYS[pattern]:
        assert key in MESSAGES, f"{key} is missing from the catalog"
        assert MESSAGES[key].get(DEFAULT_LANGUAGE), f"{key} has no German text"


def test_every_command_and_group_has_german_help() -> None:
    registry = build_registry()
    for cmd in registry.commands():
        assert f"cmd.{cmd.path}" in MESSAGES, cmd.path
        assert cmd.help("de") == MESSAGES[f"cmd.{cmd.path}"]["de"].format(**cmd.help_params)
    for group in registry.unique_groups():
        assert f"group.{group.name}" in MESSAGES, group.name
        assert group.help("de") == MESSAGES[f"group.{group.name}"]["de"]


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_has_german_and_english(key: str) -> None:
    assert set(MESSAGES[key]) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert MESSAGES[key][lang].strip(), f"{key} [{lang}] is empty"


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_de_and_en_have_the_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert _placeholders(entry["de"]) == _placeholders(entry["en"])


INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*|ihr seid)\b", re.IGNORECASE)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_german_uses_formal_address(key: str) -> None:
    match = INFORMAL.search(MESSAGES[key]["de"])
    assert match is None, f"{key}: informal {match.group(0)!r}" if match else ""


def test_t_fills_in_parameters_and_falls_back_to_german() -> None:
    assert t("en", "usage.line", usage=Safe("`!help`")) == "Usage: `!help`"
    assert t("de", "usage.line", usage=Safe("`!hilfe`")) == "Aufruf: `!hilfe`"
    assert t("fr", "about.encryption_on") == "an"
    # A parameter's braces are not formatted again (and, as user text, are escaped).
    assert t("de", "convert.int", value=Safe("{x}")) == "„{x}“ ist keine ganze Zahl."
    assert t("de", "convert.int", value="{x}") == "„\\{x\\}“ ist keine ganze Zahl."
    with pytest.raises(KeyError):
        t("de", "no.such.key")


# --- safe by default: t() escapes user text ---------------------------------------------------

DANGEROUS = "<b>fett</b> @room [x](https://evil.example) **laut**"


def test_t_escapes_a_raw_string_parameter() -> None:
    text = t("de", "board.already_exists", name=DANGEROUS)
    assert text == f"Dieser Raum ist bereits der Board-Raum von **{escape(DANGEROUS)}**."
    html = markdown_to_html(text)
    assert "<b>" not in html and "&lt;b&gt;fett&lt;/b&gt;" in html
    assert "<a" not in html and "**laut**" in html
    assert "@room" not in html and "@\u2060room" in html
    assert plain_text(text) == (
        "Dieser Raum ist bereits der Board-Raum von **<b>fett</b> @\u2060room "
        "[x](https://evil.example) **laut****."
    )


def test_t_returns_safe_and_escape_returns_safe() -> None:
    assert isinstance(t("de", "about.encryption_on"), Safe)
    assert isinstance(t("de", "convert.int", value="x"), Safe)
    assert isinstance(escape("x"), Safe)


def test_t_keeps_a_safe_parameter_as_it_is() -> None:
    text = t("de", "error.see_help", prefix=Safe("!"))
    assert text == "Alle Befehle zeigt `!hilfe`."
    assert "<code>!hilfe</code>" in markdown_to_html(text)
    assert t("de", "help.aliases", aliases=Safe("`!h`, `!?`")) == "Auch: `!h`, `!?`"


def test_t_does_not_escape_twice() -> None:
    """An escaped value and a nested t() are Safe: not escaped again."""
    once = t("de", "board.already_exists", name=escape("a*b"))
    assert once == t("de", "board.already_exists", name="a*b")
    assert "a\\*b" in once and "\\\\" not in once
    inner = t("de", "convert.int", value="<x>")
    outer = t("de", "help.aliases", aliases=inner)
    assert outer == "Auch: „\\<x\\>“ ist keine ganze Zahl."
    assert plain_text(outer) == "Auch: „<x>“ ist keine ganze Zahl."


def test_t_formats_numbers_and_other_values_as_they_are() -> None:
    assert t("de", "error.too_long", size=70_000, limit=65_536) == (
        "Diese Nachricht ist zu lang (70000 Bytes, erlaubt sind 65536). "
        "Bitte kürzen Sie den Befehl."
    )
