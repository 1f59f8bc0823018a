"""``!hilfe`` renders from the registry in the reader's language: a first screen that fits a
phone, details per group and per command, and every word of any language understood."""

from __future__ import annotations

import re

import pytest

from board_bot.chat.framework import Command, Context, Group, run
from board_bot.core.errors import NotFound, UsageError
from board_bot.core.render import markdown_to_html, plain_text
from commands import build_registry
from commands.help import MOST_NEEDED, TOPICS
from tests.unit.support import make_context

REGISTRY = build_registry()
COMMANDS = REGISTRY.commands()
CODE = re.compile(r"`([^`]+)`")


def ask(topic: str, *, lang: str = "de", prefix: str = "!") -> str:
    ctx: Context = make_context(registry=REGISTRY, lang=lang, prefix=prefix)
    reply = run(ctx, f"help {topic}".strip())
    assert reply is not None
    return reply


def _resolves(words: str, prefix: str = "!") -> Command | Group:
    """What a command word in the help stands for: a command or a group of the registry."""
    tokens = words.removeprefix(prefix).split()
    group = REGISTRY.groups.get(tokens[0])
    if group is None:
        return REGISTRY.top[tokens[0]]  # with a topic after it: ``!hilfe ap``
    for word in tokens[1:]:
        if word in group.subgroups:
            group = group.subgroups[word]
        else:
            return group.commands[word]
    return group


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("prefix", ["!", "..."])
def test_the_first_help_fits_a_phone_screen(lang: str, prefix: str) -> None:
    text = ask("", lang=lang, prefix=prefix)
    lines = text.splitlines()
    assert len(lines) <= 25
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert max(len(line) for line in plain_text(text).splitlines()) <= 80


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_word_in_the_first_help_is_the_readers_word(lang: str) -> None:
    text = ask("", lang=lang)
    shown = [w for w in CODE.findall(text) if "<" not in w]
    assert len(shown) >= 20
    for words in shown:
        target = _resolves(words)
        word = words.split()[0 if isinstance(target, Command) and not target.group else -1]
        assert word.removeprefix("!") == target.word(lang), (lang, words)


def test_german_help_shows_german_words_and_english_help_english_ones() -> None:
    german, english = ask(""), ask("", lang="en")
    for word in ("!bericht", "!protokoll", "!beschlüsse", "!abwesend", "!werbinich", "!ap"):
        assert f"`{word}`" in german
    for word in ("!summary", "!minutes", "!decisions", "!away", "!whoami", "!wp"):
        assert f"`{word}`" not in german
        assert f"`{word}`" in english
    assert german.startswith("**Hilfe zum Smart City Board Bot**")
    assert "`!hilfe <Befehl>`" in german and "`!help <command>`" in english
    assert "Befehl" not in english


def test_every_command_is_in_one_topic_and_the_most_needed_exist() -> None:
    named = [n for _, names in TOPICS for n in names]
    everything = [c.name for c in REGISTRY.unique_top()] + [
        g.name for g in REGISTRY.unique_groups()
    ]
    assert sorted(named) == sorted(n for n in everything if n != "help")  # help is the overview
    paths = {c.path for c in COMMANDS}
    assert all(path in paths for path, _ in MOST_NEEDED)


def test_the_overview_renders_to_safe_html() -> None:
    html = markdown_to_html(ask(""))
    assert "<code>!bericht</code>" in html
    assert "<ul>" in html


@pytest.mark.parametrize("lang", ["de", "en"])
def test_group_help_lists_every_command_in_the_readers_words(lang: str) -> None:
    for group in REGISTRY.all_groups():
        text = ask(" ".join(group.chain(lang)), lang=lang)
        for cmd in group.unique_commands():
            assert f"- `{cmd.usage('!', lang)}`\n  {cmd.help(lang)}" in text, cmd.path
        for inner in group.unique_subgroups():  # one line, and its own page
            assert f"- `!{' '.join(inner.chain(lang))}` …\n  {inner.help(lang)}" in text


GERMAN_ONLY = re.compile(r"\b(seit|kw|fb|abfrage|erinnerung|frist|Di|Mi|wöchentlich|monatlich)\b")


def test_english_help_pages_use_english_words() -> None:
    """Apart from the "Also:" lines, which list every word on purpose."""
    pages = [ask("", lang="en")] + [
        ask(" ".join(g.chain("en")), lang="en") for g in REGISTRY.all_groups()
    ]
    for page in pages:
        for line in page.splitlines():
            if not line.strip().startswith("Also:"):
                assert not GERMAN_ONLY.search(line), line


