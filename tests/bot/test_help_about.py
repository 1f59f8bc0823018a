"""``!help`` and ``!about``, in German by default and in English once the board says so."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from board_bot import __version__
from board_bot.chat.framework import Command, Group, Registry
from tests.bot.conftest import BotHarness

CODE = re.compile(r"`([^`]+)`")


def _check_first_screen(reply: str, registry: Registry, lang: str) -> None:
    """At most 25 lines of at most 80 characters, and every command word shown is the reader's
    word of a command or group the registry has."""
    lines = reply.splitlines()
    assert len(lines) <= 25
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    shown = [words for words in CODE.findall(reply) if "<" not in words]
    assert len(shown) >= 20
    for words in shown:
        first, *rest = words.removeprefix("!").split()
        if first in registry.top:
            target: Command | Group = registry.top[first]
            word = first
        else:
            target = registry.groups[first]
            word = first
            for sub in rest:
                target = target.subgroups.get(sub) or target.commands[sub]  # type: ignore[union-attr]
                word = sub
        assert word == target.word(lang), (lang, words)


@pytest.mark.parametrize("command", ["!help", "!hilfe", "!h", "!HILFE"])
def test_the_first_help_fits_a_phone_in_german(bot: BotHarness, command: str) -> None:
    reply = bot.reply(command)
    assert reply.startswith("**Hilfe zum Smart City Board Bot**")
    _check_first_screen(reply, bot.dispatcher.registry, "de")
    for word in ("!bericht", "!protokoll", "!beschlüsse", "!abwesend", "!werbinich", "!ap"):
        assert f"`{word}`" in reply
    assert "- `!meldung` – Statusmeldung Ihres Fachbereichs abgeben" in reply
    assert "Mehr: `!hilfe <Befehl>`, z. B. `!hilfe ap` oder `!hilfe bericht`." in reply


def test_the_first_help_fits_a_phone_in_english(board_bot: BotHarness) -> None:
    board_bot.reply("!board sprache en")
    reply = board_bot.reply("!hilfe")
    assert reply.startswith("**Smart City Board bot: help**")
    _check_first_screen(reply, board_bot.dispatcher.registry, "en")
    for word in ("!summary", "!minutes", "!decisions", "!away", "!whoami", "!wp"):
        assert f"`{word}`" in reply


def test_help_works_before_a_board_exists_and_in_any_room(bot: BotHarness) -> None:
    assert bot.reply("!hilfe", room="!elsewhere:example.org", sender="@anyone:other.example")


def test_help_on_one_command_shows_usage_other_words_and_who_may_use_it(bot: BotHarness) -> None:
    reply = bot.reply("!help board init")
    assert reply.splitlines() == [
        "- `!board einrichten <Name>`",
        "  Macht diesen Raum zum Board-Raum eines neuen Smart City Boards",
        "  Auch: `!board init`, `!board anlegen`",
        "  Nur für den Board-Vorsitz (CDO).",
    ]
    # The other words are our own Markdown: code in the HTML, not escaped backticks.
    [content] = bot.contents()
    assert (
        "Auch: <code>!board init</code>, <code>!board anlegen</code>" in (content["formatted_body"])
    )
    # The prefix may be typed along, and any word leads to the same help.
    assert bot.reply("!hilfe !board init") == reply
    assert bot.reply("!hilfe gremium anlegen") == reply


def test_help_on_a_group_lists_its_commands(bot: BotHarness) -> None:
    reply = bot.reply("!hilfe board")
    assert reply.startswith("**!board** – Das Board dieses Raums einrichten und anzeigen")
    assert "Auch: `!gremium`" in reply
    [content] = bot.contents()
    assert "Auch: <code>!gremium</code>" in content["formatted_body"]
    for usage in ("!board einrichten <Name>", "!board zeigen", "!board sprache <Sprache>"):
        assert f"`{usage}`" in reply


def test_help_on_the_summary_lists_its_forms_in_either_word(bot: BotHarness) -> None:
    reply = bot.reply("!hilfe bericht")
    assert bot.reply("!hilfe summary") == reply
    for form in ("zeigen", "seit <Datum>", "fb <Kürzel>", "ll <1-4>", "kw <Woche>", "exportieren"):
        assert f"- `!bericht {form}`" in reply


def test_help_on_an_unknown_topic_says_so(bot: BotHarness) -> None:
    assert bot.reply("!hilfe zauberei") == "Zu „zauberei“ gibt es keine Hilfe."


def test_a_usage_line_names_the_command_as_the_person_typed_it(board_bot: BotHarness) -> None:
    assert board_bot.reply("!bericht seit") == (
        "Es fehlt die Angabe `<Datum>`.\n\nAufruf: `!bericht seit <Datum>`"
    )
    assert board_bot.reply("!summary since").endswith("Aufruf: `!summary since <Datum>`")


def test_help_is_english_after_the_board_switches_language(board_bot: BotHarness) -> None:
    assert board_bot.reply("!board language en") == "The board's language is now English."
    reply = board_bot.reply("!help")
    assert reply.startswith("**Smart City Board bot: help**")
    assert "More: `!help <command>`" in reply
    assert "Zeigt" not in reply
    assert board_bot.reply("!help board einrichten").splitlines() == [
        "- `!board init <name>`",
        "  Make this room the board room of a new Smart City Board",
        "  Also: `!board einrichten`, `!board anlegen`",
        "  For the Board chair (CDO) only.",
    ]
    # Only this room's board speaks English; a room without a board keeps the default.
    assert board_bot.reply("!help", room="!other:example.org").startswith("**Hilfe")
    # And back.
    assert board_bot.reply("!board language deutsch") == "Die Sprache des Boards ist jetzt Deutsch."
    assert board_bot.reply("!help").startswith("**Hilfe")


def test_english_default_language_from_config(bot_factory: Callable[..., BotHarness]) -> None:
    bot = bot_factory(language="en")
    assert bot.reply("!help").startswith("**Smart City Board bot: help**")
    assert "Language: English" in bot.reply("!board init Smart Board")


@pytest.mark.parametrize("command", ["!about", "!info", "!über", "!version"])
def test_about_shows_version_database_encryption_and_boards(bot: BotHarness, command: str) -> None:
    reply = bot.reply(command)
    assert reply.startswith(f"**Smart City Board Bot** {__version__}")
    assert "- Läuft seit: 07.12.2026, 09:00 Uhr (0 Min.)" in reply
    assert "- Datenbank: SQLite" in reply
    assert "- Verschlüsselung: an" in reply
    assert "davon mit Board: 0" in reply


def test_about_counts_boards_and_uptime(bot: BotHarness) -> None:
    bot.reply("!board init Board Nord")
    bot.reply("!board init Board Süd", room="!sued:example.org")
    bot.clock.advance(timedelta(days=1, hours=2, minutes=5))
    reply = bot.reply("!about")
    assert "davon mit Board: 2" in reply
    assert "(1 Tg. 2 Std.)" in reply


def test_about_in_english_says_encryption_off(bot_factory: Callable[..., BotHarness]) -> None:
    bot = bot_factory(encryption=False, language="en")
    bot.clock.advance(timedelta(hours=3, minutes=7))
    reply = bot.reply("!about")
    assert "- Encryption: off" in reply
    assert "- Database: SQLite" in reply
    assert "(3 h 7 min)" in reply


def test_help_on_departments_lists_usage_and_the_code_rule(bot: BotHarness) -> None:
    reply = bot.reply("!hilfe fb")
    assert reply.startswith("**!fb** – Die Fachbereiche des Boards verwalten")
    assert "Auch: `!dept`, `!fachbereich`, `!amt`" in reply
    assert (
        "- `!fb anlegen <Kürzel> <Name> [--room RAUM]`\n  Legt einen Fachbereich an: erst das "
        "Kürzel (FB 61, Amt 13, RPA; ein Kürzel aus mehreren Wörtern ohne Ziffer in "
        "Anführungszeichen, z. B. „Stab OB“), dann der Name"
    ) in reply
    assert reply.count("Nur für den Board-Vorsitz (CDO).") == 4  # add, rename, archive, room
    [content] = bot.contents()
    assert (
        "<code>!fb anlegen &lt;Kürzel&gt; &lt;Name&gt; [--room RAUM]</code>"
        in (content["formatted_body"])
    )


def test_help_on_away_and_roles(bot: BotHarness) -> None:
    assert bot.reply("!hilfe urlaub").splitlines()[:2] == [
        "- `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        "  Trägt eine Abwesenheit ein: ein Datum (31.12.2026, 31.12., morgen, +2w) oder von - bis, "
        "dann optional der Grund; `streichen <Datum>` nimmt eine zurück",
    ]
    assert (
        bot.reply("!hilfe rolle zuweisen")
        .splitlines()[0]
        .startswith("- `!rolle zuweisen <Person> <Rolle> [Kürzel]`")
    )
