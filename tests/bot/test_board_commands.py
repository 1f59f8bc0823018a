"""``!board``: set-up by an admin only, shown in the board's time zone, user text kept inert."""

from __future__ import annotations

from datetime import timedelta

import pytest

from board_bot.models import AuditEntry, Board
from tests.bot.conftest import ADMIN, ROOM, USER, BotHarness

NO_BOARD = (
    "In diesem Raum ist noch kein Smart City Board eingerichtet. Der Board-Vorsitz (CDO) richtet "
    "es mit `!board einrichten <Name>` ein."
)
# The refusal names who may do it instead: here the configured admin (no board, or its admins).
FORBIDDEN = "Diesen Befehl darf nur der Board-Vorsitz (CDO) ausführen: cdo (@cdo:example.org)."


def test_admin_creates_a_board_and_show_shows_it(bot: BotHarness) -> None:
    assert bot.reply("!board init Smart City Board Musterstadt") == (
        "Dieser Raum ist jetzt der Board-Raum von **Smart City Board Musterstadt**. "
        "Sprache: Deutsch, Zeitzone: Europe/Berlin. Alle Befehle zeigt `!hilfe`."
    )
    [board] = bot.rows(Board)
    assert (board.room_id, board.name, board.language, board.timezone, board.created_by) == (
        ROOM,
        "Smart City Board Musterstadt",
        "de",
        "Europe/Berlin",
        ADMIN,
    )
    assert board.created_at == bot.clock.now()
    entry, admin_role = bot.rows(AuditEntry)
    assert (entry.board_id, entry.actor, entry.action, entry.entity) == (
        board.id,
        ADMIN,
        "create",
        "board",
    )
    # The configured admin (who is also the one setting it up) becomes the board's first admin.
    assert (admin_role.action, admin_role.after) == (
        "role.assign",
        {"user_id": ADMIN, "role": "admin"},
    )

    bot.clock.advance(timedelta(days=3))
    # Anyone in the room may look; the time is 08:00 UTC, shown as Berlin wall-clock time.
    assert bot.reply("!board show", sender=USER) == (
        "**Smart City Board Musterstadt**\n\n"
        "- Sprache: Deutsch\n"
        "- Zeitzone: Europe/Berlin\n"
        "- Bundesland (Feiertage): Schleswig-Holstein\n"
        "- Nächster Arbeitstag: Fr., 11.12.2026\n"
        "- Lagebericht nach jeder Runde: im Board-Raum\n"
        "- Eingerichtet am 07.12.2026, 09:00 Uhr von cdo (@cdo:example.org)"
    )


def test_show_skips_weekends_and_the_bundeslands_holidays(board_bot: BotHarness) -> None:
    board_bot.clock.advance(timedelta(days=17))  # Thursday 24.12.2026, in the board's zone
    # 25.12. and 26.12. are holidays (the 26th a Saturday), then a Sunday.
    assert "- Nächster Arbeitstag: Mo., 28.12.2026\n" in board_bot.reply("!board show")
    board_bot.reply("!board language en")
    assert "- Next working day: Mon, 28.12.2026\n" in board_bot.reply("!board show")


def test_next_working_day_follows_the_boards_time_zone(board_bot: BotHarness) -> None:
    # Sunday 23:30 UTC is already Monday in Berlin: the next working day is Tuesday, not Monday.
    board_bot.clock.advance(timedelta(days=6, hours=15, minutes=30))
    assert "- Nächster Arbeitstag: Di., 15.12.2026\n" in board_bot.reply("!board show")


def test_quoted_name_and_german_aliases(bot: BotHarness) -> None:
    assert "**Board Süd**" in bot.reply("!gremium anlegen „Board Süd“")
    assert bot.reply("!gremium zeigen").startswith("**Board Süd**")


def test_show_in_summer_uses_summer_time(bot: BotHarness) -> None:
    bot.clock.advance(timedelta(days=200))  # 25.06.2027, CEST
    bot.reply("!board init Sommerboard")
    assert "Eingerichtet am 25.06.2027, 10:00 Uhr" in bot.reply("!board show")


@pytest.mark.parametrize("command", ["!board init Fremdes Board", "!board anlegen X"])
def test_non_admin_is_refused_and_nothing_changes(bot: BotHarness, command: str) -> None:
    before = bot.domain_state()
    assert bot.reply(command, sender=USER) == FORBIDDEN
    assert bot.domain_state() == before
    assert bot.count(Board) == 0
    assert bot.count(AuditEntry) == 0


@pytest.mark.parametrize(
    "impersonator",
    [
        "@evil:example.org",  # display name "cdo"; authorisation is by the full user id
        "@cdo:evil.example",  # same localpart, other server
        "@cdo:example.org.evil.example",
        "@CDO:example.org",
    ],
)
def test_impersonator_is_denied(bot: BotHarness, impersonator: str) -> None:
    assert bot.reply("!board init Übernahme", sender=impersonator) == FORBIDDEN
    assert bot.count(Board) == 0
    assert bot.count(AuditEntry) == 0


