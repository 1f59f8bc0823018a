"""Weekly status answers as department leads type them: every field of the result is checked."""

from __future__ import annotations

import random

import pytest

from bench.parser import PIECES
from bench.parser import message as bench_message
from board_bot.features.status_rounds.parser import (
    MAX_PROBLEM_TEXT,
    Answer,
    Blocker,
    Escalation,
    ItemUpdate,
    LineProblem,
    parse_answer,
)


def item(
    line: int,
    number: int,
    light: str | None = None,
    progress: int | None = None,
    status: str | None = None,
    note: str = "",
    unchanged: bool = False,
) -> ItemUpdate:
    return ItemUpdate(line, number, light, progress, status, note, unchanged)


def blocker(
    line: int, text: str, department: str | None = None, work_package: int | None = None
) -> Blocker:
    return Blocker(line, text, department, work_package)


def board(line: int, text: str) -> Escalation:
    return Escalation(line, text, "board")


def mayor(line: int, text: str) -> Escalation:
    return Escalation(line, text, "mayor")


def problem(line: int, text: str, reason: str) -> LineProblem:
    return LineProblem(line, text, reason)


def lines(
    *items: ItemUpdate,
    blockers: tuple[Blocker, ...] = (),
    escalations: tuple[Escalation, ...] = (),
    problems: tuple[LineProblem, ...] = (),
) -> tuple[
    str,
    tuple[ItemUpdate, ...],
    tuple[Blocker, ...],
    tuple[Escalation, ...],
    tuple[LineProblem, ...],
]:
    return ("lines", items, blockers, escalations, problems)


def free(
    blockers: tuple[Blocker, ...] = (),
    escalations: tuple[Escalation, ...] = (),
    problems: tuple[LineProblem, ...] = (),
) -> tuple[
    str,
    tuple[ItemUpdate, ...],
    tuple[Blocker, ...],
    tuple[Escalation, ...],
    tuple[LineProblem, ...],
]:
    return ("free", (), blockers, escalations, problems)


UNCHANGED = ("unchanged", (), (), (), ())

