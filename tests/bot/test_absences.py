"""``!away``, ``!away cancel``, ``!back``, ``!absences``: anyone with a role records their own
absence, admins anyone's; dates in the board's calendar, in every form the chat knows; ``!back``
only ends today's absence; deputies stand in for leads. Today is Monday 07.12.2026."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from board_bot.models import Absence
from tests.bot.city import (
    DEPUTY,
    LEAD,
    MEMBER,
    OBSERVER,
    SETUP,
    STRANGER,
    fast_bot,
    make_city,
)
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
        "Abwesenheit eingetragen: lena.lehmann (@lena.lehmann:example.org), "
        "21.12.2026 bis 06.01.2027 (Urlaub).\n"
        "- FB 61 – Stadtplanung: Vertretung durch dirk.decker (@dirk.decker:other.example)"
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
        # the forms every other command takes
        ("!abwesend morgen", date(2026, 12, 8), date(2026, 12, 8), None),
        ("!abwesend +2w Dienstreise", date(2026, 12, 21), date(2026, 12, 21), "Dienstreise"),
        ("!abwesend heute bis übermorgen", date(2026, 12, 7), date(2026, 12, 9), None),
        ("!abwesend 21.12. bis 6.1. Urlaub", date(2026, 12, 21), date(2027, 1, 6), "Urlaub"),
        ("!away today - +1w training", date(2026, 12, 7), date(2026, 12, 14), "training"),
    ],
)
def test_date_forms(city: BotHarness, command: str, start: date, end: date, reason: str) -> None:
    city.reply(command, sender=MEMBER)
    assert periods(city) == [(MEMBER, start, end, reason, False)]


def test_one_day_reads_as_one_day(city: BotHarness) -> None:
    assert city.reply("!abwesend 08.12.2026", sender=MEMBER) == (
        "Abwesenheit eingetragen: mia.meyer (@mia.meyer:example.org), am 08.12.2026."
    )


def test_the_reply_shows_the_dates_understood(city: BotHarness) -> None:
    assert city.reply("!abwesend morgen", sender=MEMBER) == (
        "Abwesenheit eingetragen: mia.meyer (@mia.meyer:example.org), am 08.12.2026."
    )
    assert city.reply("!abwesend +2w Dienstreise", sender=MEMBER) == (
        "Abwesenheit eingetragen: mia.meyer (@mia.meyer:example.org), am 21.12.2026 (Dienstreise)."
    )
    assert city.reply("!abwesend heute bis übermorgen", sender=LEAD) == (
        "Abwesenheit eingetragen: lena.lehmann (@lena.lehmann:example.org), "
        "07.12.2026 bis 09.12.2026.\n"
        "- FB 61 – Stadtplanung: Vertretung durch dirk.decker (@dirk.decker:other.example)"
    )


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("!abwesend 31.02.", "„31.02.“ gibt es nicht: Der Februar 2027 hat 28 Tage."),
        (
            "!abwesend 21.12.2026 - 31.02.2027 Urlaub",
            "„31.02.2027“ gibt es nicht: Der Februar 2027 hat 28 Tage.",
        ),
        ("!abwesend 31.04.2027", "„31.04.2027“ gibt es nicht: Der April 2027 hat 30 Tage."),
        ("!away 31.11.", "„31.11.“ gibt es nicht: Der November 2027 hat 30 Tage."),
    ],
)
def test_a_day_that_does_not_exist_is_named(city: BotHarness, command: str, reply: str) -> None:
    before = city.domain_state()
    typed = command.split()[0]  # the usage line repeats the word the person typed
    assert city.reply(command, sender=LEAD) == (
        f"{reply}\n\nAufruf: `{typed} <von [- bis] [Grund]> [--for PERSON]`"
    )
    assert city.domain_state() == before


def test_a_day_that_does_not_exist_in_english(city: BotHarness) -> None:
    city.reply("!board language en")
    before = city.domain_state()
    assert city.reply("!away 30.02.", sender=LEAD) == (
        "“30.02.” does not exist: February 2027 has 28 days.\n\n"
        "Usage: `!away <from [- to] [reason]> [--for USER]`"
    )
    assert city.domain_state() == before


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
        "Abwesenheit eingetragen: lena.lehmann (@lena.lehmann:example.org), "
        "10.12.2026 bis 11.12.2026 (Krank).\n"
        "- FB 61 – Stadtplanung: Vertretung durch dirk.decker (@dirk.decker:other.example)"
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
        "Abwesenheiten anderer Personen trägt nur der Board-Vorsitz (CDO) ein: "
        "cdo (@cdo:example.org). Ihre eigene Abwesenheit tragen Sie mit "
        "`!abwesend <von> - <bis>` ein."
    )
    assert city.domain_state() == before


@pytest.mark.parametrize("sender", [STRANGER, OBSERVER])
def test_observers_and_people_without_a_role_are_refused(city: BotHarness, sender: str) -> None:
    before = city.domain_state()
    assert city.reply("!abwesend 10.12.2026", sender=sender) == (
        "Ihre eigene Abwesenheit können Sie nur eintragen, wenn Sie Leitung, Vertretung oder "
        "Mitglied eines Fachbereichs sind. Abwesenheiten aller Personen trägt der "
        "Board-Vorsitz (CDO) ein: cdo (@cdo:example.org)."
    )
    assert city.domain_state() == before


def test_an_admin_records_an_observers_absence(city: BotHarness) -> None:
    city.reply(f"!abwesend 10.12.2026 --for {OBSERVER}")
    assert periods(city) == [(OBSERVER, date(2026, 12, 10), date(2026, 12, 10), None, False)]


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        (
            "!abwesend 06.01.2027 - 21.12.2026",
            "Das Ende (21.12.2026) liegt vor dem Beginn (06.01.2027).",
        ),
        (
            "!abwesend gestern",
            "„gestern“ ist kein gültiges Datum. Bitte so angeben: 31.12.2026, 31.12., morgen oder "
            "+2w.\n\n"
            "Aufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend heute bis",
            "Nach dem Datum 07.12.2026 fehlt das Enddatum, z. B. `21.12.2026 - 06.01.2027`.\n\n"
            "Aufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend 21.12.2026 - Urlaub",
            "Nach dem Datum 21.12.2026 fehlt das Enddatum, z. B. `21.12.2026 - 06.01.2027`.\n\n"
            "Aufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend",
            "Es fehlt die Angabe `<von [- bis] [Grund]>`.\n\n"
            "Aufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        ),
        ("!abwesend 01.01.2027 - 01.06.2028", "Eine Abwesenheit dauert höchstens 366 Tage."),
        (
            "!abwesend 10.12.2026 --for lena",
            "„lena“ ist keine Matrix-Kennung. Bitte die volle Kennung angeben, "
            "z. B. `@erika.musterfrau:stadt.example`.\n\n"
            "Aufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
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
    assert city.reply("!fb zeigen FB 61").endswith(
        "- Heute ansprechbar: lena.lehmann (@lena.lehmann:example.org)"
    )


def test_back_on_the_first_day_cancels(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026", sender=LEAD)
    city.reply("!zurueck", sender=LEAD)
    assert periods(city) == [(LEAD, date(2026, 12, 7), date(2026, 12, 7), None, True)]


def test_an_admin_ends_someone_elses_absence(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026 - 18.12.2026", sender=LEAD)
    assert city.reply(f"!back --for {LEAD}") == (
        "Die Abwesenheit von lena.lehmann (@lena.lehmann:example.org) ist beendet."
    )


@pytest.mark.parametrize(
    ("command", "sender", "reply"),
    [
        (
            "!zurück",
            MEMBER,
            "Für Sie ist weder heute noch künftig eine Abwesenheit eingetragen.",
        ),
        (
            f"!zurück --for {MEMBER}",
            ADMIN,
            "Für mia.meyer (@mia.meyer:example.org) ist weder heute noch künftig eine Abwesenheit "
            "eingetragen.",
        ),
        (
            f"!zurück --for {DEPUTY}",
            MEMBER,
            "Abwesenheiten anderer Personen trägt nur der Board-Vorsitz (CDO) ein: "
            "cdo (@cdo:example.org). Ihre eigene Abwesenheit tragen Sie mit "
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
        "- lena.lehmann (@lena.lehmann:example.org): 07.12.2026 bis 09.12.2026 (Fortbildung) – "
        "derzeit abwesend\n"
        "  - FB 61 – Stadtplanung: Vertretung durch dirk.decker (@dirk.decker:other.example)\n"
        "- mia.meyer (@mia.meyer:example.org): am 10.12.2026\n"
        "- dirk.decker (@dirk.decker:other.example): 21.12.2026 bis 23.12.2026\n"
        "- lena.lehmann (@lena.lehmann:example.org): 22.12.2026 bis 04.01.2027 (Urlaub)\n"
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
        "- lena.lehmann (@lena.lehmann:example.org): 07.12.2026 to 09.12.2026 "
        "(<b>training</b> @\u2060room) – away now\n"
        "  - FB 61 – Stadtplanung: dirk.decker (@dirk.decker:other.example) stands in"
    )
    assert "<b>" not in content["formatted_body"]
    assert content["m.mentions"] == {}


def test_back_before_the_absence_begins_changes_nothing_and_asks(city: BotHarness) -> None:
    """``!zurück`` on a day one is not away does not cancel the Christmas leave: it names it
    and says how to cancel it, if that was meant."""
    city.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD)
    before = city.domain_state()
    assert city.reply("!zurück", sender=LEAD) == (
        "Sie sind heute nicht abwesend. Geplant ist: 21.12.2026 bis 06.01.2027 (Urlaub). Soll "
        "diese Abwesenheit gestrichen werden? Dann: `!abwesend streichen 21.12.2026`"
    )
    assert city.domain_state() == before

    city.reply("!abwesend 08.01.2027", sender=LEAD)
    before = city.domain_state()
    assert city.reply(f"!back --for {LEAD}") == (
        "lena.lehmann (@lena.lehmann:example.org) ist heute nicht abwesend. Geplant sind: "
        "21.12.2026 bis 06.01.2027 (Urlaub); am 08.01.2027. Soll eine davon gestrichen werden? "
        "Dann mit ihrem ersten Tag, z. B.: "
        "`!abwesend streichen 21.12.2026 --for @lena.lehmann:example.org`"
    )
    assert city.domain_state() == before


def test_back_names_the_configured_prefix(bot_factory: Callable[..., BotHarness]) -> None:
    city = fast_bot(bot_factory, command_prefix="?")
    for command in SETUP:
        city.reply("?" + command.removeprefix("!"))
    city.reply("?abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD)
    assert city.reply("?zurück", sender=LEAD).endswith("Dann: `?abwesend streichen 21.12.2026`")


def test_back_in_english_asks_in_english(city: BotHarness) -> None:
    city.reply("!board language en")
    city.reply("!away 21.12.2026 - 06.01.2027 leave", sender=LEAD)
    assert city.reply("!back", sender=LEAD) == (
        "You are not away today. Planned: 21.12.2026 to 06.01.2027 (leave). Should this absence "
        "be cancelled? Then: `!away cancel 21.12.2026`"
    )


# --- cancel -------------------------------------------------------------------------------------


def test_cancel_takes_a_planned_absence_back(city: BotHarness) -> None:
    """A lead who typed wrong dates takes the absence back and enters it again."""
    city.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD)
    city.reply("!abwesend 08.01.2027", sender=LEAD)
    assert city.reply("!abwesend streichen 21.12.2026", sender=LEAD) == (
        "Ihre Abwesenheit ist gestrichen: 21.12.2026 bis 06.01.2027 (Urlaub). Eine Abwesenheit "
        "mit anderen Daten tragen Sie mit `!abwesend <von> - <bis>` ein."
    )
    assert periods(city) == [  # kept, marked cancelled; the other one untouched
        (LEAD, date(2026, 12, 21), date(2027, 1, 6), "Urlaub", True),
        (LEAD, date(2027, 1, 8), date(2027, 1, 8), None, False),
    ]
    assert "21.12.2026 bis 23.12.2026" in city.reply("!abwesend 21.12. - 23.12.", sender=LEAD)


@pytest.mark.parametrize(
    "command",
    ["!abwesend streichen 24.12.2026", "!abwesend Streichen 24.12.", "!away cancel 2026-12-24"],
)
def test_cancel_by_a_day_the_absence_covers(city: BotHarness, command: str) -> None:
    city.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=MEMBER)
    assert city.reply(command, sender=MEMBER).startswith("Ihre Abwesenheit ist gestrichen")
    assert periods(city) == [(MEMBER, date(2026, 12, 21), date(2027, 1, 6), "Urlaub", True)]


def test_an_admin_cancels_someone_elses_absence(city: BotHarness) -> None:
    city.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD)
    assert city.reply(f"!abwesend streichen 21.12.2026 --for {LEAD}") == (
        "Die Abwesenheit von lena.lehmann (@lena.lehmann:example.org) ist gestrichen: "
        "21.12.2026 bis 06.01.2027 (Urlaub)."
    )
    [absence] = city.rows(Absence)
    assert absence.cancelled_at is not None


@pytest.mark.parametrize(
    ("command", "sender", "reply"),
    [
        (
            "!abwesend streichen",
            LEAD,
            "Welche Abwesenheit soll gestrichen werden? Bitte ihren ersten Tag angeben, z. B. "
            "`!abwesend streichen 21.12.2026`.\n\n"
            "Aufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend streichen Urlaub",
            LEAD,
            "„Urlaub“ ist kein gültiges Datum. Bitte so angeben: 31.12.2026, 31.12., morgen oder "
            "+2w.\n\nAufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend streichen 31.02.",
            LEAD,
            "„31.02.“ gibt es nicht: Der Februar 2027 hat 28 Tage.\n\n"
            "Aufruf: `!abwesend <von [- bis] [Grund]> [--for PERSON]`",
        ),
        (
            "!abwesend streichen 20.12.2026",
            LEAD,
            "Für Sie ist am 20.12.2026 keine aktuelle oder geplante Abwesenheit eingetragen; "
            "nichts wurde gestrichen. Die eingetragenen Abwesenheiten zeigt `!abwesenheiten`.",
        ),
        (
            "!abwesend streichen 21.12.2026",
            MEMBER,  # the lead's absence is not the member's
            "Für Sie ist am 21.12.2026 keine aktuelle oder geplante Abwesenheit eingetragen; "
            "nichts wurde gestrichen. Die eingetragenen Abwesenheiten zeigt `!abwesenheiten`.",
        ),
        (
            f"!abwesend streichen 07.01.2027 --for {LEAD}",
            ADMIN,
            "Für lena.lehmann (@lena.lehmann:example.org) ist am 07.01.2027 keine aktuelle oder "
            "geplante Abwesenheit eingetragen; nichts wurde gestrichen.",
        ),
        (
            f"!abwesend streichen 21.12.2026 --for {LEAD}",
            DEPUTY,
            "Abwesenheiten anderer Personen trägt nur der Board-Vorsitz (CDO) ein: "
            "cdo (@cdo:example.org). Ihre eigene Abwesenheit tragen Sie mit "
            "`!abwesend <von> - <bis>` ein.",
        ),
    ],
)
def test_bad_cancel_changes_nothing(
    city: BotHarness, command: str, sender: str, reply: str
) -> None:
    city.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD)
    before = city.domain_state()
    assert city.reply(command, sender=sender) == reply
    assert city.domain_state() == before


def test_a_reason_too_long_is_refused_not_cut(city: BotHarness) -> None:
    before = city.domain_state()
    assert city.reply(f"!abwesend 10.12.2026 {'Fortbildung ' * 20}", sender=LEAD) == (
        "Der Grund ist zu lang (239 Zeichen, höchstens 200). Bitte kürzen Sie ihn; die "
        "Abwesenheit wurde nicht eingetragen."
    )
    assert city.domain_state() == before
    city.reply(f"!abwesend 10.12.2026 {'x' * 200}", sender=LEAD)
    assert periods(city) == [(LEAD, date(2026, 12, 10), date(2026, 12, 10), "x" * 200, False)]


def test_stand_ins_are_shown_until_the_leads_last_day_away(city: BotHarness) -> None:
    """Absences that follow on without a gap are one time away for ``!fb zeigen``."""
    city.reply("!abwesend 07.12.2026 - 09.12.2026 Fortbildung", sender=LEAD)
    city.reply("!abwesend 10.12.2026 - 18.12.2026 Urlaub", sender=LEAD)
    assert city.reply("!fb zeigen FB 61").endswith(
        "- Heute ansprechbar: dirk.decker (@dirk.decker:other.example) "
        "(Vertretung; die Leitung ist bis 18.12.2026 abwesend)"
    )


# --- no N+1: the statements a listing takes do not grow with the departments --------------------


def _statements(bot: BotHarness, command: str) -> tuple[int, int]:
    """(all statements ``command`` takes, those of the handler itself): the dispatcher runs
    the handler inside a savepoint; around it are its own (dedup, board, admins, outbox) and
    the harness's read of the reply."""
    seen: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(bot.engine, "before_cursor_execute", count)
    try:
        bot.reply(command)
    finally:
        event.remove(bot.engine, "before_cursor_execute", count)
    [start] = [i for i, s in enumerate(seen) if s.startswith("SAVEPOINT")]
    [end] = [i for i, s in enumerate(seen) if s.startswith("RELEASE SAVEPOINT")]
    return len(seen), end - start - 1


