"""Bad input gets a clear message naming what was wrong and what would be right; nothing changes."""

from __future__ import annotations

import pytest

from board_bot.models import HandledEvent
from tests.bot.conftest import BotHarness

CASES = [
    pytest.param(
        "!hilf",
        "Unbekannter Befehl „!hilf“. Meinten Sie `!hilfe`? Alle Befehle zeigt `!hilfe`.",
        id="unknown-command-with-suggestion",
    ),
    pytest.param(
        "!bord show",
        "Unbekannter Befehl „!bord“. Meinten Sie `!board`? Alle Befehle zeigt `!hilfe`.",
        id="unknown-group-with-suggestion",
    ),
    pytest.param(
        "!board shwo",
        "`!board` kennt den Befehl „shwo“ nicht. Meinten Sie `!board zeigen`? "
        "Alle Befehle zeigt `!hilfe`.",
        id="unknown-subcommand-with-suggestion",
    ),
    pytest.param(
        "!board",
        "Bitte geben Sie an, was `!board` tun soll. Meinten Sie `!board einrichten` oder "
        "`!board zeigen` oder `!board sprache`? Alle Befehle zeigt `!hilfe`.",
        id="missing-subcommand",
    ),
    pytest.param(
        "!xyzzy",
        "Unbekannter Befehl „!xyzzy“. Alle Befehle zeigt `!hilfe`.",
        id="unknown-command-without-suggestion",
    ),
    pytest.param(
        "!board init",
        "Es fehlt die Angabe `<Name>`.\n\nAufruf: `!board init <Name>`",
        id="missing-argument",
    ),
    pytest.param(
        "!board language",
        "Es fehlt die Angabe `<Sprache>`.\n\nAufruf: `!board language <Sprache>`",
        id="missing-argument-2",
    ),
    pytest.param(
        '!board init "Smart City Board',
        "Ein Anführungszeichen wurde nicht geschlossen.",
        id="unclosed-quote",
    ),
    pytest.param(
        "!board init „Smart City Board",
        "Ein Anführungszeichen wurde nicht geschlossen.",
        id="unclosed-german-quote",
    ),
    pytest.param(
        "!board init --dept DIG Smart City Board",
        "Die Option „--dept“ gibt es hier nicht.\n\nAufruf: `!board init <Name>`",
        id="unknown-option",
    ),
    pytest.param(
        "!board language fr",
        "„fr“ ist keine unterstützte Sprache. Möglich sind: de, en.\n\n"
        "Aufruf: `!board language <Sprache>`",
        id="bad-language",
    ),
    pytest.param(
        "!board language en de",
        "Zu viele Angaben: „de“ wird nicht erwartet.\n\nAufruf: `!board language <Sprache>`",
        id="too-many-arguments",
    ),
    pytest.param(
        "!board init " + "x" * 501,
        "Der Text ist zu lang (501 Zeichen, höchstens 500).\n\nAufruf: `!board init <Name>`",
        id="name-too-long",
    ),
    pytest.param(
        "!board init Smart City\x00Board",
        "Der Text enthält unzulässige Steuerzeichen. Bitte geben Sie ihn ohne diese Zeichen ein."
        "\n\nAufruf: `!board init <Name>`",
        id="name-with-nul",
    ),
    pytest.param(
        "!board init Board \u202eNord",
        "Der Text enthält unzulässige Steuerzeichen. Bitte geben Sie ihn ohne diese Zeichen ein."
        "\n\nAufruf: `!board init <Name>`",
        id="name-with-bidi-override",
    ),
    pytest.param(
        "!" + "x" * 5000,
        "Unbekannter Befehl „!" + "x" * 39 + "…“. Alle Befehle zeigt `!hilfe`.",
        id="long-unknown-command-is-cut",
    ),
    pytest.param(
        "!board " + "y" * 5000,
        "`!board` kennt den Befehl „" + "y" * 39 + "…“ nicht. Meinten Sie `!board einrichten` oder "
        "`!board zeigen` oder `!board sprache`? Alle Befehle zeigt `!hilfe`.",
        id="long-unknown-subcommand-is-cut",
    ),
]


