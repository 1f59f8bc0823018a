"""`board-bot import people`: the importer service and the command, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.cli import main
from board_bot.core.db import unit_of_work
from board_bot.features.boards import service as boards
from board_bot.features.people import importer
from board_bot.models import (
    Absence,
    AuditEntry,
    Board,
    Department,
    Dependency,
    Membership,
    WorkPackage,
)
from tests.db.test_startup import GOOD

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CDO = "@cdo:stadt.example"
ROOM = "!board:stadt.example"

GOOD_CSV = (
    "code,name,lead,deputies,members\n"
    "FB 13,Hauptamt,@hauptamt:stadt.example,@vertretung13:stadt.example,\n"
    'FB 61,Stadtplanung,@planung:stadt.example,"@vertretung61:stadt.example, @v2:stadt.example",'
    "@m1:stadt.example|@m2:stadt.example\n"
    "FB 68,Verkehr,@planung:stadt.example,,@m1:stadt.example @m3:stadt.example\n"
)


def make_board(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        boards.create(
            session,
            room_id=ROOM,
            name="Smart City Board",
            language="de",
            timezone="Europe/Berlin",
            actor=CDO,
            now=NOW,
        )


def run_import(
    engine: Engine, text: str, *, now: datetime = NOW, room_id: str = ROOM
) -> importer.Summary:
    with unit_of_work(engine) as session:
        return importer.import_people(
            session, room_id=room_id, text=text, actor="import:test.csv", now=now
        )


def departments(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {d.code: d.name for d in session.exec(select(Department))}


def roles(engine: Engine) -> set[tuple[str, str, str]]:
    """(department code, role, user) of the roles held now; board roles under ''."""
    with Session(engine) as session:
        codes = {d.id: d.code for d in session.exec(select(Department))}
        rows = session.exec(select(Membership).where(col(Membership.ended_at).is_(None)))
        return {(codes.get(m.department_id, ""), m.role, m.user_id) for m in rows}


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(sa.func.count()).select_from(model)).one()


def test_a_good_file_imports(engine: Engine) -> None:
    make_board(engine)
    summary = run_import(engine, GOOD_CSV)

    assert departments(engine) == {"FB 13": "Hauptamt", "FB 61": "Stadtplanung", "FB 68": "Verkehr"}
    assert roles(engine) == {
        ("", "admin", CDO),
        ("FB 13", "lead", "@hauptamt:stadt.example"),
        ("FB 13", "deputy", "@vertretung13:stadt.example"),
        ("FB 61", "lead", "@planung:stadt.example"),
        ("FB 61", "deputy", "@vertretung61:stadt.example"),
        ("FB 61", "deputy", "@v2:stadt.example"),
        ("FB 61", "member", "@m1:stadt.example"),
        ("FB 61", "member", "@m2:stadt.example"),
        ("FB 68", "lead", "@planung:stadt.example"),  # one person may lead two departments
        ("FB 68", "member", "@m1:stadt.example"),
        ("FB 68", "member", "@m3:stadt.example"),
    }
    assert summary.created == ["FB 13", "FB 61", "FB 68"]
    assert len(summary.assigned) == 10
    with Session(engine) as session:
        actors = set(session.exec(select(AuditEntry.actor).where(AuditEntry.entity != "board")))
    assert actors == {"import:test.csv"}


def test_a_second_import_changes_nothing(engine: Engine) -> None:
    make_board(engine)
    run_import(engine, GOOD_CSV)
    before = (count(engine, Department), count(engine, Membership), count(engine, AuditEntry))

    summary = run_import(engine, GOOD_CSV, now=NOW + timedelta(days=1))

    assert not summary.changed
    assert summary.unchanged_roles == 10
    assert (count(engine, Department), count(engine, Membership), count(engine, AuditEntry)) == (
        before
    )
    assert "Nothing to change" in importer.describe(summary)


def test_bad_rows_are_all_listed_by_line_and_nothing_changes(engine: Engine) -> None:
    make_board(engine)
    bad = """\