def _add_departments(bot: BotHarness, numbers: range) -> None:
    for n in numbers:
        lead, deputy = f"@lead{n}:example.org", f"@deputy{n}:example.org"
        bot.reply(f"!fb anlegen FB {n} Fachbereich {n}")
        bot.reply(f"!rolle zuweisen {lead} leitung FB {n}")
        bot.reply(f"!rolle zuweisen {deputy} vertretung FB {n}")
        bot.reply(f"!abwesend 07.12.2026 - 18.12.2026 --for {lead}")


@pytest.mark.parametrize(
    ("command", "own"),
    [
        ("!fb liste", 3),  # departments, their leads and deputies, those people's absences
        ("!abwesenheiten", 4),  # the same and the absences listed
    ],
)
def test_listings_take_a_constant_number_of_statements(
    bot_factory: Callable[..., BotHarness], command: str, own: int
) -> None:
    bot = fast_bot(bot_factory)
    bot.reply("!board init Smart City Board Musterstadt")
    _add_departments(bot, range(10, 12))
    few = _statements(bot, command)
    _add_departments(bot, range(12, 30))  # 20 departments whose leads are all away
    many = _statements(bot, command)
    reply = bot.reply(command)
    assert reply.count("@deputy") == 20 and "@deputy29:example.org" in reply
    assert many == few
    assert many[1] <= own, many
    assert many[0] <= own + 11, many  # 11: the dispatcher's and the harness's own
