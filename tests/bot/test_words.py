"""The board's words (issue 13): the chair's configurable title, plural forms, readable schedule
problems, a paused schedule that says so, and the sub-command forms of ``!bericht`` and
``!status zeitplan``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from board_bot.core import i18n
from board_bot.core.errors import ConfigError
from tests.bot.city import LEAD, make_city
from tests.bot.conftest import BotHarness


def test_a_city_names_its_chair_as_it_likes(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory, chair_title="Lenkungskreis-Vorsitz (CDO)")
    refused = city.reply("!status starten", sender=LEAD)
    assert refused.startswith("Diesen Befehl darf nur der Lenkungskreis-Vorsitz (CDO) ausf")
    assert "Nur für den Lenkungskreis-Vorsitz (CDO)." in city.reply("!hilfe status starten")
    assert "admin (Lenkungskreis-Vorsitz (CDO))" in city.reply("!hilfe rolle zuweisen")
    # A bot without its own title goes back to the catalog's.
    make_city(bot_factory)
    assert i18n.t("de", "help.admin_only") == "Nur für den Board-Vorsitz (CDO)."


def test_a_title_with_markdown_is_refused_by_the_config(
    bot_factory: Callable[..., BotHarness],
) -> None:
    with pytest.raises(ConfigError, match=r"bot\.chair_title"):
        bot_factory(chair_title="**Chef**")
    with pytest.raises(ConfigError, match=r"bot\.chair_title"):
        bot_factory(chair_title="Vorsitz \u202eCDO")
    with pytest.raises(ConfigError, match=r"bot\.command_prefix"):
        bot_factory(command_prefix="`")


def test_one_and_many_read_right(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory)
    started = city.reply("!status starten")
    assert "gestartet: 3 Fachbereiche werden abgefragt" in started
    assert i18n.tn("de", "status.reminded", 1, depts="FB 61").startswith(
        "⏰ Erinnerung an 1 Fachbereich verschickt"
    )
    assert i18n.tn("en", "status.reminded", 2, depts="FB 61, FB 68").startswith(
        "⏰ Reminder sent to 2 departments"
    )


def test_schedule_problems_are_said_in_words(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory)
    reply = city.reply("!status zeitplan frist So 12:00 abfrage Mo 09:00 erinnerung Mo 08:00")
    assert reply == ("Der Zeitplan passt so nicht: eine Erinnerung muss nach der Abfrage liegen.")
    assert city.reply("!status zeitplan frist Mo 08:00") == (
        "Der Zeitplan passt so nicht: die Frist muss nach der Abfrage liegen."
    )
    too_many = " ".join(f"erinnerung Di {h:02d}:00" for h in range(8, 14))
    assert city.reply(f"!status zeitplan {too_many}") == (
        "Der Zeitplan passt so nicht: es sind höchstens 5 Erinnerungen möglich."
    )


def test_every_schedule_form_works(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory)
    for command, says in [
        ("!status zeitplan keine", "ohne Erinnerung"),
        ("!status zeitplan erinnerung Di 10:00", "Erinnerung dienstags 10:00 Uhr"),
        ("!status zeitplan keine erinnerung", "ohne Erinnerung"),
        ("!status schedule no reminder", "ohne Erinnerung"),
        ("!status schedule reminders Di 10:00", "Erinnerung dienstags 10:00 Uhr"),
        ("!status schedule start Mo 08:00", "wöchentlich montags 08:00 Uhr"),
        ("!status zeitplan ändern 14-täglich frist Mi 12:00", "alle zwei Wochen montags"),
        ("!status zeitplan takt wöchentlich", "wöchentlich montags"),
        ("!status zeitplan wöchentlich abfrage Mo 09:00", "wöchentlich montags 09:00 Uhr"),
    ]:
        assert says in city.reply(command), command
    assert city.reply("!status zeitplan takt aus").startswith("„aus“ ist kein Takt")


def test_a_paused_schedule_says_so_and_resumes(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory)
    paused = city.reply("!status zeitplan aus")
    assert "Die Statusrunden sind ausgesetzt" in paused
    assert "`!status zeitplan an`" in paused
    assert city.reply("!status zeitplan an").startswith("Zeitplan gespeichert: wöchentlich")
    assert "Nächste Runde" in city.reply("!status zeitplan an")


def test_the_schedule_changes_part_by_part(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory)
    assert city.reply("!status zeitplan abfrage Di 08:30").startswith(
        "Zeitplan gespeichert: wöchentlich dienstags 08:30 Uhr"
    )
    assert "Frist donnerstags 12:00 Uhr" in city.reply("!status zeitplan frist Do 12:00")
    assert "ohne Erinnerung" in city.reply("!status zeitplan keine erinnerung")
    assert city.reply("!status zeitplan takt monatlich").startswith(
        "Zeitplan gespeichert: monatlich am ersten Dienstag um 08:30 Uhr"
    )
    assert city.reply("!status zeitplan abfrage").startswith("Es fehlt die Angabe `<Tag Uhrzeit>`")
    assert city.reply("!status zeitplan abfrage").endswith(
        "Aufruf: `!status zeitplan abfrage <Tag Uhrzeit>`"
    )


def test_the_summary_forms_are_sub_commands(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory)
    whole = city.handle("!bericht")
    assert len(whole) == 2  # the summary and its chart
    assert city.handle("!bericht zeigen")[0] == whole[0]
    assert city.reply("!bericht ll 5") == (
        "Eine Leitlinie hat die Nummer 1, 2, 3 oder 4, nicht 5.\n\nAufruf: `!bericht ll <1-4>`"
    )
    unknown = city.reply("!bericht morgen")
    assert unknown.startswith("`!bericht` kennt den Befehl „morgen“ nicht.")
    assert "`!bericht zeigen`" in unknown