code,name,lead,deputies,members
FB 13,Hauptamt,@hauptamt:stadt.example,,
FB 61,,@planung:stadt.example,,
FB 68,Verkehr,@planung:stadt.example,,
fb13,Hauptamt again,,,
FB 20,Finanzen,kämmerin,,@ok:stadt.example|not-an-id
"""
    before = count(engine, AuditEntry)
    with pytest.raises(importer.ImportRejected) as caught:
        run_import(engine, bad)

    problems = caught.value.problems
    assert [p.line for p in problems] == [3, 5, 6, 6]
    text = "\n".join(str(p) for p in problems)
    assert "line 3: Please give the department's name after its code." in text
    assert "appears twice (first on line 2)" in text
    assert "'kämmerin' is not a Matrix user id" in text
    assert "'not-an-id' is not a Matrix user id" in text
    assert departments(engine) == {}
    assert count(engine, AuditEntry) == before


def test_an_unknown_board_room_is_a_problem(engine: Engine) -> None:
    make_board(engine)
    with pytest.raises(importer.ImportRejected) as caught:
        run_import(engine, GOOD_CSV, room_id="!elsewhere:stadt.example")
    assert [p.line for p in caught.value.problems] == [None]
    assert "!board init" in str(caught.value.problems[0])


def test_german_excel_file_with_semicolons_and_bom(engine: Engine) -> None:
    make_board(engine)
    excel = (
        "\ufeffKürzel;Name;Leitung;Vertretung;Mitglieder\r\n"
        "FB 40;Schule und Bildung;@schule:stadt.example;@v40:stadt.example;\r\n"
        'FB 20;"Finanzen; Kämmerei";@kaemmerin:stadt.example;;"@a:stadt.example, @b:stadt.example"'
        "\r\n"
    ).encode()
    run_import(engine, importer.decode(excel))

    assert departments(engine) == {"FB 40": "Schule und Bildung", "FB 20": "Finanzen; Kämmerei"}
    assert ("FB 40", "deputy", "@v40:stadt.example") in roles(engine)
    assert ("FB 20", "member", "@b:stadt.example") in roles(engine)


def test_kuerzel_spelled_without_umlaut() -> None:
    [row] = importer.parse("Kuerzel,Name,Leitung\nFB 13,Hauptamt,@h:stadt.example\n")
    assert (row.code, row.name, row.lead) == ("FB 13", "Hauptamt", "@h:stadt.example")


def test_a_file_that_is_not_utf8_is_refused_with_its_line() -> None:
    with pytest.raises(importer.ImportRejected) as caught:
        importer.decode("code;name\nFB 13;Bürgerservice\n".encode("cp1252"))
    assert caught.value.problems[0].line == 2


def test_unknown_header_columns_are_refused() -> None:
    with pytest.raises(importer.ImportRejected) as caught:
        importer.parse("code,name,Leitun\nFB 13,Hauptamt,@h:stadt.example\n")
    assert [p.line for p in caught.value.problems] == [1]
    assert "'Leitun'" in str(caught.value.problems[0])


def test_a_different_lead_replaces_the_old_one_and_the_name_is_updated(engine: Engine) -> None:
    make_board(engine)
    run_import(engine, GOOD_CSV)
    summary = run_import(
        engine,
        "code,name,lead\nfb61,Stadtplanung und Bauordnung,@neu:stadt.example\n",
        now=NOW + timedelta(days=1),
    )

    assert summary.replaced == [("FB 61", "@planung:stadt.example", "@neu:stadt.example")]
    assert summary.renamed == [("FB 61", "Stadtplanung", "Stadtplanung und Bauordnung")]
    assert departments(engine)["FB 61"] == "Stadtplanung und Bauordnung"
    held = roles(engine)
    assert ("FB 61", "lead", "@neu:stadt.example") in held
    assert ("FB 61", "lead", "@planung:stadt.example") not in held
    assert ("FB 68", "lead", "@planung:stadt.example") in held  # the other department keeps him
    assert ("FB 61", "deputy", "@v2:stadt.example") in held  # nothing is removed


# --- the command line ---------------------------------------------------------------------------


def write_config(tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    path = tmp_path / "config.toml"
    url = engine.url.render_as_string(hide_password=False)
    path.write_text(GOOD.format(url=url), encoding="utf-8")
    return path


def test_the_command_imports_a_file(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_board(engine)
    config = write_config(tmp_path, engine, monkeypatch)
    csv_file = tmp_path / "organigramm.csv"
    csv_file.write_text(GOOD_CSV, encoding="utf-8")
    argv = ["import", "people", str(csv_file), "--board", ROOM, "--config", str(config)]

    assert main([*argv, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 would be created" in out and "Dry run: nothing was changed." in out
    assert departments(engine) == {}

    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "3 departments in the file: 3 created" in out
    assert "+ FB 61: lead @planung:stadt.example" in out
    assert len(departments(engine)) == 3
    with Session(engine) as session:
        assert session.exec(select(Board.name)).one() == "Smart City Board"
        actors = set(session.exec(select(AuditEntry.actor).where(AuditEntry.entity != "board")))
    assert actors == {"import:organigramm.csv"}

    assert main(argv) == 0
    assert "Nothing to change" in capsys.readouterr().out


def test_the_command_lists_the_problems_and_exits_2(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_board(engine)
    config = write_config(tmp_path, engine, monkeypatch)
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("code;name;lead\nFB 13;Hauptamt;hauptamt\n;Finanzen;\n", encoding="utf-8")

    code = main(["import", "people", str(csv_file), "--board", ROOM, "--config", str(config)])

    assert code == 2
    err = capsys.readouterr().err
    assert "2 problem(s), nothing was changed" in err
    assert "  1. line 2: lead 'hauptamt' is not a Matrix user id" in err
    assert "  2. line 3: “” is not a valid code." in err
    assert departments(engine) == {}


def test_the_command_runs_the_migrations_first(
    bare_engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On a database without a schema the import migrates it, then says the board is missing."""
    config = write_config(tmp_path, bare_engine, monkeypatch)
    csv_file = tmp_path / "org.csv"
    csv_file.write_text(GOOD_CSV, encoding="utf-8")

    code = main(["import", "people", str(csv_file), "--board", ROOM, "--config", str(config)])

    assert code == 2
    assert "there is no board in the room '!board:stadt.example'" in capsys.readouterr().err
    assert "department" in sa.inspect(bare_engine).get_table_names()