CASES = [
    pytest.param(
        "WP-12 gelb 60% Ausschreibung verzögert sich",
        lines(item(1, 12, "yellow", 60, note="Ausschreibung verzögert sich")),
        id="light-percent-note",
    ),
    pytest.param(
        "- WP-3: grün, 80 %, läuft nach Plan\n"
        "- WP-7 rot 20% blockiert durch FB 61 (Datenschutzprüfung)",
        lines(
            item(1, 3, "green", 80, "in_progress", "nach Plan"),
            item(2, 7, "red", 20, "blocked", "blockiert durch FB 61 (Datenschutzprüfung)"),
            blockers=(blocker(2, "blockiert durch FB 61 (Datenschutzprüfung)", "FB 61"),),
        ),
        id="bullets-and-blocker",
    ),
    pytest.param("unverändert.", UNCHANGED, id="unverändert"),
    pytest.param("Keine Änderungen", UNCHANGED, id="keine-änderungen"),
    pytest.param("no change", UNCHANGED, id="no-change"),
    pytest.param("  Alles unverändert!  ", UNCHANGED, id="alles-unverändert"),
    pytest.param("Wie letzte Woche.", UNCHANGED, id="wie-letzte-woche"),
    pytest.param("Same as last week", UNCHANGED, id="same-as-last-week"),
    pytest.param("keine aenderungen", UNCHANGED, id="ae-spelling"),
    pytest.param(
        "Hallo zusammen,\nWP-4 erledigt\nWP-5 gelb wartet auf WP-3\n"
        "Entscheidung nötig: Freigabe der Haushaltsmittel durch den Rat\nViele Grüße",
        lines(
            item(2, 4, status="done"),
            item(3, 5, "yellow", note="wartet auf WP-3"),
            blockers=(blocker(3, "wartet auf WP-3", work_package=3),),
            escalations=(board(4, "Freigabe der Haushaltsmittel durch den Rat"),),
        ),
        id="greeting-items-escalation",
    ),
    pytest.param(
        "Wir sind weiter im Zeitplan, die Vergabe läuft. "
        "Nächste Woche Abstimmung mit dem Personalrat.",
        free(),
        id="free-text",
    ),
    pytest.param(
        "Hallo,\nbei uns keine Änderungen.\nGruß",
        free(),
        id="no-change-inside-prose-is-free-text",
    ),
    pytest.param(
        "WP-12 gelb 140%",
        lines(
            item(1, 12, "yellow", note="140%"),
            problems=(problem(1, "WP-12 gelb 140%", "percent_range"),),
        ),
        id="percent-range",
    ),
    pytest.param(
        "WP-12 6o%",
        lines(item(1, 12, note="6o%"), problems=(problem(1, "WP-12 6o%", "bad_percent"),)),
        id="bad-percent-letter",
    ),
    pytest.param(
        "WP-23 -5%",
        lines(item(1, 23, note="-5%"), problems=(problem(1, "WP-23 -5%", "bad_percent"),)),
        id="bad-percent-negative",
    ),
    pytest.param(
        "WP-24 60,5%",
        lines(item(1, 24, note="60,5%"), problems=(problem(1, "WP-24 60,5%", "bad_percent"),)),
        id="bad-percent-decimal",
    ),
    pytest.param(
        "WP-25 Fortschritt 1000%",
        lines(
            item(1, 25, note="Fortschritt 1000%"),
            problems=(problem(1, "WP-25 Fortschritt 1000%", "percent_range"),),
        ),
        id="percent-range-four-digits",
    ),
    pytest.param(
        "WP gelb 50%",
        free(problems=(problem(1, "WP gelb 50%", "no_package"),)),
        id="no-package-number",
    ),
    pytest.param(
        "AP-x rot\nAP-4 gelb 30 Prozent Personalengpass",
        lines(
            item(2, 4, "yellow", 30, note="Personalengpass"),
            problems=(problem(1, "AP-x rot", "no_package"),),
        ),
        id="no-package-next-to-package",
    ),
    pytest.param("AP: Frau Müller (Vertretung)", free(), id="ap-as-contact-person-is-prose"),
    pytest.param(
        "WP-3 grün rot 10%",
        lines(
            item(1, 3, progress=10, note="grün rot"),
            problems=(problem(1, "WP-3 grün rot 10%", "conflicting_light"),),
        ),
        id="conflicting-light",
    ),
    pytest.param(
        "WP-1 grün\nwp1 gelb 20%\nWP-2 rot",
        lines(
            item(1, 1, "green"),
            item(3, 2, "red"),
            problems=(problem(2, "wp1 gelb 20%", "duplicate_package"),),
        ),
        id="duplicate-package",
    ),
    pytest.param(
        "* ap12 – Gelb, 45 %, Lieferant meldet Verzug\n* #13 grün 100% erledigt",
        lines(
            item(1, 12, "yellow", 45, note="Lieferant meldet Verzug"),
            item(2, 13, "green", 100, "done"),
        ),
        id="ap-and-hash-refs",
    ),
    pytest.param(
        "1. WP-5: Ampel: rot; Status: blockiert; Fortschritt 10 %; wartet auf Amt13\n"
        "2) WP 6 unverändert",
        lines(
            item(1, 5, "red", 10, "blocked", "wartet auf Amt13"),
            item(2, 6, unchanged=True),
            blockers=(blocker(1, "wartet auf Amt13", "Amt 13"),),
        ),
        id="labels-and-numbered-bullets",
    ),
    pytest.param(
        "WP-8 🟡 50 % Vergabe verschoben, Entscheidung nötig (OB): Verlängerung der Förderung?",
        lines(
            item(
                1,
                8,
                "yellow",
                50,
                note="Vergabe verschoben, Entscheidung nötig (OB): Verlängerung der Förderung?",
            ),
            escalations=(mayor(1, "Verlängerung der Förderung?"),),
        ),
        id="emoji-light-and-mayor-escalation-in-package-line",
    ),
    pytest.param(
        "Eskalation: Stellenbesetzung im FB 20 hängt seit 3 Monaten",
        free(escalations=(board(1, "Stellenbesetzung im FB 20 hängt seit 3 Monaten"),)),
        id="eskalation",
    ),
    pytest.param(
        "An die OB: Bitte Termin mit der Geschäftsführung der Stadtwerke",
        free(escalations=(mayor(1, "Bitte Termin mit der Geschäftsführung der Stadtwerke"),)),
        id="an-die-ob",
    ),
    pytest.param(
        "Eskalation an den Oberbürgermeister: Standortfrage Rechenzentrum",
        free(escalations=(mayor(1, "Standortfrage Rechenzentrum"),)),
        id="eskalation-an-den-oberbürgermeister",
    ),
    pytest.param(
        "OB-Entscheidung: Standort der Ladesäulen",
        free(escalations=(mayor(1, "Standort der Ladesäulen"),)),
        id="ob-entscheidung",
    ),
    pytest.param(
        "Entscheidung nötig, ob wir die Pilotphase verlängern.",
        free(escalations=(board(1, "ob wir die Pilotphase verlängern."),)),
        id="escalation-without-colon",
    ),
    pytest.param(
        "Eine Eskalation ist aus unserer Sicht nicht nötig.",
        free(),
        id="escalation-word-in-prose",
    ),
    pytest.param(
        "Entscheidung nötig:\n- Freigabe der Haushaltsmittel 2025",
        free(escalations=(board(1, "Freigabe der Haushaltsmittel 2025"),)),
        id="escalation-text-on-next-line",
    ),
    pytest.param(
        "WP-9 rot, 35 %, abhängig von Dezernat II (Haushaltssperre)",
        lines(
            item(1, 9, "red", 35, note="abhängig von Dezernat II (Haushaltssperre)"),
            blockers=(blocker(1, "abhängig von Dezernat II (Haushaltssperre)", "Dezernat II"),),
        ),
        id="abhängig-von-dezernat",
    ),
    pytest.param(
        "WP-10 gelb, 70%. Wir warten auf Rückmeldung vom Landesportal; Go-Live verschiebt sich",
        lines(
            item(
                1,
                10,
                "yellow",
                70,
                note="Wir warten auf Rückmeldung vom Landesportal; Go-Live verschiebt sich",
            ),
            blockers=(blocker(1, "warten auf Rückmeldung vom Landesportal"),),
        ),
        id="blocker-with-free-text-ends-at-semicolon",
    ),
    pytest.param(
        "WP-28 gelb (wartet auf Dez. II)",
        lines(
            item(1, 28, "yellow", note="(wartet auf Dez. II)"),
            blockers=(blocker(1, "wartet auf Dez. II", "Dezernat II"),),
        ),
        id="blocker-in-parentheses",
    ),
    pytest.param(
        "WP-32 gelb, wartet auf KW 12",
        lines(
            item(1, 32, "yellow", note="wartet auf KW 12"),
            blockers=(blocker(1, "wartet auf KW 12"),),
        ),
        id="calendar-week-is-no-department",
    ),
    pytest.param(
        "WP-20 blocked by WP-3, waiting for IT security review",
        lines(
            item(1, 20, status="blocked", note="blocked by WP-3, waiting for IT security review"),
            blockers=(
                blocker(1, "blocked by WP-3", work_package=3),
                blocker(1, "waiting for IT security review"),
            ),
        ),
        id="english-blockers",
    ),
    pytest.param(
        "WP-34 gelb 40 %, Zeitplan weiterhin blockiert durch fb61",
        lines(
            item(1, 34, "yellow", 40, "blocked", "Zeitplan weiterhin blockiert durch fb61"),
            blockers=(blocker(1, "blockiert durch fb61", "FB 61"),),
        ),
        id="blocked-by-department-late-in-the-line",
    ),
    pytest.param(
        "WP-21 red 10 percent\nDecision needed: budget for sensors\nFor the mayor: press date",
        lines(
            item(1, 21, "red", 10),
            escalations=(board(2, "budget for sensors"), mayor(3, "press date")),
        ),
        id="english",
    ),
    pytest.param(
        "WP-11 erledigt bis Ende Mai, aktuell 90 %",
        lines(item(1, 11, progress=90, note="erledigt bis Ende Mai, aktuell")),
        id="done-by-a-date-is-not-done",
    ),
    pytest.param(
        "WP-14 noch nicht fertig, 75 %",
        lines(item(1, 14, progress=75, note="noch nicht fertig")),
        id="not-done",
    ),
    pytest.param(
        "WP-15 verworfen – Förderprogramm eingestellt",
        lines(item(1, 15, status="discarded", note="Förderprogramm eingestellt")),
        id="discarded",
    ),
    pytest.param(
        "WP-16 geplant, Start im Q3",
        lines(item(1, 16, status="planned", note="Start im Q3")),
        id="planned",
    ),
    pytest.param(
        "WP-17 In Arbeit 30 Prozent",
        lines(item(1, 17, progress=30, status="in_progress")),
        id="in-arbeit",
    ),
    pytest.param(
        "WP-18 Ampel der Kreuzung Hauptstraße ist rot geschaltet",
        lines(item(1, 18, note="Ampel der Kreuzung Hauptstraße ist rot geschaltet")),
        id="light-word-late-in-the-note",
    ),
    pytest.param(
        "WP-22 gelb 60 % 50 % der Sensoren verbaut",
        lines(item(1, 22, "yellow", 60, note="50 % der Sensoren verbaut")),
        id="only-the-first-percentage",
    ),
    pytest.param(
        "WP-29 **rot** 0 % – Projektleitung fehlt",
        lines(item(1, 29, "red", 0, note="Projektleitung fehlt")),
        id="bold-light-zero-percent",
    ),
    pytest.param(
        "WP-30 🟢 unverändert\n#31 Grün. Läuft.",
        lines(item(1, 30, "green", unchanged=True), item(2, 31, "green", status="in_progress")),
        id="unchanged-item-and-hash",
    ),
    pytest.param(
        "- WP-33: blockiert, Personal fehlt",
        lines(item(1, 33, status="blocked", note="Personal fehlt")),
        id="blocked-without-blocker",
    ),
    pytest.param(
        "WP-26\nWP-27:",
        lines(item(1, 26), item(2, 27)),
        id="bare-package-lines",
    ),
    pytest.param(
        "WP-19 gru\u0308n 100 % abgeschlossen",
        lines(item(1, 19, "green", 100, "done")),
        id="decomposed-umlaut",
    ),
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_answers(
    message: str,
    expected: tuple[
        str,
        tuple[ItemUpdate, ...],
        tuple[Blocker, ...],
        tuple[Escalation, ...],
        tuple[LineProblem, ...],
    ],
) -> None:
    kind, items, blockers, escalations, problems = expected
    answer = parse_answer(message)
    assert answer.kind == kind
    assert answer.items == items
    assert answer.blockers == blockers
    assert answer.escalations == escalations
    assert answer.problems == problems
    assert answer.text == message.strip().replace("u\u0308", "ü")


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 30


def test_whole_answer_equality() -> None:
    assert parse_answer(" WP-1 gelb 50%\n") == Answer(
        "lines", (item(1, 1, "yellow", 50),), (), (), (), "WP-1 gelb 50%"
    )


def test_decomposed_unchanged_message_is_normalised() -> None:
    answer = parse_answer("unvera\u0308ndert")
    assert answer == Answer("unchanged", (), (), (), (), "unverändert")


def test_line_numbers_count_the_trimmed_message() -> None:
    answer = parse_answer("\n\n  WP-1 gelb\n\nWP-2 rot\n")
    assert [(found.line, found.number) for found in answer.items] == [(1, 1), (3, 2)]


def test_windows_line_endings() -> None:
    answer = parse_answer("WP-1 grün\r\nWP-2 rot")
    assert answer.items == (item(1, 1, "green"), item(2, 2, "red"))


def test_problem_text_is_cut() -> None:
    line = "WP-1 gelb 140% " + "Ausschreibung verzögert " * 10
    answer = parse_answer(line)
    assert answer.problems == (problem(1, line.strip()[:MAX_PROBLEM_TEXT], "percent_range"),)
    assert len(answer.problems[0].text) == MAX_PROBLEM_TEXT


def test_a_link_with_percent_escapes_is_no_percentage() -> None:
    answer = parse_answer("WP-1 gelb Details: https://example.org/a%20b")
    assert answer.items == (item(1, 1, "yellow", note="Details: https://example.org/a%20b"),)
    assert answer.problems == ()


# --- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["", " ", "  \n\t\n ", "\u00a0\u2028"])
def test_empty_and_blank(message: str) -> None:
    assert parse_answer(message) == Answer("free", (), (), (), (), "")


@pytest.mark.parametrize(
    "message",
    [
        "🚦🔥💯",
        "WP-🟢",
        "#️⃣1️⃣2️⃣",
        "\ud800 lone surrogate",
        "\x00\x01\x02",
        "WP-1 " + "9" * 9000 + "%",
        "Eskalation" + " " * 9990 + ":",
        "(" * 10000,
        "wartet auf x" + ")" * 9000,
        "WP-1 " + "gelb 5% " * 1200,
    ],
)
def test_odd_input_does_not_raise(message: str) -> None:
    answer = parse_answer(message)
    assert answer.kind in ("unchanged", "lines", "free")


def test_huge_percentage_is_out_of_range_not_an_error() -> None:
    answer = parse_answer("WP-1 " + "9" * 9000 + "%")
    assert [found.reason for found in answer.problems] == ["percent_range"]


def _junk(rng: random.Random) -> str:
    pieces = [
        "WP-", "AP ", "#", "wp", "12", "3", " ", "\n", "- ", "* ", "1. ", "%", "Prozent",
        "gelb", "grün", "rot", "🟢", "🔴", "unverändert", "blockiert durch ", "wartet auf ",
        "FB 61", "Dez. II", "Entscheidung nötig", ":", "(OB)", "an die OB", ",", ".", ";",
        "(", ")", "–", "u\u0308", "x", "\t", "in Arbeit", "erledigt", "-5", "ß",
    ]  # fmt: skip
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))