def test_the_summary_help_lists_its_forms() -> None:
    text = ask("bericht")
    assert text.startswith("**!bericht** – Der Lagebericht des Boards")
    for form in ("zeigen", "seit <Datum>", "fb <Kürzel>", "ll <1-4>", "kw <Woche>", "exportieren"):
        assert f"- `!bericht {form}`" in text
    assert "`!bericht` allein bedeutet `!bericht zeigen`." in text
    assert ask("summary") == ask("bericht") == ask("!lagebericht") == text
    english = ask("bericht", lang="en")
    assert english.startswith("**!summary** – ") and "- `!summary week <week>`" in english


def test_the_schedule_is_a_group_inside_status() -> None:
    text = ask("status zeitplan")
    assert text.startswith("**!status zeitplan** – ")
    for form in ("zeigen", "takt", "abfrage <Tag Uhrzeit>", "frist <Tag Uhrzeit>", "aus", "an"):
        assert f"- `!status zeitplan {form}" in text
    status = ask("status")
    assert "- `!status zeitplan` …" in status and "mehr: `!hilfe status zeitplan`" in status
    assert "`!status zeitplan zeigen`" not in status  # the details are on its own page
    assert ask("zeitplan") == text


def test_command_help() -> None:
    assert ask("board init").splitlines() == [
        "- `!board einrichten <Name>`",
        "  Macht diesen Raum zum Board-Raum eines neuen Smart City Boards",
        "  Auch: `!board init`, `!board anlegen`",
        "  Nur für den Board-Vorsitz (CDO).",
    ]


def test_command_help_in_english() -> None:
    assert ask("board einrichten", lang="en").splitlines() == [
        "- `!board init <name>`",
        "  Make this room the board room of a new Smart City Board",
        "  Also: `!board einrichten`, `!board anlegen`",
        "  For the Board chair (CDO) only.",
    ]


@pytest.mark.parametrize(
    ("topic", "same_as"),
    [
        ("gremium", "board"),
        ("BOARD", "board"),
        ("!board", "board"),
        ("gremium anlegen", "board init"),
        ("board einrichten", "board init"),
        ("hilfe", "help"),
        ("?", "help"),
        ("info", "about"),
        ("ap liste", "wp list"),
        ("status plan frist", "status schedule deadline"),
    ],
)
def test_any_word_gives_the_same_help(topic: str, same_as: str) -> None:
    assert ask(topic) == ask(same_as)


def test_every_command_word_has_help() -> None:
    for word in REGISTRY.top:
        assert ask(word)
    for group in REGISTRY.all_groups():
        for word in (group.name, *group.aliases):
            words = " ".join([*(group.parent.chain("en") if group.parent else []), word])
            assert ask(words)
            for sub in group.commands:
                assert ask(f"{words} {sub}")


def test_top_level_command_help_shows_the_other_words() -> None:
    assert ask("help").splitlines() == [
        "- `!hilfe [Thema]`",
        "  Zeigt die Befehle und ihre Aufrufe",
        "  Auch: `!help`, `!h`, `!?`",
    ]


@pytest.mark.parametrize(
    "topic", ["unsinn", "board unsinn", "board init extra", "help extra", "about board"]
)
def test_unknown_topic_is_not_found(topic: str) -> None:
    with pytest.raises(NotFound) as exc_info:
        ask(topic)
    assert exc_info.value.key == "help.unknown_topic"
    assert exc_info.value.params["topic"] == topic


@pytest.mark.parametrize(
    ("typed", "usage"),
    [
        ("bericht kw", "!bericht kw <Woche>"),
        ("summary woche", "!summary woche <Woche>"),
        ("lagebericht seit", "!lagebericht seit <Datum>"),
        ("ap zeigen", "!ap zeigen <AP>"),
        ("wp show", "!wp show <AP>"),
    ],
)
def test_a_usage_line_repeats_the_words_the_person_typed(typed: str, usage: str) -> None:
    ctx = make_context(registry=REGISTRY, with_board=True)
    with pytest.raises(UsageError) as exc_info:
        run(ctx, typed)
    assert exc_info.value.usage == usage


def test_the_edit_help_lists_every_field_people_can_edit() -> None:
    from board_bot.features.work_packages import fields

    [edit] = [c for c in COMMANDS if c.path == "wp.edit"]
    for lang in ("de", "en"):
        listed = plain_text(edit.help(lang))  # as people read it („öffentliche-beschreibung“)
        for field in fields.FIELDS:
            if field.words:
                assert field.words[0] in listed, (lang, field.name)
    assert "budget" in edit.help("de")
