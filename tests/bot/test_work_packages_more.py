"""``!wp list`` (filters, sorting, grouping, pages), milestones, links, dependencies and history."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from board_bot.core.render import content_size
from board_bot.models import Dependency, Milestone, WorkPackageLink
from tests.bot.city import LEAD, MEMBER, OBSERVER, STRANGER, make_city
from tests.bot.conftest import ADMIN, BotHarness
from tests.bot.wp_support import add, refused, seed

# How the bot names them: the harness knows no display names.
LEAD_NAMED = "lena.lehmann (@lena.lehmann:example.org)"
ADMIN_NAMED = "cdo (@cdo:example.org)"


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return make_city(bot_factory)


@pytest.fixture
def seeded(city: BotHarness) -> BotHarness:
    seed(city)
    return city


def numbers(reply: str) -> list[str]:
    """The package codes of a list reply, in order."""
    return [line.split("**")[1] for line in reply.split("\n") if line.startswith("- ")]


# --- list ---------------------------------------------------------------------------------------


def test_list_grouped_by_leitlinie_with_light_as_emoji_and_word(seeded: BotHarness) -> None:
    add(seeded, "Ohne Einordnung --dept FB13 --due 10.12.2026")
    seeded.reply("!wp edit WP-2 ampel rot Förderbescheid fehlt")
    seeded.reply("!wp edit WP-3 fortschritt 20")
    assert seeded.reply("!wp list", sender=OBSERVER).split("\n") == [
        "**Arbeitspakete** (3 Treffer)",
        "",
        "**Leitlinie 2: Transparenz & Teilhabe**",
        "- 🟢 grün · **WP-1** Digitale Bauakte · FB 61 · geplant · 0 % · fällig 31.12.2026",
        "",
        "**Leitlinie 3: Infrastruktur & Daten**",
        "- 🔴 rot · **WP-2** Radverkehrsplan · FB 68 · geplant · 0 % · fällig 15.03.2027",
        "",
        "**Ohne Leitlinie**",
        "- 🟢 grün · **WP-3** Ohne Einordnung · FB 13 · geplant · 20 % · fällig 10.12.2026",
    ]


def test_list_empty(city: BotHarness) -> None:
    assert city.reply("!ap liste").startswith("Keine Arbeitspakete gefunden.")


def test_list_marks_overdue_and_waiting(seeded: BotHarness) -> None:
    add(seeded, "Alt --dept FB61 --start 01.11.2026 --due 01.12.2026")
    seeded.reply("!wp depend WP-1 WP-2")
    lines = seeded.reply("!wp list --sort nummer").split("\n")
    [first] = [line for line in lines if "**WP-1**" in line]
    [third] = [line for line in lines if "**WP-3**" in line]
    assert first.endswith("· fällig 31.12.2026 · ⛔ wartet")
    assert third.endswith("· ⚠ überfällig seit 01.12.2026")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # grouped by Leitlinie (WP-1 and WP-4: 2, WP-2: 3, WP-3: none), sorted within a group
        ("", ["WP-4", "WP-1", "WP-2"]),
        ("--dept FB61", ["WP-4", "WP-1"]),
        ('--dept "FB 68"', ["WP-2"]),
        ("--ll 3", ["WP-2"]),
        ("--hf verwaltung", ["WP-1"]),
        ("--status blockiert", ["WP-4"]),
        ('--status "in Arbeit"', []),
        ("--status erledigt", ["WP-3"]),
        ("--ampel gelb", ["WP-2"]),
        ("--ampel rot", ["WP-1"]),
        ("--overdue", ["WP-4"]),
        ("--due-within 30", ["WP-1"]),
        ("--blocked", ["WP-4", "WP-1"]),
        (f"--resp {MEMBER}", ["WP-2"]),
        ("--all", ["WP-4", "WP-1", "WP-2", "WP-3"]),
        ("--all --sort number", ["WP-1", "WP-4", "WP-2", "WP-3"]),
        ("--sort nummer", ["WP-1", "WP-4", "WP-2"]),
        ("--sort ampel", ["WP-1", "WP-4", "WP-2"]),
        ("--sort fortschritt", ["WP-1", "WP-4", "WP-2"]),
        ("--sort status", ["WP-1", "WP-4", "WP-2"]),
        ("--sort fällig", ["WP-4", "WP-1", "WP-2"]),
    ],
)
def test_list_filters_and_sorts(seeded: BotHarness, options: str, expected: list[str]) -> None:
    add(seeded, "Erledigt --dept FB13 --due 20.12.2026")
    add(seeded, "Hängt --dept FB61 --ll 2 --start 01.11.2026 --due 01.12.2026")
    for command in [
        "!wp close WP-3",
        "!wp edit WP-4 status blockiert",
        "!wp edit WP-4 fortschritt 5",
        "!wp edit WP-1 ampel rot Verzug",
        "!wp edit WP-2 ampel gelb Abstimmung mit dem Land",
        "!wp edit WP-2 fortschritt 50",
        f"!wp edit WP-2 verantwortlich {MEMBER}",
        "!wp depend WP-1 WP-2",
    ]:
        assert "WP-" in seeded.reply(command), command
    reply = seeded.reply(f"!wp list {options}", sender=OBSERVER)
    if not expected:
        assert reply.startswith("Keine Arbeitspakete gefunden.")
    else:
        assert numbers(reply) == expected, reply


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("!wp list --sort farbe", "Nach „farbe“ kann nicht sortiert werden."),
        ("!wp list --status egal", "„egal“ ist kein Status."),
        ("!wp list --ampel blau", "„blau“ ist keine Ampelfarbe."),
        ("!wp list --dept FB99", "Einen Fachbereich „FB99“ gibt es nicht."),
        ("!wp list --hf Mond", "„Mond“ ist kein Handlungsfeld dieses Boards."),
        ("!wp list --due-within -1", "`--due-within` erwartet eine Anzahl Tage"),
        ("!wp list --page 9", "Seite 9 gibt es nicht; die Liste hat 1 Seiten."),
        ("!wp list --resp erika", "„erika“ ist keine Matrix-Kennung."),
    ],
)
def test_list_bad_options(seeded: BotHarness, command: str, message: str) -> None:
    assert seeded.reply(command).startswith(message)


def test_list_pages_of_25(city: BotHarness) -> None:
    for n in range(1, 61):
        leitlinie = f" --ll {1 + n % 2}" if n % 3 else ""
        add(city, f"Maßnahme {n} --dept FB61{leitlinie}")
    first = city.reply("!wp list --dept FB61 --sort nummer")
    assert len(numbers(first)) == 25
    assert first.split("\n")[0] == "**Arbeitspakete** (60 Treffer)"
    assert first.split("\n")[-1] == (
        'Seite 1 von 3 — weiter mit `!wp list --dept "FB 61" --sort number --page 2`'
    )
    headings = [line for line in first.split("\n") if line.startswith("**Leitlinie")]
    assert headings == [
        "**Leitlinie 1: Ziele & Strategien**",
        "**Leitlinie 2: Transparenz & Teilhabe**",
    ]
    assert "**Ohne Leitlinie**" in first
    second = city.reply(first.split("`")[-2])  # the command the page line offers
    assert second.split("\n")[-1].startswith("Seite 2 von 3 — weiter mit `")
    third = city.reply("!wp list --dept FB61 --sort number --page 3")
    assert third.split("\n")[-1] == "Seite 3 von 3 (letzte Seite)"
    shown = numbers(first) + numbers(second) + numbers(third)
    assert sorted(shown) == sorted(f"WP-{n}" for n in range(1, 61))
    assert len(numbers(third)) == 10
    city.handle("!wp list")
    [content] = city.contents()
    assert content_size(content) < 40 * 1024


# --- milestones, links --------------------------------------------------------------------------


def test_milestones_add_and_done(seeded: BotHarness) -> None:
    seeded.reply(f"!wp edit WP-1 verantwortlich {MEMBER}", sender=LEAD)
    assert seeded.reply("!wp milestone add WP-1 +1w Ausschreibung", sender=MEMBER) == (
        "Meilenstein für WP-1 angelegt: **Ausschreibung**, fällig Mo., 14.12.2026."
    )
    assert seeded.reply("!ap meilenstein neu WP-1 10.12. Konzept", sender=LEAD) == (
        "Meilenstein für WP-1 angelegt: **Konzept**, fällig Do., 10.12.2026."
    )
    assert seeded.reply("!wp ms erreicht WP-1 2", sender=MEMBER) == (
        "Meilenstein von WP-1 erreicht: ✓ **Ausschreibung**."
    )
    done = {m.title: m.done_at is not None for m in seeded.rows(Milestone)}
    assert done == {"Ausschreibung": True, "Konzept": False}


@pytest.mark.parametrize(
    ("command", "sender", "message"),
    [
        ("!wp ms neu WP-1 gestern Konzept", LEAD, "„gestern“ ist kein gültiges Datum."),
        ("!wp ms neu WP-1 10.12.2026", LEAD, "Bitte geben Sie einen Titel an."),
        ("!wp ms erreicht WP-1 3", LEAD, "WP-1 hat keinen Meilenstein Nr. 3."),
        ("!wp ms erreicht WP-1 eins", LEAD, "„eins“ ist keine ganze Zahl."),
        ("!wp ms löschen WP-1 1", LEAD, "„löschen“ kennt `meilenstein` nicht."),
        ("!wp ms neu WP-1 10.12.2026 Konzept", MEMBER, "WP-1 ändern der Board-Vorsitz (CDO)"),
        ("!wp ms neu WP-1 10.12.2026 Konzept", OBSERVER, "WP-1 ändern der Board-Vorsitz (CDO)"),
        ("!wp ms neu WP-9 10.12.2026 Konzept", LEAD, "Ein Arbeitspaket WP-9 gibt es"),
        ("!wp link WP-1 javascript:alert(1)", LEAD, "„javascript:alert(1)“ ist kein Link."),
        ("!wp link WP-1 https://example.org", STRANGER, "WP-1 ändern der Board-Vorsitz (CDO)"),
    ],
)
def test_milestone_and_link_refusals(
    seeded: BotHarness, command: str, sender: str, message: str
) -> None:
    refused(seeded, command, sender, message)


def test_milestone_done_twice(seeded: BotHarness) -> None:
    seeded.reply("!wp ms neu WP-1 10.12.2026 Konzept", sender=LEAD)
    seeded.reply("!wp ms erreicht WP-1 1", sender=LEAD)
    assert seeded.reply("!wp ms erreicht WP-1 1", sender=LEAD) == (
        "Der Meilenstein „Konzept“ ist bereits erreicht."
    )


def test_link(seeded: BotHarness) -> None:
    assert seeded.reply(
        "!wp verweis WP-1 https://example.org/akte Konzept Bauakte", sender=LEAD
    ) == ("Link zu WP-1 hinzugefügt: https://example.org/akte")
    [link] = seeded.rows(WorkPackageLink)
    assert (link.url, link.title) == ("https://example.org/akte", "Konzept Bauakte")


# --- dependencies -------------------------------------------------------------------------------


def test_depend_and_undepend_across_departments(seeded: BotHarness) -> None:
    assert seeded.reply("!ap wartet WP-1 WP-2", sender=LEAD) == "WP-1 wartet jetzt auf WP-2."
    assert len(seeded.rows(Dependency)) == 1
    assert seeded.reply("!wp undepend WP-1 WP-2", sender=LEAD) == "WP-1 wartet nicht mehr auf WP-2."
    assert seeded.rows(Dependency) == []


@pytest.mark.parametrize(
    ("command", "sender", "message"),
    [
        (
            "!wp depend WP-3 WP-1",
            ADMIN,
            "Diese Abhängigkeit ergäbe einen Kreis: WP-3 → WP-1 → WP-2 → WP-3.",
        ),
        ("!wp depend WP-1 WP-1", ADMIN, "WP-1 kann nicht auf sich selbst warten."),
        ("!wp depend WP-1 WP-2", ADMIN, "WP-1 wartet bereits auf WP-2."),
        ("!wp depend WP-1 WP-9", ADMIN, "Ein Arbeitspaket WP-9 gibt es"),
        ("!wp depend WP-2 WP-3", LEAD, "WP-2 ändern der Board-Vorsitz (CDO)"),
        ("!wp undepend WP-2 WP-1", ADMIN, "WP-2 wartet nicht auf WP-1."),
        ("!wp undepend WP-1 WP-2", OBSERVER, "WP-1 ändern der Board-Vorsitz (CDO)"),
        ("!wp depend WP-1", ADMIN, "Es fehlt die Angabe `<AP>`."),
    ],
)
def test_dependency_refusals(seeded: BotHarness, command: str, sender: str, message: str) -> None:
    add(seeded, "Drittes --dept FB13")
    seeded.reply("!wp depend WP-1 WP-2")
    seeded.reply("!wp depend WP-2 WP-3")
    refused(seeded, command, sender, message)


# --- history ------------------------------------------------------------------------------------


def test_history_shows_who_changed_what(seeded: BotHarness) -> None:
    seeded.reply("!wp edit WP-1 fortschritt 30", sender=LEAD)
    seeded.reply("!wp edit WP-1 beteiligt FB 13", sender=LEAD)
    seeded.reply("!wp ms neu WP-1 10.12.2026 Konzept", sender=LEAD)
    seeded.reply("!wp link WP-1 https://example.org/a", sender=LEAD)
    seeded.reply("!wp depend WP-1 WP-2")
    seeded.reply("!wp undepend WP-1 WP-2")
    seeded.reply("!wp close WP-1", sender=LEAD)
    seeded.reply("!wp reopen WP-1")
    seeded.reply("!wp ms erreicht WP-1 1", sender=LEAD)
    lines = seeded.reply("!ap verlauf WP-1", sender=OBSERVER).split("\n")
    stamp = "- 07.12.2026, 09:00 Uhr · "
    assert lines == [
        "**Änderungsprotokoll WP-1** (neueste zuerst, höchstens 20)",
        "",
        f"{stamp}{LEAD_NAMED} · Meilenstein „Konzept“ erreicht",
        f"{stamp}{ADMIN_NAMED} · wieder geöffnet: Status: erledigt → in Arbeit",
        (
            f"{stamp}{LEAD_NAMED} · abgeschlossen: Status: geplant → erledigt; "
            "Fortschritt: 30 % → 100 %"
        ),
        f"{stamp}{ADMIN_NAMED} · wartet nicht mehr auf WP-2",
        f"{stamp}{ADMIN_NAMED} · wartet jetzt auf WP-2",
        f"{stamp}{LEAD_NAMED} · Link hinzugefügt: https://example.org/a",
        f"{stamp}{LEAD_NAMED} · Meilenstein „Konzept“ angelegt, fällig Do., 10.12.2026",
        f"{stamp}{LEAD_NAMED} · geändert: Beteiligt: – → FB 13",
        f"{stamp}{LEAD_NAMED} · geändert: Fortschritt: 0 % → 30 %",
        f"{stamp}{LEAD_NAMED} · angelegt für FB 61",
    ]


def test_history_unknown(seeded: BotHarness) -> None:
    assert (
        seeded.reply("!wp history WP-5") == "Ein Arbeitspaket WP-5 gibt es in diesem Board nicht."
    )


def test_help_lists_the_wp_commands(city: BotHarness) -> None:
    reply = city.reply("!hilfe ap")
    assert reply.startswith("**!ap** – Arbeitspakete: das Portfolio des Boards")
    words = ["anlegen", "ändern", "zeigen", "liste", "abschließen", "wiedereröffnen"]
    for word in [*words, "meilenstein", "wartet"]:
        assert f"`!ap {word} " in reply, word