def test_random_junk_keeps_the_invariants() -> None:
    rng = random.Random(20240611)
    for _ in range(2000):
        message = _junk(rng)
        answer = parse_answer(message)
        line_count = len(answer.text.splitlines())
        assert answer.kind in ("unchanged", "lines", "free")
        if answer.kind != "lines":
            assert answer.items == ()
        numbers = [found.number for found in answer.items]
        assert len(numbers) == len(set(numbers))
        for found in answer.items:
            assert 1 <= found.line <= line_count
            assert found.progress is None or 0 <= found.progress <= 100
            assert found.traffic_light in (None, "green", "yellow", "red")
            assert found.status in (None, "planned", "in_progress", "blocked", "done", "discarded")
            assert found.note == found.note.strip()
        for found_problem in answer.problems:
            assert len(found_problem.text) <= MAX_PROBLEM_TEXT
            assert found_problem.reason in (
                "bad_percent",
                "percent_range",
                "no_package",
                "duplicate_package",
                "conflicting_light",
            )
        for escalation in answer.escalations:
            assert escalation.audience in ("board", "mayor")


@pytest.mark.parametrize("piece", PIECES)
def test_ten_thousand_characters_parse(piece: str) -> None:
    """A message at the limit made of one piece, over and over, parses (how long it takes, and
    how that grows with the length, is measured by ``bench/parser.py``, not here: a busy
    machine would fail a timed test)."""
    message = bench_message(piece, 10_000)
    assert len(message) == 10_000
    answer = parse_answer(message)
    for problem in answer.problems:
        assert len(problem.text) <= MAX_PROBLEM_TEXT
