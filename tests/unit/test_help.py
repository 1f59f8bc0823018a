"""``!help`` renders from the registry: every command listed, German by default, or English."""

from __future__ import annotations

import pytest

from board_bot.chat.framework import Context, run
from board_bot.core.errors import NotFound
from board_bot.core.render import markdown_to_html
from commands import build_registry
from tests.unit.support import make_context

REGISTRY = build_registry()
COMMANDS = REGISTRY.commands()


def ask(topic: str, *, lang: str = "de", prefix: str = "!") -> str:
    ctx: Context = make_context(registry=REGISTRY, lang=lang, prefix=prefix)
    reply = run(ctx, f"help {topic}".strip())
    assert reply is not None
    return reply


@pytest.mark.parametrize("lang", ["de", "en"])
def test_overview_lists_every_command_with_usage_and_help(lang: str) -> None:
    text = ask("", lang=lang)
    for cmd in COMMANDS:
        assert f"- `{cmd.usage('!', lang)}` — {cmd.help(lang)}" in text


def test_overview_is_german_by_default() -> None:
    text = ask("")
    assert text.startswith("**Befehle des Smart City Board Bots**")
    assert "`!board init <Name>` — Macht diesen Raum zum Board-Raum" in text
    assert "`!hilfe <Befehl>`" in text


def test_overview_in_english() -> None:
    text = ask("", lang="en")
    assert text.startswith("**Smart City Board bot commands**")
    assert "`!board init <name>` — Make this room the board room of a new Smart City Board" in text
    assert "`!help <command>`" in text
    assert "Befehl" not in text


def test_overview_uses_the_configured_prefix() -> None:
    text = ask("", prefix=".")
    assert "`.board init <Name>`" in text
    assert "`!" not in text


def test_overview_renders_to_safe_html() -> None:
    html = markdown_to_html(ask(""))
    assert "<code>!board init &lt;Name&gt;</code>" in html
    assert "<ul>" in html


def test_group_help() -> None:
    text = ask("board")
    assert text.startswith("**!board** — Das Board dieses Raums einrichten und anzeigen")
    assert "Auch: `!gremium`" in text
    for cmd in REGISTRY.groups["board"].unique_commands():
        assert f"`{cmd.usage('!', 'de')}`" in text
    assert text.count("Nur für die Leitung des Boards.") == 2  # init and language


def test_command_help() -> None:
    text = ask("board init")
    assert text.splitlines() == [
        "- `!board init <Name>` — Macht diesen Raum zum Board-Raum eines neuen Smart City Boards",
        "  Auch: `!board anlegen`, `!board einrichten`",
        "  Nur für die Leitung des Boards.",
    ]


def test_command_help_in_english() -> None:
    text = ask("board init", lang="en")
    assert text.splitlines() == [
        "- `!board init <name>` — Make this room the board room of a new Smart City Board",
        "  Also: `!board anlegen`, `!board einrichten`",
        "  For the board's chairs only.",
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
    ],
)
def test_aliases_give_the_same_help(topic: str, same_as: str) -> None:
    assert ask(topic) == ask(same_as)


def test_every_command_word_has_help() -> None:
    for word in REGISTRY.top:
        assert ask(word)
    for word, group in REGISTRY.groups.items():
        assert ask(word)
        for sub in group.commands:
            assert ask(f"{word} {sub}")


def test_top_level_command_help_shows_aliases() -> None:
    assert ask("help").splitlines() == [
        "- `!help [Thema]` — Zeigt die Befehle und ihre Aufrufe",
        "  Auch: `!hilfe`, `!h`, `!?`",
    ]


@pytest.mark.parametrize(
    "topic", ["unsinn", "board unsinn", "board init extra", "help extra", "about board"]
)
def test_unknown_topic_is_not_found(topic: str) -> None:
    with pytest.raises(NotFound) as exc_info:
        ask(topic)
    assert exc_info.value.key == "help.unknown_topic"
    assert exc_info.value.params["topic"] == topic


def test_command_help_falls_back_to_the_docstring_in_english() -> None:
    for cmd in COMMANDS:
        first = (cmd.func.__doc__ or "").strip().splitlines()[0]
        assert cmd.help("en") == first.format(**cmd.help_params)


def test_the_edit_help_lists_every_field_people_can_edit() -> None:
    from board_bot.features.work_packages import fields

    [edit] = [c for c in COMMANDS if c.path == "wp.edit"]
    for lang in ("de", "en"):
        listed = edit.help(lang)
        for field in fields.FIELDS:
            if field.words:
                assert field.words[0] in listed, (lang, field.name)
    assert "budget" in edit.help("de")