def test_non_admin_cannot_change_the_language(board_bot: BotHarness) -> None:
    before = board_bot.domain_state()
    assert board_bot.reply("!board language en", sender=USER) == FORBIDDEN
    assert board_bot.domain_state() == before
    assert board_bot.reply("!hilfe").startswith("**Hilfe")


def test_init_twice_says_the_room_has_a_board(board_bot: BotHarness) -> None:
    before = board_bot.domain_state()
    assert board_bot.reply("!board init Noch eins") == (
        "Dieser Raum ist bereits der Board-Raum von **Smart City Board Musterstadt**."
    )
    assert board_bot.domain_state() == before


def test_a_board_name_is_unique_across_rooms(board_bot: BotHarness) -> None:
    before = board_bot.domain_state()
    reply = board_bot.reply("!board init smart city board musterstadt", room="!b:example.org")
    assert reply == (
        "Ein anderes Board heißt bereits **smart city board musterstadt**. "
        "Bitte wählen Sie einen anderen Namen."
    )
    assert board_bot.domain_state() == before


@pytest.mark.parametrize("command", ["!board show", "!board language en", "!gremium zeigen"])
def test_commands_needing_a_board_explain_how_to_set_one_up(
    board_bot: BotHarness, command: str
) -> None:
    before = board_bot.domain_state()
    assert board_bot.reply(command, room="!no-board:example.org") == NO_BOARD
    # The command in the Markdown stays a command in the HTML: no stray escape characters.
    [content] = board_bot.contents()
    assert "<code>!board einrichten &lt;Name&gt;</code>" in content["formatted_body"]
    assert board_bot.domain_state() == before


def test_language_change_is_audited(board_bot: BotHarness) -> None:
    board_bot.reply("!board sprache englisch")
    [board] = board_bot.rows(Board)
    assert board.language == "en"
    assert board_bot.reply("!board show").startswith(
        "**Smart City Board Musterstadt**\n\n- Language: English\n- Time zone: Europe/Berlin"
    )
    update = board_bot.rows(AuditEntry)[-1]
    assert (update.action, update.before, update.after) == (
        "update",
        {"language": "de"},
        {"language": "en"},
    )
    # Setting the same language again changes nothing and audits nothing.
    before = board_bot.domain_state()
    board_bot.reply("!board language en")
    assert board_bot.domain_state() == before


def test_html_and_room_ping_in_a_board_name_are_escaped(bot: BotHarness) -> None:
    name = "<b>Fett</b> @room <script>alert(1)</script> [x](javascript:alert(1)) **laut**"
    bot.reply(f"!board init {name}")
    [board] = bot.rows(Board)
    assert board.name == name  # stored as typed; only the rendering is made inert
    for command in ("!board init irrelevant", "!board show", "!board init Neu"):
        bot.handle(command)
        [content] = bot.contents()
        html = content["formatted_body"]
        for dangerous in ("<b>", "<script", "<a", "href", "<strong>laut"):
            assert dangerous not in html, (command, html)
        assert "&lt;b&gt;Fett&lt;/b&gt;" in html
        assert "**laut**" in html
        # Escaped once, not twice: the name reads exactly as typed, without backslashes.
        assert "**" + name.replace("@room", "@\u2060room") + "**" in content["body"]
        assert "\\" not in content["body"] and "\\" not in html
        assert "[x](javascript:alert(1))" in html
        # "@room" can ping nobody: a word joiner breaks it, and m.mentions is set, empty.
        assert "@room" not in content["body"]
        assert "@\u2060room" in content["body"]
        assert "@room" not in html
        assert content["m.mentions"] == {}
    # Our own Markdown around it is still Markdown: the name is bold, the timezone plain text.
    bot.handle("!board show")
    [content] = bot.contents()
    assert content["formatted_body"].startswith("<p><strong>&lt;b&gt;Fett&lt;/b&gt; @")
    assert "<li>Zeitzone: Europe/Berlin</li>" in content["formatted_body"]
    assert "von cdo (@cdo:example.org)</li>" in content["formatted_body"]


def test_a_board_name_in_a_refusal_is_escaped(bot: BotHarness) -> None:
    """BotError parameters are escaped by t(), once only."""
    bot.reply("!board init <i>x</i> @room", room="!a:example.org")
    bot.handle("!board init <i>x</i> @room", room="!b:example.org")
    [content] = bot.contents()
    assert content["body"].startswith("Ein anderes Board heißt bereits **<i>x</i> @\u2060room**.")
    assert "<strong>&lt;i&gt;x&lt;/i&gt; @\u2060room</strong>" in content["formatted_body"]
    assert content["m.mentions"] == {}