# --- the demo's sample city ---------------------------------------------------------------------


def test_the_demo_sample_data_imports_once(engine: Engine) -> None:
    from board_bot.dev.demo import seed_sample_data

    make_board(engine)
    today = NOW.date()
    summary = seed_sample_data(
        engine, room_id=ROOM, server_name="stadt.example", now=NOW, today=today
    )
    assert summary.created == ["FB 13", "FB 20", "FB 40", "FB 61", "FB 68"]
    held = roles(engine)
    assert ("FB 61", "lead", "@fb61-leitung:stadt.example") in held
    assert ("", "observer", "@ob:stadt.example") in held
    with Session(engine) as session:
        stored = session.exec(select(Absence).order_by(col(Absence.starts_on))).all()
    assert [(a.user_id, a.starts_on.isoformat(), a.ends_on.isoformat()) for a in stored] == [
        ("@fb20-leitung:stadt.example", today.isoformat(), (today + timedelta(days=4)).isoformat()),
        ("@fb68-leitung:stadt.example", "2026-12-21", "2027-01-06"),
    ]

    counts = (count(engine, Department), count(engine, Membership), count(engine, Absence))
    again = seed_sample_data(
        engine,
        room_id=ROOM,
        server_name="stadt.example",
        now=NOW + timedelta(days=1),
        today=today + timedelta(days=1),
    )
    assert not again.changed
    assert (count(engine, Department), count(engine, Membership), count(engine, Absence)) == counts
    # The sample portfolio: eight packages, made once, with their dependencies and a closed one,
    # and a ninth from an action in the minutes of last week's workshop.
    assert count(engine, WorkPackage) == 9
    with Session(engine) as session:
        packages = session.exec(select(WorkPackage).order_by(col(WorkPackage.number))).all()
        assert [p.number for p in packages] == list(range(1, 10))
        assert {p.status for p in packages} >= {"planned", "in_progress", "blocked", "done"}
        assert len(session.exec(select(Dependency)).all()) == 2
        # Three workshops, made once: one held last week with its minutes, one voting (with
        # votes), one confirmed with answers.
        from board_bot.models import Decision, Workshop, WorkshopRsvp, WorkshopVote

        shops = session.exec(select(Workshop).order_by(col(Workshop.number))).all()
        assert [(w.number, w.status) for w in shops] == [
            (1, "confirmed"), (2, "planning"), (3, "confirmed")
        ]  # fmt: skip
        assert shops[0].starts_at is not None and shops[0].starts_at < NOW
        assert shops[0].minutes_ended_at is not None
        assert [d.number for d in session.exec(select(Decision))] == [1]
        assert len(session.exec(select(WorkshopVote)).all()) == 3
        assert len(session.exec(select(WorkshopRsvp)).all()) == 4
        assert shops[2].starts_at is not None and shops[2].starts_at > NOW
        # The lights' ages follow the sample history (WP-2 green for the last two weeks, WP-3
        # red since last week), not the moment the sample was made.
        from board_bot.features.summaries import service as summaries

        board = session.exec(select(Board)).one()
        ages = summaries.build(session, board, now=NOW).light_since
        assert (ages[packages[1].id or 0], ages[packages[2].id or 0]) == (
            (NOW - timedelta(weeks=2)).date(),
            (NOW - timedelta(weeks=1)).date(),
        )


@pytest.mark.parametrize(
    ("today", "start"),
    [("2026-11-26", "2026-12-21"), ("2026-12-30", "2026-12-21"), ("2027-01-06", "2026-12-21"),
     ("2027-01-07", "2027-12-21")],
)  # fmt: skip
def test_the_demo_absence_is_the_coming_or_current_christmas(today: str, start: str) -> None:
    from board_bot.dev.demo import christmas_holidays

    begins, ends = christmas_holidays(date.fromisoformat(today))
    assert begins.isoformat() == start
    assert ends >= date.fromisoformat(today)


def test_a_person_with_two_roles_in_one_department_is_refused(engine: Engine) -> None:
    make_board(engine)
    text = (
        "code,name,lead,deputies,members\n"
        "FB 61,Stadtplanung,@lead:stadt.de,@dep:stadt.de,@dep:stadt.de @m:stadt.de\n"
        "FB 68,Verkehr,@x:stadt.de,@x:stadt.de,\n"
    )
    with pytest.raises(importer.ImportRejected) as caught, unit_of_work(engine) as session:
        importer.import_people(session, room_id=ROOM, text=text, actor="import:t.csv", now=NOW)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "line 2: @dep:stadt.de is deputy and member: one role per department",
        "line 3: @x:stadt.de is lead and deputy: one role per department",
    ]
    assert count(engine, Department) == 0
