"""``!help`` and ``!about``, in German by default and in English once the board says so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from board_bot import __version__
from tests.bot.conftest import BotHarness


@pytest.mark.parametrize("command", ["!help", "!hilfe", "!h", "!HILFE"])
def test_help_lists_every_command_in_german(bot: BotHarness, command: str) -> None:
    reply = bot.reply(command)
    assert reply.startswith("**Befehle des Smart City Board Bots**")
    for usage in [
        "`!help [Thema]` — Zeigt die Befehle und ihre Aufrufe",
        "`!about` — Zeigt Version, Laufzeit, Datenbank und Verschlüsselung des Bots",
        "`!board init <Name>` — Macht diesen Raum zum Board-Raum eines neuen Smart City Boards",
        "`!board show` — Zeigt Name, Sprache, Zeitzone, Bundesland und nächsten Arbeitstag "
        "des Boards",
        "`!board language <Sprache>` — Stellt die Sprache des Boards um (de oder en)",
    ]:
        assert f"- {usage}" in reply
    assert "Mehr zu einem Befehl: `!hilfe <Befehl>`" in reply


def test_help_works_before_a_board_exists_and_in_any_room(bot: BotHarness) -> None:
    assert bot.reply("!hilfe", room="!elsewhere:example.org", sender="@anyone:other.example")


def test_help_on_one_command_shows_usage_aliases_and_who_may_use_it(bot: BotHarness) -> None:
    reply = bot.reply("!help board init")
    assert reply.splitlines() == [
        "- `!board init <Name>` — Macht diesen Raum zum Board-Raum eines neuen Smart City Boards",
        "  Auch: `!board anlegen`, `!board einrichten`",
        "  Nur für die Leitung des Boards.",
    ]
    # The aliases are our own Markdown: code in the HTML, not escaped backticks.
    [content] = bot.contents()
    assert (
        "Auch: <code>!board anlegen</code>, <code>!board einrichten</code>"
        in (content["formatted_body"])
    )
    # The prefix may be typed along, and aliases lead to the same help.
    assert bot.reply("!hilfe !board init") == reply
    assert bot.reply("!hilfe gremium anlegen") == reply


def test_help_on_a_group_lists_its_commands(bot: BotHarness) -> None:
    reply = bot.reply("!hilfe board")
    assert reply.startswith("**!board** — Das Board dieses Raums einrichten und anzeigen")
    assert "Auch: `!gremium`" in reply
    [content] = bot.contents()
    assert "Auch: <code>!gremium</code>" in content["formatted_body"]
    for usage in ("!board init <Name>", "!board show", "!board language <Sprache>"):
        assert f"`{usage}`" in reply


def test_help_on_an_unknown_topic_says_so(bot: BotHarness) -> None:
    assert bot.reply("!hilfe zauberei") == "Zu „zauberei“ gibt es keine Hilfe."


def test_help_is_english_after_the_board_switches_language(board_bot: BotHarness) -> None:
    assert board_bot.reply("!board language en") == "The board's language is now English."
    reply = board_bot.reply("!help")
    assert reply.startswith("**Smart City Board bot commands**")
    assert (
        "- `!board init <name>` — Make this room the board room of a new Smart City Board" in reply
    )
    assert "- `!board language <language>` — Switch the board's language (de or en)" in reply
    assert "More about a command: `!help <command>`" in reply
    assert "Zeigt" not in reply
    assert board_bot.reply("!help board init").splitlines()[1:] == [
        "  Also: `!board anlegen`, `!board einrichten`",
        "  For the board's chairs only.",
    ]
    # Only this room's board speaks English; a room without a board keeps the default.
    assert board_bot.reply("!help", room="!other:example.org").startswith("**Befehle")
    # And back.
    assert board_bot.reply("!board language deutsch") == "Die Sprache des Boards ist jetzt Deutsch."
    assert board_bot.reply("!help").startswith("**Befehle")


def test_english_default_language_from_config(bot_factory: Callable[..., BotHarness]) -> None:
    bot = bot_factory(language="en")
    assert bot.reply("!help").startswith("**Smart City Board bot commands**")
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
    assert reply.startswith("**!dept** — Die Fachbereiche des Boards verwalten")
    assert "Auch: `!fb`, `!fachbereich`, `!amt`" in reply
    assert (
        "- `!dept add <Kürzel> <Name> [--room RAUM]` — Legt einen Fachbereich an: erst das Kürzel "
        "(FB 61, Amt 13, RPA; ein Kürzel aus mehreren Wörtern ohne Ziffer in Anführungszeichen, "
        "z. B. „Stab OB“), dann der Name"
    ) in reply
    assert reply.count("Nur für die Leitung des Boards.") == 4  # add, rename, archive, room
    [content] = bot.contents()
    assert (
        "<code>!dept add &lt;Kürzel&gt; &lt;Name&gt; [--room RAUM]</code>"
        in (content["formatted_body"])
    )


def test_help_on_away_and_roles(bot: BotHarness) -> None:
    assert bot.reply("!hilfe urlaub").splitlines()[0] == (
        "- `!away <von [- bis] [Grund]> [--for PERSON]` — Trägt eine Abwesenheit ein: ein Datum "
        "(31.12.2026, 31.12., morgen, +2w) oder von - bis, dann optional der Grund; "
        "`streichen <Datum>` nimmt eine zurück"
    )
    assert (
        bot.reply("!hilfe rolle zuweisen")
        .splitlines()[0]
        .startswith("- `!role assign <Person> <Rolle> [Kürzel]` — Vergibt eine Rolle")
    )
