"""``board-bot import workpackages``: the CSV import, its checks, and the round trip with the
export (db tier: SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from board_bot.cli import main
from board_bot.core.db import unit_of_work
from board_bot.features.people.importer import ImportRejected
from board_bot.features.work_packages import exchange as wp_exchange
from board_bot.features.work_packages import service as work_packages
from board_bot.models import AuditEntry, Board, Dependency, Milestone, WorkPackage
from tests.db.org_support import ALICE, NOW, ROOM, TODAY
from tests.db.test_importer import write_config
from tests.db.wp_support import HANDLUNGSFELDER, add_wp, setup_city, wp_rows

HEADER = (
    "Nr;Titel;Fachbereich;Beteiligte Fachbereiche;Leitlinie;Handlungsfeld;Verantwortlich;"
    "Status;Ampel;Ampel-Begründung;Fortschritt (%);Start;Fällig;Förderprogramm;Antragsfrist;"
    "Wartet auf;Meilensteine;Links;Beschreibung\n"
)


def run_import(engine: Engine, text: str) -> wp_exchange.Summary:
    with unit_of_work(engine) as session:
        return wp_exchange.import_work_packages(
            session,
            room_id=ROOM,
            text=text,
            actor="import:portfolio.csv",
            now=NOW,
            today=TODAY,
            handlungsfelder=HANDLUNGSFELDER,
        )


def rejected(engine: Engine, text: str) -> list[str]:
    """The problems of a refused file; nothing may have changed."""
    before = wp_rows(engine)
    with pytest.raises(ImportRejected) as caught:
        run_import(engine, text)
    assert wp_rows(engine) == before
    return [str(p) for p in caught.value.problems]


def packages(engine: Engine) -> dict[int, WorkPackage]:
    with Session(engine, expire_on_commit=False) as session:
        found = {wp.number: wp for wp in session.exec(select(WorkPackage))}
        session.expunge_all()
        return found


def exported_csv(engine: Engine, lang: str = "de") -> str:
    with Session(engine) as session:
        board = session.exec(select(Board)).one()
        assert board.id is not None
        return wp_exchange.to_csv(lang, wp_exchange.load(session, board.id)).decode()


def test_a_spreadsheet_moves_in(engine: Engine) -> None:
    setup_city(engine)
    text = HEADER + (
        ";Digitale Bauakte;FB 61;FB 13, FB 68;2;Verwaltung;@alice:kiel.de;in Arbeit;gelb;"
        "Personal fehlt;40 %;01.10.2026;2027-03-31;Digitalpakt;15.01.2027;;"
        '"✓ 15.11.2026 Konzept\n31.01.2027 Vergabe";https://wiki.kiel.de/bauakte Wiki;'
        "Antrag **online**\n"
        ";Radverkehrsplan;FB 68;;3;Mobilität;;geplant;grün;;0;;;;;WP-1;;;\n"
    )

    summary = run_import(engine, text)

    assert summary.created == ["WP-1", "WP-2"] and summary.updated == []
    wp = packages(engine)[1]
    assert (wp.title, wp.leitlinie, wp.handlungsfeld) == ("Digitale Bauakte", 2, "Verwaltung")
    assert (wp.status, wp.traffic_light, wp.traffic_reason) == (
        "in_progress",
        "yellow",
        "Personal fehlt",
    )
    assert (wp.progress, wp.responsible) == (40, ALICE)
    assert (wp.start_date, wp.due_date) == (date(2026, 10, 1), date(2027, 3, 31))
    assert (wp.funding_programme, wp.funding_deadline) == ("Digitalpakt", date(2027, 1, 15))
    assert wp.description == "Antrag **online**"
    with Session(engine) as session:
        details = work_packages.details(session, session.get(WorkPackage, wp.id))  # type: ignore[arg-type]
        assert [d.code for d in details.contributors] == ["FB 13", "FB 68"]
        assert [(m.title, m.done_at is not None) for m in details.milestones] == [
            ("Konzept", True),
            ("Vergabe", False),
        ]
        assert [(link.url, link.title) for link in details.links] == [
            ("https://wiki.kiel.de/bauakte", "Wiki")
        ]
        assert [w.number for w in details.blocks] == [2]
        actors = set(
            session.exec(select(AuditEntry.actor).where(AuditEntry.entity == "work_package"))
        )
    assert actors == {"import:portfolio.csv"}


def test_every_bad_row_is_reported_with_its_line_and_nothing_changes(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city, "Bestand")  # WP-1
    text = (
        "Nr;Titel;Fachbereich;Fortschritt;Start;Fällig;Ampel;Wartet auf;Meilensteine\n"  # 1
        ";Gut;FB 61;10;;;;;\n"  # 2: fine on its own
        ";Ohne Fachbereich;;;;;;;\n"  # 3
        ";Falscher Fachbereich;FB 99;;;;;;\n"  # 4
        ";Zu viel;FB 61;150;;;;;\n"  # 5
        ";Datum;FB 61;;31.02.2027;;;;\n"  # 6
        ";Rückwärts;FB 61;;01.03.2027;01.02.2027;;;\n"  # 7
        ";Rot ohne Grund;FB 61;;;;rot;;\n"  # 8
        "WP-7;Gibt es nicht;FB 61;;;;;;\n"  # 9
        "WP-1;Bestand;FB 61;;;;;WP-1;\n"  # 10: waits for itself
        "WP-1;Doppelt;FB 61;;;;;;\n"  # 11
        ';Meilenstein;FB 61;;;;;;"kein Datum"\n'  # 12
    )

    problems = rejected(engine, text)

    lines = [p.split(":", 1)[0] for p in problems]
    assert lines == [f"line {n}" for n in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12)], problems
    joined = "\n".join(problems)
    assert "a new work package needs Fachbereich (owner)" in joined
    assert "no department 'FB 99' on this board (known: FB 13, FB 61, FB 68)" in joined
    assert "'150' is not a percentage from 0 to 100" in joined
    assert "WP-7 does not exist on this board" in joined
    assert "WP-1 appears twice (first on line 10)" in joined
    assert "line 10: Wartet auf: " in joined
    assert "line 12: Meilensteine: 'kein Datum': expected a date and a title" in joined


def test_a_dependency_cycle_in_the_file_is_refused(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        one, two = add_wp(session, city, "Eins"), add_wp(session, city, "Zwei")
        work_packages.depend(session, two, one, actor=ALICE, now=NOW)
    problems = rejected(engine, "Nr;Wartet auf\nWP-1;WP-2\n")
    assert len(problems) == 1 and problems[0].startswith("line 2: Wartet auf: "), problems
    assert "WP-1" in problems[0] and "WP-2" in problems[0]


def test_a_multi_line_cell_counts_for_the_line_numbers(engine: Engine) -> None:
    setup_city(engine)
    text = 'Titel;Fachbereich;Meilensteine\nA;FB 61;"01.12.2026 X\n02.12.2026 Y"\nB;FB 0;\n'
    assert rejected(engine, text) == [
        "line 4: Fachbereich: no department 'FB 0' on this board (known: FB 13, FB 61, FB 68)"
    ]


def test_header_problems(engine: Engine) -> None:
    setup_city(engine)
    [problem] = rejected(engine, "Titel;Fachbereich;Farbe\nA;FB 61;blau\n")
    assert problem.startswith("line 1: unknown column 'Farbe' (known: Nr, Titel,")
    assert rejected(engine, "") == ["the file is empty: expected a header row and one row each"]
    assert rejected(engine, HEADER) == ["the file has a header row but no work packages"]


def test_an_unchanged_export_imports_as_no_change(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        wp = add_wp(
            session,
            city,
            "=SUMME(A1)",
            leitlinie=1,
            traffic_light="red",
            traffic_reason="-Verzug",
            progress=30,
            due_date=date(2027, 1, 31),
        )
        other = add_wp(session, city, "Zwei", owner=city.fb68)
        work_packages.add_milestone(session, wp, "Start", date(2026, 12, 1), actor=ALICE, now=NOW)
        work_packages.add_link(session, wp, "https://x.example/a", "A", actor=ALICE, now=NOW)
        work_packages.set_contributors(session, wp, [city.fb13], actor=ALICE, now=NOW)
        work_packages.depend(session, other, wp, actor=ALICE, now=NOW)
        work_packages.close(session, other, "done", actor=ALICE, now=NOW)
    before = wp_rows(engine)

    summary = run_import(engine, exported_csv(engine))

    assert (summary.created, summary.updated, summary.unchanged) == ([], [], 2)
    assert wp_rows(engine) == before


def test_an_edited_export_updates_what_was_edited(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city, "Eins", responsible=ALICE)
        add_wp(session, city, "Zwei")
    table = list(
        csv.reader(io.StringIO(exported_csv(engine).removeprefix("\ufeff")), delimiter=";")
    )
    header = table[0]
    table[1][header.index("Ampel")] = "rot"
    table[1][header.index("Ampel-Begründung")] = "Vergabe verzögert"
    table[1][header.index("Verantwortlich")] = ""
    table[2][header.index("Wartet auf")] = "WP-1"
    table.append(["", "Drei", "FB 13"] + [""] * (len(header) - 3))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(table)

    summary = run_import(engine, out.getvalue())

    assert summary.created == ["WP-3"]
    assert summary.updated == [
        ("WP-1", ["responsible", "traffic_light", "traffic_reason"]),
        ("WP-2", ["waits_for"]),
    ]
    assert summary.unchanged == 0
    found = packages(engine)
    assert (found[1].traffic_light, found[1].responsible) == ("red", None)
    with Session(engine) as session:
        assert [(d.work_package_id, d.depends_on_id) for d in session.exec(select(Dependency))] == [
            (found[2].id, found[1].id)
        ]


def test_an_english_export_imports_too(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city, "One", status="blocked")
        work_packages.add_milestone(
            session, add_wp(session, city, "Two"), "M", date(2027, 1, 1), actor=ALICE, now=NOW
        )
    english = exported_csv(engine, "en")
    assert english.removeprefix("\ufeff").startswith("No;Title;Department;")
    before = wp_rows(engine)
    assert run_import(engine, english).unchanged == 2
    assert wp_rows(engine) == before


def test_the_command_imports_a_file(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_city(engine)
    config = write_config(tmp_path, engine, monkeypatch)
    csv_file = tmp_path / "portfolio.csv"
    csv_file.write_text(
        "Titel;Fachbereich;Fällig\nDigitale Bauakte;FB 61;31.12.2026\n", encoding="utf-8-sig"
    )
    argv = ["import", "workpackages", str(csv_file), "--board", ROOM, "--config", str(config)]

    assert main([*argv, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 work packages in the file: 1 would be created" in out
    assert "Dry run: nothing was changed." in out
    assert packages(engine) == {}

    assert main(argv) == 0
    assert "+ WP-1" in capsys.readouterr().out
    assert packages(engine)[1].due_date == date(2026, 12, 31)
    with Session(engine) as session:
        assert session.exec(select(Milestone)).all() == []


def test_the_command_lists_the_problems_and_exits_2(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_city(engine)
    config = write_config(tmp_path, engine, monkeypatch)
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("Titel,Fachbereich,Leitlinie\nA,FB 61,5\nB,FB 61,1\n", encoding="utf-8")

    code = main(["import", "workpackages", str(csv_file), "--board", ROOM, "--config", str(config)])

    assert code == 2
    err = capsys.readouterr().err
    assert "1 problem(s), nothing was changed" in err
    assert "  1. line 2: Leitlinie: '5' is not a Leitlinie (1 to 4)" in err
    assert packages(engine) == {}


def test_a_room_without_a_board_is_refused(engine: Engine) -> None:
    with pytest.raises(ImportRejected) as caught:
        run_import(engine, "Titel;Fachbereich\nA;FB 61\n")
    assert [str(p) for p in caught.value.problems] == [
        "there is no board in the room '!board:example.org': invite the bot there and type "
        "'!board init <name>' first"
    ]


def test_the_budget_column_imports_and_round_trips(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        add_wp(session, city, "Eins")
    table = list(
        csv.reader(io.StringIO(exported_csv(engine).removeprefix("\ufeff")), delimiter=";")
    )
    header = table[0]
    assert "Budget (€)" in header
    table[1][header.index("Budget (€)")] = "120.000 €"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(table)

    summary = run_import(engine, out.getvalue())

    assert summary.updated == [("WP-1", ["budget"])]
    assert packages(engine)[1].budget == 120_000
    assert run_import(engine, exported_csv(engine)).unchanged == 1  # the export reads back
    table[1][header.index("Budget (€)")] = "viel Geld"
    bad = io.StringIO()
    csv.writer(bad, delimiter=";").writerows(table)
    [problem] = rejected(engine, bad.getvalue())
    assert "Budget" in problem and "viel Geld" in problem
