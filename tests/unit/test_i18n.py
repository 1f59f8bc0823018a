"""The catalogs and the code agree: every key the code uses has a German and an English text with
the same placeholders, the catalogs hold no key the code does not use, plural keys have plural
forms, the compiled catalogs are those of the ``.po`` files, and German addresses people formally.

Keys are found as ``pybabel extract`` finds them (``board_bot.dev.catalog``): by reading the
sources with ``ast``, which sees every string that can reach ``t(lang, <key>)``, ``tn``, an
error's ``<key>`` argument or ``N_()``, also inside ``"a" if x else "b"`` and across line breaks;
each key built at run time (``f"cmd.{path}"``) must be declared with the keys it can produce.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from board_bot.core.config import LANGUAGES
from board_bot.core.i18n import DEFAULT_LANGUAGE, catalog_path, has_text, t, tn
from board_bot.core.render import Safe, escape, markdown_to_html, plain_text
from board_bot.dev import catalog as extraction
from commands import build_registry

LITERAL_KEYS, DYNAMIC_PATTERNS, PLURAL_KEYS = extraction.scan()
DYNAMIC_KEYS = extraction.dynamic_keys()
CODE_KEYS = set(LITERAL_KEYS) | {k for p in DYNAMIC_PATTERNS for k in DYNAMIC_KEYS.get(p, ())}


def _read(lang: str) -> Catalog:
    with catalog_path(lang, ".po").open("rb") as po:
        return read_po(po, locale=lang)


CATALOGS = {lang: _read(lang) for lang in LANGUAGES}


def _entries(lang: str) -> dict[str, Message]:
    return {_key(m): m for m in CATALOGS[lang] if m.id}


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


ENTRIES = {lang: _entries(lang) for lang in LANGUAGES}
GERMAN = ENTRIES[DEFAULT_LANGUAGE]


def test_the_scan_finds_keys() -> None:
    """Guards the scanner itself: it must see the keys we know are there."""
    assert {"error.internal", "parse.unclosed_quote", "convert.date", "help.unknown_topic"} <= set(
        LITERAL_KEYS
    )
    assert {"about.encryption_on", "about.encryption_off"} <= set(LITERAL_KEYS)  # x if c else y
    assert {"wp.show.owner", "status.line.no_package"} <= set(LITERAL_KEYS)  # N_()
    assert set(DYNAMIC_PATTERNS) >= {"language.{}", "cmd.{}", "group.{}", "wp.{}.{}"}
    assert PLURAL_KEYS, "tn() keys are found"


def test_the_scan_sees_keys_in_conditionals_errors_and_markers() -> None:
    tree = ast.parse(
        'x = t(lang, "a.b" if c else "a.c")\nraise UsageError("e.f")\ny = N_("g.h")\n'
        'z = tn(lang, "i.j", 3)\nw = f"k.{name}"\n'
    )
    found = {(key, plural) for _, key, plural in extraction.keys_in(tree)}
    assert found == {("a.b", False), ("a.c", False), ("e.f", False), ("g.h", False), ("i.j", True)}
    assert [p for _, p in extraction.patterns_in(tree)] == ["k.{}"]


@pytest.mark.parametrize("key", sorted(LITERAL_KEYS))
def test_every_key_in_the_code_has_german_text(key: str) -> None:
    assert extraction.KEY_SHAPE.fullmatch(key), f"{key!r} does not look like a key"
    assert key in GERMAN, (
        f"{key} used in {sorted(LITERAL_KEYS[key])} is not in the catalog: "
        "run scripts/catalogs update and write its German and English text"
    )
    assert all(_forms(GERMAN[key])), f"{key} has no German text"


@pytest.mark.parametrize("pattern", sorted(DYNAMIC_PATTERNS))
def test_every_key_built_at_run_time_is_declared_and_complete(pattern: str) -> None:
    assert pattern in DYNAMIC_KEYS, (
        f"f-string key {pattern!r} in {sorted(DYNAMIC_PATTERNS[pattern])}: "
        "list the keys it can produce in board_bot.dev.catalog.dynamic_keys"
    )
    for key in DYNAMIC_KEYS[pattern]:
        assert key in GERMAN, f"{key} (from {pattern}) is missing from the catalog"
        assert all(_forms(GERMAN[key])), f"{key} has no German text"


def test_the_catalogs_hold_only_keys_the_code_uses() -> None:
    for lang in LANGUAGES:
        unused = sorted(set(ENTRIES[lang]) - CODE_KEYS)
        assert not unused, f"[{lang}] keys no code uses (scripts/catalogs update): {unused}"
        assert not list(CATALOGS[lang].obsolete), f"[{lang}] obsolete entries are left"


def test_plural_keys_have_plural_forms_and_others_do_not() -> None:
    for lang in LANGUAGES:
        for key, message in ENTRIES[lang].items():
            assert message.pluralizable == (key in PLURAL_KEYS), f"[{lang}] {key}"


def test_every_command_and_group_has_help_in_both_languages() -> None:
    registry = build_registry()
    for lang in LANGUAGES:
        for cmd in registry.commands():
            assert f"cmd.{cmd.path}" in ENTRIES[lang], cmd.path
            assert cmd.help(lang)
        for group in registry.unique_groups():
            assert f"group.{group.name}" in ENTRIES[lang], group.name


@pytest.mark.parametrize("key", sorted(GERMAN))
def test_every_entry_has_german_and_english(key: str) -> None:
    for lang in LANGUAGES:
        assert key in ENTRIES[lang], f"{key} has no {lang} entry"
        forms = _forms(ENTRIES[lang][key])
        assert all(f.strip() for f in forms), f"{key} [{lang}] is empty"
        assert "fuzzy" not in ENTRIES[lang][key].flags, f"{key} [{lang}] is fuzzy"


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("key", sorted(GERMAN))
def test_de_and_en_have_the_same_placeholders(key: str) -> None:
    wanted = _placeholders(_forms(GERMAN[key])[0])
    for lang in LANGUAGES:
        for form in _forms(ENTRIES[lang][key]):
            found = _placeholders(form)
            # A plural's singular may say "one" instead of {n}.
            assert found == wanted or found | {"n"} == wanted | {"n"}, f"{key} [{lang}]: {form!r}"


def test_the_compiled_catalogs_are_those_of_the_po_files() -> None:
    for lang in LANGUAGES:
        with catalog_path(lang).open("rb") as mo:
            compiled = {_key(m): _forms(m) for m in read_mo(mo) if m.id}
        source = {k: _forms(m) for k, m in ENTRIES[lang].items()}
        assert compiled == source, (
            f"[{lang}] the .mo file is older than the .po file: run scripts/catalogs compile"
        )


INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*|ihr seid)\b", re.IGNORECASE)
#: Inline code (a command, a configuration key like `dir`) is no address: left out.
CODE = re.compile(r"`[^`]*`")


@pytest.mark.parametrize("key", sorted(GERMAN))
def test_german_uses_formal_address(key: str) -> None:
    for form in _forms(GERMAN[key]):
        match = INFORMAL.search(CODE.sub("", form))
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
    assert has_text("error.internal") and not has_text("no.such.key")


def test_tn_picks_the_plural_form() -> None:
    key = sorted(PLURAL_KEYS)[0]
    one, many = (tn(lang, key, n, **_dummy(key)) for lang, n in (("de", 1), ("de", 3)))
    assert one != many
    with pytest.raises(KeyError):
        tn("de", "no.such.key", 2)


def _dummy(key: str) -> dict[str, object]:
    return {p: "x" for p in _placeholders(_forms(GERMAN[key])[1]) if p != "n"}


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


def test_t_formats_numbers_in_the_readers_language() -> None:
    assert t("de", "error.too_long", size=70_000, limit=65_536) == (
        "Diese Nachricht ist zu lang (70.000 Bytes, erlaubt sind 65.536). "
        "Bitte kürzen Sie den Befehl."
    )
    assert t("en", "error.too_long", size=70_000, limit=65_536).startswith(
        "This message is too long (70,000 bytes, the limit is 65,536)."
    )


def test_the_scanner_reads_every_source_file() -> None:
    assert Path(extraction.ROOT, "commands", "help.py") in extraction.sources()
