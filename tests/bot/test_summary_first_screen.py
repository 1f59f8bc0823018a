"""The mayor's first screen and the honest light (issue 14): what needs her first, in at most
fifteen phone lines; green packages that are not („grün, aber …“); each light with its age."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from board_bot.features.summaries.messages import FIRST_SCREEN_LINES, phone_lines
from tests.bot.city import LEAD, make_city
from tests.bot.conftest import BotHarness
from tests.bot.test_status_rounds import (
    HAUPTAMT,
    VERKEHR,
    answer,
    open_direct_rooms,
    plain,
    round_city,
    started,
)
from tests.bot.wp_support import add
from tests.browser import chat_page, measure


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return round_city(bot_factory, leitlinien=(2, 3, 3))


def first_screen(report: str) -> list[str]:
    """The lines of a summary's body up to its last Leitlinie (the fold starts after it)."""
    lines = report.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Leitlinien"))
    return lines[: start + 5]


def test_decisions_for_the_mayor_come_first_and_the_screen_stays_short(city: BotHarness) -> None:
    dms = started(city)
    long = (
        "Entscheidung nötig: Die Finanzierung des Regelbetriebs ab 2028 muss mit dem Kämmerer "
        "und dem Personalrat abgestimmt und im Haushaltsentwurf verankert werden"
    )
    answer(city, dms[LEAD], LEAD, f"WP-1 gelb 20% Verzug\n{long}")
    answer(
        city,
        dms[VERKEHR],
        VERKEHR,
        "WP-3 grün 10%\nAn die Oberbürgermeisterin: Mittel für WP-3 im Haushalt sichern\n"
        "Entscheidung nötig: Zählstellen an Landesstraßen",
    )
    answer(
        city,
        dms[HAUPTAMT],
        HAUPTAMT,
        "unverändert\nAn die OB: Dienstvereinbarung unterschreiben\n"
        "Entscheidung nötig: Datenstrategie beschließen",
    )
    report = plain(city.handle("!bericht")[0])
    screen = first_screen(report)
    assert phone_lines(screen) <= FIRST_SCREEN_LINES
    assert screen[1] == ("2 Entscheidungen für Sie · 3 für das Board · 1 gefährdet · 2 im Plan")
    assert screen[2:5] == [
        "",
        "- Für Sie: Mittel für WP-3 im Haushalt sichern · FB 68, WP-3 · seit 07.12.2026",
        "- Für Sie: Dienstvereinbarung unterschreiben · FB 13 · seit 07.12.2026",
    ]
    # As many of the board's as fit, shortened; the rest counted and all of them below.
    assert screen[-7].startswith("- … und ") and screen[-7].endswith(" weitere, siehe unten")
    assert all(line.startswith("- Board: ") for line in screen[5:-7])
    assert screen[-5:] == [
        "Leitlinien",
        "⚪ Ziele & Strategien: nichts offen",
        "🟡 Transparenz & Teilhabe: gelb",
        "🟢 Infrastruktur & Daten: grün",
        "⚪ Ressourcen & Kooperation: nichts offen",
    ]
    below = report.split("\n")[len(screen) :]
    assert "Entscheidungsbedarf (5)" in below
    asked = long.removeprefix("Entscheidung nötig: ")
    assert f"- Board: {asked} · FB 61 · seit 07.12.2026" in below


def test_a_decision_asked_again_keeps_the_day_it_was_first_asked(city: BotHarness) -> None:
    dms = started(city)
    answer(city, dms[VERKEHR], VERKEHR, "WP-3 grün 10%\nAn die OB: Mittel für WP-3 sichern")
    city.reply("!status close")
    city.clock.advance(timedelta(days=7))
    city.reply("!status run-now")
    dms = open_direct_rooms(city)
    answer(city, dms[VERKEHR], VERKEHR, "WP-3 grün 12%\nAn die OB: Mittel für WP-3 sichern!")
    report = plain(city.handle("!bericht")[0])
    assert "- Für Sie: Mittel für WP-3 sichern! · FB 68, WP-3 · seit 07.12.2026" in report
    assert "Leitlinien · Trend seit KW 50\n" in report
    assert "🟢 Infrastruktur & Daten: grün, unverändert\n" in report


def test_green_but_due_date_passed_or_milestone_missed(city: BotHarness) -> None:
    city.reply("!wp edit WP-2 fällig 01.12.2026")
    for milestone in (
        "WP-3 30.11.2026 Zählstellen ausgeschrieben",
        "WP-3 15.01.2027 Zählstellen montiert",  # not yet due
        "WP-2 20.11.2026 Geodaten geliefert",
        "WP-1 01.12.2026 Pilot gestartet",  # yellow below: not listed
    ):
        assert city.reply(f"!wp meilenstein neu {milestone}").startswith("Meilenstein")
    city.reply("!wp meilenstein erreicht WP-2 1")  # reached: no doubt
    city.reply("!wp edit WP-1 ampel gelb Personal fehlt")
    report = plain(city.handle("!bericht")[0])
    section = report[report.index("Grün, aber … (2)") :].split("\n\n")[0].split("\n")
    assert section[1:] == [
        "- WP-2 Geoportal (FB 61): grün, aber Frist 01.12.2026 überschritten",
        "- WP-3 Verkehrsdaten (FB 68): grün, aber Meilenstein „Zählstellen ausgeschrieben“ zum "
        "30.11.2026 nicht erreicht",
    ]


