"""``!wp`` add, edit, show, close/reopen: replies, the dates understood, permissions, and bad
input that changes nothing. (Lists, milestones, links, dependencies and history:
``test_work_packages_more.py``.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from board_bot.models import AuditEntry, WorkPackage
from tests.bot.city import DEPUTY, LEAD, MEMBER, OBSERVER, STRANGER, make_city
from tests.bot.conftest import ADMIN, BotHarness
from tests.bot.wp_support import add, field, refused, seed, wp

# How the bot names the member: the harness knows no display names.
MEMBER_NAMED = "mia.meyer (@mia.meyer:example.org)"


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return make_city(bot_factory)


@pytest.fixture
def seeded(city: BotHarness) -> BotHarness:
    seed(city)
    return city


# --- add ----------------------------------------------------------------------------------------


def test_lead_adds_for_own_department_and_sees_the_dates_understood(city: BotHarness) -> None:
    reply = city.reply(
        "!wp add Digitale Bauakte --due 31.12. --start morgen --ll 2 --hf mobilität", sender=LEAD
    )
    assert reply == (
        "WP-1 angelegt: **Digitale Bauakte** (FB 61 – Stadtplanung). Weitere Angaben mit "
        "`!ap ändern WP-1 <Feld> <Wert>`.\n"
        "- Leitlinie: 2\n"
        "- Handlungsfeld: Mobilität\n"
        "- Beginn: Di., 08.12.2026\n"
        "- Fällig: Do., 31.12.2026"
    )
    package = wp(city, 1)
    assert (package.title, package.status, package.traffic_light, package.progress) == (
        "Digitale Bauakte",
        "planned",
        "green",
        0,
    )
    assert (package.start_date, package.due_date) == (date(2026, 12, 8), date(2026, 12, 31))
    assert package.handlungsfeld == "Mobilität"  # the configured spelling
    [entry] = [e for e in city.rows(AuditEntry) if e.entity == "work_package"]
    assert (entry.actor, entry.action) == (LEAD, "create")


@pytest.mark.parametrize(
    ("due", "understood", "expected"),
    [
        ("31.12.2026", "Do., 31.12.2026", date(2026, 12, 31)),
        ("2027-01-15", "Fr., 15.01.2027", date(2027, 1, 15)),
        ("+2w", "Mo., 21.12.2026", date(2026, 12, 21)),
        ("übermorgen", "Mi., 09.12.2026", date(2026, 12, 9)),
        ("1.3.", "Mo., 01.03.2027", date(2027, 3, 1)),  # the next 1 March
    ],
)
def test_due_dates_in_every_form(
    city: BotHarness, due: str, understood: str, expected: date
) -> None:
    reply = add(city, f"Test --dept FB61 --due {due}")
    assert reply.endswith(f"- Fällig: {understood}")
    assert field(city, 1, "due_date") == expected


@pytest.mark.parametrize("word", ["!wp add", "!ap neu", "!arbeitspaket anlegen", "!AP Anlegen"])
def test_german_aliases_for_add(city: BotHarness, word: str) -> None:
    assert city.reply(f"{word} Schultablets", sender=DEPUTY).startswith("WP-1 angelegt:")
    assert field(city, 1, "title") == "Schultablets"


def test_numbers_count_up_and_admin_names_the_department(city: BotHarness) -> None:
    add(city, "Eins --dept FB61")
    reply = add(city, 'Zwei --dept "FB 68" --resp @mia.meyer:example.org')
    assert reply.startswith("WP-2 angelegt: **Zwei** (FB 68 – Verkehr).")
    assert f"- Verantwortlich: {MEMBER_NAMED}" in reply
    assert field(city, 2, "responsible") == MEMBER


ADD_REFUSALS = [
    ("!wp add Ohne Fachbereich", ADMIN, "Bitte geben Sie mit `--dept <Kürzel>` an"),
    (
        "!wp add Mitglied --dept FB61",
        MEMBER,
        "Arbeitspakete für FB 61 legen der Board-Vorsitz (CDO) und die Leitung",
    ),
    ("!wp add Mitglied", MEMBER, "Bitte geben Sie mit `--dept <Kürzel>` an"),
    (
        "!wp add Fremd --dept FB68",
        LEAD,
        "Arbeitspakete für FB 68 legen der Board-Vorsitz (CDO) und die Leitung",
    ),
    ("!wp add Beobachtung --dept FB61", OBSERVER, "Arbeitspakete für FB 61 legen"),
    ("!wp add X --dept FB 99", ADMIN, "Einen Fachbereich „FB 99“ gibt es nicht."),
    ("!wp add X --dept FB61 --ll 5", ADMIN, "„5“ ist keine Leitlinie."),
    ("!wp add X --dept FB61 --hf Raumfahrt", ADMIN, "„Raumfahrt“ ist kein Handlungsfeld"),
    ("!wp add X --dept FB61 --due 32.12.2026", ADMIN, "„32.12.2026“ gibt es nicht"),
    (
        "!wp add X --dept FB61 --start 10.12.2026 --due 09.12.2026",
        ADMIN,
        "Das Fälligkeitsdatum (09.12.2026) liegt vor dem Beginn (10.12.2026).",
    ),
    ("!wp add --dept FB61", ADMIN, "Es fehlt die Angabe `<Titel>`."),
    ("!wp add X --dept FB61 --resp erika", ADMIN, "„erika“ ist keine Matrix-Kennung."),
]


@pytest.mark.parametrize(("command", "sender", "message"), ADD_REFUSALS)
def test_add_refusals_change_nothing(
    city: BotHarness, command: str, sender: str, message: str
) -> None:
    refused(city, command, sender, message)


# --- edit ---------------------------------------------------------------------------------------


EDITS = [
    ("titel Digitale Bauakte 2.0", "- Titel: Digitale Bauakte → Digitale Bauakte 2.0", "title"),
    ("beschreibung Erst **prüfen**", "- Beschreibung: – → Erst **prüfen**", "description"),
    ("leitlinie 4", "- Leitlinie: 2 → 4", "leitlinie"),
    ("handlungsfeld bildung", "- Handlungsfeld: Verwaltung → Bildung", "handlungsfeld"),
    ("handlungsfeld -", "- Handlungsfeld: Verwaltung → –", "handlungsfeld"),
    (f"verantwortlich {MEMBER}", f"- Verantwortlich: – → {MEMBER_NAMED}", "responsible"),
    ("status in Arbeit", "- Status: geplant → in Arbeit", "status"),
    ("status blockiert", "- Status: geplant → blockiert", "status"),
    ("fortschritt 60", "- Fortschritt: 0 % → 60 %", "progress"),
    ("fortschritt 60%", "- Fortschritt: 0 % → 60 %", "progress"),
    ("beginn 01.12.2026", "- Beginn: – → Di., 01.12.2026", "start_date"),
    ("fällig +1m", "- Fällig: Do., 31.12.2026 → Do., 07.01.2027", "due_date"),
    ("faellig 2027-02-01", "- Fällig: Do., 31.12.2026 → Mo., 01.02.2027", "due_date"),
    ("förderprogramm Digitalpakt Schule", "- Förderprogramm: – → Digitalpakt Schule", None),
    ("antragsfrist 15.01.2027", "- Antragsfrist: – → Fr., 15.01.2027", "funding_deadline"),
]


@pytest.mark.parametrize(("edit", "line", "attribute"), EDITS)
def test_lead_edits_every_field(
    seeded: BotHarness, edit: str, line: str, attribute: str | None
) -> None:
    before = wp(seeded, 1)
    reply = seeded.reply(f"!wp edit WP-1 {edit}", sender=LEAD)
    assert reply.split("\n") == ["WP-1 geändert:", line]
    if attribute:
        assert getattr(wp(seeded, 1), attribute) != getattr(before, attribute)
    entry = seeded.rows(AuditEntry)[-1]
    assert (entry.action, entry.actor) == ("update", LEAD)


def test_traffic_light_with_reason_then_green(seeded: BotHarness) -> None:
    reply = seeded.reply("!ap ändern WP-1 ampel rot Förderbescheid fehlt", sender=LEAD)
    assert reply.split("\n") == [
        "WP-1 geändert:",
        "- Ampel: 🟢 grün → 🔴 rot",
        "- Begründung: – → Förderbescheid fehlt",
    ]
    reply = seeded.reply("!wp edit WP-1 ampel grün", sender=LEAD)
    assert reply.split("\n") == [
        "WP-1 geändert:",
        "- Ampel: 🔴 rot → 🟢 grün",
        "- Begründung: Förderbescheid fehlt → –",
    ]
    assert field(seeded, 1, "traffic_reason") is None


def test_contributors_by_code_list(seeded: BotHarness) -> None:
    reply = seeded.reply("!wp edit WP-1 beteiligt FB 68, FB13", sender=LEAD)
    assert reply.split("\n") == ["WP-1 geändert:", "- Beteiligt: – → FB 13, FB 68"]
    reply = seeded.reply("!wp edit WP-1 beteiligt FB 13", sender=LEAD)
    assert reply.split("\n") == ["WP-1 geändert:", "- Beteiligt: FB 13, FB 68 → FB 13"]
    assert seeded.reply("!wp edit WP-1 beteiligt FB 13", sender=LEAD) == (
        "WP-1 ist unverändert: Der Wert war bereits so."
    )


def test_same_value_is_unchanged_and_not_audited(seeded: BotHarness) -> None:
    before = seeded.domain_state()
    assert seeded.reply("!wp edit WP-1 leitlinie 2", sender=LEAD) == (
        "WP-1 ist unverändert: Der Wert war bereits so."
    )
    assert seeded.domain_state() == before


def test_responsible_member_updates_but_does_not_reassign(seeded: BotHarness) -> None:
    seeded.reply(f"!wp edit WP-1 verantwortlich {MEMBER}", sender=LEAD)
    assert seeded.reply("!wp edit WP-1 fortschritt 30", sender=MEMBER).startswith("WP-1 geändert:")
    before = seeded.domain_state()
    reply = seeded.reply("!wp edit WP-1 titel Anders", sender=MEMBER)
    assert reply.startswith("Das Feld „Titel“ von WP-1 ändern nur der Board-Vorsitz (CDO)")
    assert seeded.domain_state() == before


EDIT_REFUSALS = [
    (
        "!wp edit WP-99 fortschritt 10",
        LEAD,
        "Ein Arbeitspaket WP-99 gibt es in diesem Board nicht.",
    ),
    ("!wp edit XY-1 fortschritt 10", LEAD, "„XY-1“ ist keine Arbeitspaket-Nummer."),
    ("!wp edit WP-1 farbe blau", LEAD, "„farbe“ ist kein Feld eines Arbeitspakets."),
    ("!wp edit WP-1 fortschritt 150", LEAD, "Der Fortschritt muss zwischen 0 und 100 %"),
    ("!wp edit WP-1 fortschritt -5", LEAD, "Der Fortschritt muss zwischen 0 und 100 %"),
    ("!wp edit WP-1 fortschritt viel", LEAD, "Der Fortschritt muss zwischen 0 und 100 %"),
    ("!wp edit WP-2 fällig 30.11.2026", ADMIN, "Das Fälligkeitsdatum (30.11.2026) liegt vor"),
    ("!wp edit WP-1 ampel rot", LEAD, "Eine gelbe oder rote Ampel braucht eine Begründung."),
    ("!wp edit WP-1 ampel lila kaputt", LEAD, "„lila“ ist keine Ampelfarbe."),
    ("!wp edit WP-1 status fertigish", LEAD, "„fertigish“ ist kein Status."),
    ("!wp edit WP-1 fachbereich FB 99", LEAD, "Einen Fachbereich „FB 99“ gibt es nicht."),
    ("!wp edit WP-1 beteiligt FB 68 FB 99", LEAD, "Einen Fachbereich „FB 99“ gibt es nicht."),
    ("!wp edit WP-1 fortschritt", LEAD, "Bitte geben Sie nach dem Feld „Fortschritt“"),
    ("!wp edit WP-1 fortschritt 10", MEMBER, "WP-1 ändern der Board-Vorsitz (CDO)"),
    ("!wp edit WP-1 fortschritt 10", OBSERVER, "WP-1 ändern der Board-Vorsitz (CDO)"),
    ("!wp edit WP-1 fortschritt 10", STRANGER, "WP-1 ändern der Board-Vorsitz (CDO)"),
    ("!wp edit WP-2 fortschritt 10", LEAD, "WP-2 ändern der Board-Vorsitz (CDO)"),
    ("!wp edit WP-1 beteiligt FB 68", MEMBER, "WP-1 verwalten der Board-Vorsitz (CDO)"),
]


@pytest.mark.parametrize(("command", "sender", "message"), EDIT_REFUSALS)
def test_edit_refusals_change_nothing(
    seeded: BotHarness, command: str, sender: str, message: str
) -> None:
    refused(seeded, command, sender, message)


def test_done_status_sets_progress_to_100(seeded: BotHarness) -> None:
    reply = seeded.reply("!wp edit WP-1 status erledigt", sender=LEAD)
    assert reply.split("\n") == [
        "WP-1 geändert:",
        "- Status: geplant → erledigt",
        "- Fortschritt: 0 % → 100 %",
    ]


# --- show ---------------------------------------------------------------------------------------


def test_show_in_full(seeded: BotHarness) -> None:
    for command in [
        "!wp edit WP-1 ampel gelb Ausschreibung verzögert",
        "!wp edit WP-1 fortschritt 40",
        "!wp edit WP-1 beteiligt FB 13",
        f"!wp edit WP-1 verantwortlich {MEMBER}",
        "!wp edit WP-1 förderprogramm Digitalpakt",
        "!wp edit WP-1 antragsfrist 15.01.2027",
        "!wp edit WP-1 beschreibung Akten digital führen",
        "!wp ms neu WP-1 20.12.2026 Ausschreibung",
        "!wp ms neu WP-1 10.12.2026 Konzept",
        "!wp ms erreicht WP-1 1",
        "!wp link WP-1 https://example.org/bauakte Konzeptpapier",
        "!wp wartet WP-1 WP-2",
    ]:
        city_reply = seeded.reply(command, sender=LEAD if "WP-2" not in command else ADMIN)
        assert "WP-1" in city_reply, city_reply
    reply = seeded.reply("!ap zeigen ap-1", sender=OBSERVER)
    assert reply.split("\n")[:20] == [
        "**WP-1 · Digitale Bauakte**",
        "",
        "- Status: geplant · Fortschritt: 40 %",
        "- Ampel: 🟡 gelb (Ausschreibung verzögert)",
        "- Leitlinie: 2 (Transparenz & Teilhabe) · Handlungsfeld: Verwaltung",
        "- Fachbereich: FB 61 – Stadtplanung",
        "- Beteiligt: FB 13 – Hauptamt",
        f"- Verantwortlich: {MEMBER_NAMED}",
        "- Beginn: – · fällig: Do., 31.12.2026",
        "- Förderprogramm: Digitalpakt · Antragsfrist: Fr., 15.01.2027",
        "- Wartet auf: WP-2 (geplant)",
        "",
        "**Beschreibung**",
        "Akten digital führen",
        "",
        "**Meilensteine**",
        "1. ✓ Do., 10.12.2026 · Konzept",
        "2. ☐ So., 20.12.2026 · Ausschreibung",
        "",
        "**Links**",
    ]
    assert "- Konzeptpapier: https://example.org/bauakte" in reply
    # The last status lines: only changes of status, traffic light and progress, newest first.
    status = reply.split("**Letzte Statusmeldungen**\n", 1)[1].split("\n")
    assert len(status) == 2, status
    assert status[0].endswith("geändert: Fortschritt: 0 % → 40 %"), status
    assert "Ampel: 🟢 grün → 🟡 gelb" in status[1] and "Ausschreibung verzögert" in status[1]
    assert "Förderprogramm" not in reply.split("**Letzte Statusmeldungen**")[1]
    assert "Darauf warten: WP-1 (geplant)" in seeded.reply("!wp show 2")


def test_show_unknown(seeded: BotHarness) -> None:
    assert seeded.reply("!wp show WP-7") == "Ein Arbeitspaket WP-7 gibt es in diesem Board nicht."


def test_titles_and_reasons_are_escaped(city: BotHarness) -> None:
    title = "<b>Bau</b> @room [x](https://evil.example)"
    add(city, f"{title} --dept FB61")
    city.reply("!wp edit WP-1 ampel rot <i>weg</i> @room", sender=ADMIN)
    for command in ["!wp show WP-1", "!wp list", "!wp history WP-1"]:
        city.handle(command)
        [content] = city.contents()
        html = content["formatted_body"]
        assert "<b>" not in html and "<i>" not in html and "<a " not in html, command
        if command != "!wp history WP-1":  # the log names the package by its number only
            assert "&lt;b&gt;Bau&lt;/b&gt;" in html, command
        if command != "!wp list":  # the list shows the colour, not the reason
            assert "&lt;i&gt;weg&lt;/i&gt;" in html, command
        assert "@room" not in content["body"] and "@\u2060room" in content["body"], command
        assert content["m.mentions"] == {}


# --- close, reopen ------------------------------------------------------------------------------


def test_close_done_and_discarded_then_reopen(seeded: BotHarness) -> None:
    assert seeded.reply("!wp close WP-1", sender=LEAD).split("\n") == [
        "WP-1 abgeschlossen: erledigt.",
        "- Status: geplant → erledigt",
        "- Fortschritt: 0 % → 100 %",
    ]
    assert seeded.reply("!ap abschließen WP-2 verworfen").split("\n") == [
        "WP-2 abgeschlossen: verworfen.",
        "- Status: geplant → verworfen",
    ]
    assert seeded.reply("!wp reopen WP-2").split("\n") == [
        "WP-2 ist wieder geöffnet.",
        "- Status: verworfen → in Arbeit",
    ]
    assert field(seeded, 1, "progress") == 100
    assert [e.action for e in seeded.rows(AuditEntry)][-3:] == ["close", "close", "reopen"]


@pytest.mark.parametrize(
    ("command", "sender", "message"),
    [
        ("!wp close WP-1", OBSERVER, "WP-1 ändern der Board-Vorsitz (CDO)"),
        ("!wp close WP-2", LEAD, "WP-2 ändern der Board-Vorsitz (CDO)"),
        ("!wp close WP-1 geplant", LEAD, "Ein Arbeitspaket wird als erledigt oder verworfen"),
        ("!wp close WP-3", LEAD, "Ein Arbeitspaket WP-3 gibt es"),
        ("!wp reopen WP-1", LEAD, "WP-1 ist nicht abgeschlossen"),
    ],
)
def test_close_reopen_refusals(seeded: BotHarness, command: str, sender: str, message: str) -> None:
    refused(seeded, command, sender, message)


def test_close_twice_is_refused(seeded: BotHarness) -> None:
    seeded.reply("!wp close WP-1", sender=LEAD)
    before = seeded.domain_state()
    assert seeded.reply("!wp close WP-1", sender=LEAD) == "WP-1 ist bereits abgeschlossen."
    assert seeded.domain_state() == before
    assert seeded.count(WorkPackage) == 2
