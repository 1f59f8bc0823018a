"""``!away``, ``!back``, ``!absences``: anyone with a role records their own absence, admins
anyone's; dates in the board's calendar; deputies stand in for leads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from board_bot.models import Absence
from tests.bot.city import DEPUTY, LEAD, MEMBER, OBSERVER, STRANGER, make_city
from tests.bot.conftest import ADMIN, BotHarness


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return make_city(bot_factory)


def periods(bot: BotHarness) -> list[tuple[str, date, date, str | None, bool]]:
    return [
        (a.user_id, a.starts_on, a.ends_on, a.reason, a.cancelled_at is not None)
        for a in bot.rows(Absence)
    ]


def test_a_lead_records_an_absence_and_hears_who_stands_in(city: BotHarness) -> None:
    assert city.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD) == (
        "Abwesenheit eingetragen: @lena.lehmann:example.org, 21.12.2026 bis 06.01.2027 "
        "(Urlaub).\n"
        "- FB 61 – Stadtplanung: es vertritt @dirk.decker:other.example"
    )
    assert periods(city) == [(LEAD, date(2026, 12, 21), date(2027, 1, 6), "Urlaub", False)]


@pytest.mark.parametrize(
    ("command", "start", "end", "reason"),
    [
        ("!urlaub 21.12.26 bis 6.1.27", date(2026, 12, 21), date(2027, 1, 6), None),
        (
            "!away 2026-12-21 – 2027-01-06 Elternzeit",
            date(2026, 12, 21),
            date(2027, 1, 6),
            "Elternzeit",
        ),
        (
            "!abwesend 08.12.2026 Dienstreise nach Kiel",
            date(2026, 12, 8),
            date(2026, 12, 8),
            "Dienstreise nach Kiel",
        ),
    ],
)
def test_date_forms(city: BotHarness, command: str, start: date, end: date, reason: str) -> None:
    city.reply(command, sender=MEMBER)
    assert periods(city) == [(MEMBER, start, end, reason, False)]


def test_one_day_reads_as_one_day(city: BotHarness) -> None:
    assert city.reply("!abwesend 08.12.2026", sender=OBSERVER) == (
        "Abwesenheit eingetragen: @ob:example.org, am 08.12.2026."
    )


def test_today_is_the_boards_today(city: BotHarness) -> None:
    # 23:30 UTC on 07.12. is already 08.12. in Berlin: the 7th is in the past there.
    city.clock.advance(timedelta(hours=15, minutes=30))
    before = city.domain_state()
    assert city.reply("!abwesend 07.12.2026", sender=LEAD) == (
        "Diese Abwesenheit endete bereits am 07.12.2026; eingetragen werden nur heutige und "
        "künftige Abwesenheiten."
    )
    assert city.domain_state() == before
    city.reply("!abwesend 08.12.2026", sender=LEAD)
    assert city.reply("!fb zeigen FB 61").endswith(
        "(Vertretung; die Leitung ist bis 08.12.2026 abwesend)"
    )


def test_an_admin_records_someone_elses_absence(city: BotHarness) -> None:
    assert city.reply(f"!abwesend 10.12.2026 - 11.12.2026 Krank --for {LEAD}") == (
        "Abwesenheit eingetragen: @lena.lehmann:example.org, 10.12.2026 bis 11.12.2026 (Krank).\n"
        "- FB 61 – Stadtplanung: es vertritt @dirk.decker:other.example"
    )
    [absence] = city.rows(Absence)
    assert (absence.user_id, absence.created_by) == (LEAD, ADMIN)


def test_for_oneself_needs_no_admin(city: BotHarness) -> None:
    city.reply(f"!abwesend 10.12.2026 --for {MEMBER}", sender=MEMBER)
    assert periods(city) == [(MEMBER, date(2026, 12, 10), date(2026, 12, 10), None, False)]


@pytest.mark.parametrize("sender", [LEAD, DEPUTY, MEMBER, OBSERVER])
def test_only_admins_record_other_peoples_absences(city: BotHarness, sender: str) -> None:
    before = city.domain_state()
    assert city.reply(f"!abwesend 10.12.2026 --for {ADMIN}", sender=sender) == (
        "Abwesenheiten anderer Personen trägt nur die Leitung des Boards ein: @cdo:example.org. "
        "Ihre eigene Abwesenheit tragen Sie mit `!abwesend <von> - <bis>` ein."
    )
    assert city.domain_state() == before


def test_someone_without_a_role_is_refused(city: BotHarness) -> None:
    before = city.domain_state()
    assert city.reply("!abwesend 10.12.2026", sender=STRANGER) == (
        "Abwesenheiten tragen Personen mit einer Rolle in diesem Board ein. Bitte wenden Sie sich "
        "an die Leitung des Boards: @cdo:example.org."
    )
    assert city.domain_state() == before


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        (
            "!abwesend 06.01.2027 - 21.12.2026",
            "Das Ende (21.12.2026) liegt vor dem Beginn (06.01.2027).",
        ),
        (
            "!abwesend morgen",
            "„morgen“ ist kein gültiges Datum. Bitte so angeben: 31.12.2026 (oder 2026-12-31).\n\n"
            "Aufruf: `!away <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend 21.12.2026 - Urlaub",
            "Nach dem Datum 21.12.2026 fehlt das Enddatum, z. B. `21.12.2026 - 06.01.2027`.\n\n"
            "Aufruf: `!away <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend",
            "Es fehlt die Angabe `<von [- bis] [Grund]>`.\n\n"
            "Aufruf: `!away <von [- bis] [Grund]> [--for PERSON]`",
        ),
        ("!abwesend 01.01.2027 - 01.06.2028", "Eine Abwesenheit dauert höchstens 366 Tage."),
        (
            "!abwesend 10.12.2026 --for lena",
            "„lena“ ist keine Matrix-Kennung. Bitte die volle Kennung angeben, "
            "z. B. `@erika.musterfrau:stadt.example`.\n\n"
            "Aufruf: `!away <von [- bis] [Grund]> [--for PERSON]`",
        ),
    ],
)
def test_bad_absences_change_nothing(city: BotHarness, command: str, reply: str) -> None:
    before = city.domain_state()
    assert city.reply(command, sender=LEAD) == reply
    assert city.domain_state() == before


def test_overlapping_absence_is_refused(city: BotHarness) -> None:
    city.reply("!abwesend 21.12.2026 - 06.01.2027", sender=LEAD)
    before = city.domain_state()
    assert city.reply("!abwesend 02.01.2027 - 10.01.2027", sender=LEAD) == (
        "Für diese Zeit ist bereits eine Abwesenheit eingetragen (21.12.2026 bis 06.01.2027)."
    )
    assert city.domain_state() == before


def test_when_lead_and_deputy_are_away_nobody_stands_in(city: BotHarness) -> None:
    city.reply("!abwesend 21.12.2026 - 23.12.2026", sender=DEPUTY)
    assert city.reply("!abwesend 21.12.2026 - 06.01.2027", sender=LEAD).endswith(
        "- FB 61 – Stadtplanung: keine Vertretung anwesend – bitte tragen Sie eine Vertretung ein"
    )


# --- back ---------------------------------------------------------------------------------------


def test_back_ends_the_absence_yesterday(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026 - 18.12.2026", sender=LEAD)
    city.clock.advance(timedelta(days=2))
    assert city.reply("!zurück", sender=LEAD) == "Willkommen zurück! Ihre Abwesenheit ist beendet."
    assert periods(city) == [(LEAD, date(2026, 12, 7), date(2026, 12, 8), None, False)]
    assert city.reply("!fb zeigen FB 61").endswith("- Heute ansprechbar: @lena.lehmann:example.org")


def test_back_on_the_first_day_cancels(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026", sender=LEAD)
    city.reply("!zurueck", sender=LEAD)
    assert periods(city) == [(LEAD, date(2026, 12, 7), date(2026, 12, 7), None, True)]


def test_an_admin_ends_someone_elses_absence(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026 - 18.12.2026", sender=LEAD)
    assert city.reply(f"!back --for {LEAD}") == (
        "Die Abwesenheit von @lena.lehmann:example.org ist beendet."
    )


@pytest.mark.parametrize(
    ("command", "sender", "reply"),
    [
        ("!zurück", LEAD, "Für @lena.lehmann:example.org ist heute keine Abwesenheit eingetragen."),
        (
            f"!zurück --for {DEPUTY}",
            MEMBER,
            "Abwesenheiten anderer Personen trägt nur die Leitung des Boards ein: "
            "@cdo:example.org. Ihre eigene Abwesenheit tragen Sie mit "
            "`!abwesend <von> - <bis>` ein.",
        ),
    ],
)
def test_bad_back_changes_nothing(city: BotHarness, command: str, sender: str, reply: str) -> None:
    city.reply("!abwesend 07.12.2026 - 18.12.2026", sender=DEPUTY)
    city.reply("!abwesend 10.12.2026 - 18.12.2026", sender=LEAD)  # not yet begun
    before = city.domain_state()
    assert city.reply(command, sender=sender) == reply
    assert city.domain_state() == before


# --- list ---------------------------------------------------------------------------------------


def test_absences_lists_current_and_upcoming_with_stand_ins(city: BotHarness) -> None:
    assert city.reply("!abwesenheiten") == (
        "Derzeit sind keine Abwesenheiten eingetragen. Ihre eigene tragen Sie mit "
        "`!abwesend <von> - <bis>` ein."
    )
    city.reply("!abwesend 07.12.2026 - 09.12.2026 Fortbildung", sender=LEAD)
    city.reply("!abwesend 21.12.2026 - 23.12.2026", sender=DEPUTY)
    city.reply("!abwesend 22.12.2026 - 04.01.2027 Urlaub", sender=LEAD)
    city.reply("!abwesend 10.12.2026", sender=MEMBER)
    assert city.reply("!abwesenheiten", sender=OBSERVER) == (
        "**Abwesenheiten (aktuell und geplant)**\n\n"
        "- @lena.lehmann:example.org: 07.12.2026 bis 09.12.2026 (Fortbildung) – derzeit abwesend\n"
        "  - FB 61 – Stadtplanung: es vertritt @dirk.decker:other.example\n"
        "- @mia.meyer:example.org: am 10.12.2026\n"
        "- @dirk.decker:other.example: 21.12.2026 bis 23.12.2026\n"
        "- @lena.lehmann:example.org: 22.12.2026 bis 04.01.2027 (Urlaub)\n"
        "  - FB 61 – Stadtplanung: keine Vertretung anwesend – bitte tragen Sie eine Vertretung ein"
    )
    # Past absences drop out.
    city.clock.advance(timedelta(days=3))
    assert "Fortbildung" not in city.reply("!abwesenheiten")


def test_absences_in_english(city: BotHarness) -> None:
    city.reply("!board language en")
    city.reply("!away 07.12.2026 - 09.12.2026 <b>training</b> @room", sender=LEAD)
    city.handle("!absences")
    [content] = city.contents()
    assert content["body"] == (
        "**Absences (current and upcoming)**\n\n"
        "- @lena.lehmann:example.org: 07.12.2026 to 09.12.2026 (<b>training</b> @\u2060room)"
        " – away now\n"
        "  - FB 61 – Stadtplanung: @dirk.decker:other.example stands in"
    )
    assert "<b>" not in content["formatted_body"]
    assert content["m.mentions"] == {}