def test_green_but_progress_stalled_for_three_rounds(city: BotHarness) -> None:
    city.reply("!wp edit WP-3 status in Arbeit")
    city.reply("!wp edit WP-3 fortschritt 40")
    city.reply("!wp edit WP-2 status in Arbeit")
    for week in range(3):
        city.reply("!status run-now")
        city.reply("!status close")  # kept: WP-3 green at 40 %
        city.clock.advance(timedelta(days=7))
        city.reply(f"!wp edit WP-2 fortschritt {10 * (week + 1)}")  # WP-2 moves
    report = plain(city.handle("!bericht")[0])
    assert "- WP-3 Verkehrsdaten (FB 68): grün, aber Fortschritt seit 3 Runden bei 40 %" in report
    assert "WP-2 Geoportal (FB 61): grün, aber" not in report
    # Its light has been green since the first kept round: three weeks.
    assert "- WP-3 Verkehrsdaten (FB 68) · 🟢 seit 3 Wochen grün · 40 %" in report
    # Moving on ends the doubt.
    city.reply("!wp edit WP-3 fortschritt 45")
    assert "grün, aber" not in plain(city.handle("!bericht")[0])


def test_each_light_shows_its_age(city: BotHarness) -> None:
    city.reply("!status run-now")
    city.reply("!status close")  # kept in KW 50: everything green
    city.clock.advance(timedelta(days=7))
    city.reply("!status run-now")
    city.reply("!wp edit WP-1 ampel gelb Personal fehlt")
    city.reply("!status close")  # kept in KW 51: WP-1 yellow
    city.clock.advance(timedelta(days=14))
    city.reply("!wp edit WP-3 ampel rot Förderbescheid fehlt")  # since the last round
    report = plain(city.handle("!bericht")[0])
    assert "- WP-1 Digitale Bauakte (FB 61) · 🟡 seit 2 Wochen gelb (Personal fehlt)" in report
    assert "- WP-2 Geoportal (FB 61) · 🟢 seit 3 Wochen grün · 0 %" in report
    assert "- WP-3 Verkehrsdaten (FB 68) · 🔴 seit heute rot (Förderbescheid fehlt)" in report
    # A past week's summary tells the age as it was then.
    week = plain(city.handle("!bericht kw 51")[0])
    assert "- WP-1 Digitale Bauakte (FB 61) · 🟡 seit heute gelb (Personal fehlt)" in week
    assert "- WP-3 Verkehrsdaten (FB 68) · 🟢 seit 1 Woche grün · 0 %" in week


def test_a_city_names_its_leitlinien(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(
        bot_factory, leitlinien=["Strategie", "Beteiligung", "Daten & Dienste", "Kompetenzen"]
    )
    add(city, "Geoportal --dept FB 61 --ll 3")
    report = plain(city.handle("!bericht")[0])
    assert "🟢 Daten & Dienste: grün\n" in report
    assert city.reply("!bericht ll 3").startswith(
        "📊 **Lagebericht Smart City Board Musterstadt** · noch keine Statusrunde · Stand "
        "07.12.2026\nNur: Daten & Dienste"
    )


def test_a_past_week_shows_the_states_kept_at_its_round(city: BotHarness) -> None:
    city.reply("!wp edit WP-1 fortschritt 30")
    city.reply("!status run-now")
    city.reply("!status close")  # kept in KW 50: WP-1 green at 30 %
    city.clock.advance(timedelta(days=7))
    city.reply("!wp edit WP-1 fortschritt 60")
    city.reply("!wp edit WP-1 ampel rot Vergabe gestoppt")
    week = plain(city.handle("!bericht kw 50")[0])
    assert week.startswith("📊 Lagebericht Smart City Board Musterstadt · KW 50 · Stand ")
    assert "- WP-1 Digitale Bauakte (FB 61) · 🟢 seit heute grün · 30 % · fällig" in week
    assert "Vergabe gestoppt" not in week and "60 %" not in week
    now = plain(city.handle("!bericht")[0])
    assert "- WP-1 Digitale Bauakte (FB 61) · 🔴 seit heute rot (Vergabe gestoppt) · 60 %" in now
    assert "- WP-1 Digitale Bauakte: 🟢 grün 30 % → 🔴 rot 60 %" in now


def test_a_departments_summary_marks_what_it_only_contributes_to(city: BotHarness) -> None:
    city.reply("!wp edit WP-3 beteiligt FB 61")
    report = plain(city.reply("!bericht fb FB 61"))
    assert "\nNur: FB 61\n" in report
    assert "- WP-2 Geoportal (FB 61) · 🟢 seit heute grün · 0 %" in report
    assert "- WP-3 Verkehrsdaten (FB 68) · nur Mitwirkung · 🟢 seit heute grün · 0 %" in report


def test_the_first_screen_fits_fifteen_lines_of_a_phone(city: BotHarness) -> None:
    """Rendered at 390 px as a chat client shows it, the part above the first fold takes at
    most fifteen lines, with three decisions asked and all four Leitlinien."""
    dms = started(city)
    answer(city, dms[LEAD], LEAD, "WP-1 gelb 20% Verzug\nEntscheidung nötig: Vergabe freigeben")
    answer(
        city,
        dms[VERKEHR],
        VERKEHR,
        "WP-3 grün 10%\nAn die Oberbürgermeisterin: Mittel für WP-3 im Haushalt 2027 sichern",
    )
    answer(city, dms[HAUPTAMT], HAUPTAMT, "unverändert\nAn die OB: Dienstvereinbarung zeichnen")
    city.handle("!bericht")
    html = city.contents()[0]["formatted_body"]
    screen = html.split("<details>")[0]
    measured = measure(chat_page(f"<div data-measure>{screen}</div>"), 390)
    assert measured["scroll_width"] <= 390
    assert 10 <= measured["lines"] <= FIRST_SCREEN_LINES, measured