@pytest.mark.parametrize(("command", "expected"), CASES)
def test_bad_input_is_explained_and_changes_nothing(
    board_bot: BotHarness, command: str, expected: str
) -> None:
    # The default room has a board; a second room has none, so init could have succeeded there.
    room = "!board:example.org" if "language" in command else "!fresh:example.org"
    before = board_bot.domain_state()
    assert board_bot.reply(command, room=room) == expected
    assert board_bot.domain_state() == before
    # The language did not change: the board still answers in German.
    assert board_bot.reply("!hilfe").startswith("**Hilfe")


def test_bad_input_is_recorded_as_handled_so_it_is_answered_once(bot: BotHarness) -> None:
    assert bot.handle("!hilf", event_id="$typo") != []
    assert bot.handle("!hilf", event_id="$typo") == []
    [event] = bot.rows(HandledEvent)
    assert (event.event_id, event.outcome) == ("$typo", "unknown")


def test_bad_input_in_english(board_bot: BotHarness) -> None:
    board_bot.reply("!board language en")
    assert board_bot.reply("!board language fr") == (
        "“fr” is not a supported language. Choose one of: de, en.\n\n"
        "Usage: `!board language <language>`"
    )
    assert board_bot.reply("!hilf") == (
        "Unknown command “!hilf”. Did you mean `!hilfe`? `!help` lists all commands."
    )


def test_user_text_in_an_error_is_escaped(bot: BotHarness) -> None:
    bot.handle("!<img src=x onerror=alert(1)>")
    [content] = bot.contents()
    assert "<img" not in content["formatted_body"]
    assert "&lt;img" in content["formatted_body"]
    bot.handle("!hilfe @room")
    [content] = bot.contents()
    assert "@room" not in content["body"]
    assert content["m.mentions"] == {}


def test_control_characters_are_refused_in_english(board_bot: BotHarness) -> None:
    board_bot.reply("!board language en")
    assert board_bot.reply("!board init a\x1b[31mb") == (
        "The text contains control characters that are not allowed. Please enter it without "
        "them.\n\nUsage: `!board init <name>`"
    )


def test_our_markdown_in_an_error_stays_markdown(bot: BotHarness) -> None:
    """Usage lines and suggestions are our own Markdown: code in the HTML, not escaped text."""
    bot.handle("!board init")
    [content] = bot.contents()
    assert "<code>&lt;Name&gt;</code>" in content["formatted_body"]
    assert "<code>!board init &lt;Name&gt;</code>" in content["formatted_body"]
    assert "\\" not in content["body"]
    bot.handle("!board")
    [content] = bot.contents()
    for code in ("!board", "!board einrichten", "!board zeigen", "!board sprache", "!hilfe"):
        assert f"<code>{code}</code>" in content["formatted_body"]
    assert "`" not in content["formatted_body"]


def test_a_typed_word_is_escaped_once(bot: BotHarness) -> None:
    bot.handle("!board *fett*_<b>")
    [content] = bot.contents()
    assert content["body"].startswith("`!board` kennt den Befehl „*fett*_<b>“ nicht.")
    assert "„*fett*_&lt;b&gt;“" in content["formatted_body"]
    assert "<em>" not in content["formatted_body"]


@pytest.mark.parametrize(
    "command",
    [
        "!wp edit WP-1 status \u202egeplant\x00",
        "!abwesend \u202e31.02.\u2066",
        "!wp list --sort \x1b[31mrot",
        "!wp liste --ampel \u202elila",
    ],
)
def test_quoted_input_comes_back_without_control_or_bidi_characters(
    bot: BotHarness, command: str
) -> None:
    bot.reply("!board init Testboard")
    bot.handle(command)
    [content] = bot.contents()
    assert (
        "lila" in content["body"]
        or "rot" in content["body"]
        or "Steuerzeichen" in (content["body"])
    )
    for text in (content["body"], content.get("formatted_body", "")):
        assert not any(ch in text for ch in "\x00\x1b\u202e\u2066"), text
