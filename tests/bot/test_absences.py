"""``!away``, ``!back``, ``!absences``: anyone with a role records their own absence, admins
anyone's; dates in the board's calendar; deputies stand in for leads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from board_bot.models import Absence
from tests.bot.city import DEPUTY, LEAD, MEMBER, OBSERVER, STRANGER, fast_bot, make_city
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
        "- FB 61 – Stadtplanung: Vertretung durch @dirk.decker:other.example"
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
    assert city.reply("!abwesend 08.12.2026", sender=MEMBER) == (
        "Abwesenheit eingetragen: @mia.meyer:example.org, am 08.12.2026."
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
        "- FB 61 – Stadtplanung: Vertretung durch @dirk.decker:other.example"
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


@pytest.mark.parametrize("sender", [STRANGER, OBSERVER])
def test_observers_and_people_without_a_role_are_refused(city: BotHarness, sender: str) -> None:
    before = city.domain_state()
    assert city.reply("!abwesend 10.12.2026", sender=sender) == (
        "Ihre eigene Abwesenheit tragen Leitung, Vertretung und Mitglieder eines Fachbereichs "
        "ein; Beobachter/innen und Personen ohne Rolle nicht. Abwesenheiten aller Personen "
        "trägt die Leitung des Boards ein: @cdo:example.org."
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
        (
            "!zurück",
            MEMBER,
            "Für Sie ist weder heute noch künftig eine Abwesenheit eingetragen.",
        ),
        (
            f"!zurück --for {MEMBER}",
            ADMIN,
            "Für @mia.meyer:example.org ist weder heute noch künftig eine Abwesenheit eingetragen.",
        ),
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
        "  - FB 61 – Stadtplanung: Vertretung durch @dirk.decker:other.example\n"
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


def test_back_before_the_absence_begins_cancels_it(city: BotHarness) -> None:
    """A lead who typed wrong dates takes the absence back and enters it again."""
    city.reply("!abwesend 12.12.2026 - 22.12.2026 Urlaub", sender=LEAD)  # meant 21.12.
    city.reply("!abwesend 08.01.2027", sender=LEAD)
    assert city.reply("!zurück", sender=LEAD) == (
        "Sie sind heute nicht abwesend; Ihre nächste Abwesenheit ist gestrichen: 12.12.2026 bis "
        "22.12.2026 (Urlaub). Eine Abwesenheit mit anderen Daten tragen Sie mit "
        "`!abwesend <von> - <bis>` ein."
    )
    assert periods(city) == [
        (LEAD, date(2026, 12, 12), date(2026, 12, 22), "Urlaub", True),
        (LEAD, date(2027, 1, 8), date(2027, 1, 8), None, False),
    ]
    assert city.reply(f"!back --for {LEAD}") == (
        "@lena.lehmann:example.org ist heute nicht abwesend; die nächste Abwesenheit ist "
        "gestrichen: am 08.01.2027."
    )
    assert "21.12.2026 bis 06.01.2027" in city.reply(
        "!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD
    )


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
        "- Heute ansprechbar: @dirk.decker:other.example "
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
