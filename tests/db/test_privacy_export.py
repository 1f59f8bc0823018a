"""``export_person``: everything about one person, nothing about another (db tier, SQLite and
PostgreSQL), and every person column of the inventory read (issue 16)."""

from __future__ import annotations

import json
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from board_bot.cli import main
from board_bot.core import audit, delivery
from board_bot.core.db import unit_of_work
from board_bot.features.privacy import erasure, export
from board_bot.features.privacy.export import MENTIONS, OTHER, SECTIONS, export_person
from board_bot.features.privacy.inventory import person_columns, text_columns
from board_bot.models import Decision, Membership, StatusAnswer, StatusFlag
from tests.db.org_support import ALICE, CAROL, CDO, DAVE, NOW
from tests.db.privacy_support import (
    DIRECT_ROOMS,
    OWN_BOARDS,
    TAGS,
    PrivacyCity,
    setup_privacy_city,
)
from tests.db.test_startup import GOOD, write

LATER = NOW.replace(hour=12)


def exported(
    engine: Engine, user_id: str, board_id: int | None = None, names: tuple[str, ...] = ()
) -> dict[str, Any]:
    with Session(engine) as session:
        return export_person(session, user_id, now=LATER, board_id=board_id, names=names)


def test_every_table_of_the_inventory_with_person_columns_has_a_section() -> None:
    assert set(SECTIONS) == set(person_columns())
    keys = [s.key for s in SECTIONS.values()]
    assert len(keys) == len(set(keys))


def test_every_person_column_of_the_inventory_is_read(engine: Engine) -> None:
    """The city gives ALICE a value in every person column: each shows up in the export as
    the column through which a record is hers. A column new to the inventory fails here until
    the city (and, if its table is new, a section) has it."""
    setup_privacy_city(engine)
    data = exported(engine, ALICE)
    missing = [
        f"{table}.{column}"
        for table, columns in person_columns().items()
        for column in columns
        if not any(column in record["as"] for record in data[SECTIONS[table].key])
    ]
    assert missing == []


@pytest.mark.parametrize(("person", "other"), [(ALICE, CAROL), (CAROL, ALICE)])
def test_the_export_holds_everything_of_theirs_and_nothing_about_another(
    engine: Engine, person: str, other: str
) -> None:
    setup_privacy_city(engine)
    data = exported(engine, person)
    text = json.dumps(data, ensure_ascii=False)

    tag, other_tag = TAGS[person], TAGS[other]
    for word in ("Urlaub", "Paket", "Meldung", "Notiz", "Blocker", "Abfrage", "Workshop",
                 "Punkt", "Aufgabe", "Beschluss", "Änderung"):  # fmt: skip
        assert f"{word} {tag}" in text, word
    for leak in (other, other_tag, DIRECT_ROOMS[other], OWN_BOARDS[other], CDO, DAVE):
        assert leak not in text, leak
    assert OTHER in text  # who entered a role, who stood in: there, but not named

    assert data["format"] == export.FORMAT and data["schema_version"] == 1
    assert data["generated_at"] == "2026-11-26T12:00:00+00:00"
    assert data["user_id"] == person
    dept = "FB 61" if person == ALICE else "FB 13"
    roles = {(r["board"], r["role"], r["department"]) for r in data["roles"]}
    assert roles == {("!board:example.org", "lead", dept), (OWN_BOARDS[person], "admin", None)}
    [answer] = data["status_answers"]
    assert answer["period"] and answer["department"] == dept
    assert answer["edited_at"] == "2026-11-26T10:00:00+00:00" and answer["removed_at"] is None
    assert answer["lines"][0]["note"] == f"Notiz {tag}"
    assert answer["flags"] == [{"kind": "blocker", "audience": None, "text": f"Blocker {tag}"}]
    assert sorted(a for p in data["status_prompts"] for a in p["as"]) == [
        "contact",
        "covering_for",
        "room_id",
    ]
    assert len(data["workshop_votes"]) == 2  # their own workshop's poll, and the shared one
    assert data["direct_room"] == [{"room_id": DIRECT_ROOMS[person], "created_at": NOW.isoformat(),
                                    "as": ["user_id"]}]  # fmt: skip
    about_them = [a for a in data["audit_entries"] if "entity_id" in a["as"]]
    assert about_them and all(a["actor"] == OTHER for a in about_them)
    assert any(a["as"] == ["mentioned"] for a in data["audit_entries"])  # their role, assigned


def test_an_absence_entered_for_someone_else_shows_only_that_they_entered_it(
    engine: Engine,
) -> None:
    setup_privacy_city(engine)
    entered = [a for a in exported(engine, ALICE)["absences"] if a["as"] == ["created_by"]]
    assert len(entered) == 1
    assert "reason" not in entered[0] and "starts_on" not in entered[0]
    [kur] = [
        a for a in exported(engine, CAROL)["absences"] if a.get("reason", "").startswith("Kur")
    ]
    assert kur["entered_by"] == OTHER and kur["starts_on"] == "2027-03-01"


def test_the_export_narrowed_to_one_board(engine: Engine) -> None:
    made = setup_privacy_city(engine)
    own = made.own_boards[ALICE]
    data = exported(engine, ALICE, board_id=own.id)
    assert data["board"] == OWN_BOARDS[ALICE]
    assert [b["room_id"] for b in data["boards"]] == [OWN_BOARDS[ALICE]]
    assert [r["role"] for r in data["roles"]] == ["admin"]
    assert data["status_answers"] == [] and data["workshop_votes"] == []
    assert [b["board"] for b in data["boards_set_up"]] == [OWN_BOARDS[ALICE]]
    assert len(data["schedule_changes"]) == 1
    assert data["direct_room"]  # the person's, on no board: always there
    assert "Meldung" not in json.dumps(data)


def test_a_person_the_bot_does_not_know_gets_an_empty_export(engine: Engine) -> None:
    setup_privacy_city(engine)
    data = exported(engine, "@nobody:kiel.de")
    assert all(data[s.key] == [] for s in SECTIONS.values()) and data[MENTIONS] == []
    assert export.counts(data) == {s.key: 0 for s in SECTIONS.values()} | {MENTIONS: 0}


# --- texts that name the person: what the erasure scrubs -----------------------------------------

#: ALICE's display name
ALICE_NAME = "Alice Albers"


def name_alice_in_texts(engine: Engine, made: PrivacyCity) -> None:
    """Texts of others that name ALICE by her display name (in the forms the bot writes it) or
    her id in a sentence, with CAROL's id beside it; texts that name her not at all."""
    board_id = made.city.board_id
    with unit_of_work(engine) as session:
        carol_answer = session.exec(
            select(StatusAnswer.id).where(StatusAnswer.sender == CAROL)
        ).one()
        session.add_all(
            [
                Decision(
                    board_id=board_id, number=20,
                    text=f"Frau Alice Albers übernimmt die Vertretung von {CAROL}.",
                    created_by=CAROL, created_at=NOW, updated_at=NOW,
                ),
                Decision(
                    board_id=board_id, number=21, text="Alice Albersdorf ist eine andere",
                    created_by=CAROL, created_at=NOW, updated_at=NOW,
                ),
                Decision(
                    board_id=made.own_boards[ALICE].id or 0, number=22,
                    text="Beschluss: alice albers lädt ein", created_by=CDO, created_at=NOW,
                    updated_at=NOW,
                ),
                StatusFlag(
                    answer_id=carol_answer or 0, kind="escalation",
                    text=f"Warten auf {ALICE}, sagt {CAROL}",
                ),
            ]
        )  # fmt: skip
        delivery.enqueue(
            session,
            room_id="!board:example.org",
            contents=[
                {
                    "msgtype": "m.notice",
                    "body": "Erinnerung an Alice Albers",
                    "formatted_body": '<a href="https://matrix.to/#/%40alice%3Akiel.de">'
                    "Alice Albers</a>",
                },
                {"msgtype": "m.notice", "body": "Nur Carol Cramer fehlt"},
            ],
            now=NOW,
        )
        audit.record(
            session, board_id=board_id, actor=CDO, action="wp.edit", entity="work_package",
            entity_id="1", before=None, after={"note": f"Mit Alice Albers und {CAROL} besprochen"},
            now=NOW,
        )  # fmt: skip


def test_every_table_with_free_text_can_be_narrowed_to_a_board() -> None:
    for table in text_columns():
        export.text_narrow(table)  # a KeyError names a table that needs one


def test_the_texts_that_name_the_person_are_exported_with_others_left_out(engine: Engine) -> None:
    made = setup_privacy_city(engine)
    name_alice_in_texts(engine, made)

    data = exported(engine, ALICE, names=(ALICE_NAME,))

    assert data["mentioned_as"] == [ALICE, ALICE_NAME]
    values = [json.dumps(m["value"], ensure_ascii=False) for m in data[MENTIONS]]
    text = "\n".join(values)
    assert f"Frau Alice Albers übernimmt die Vertretung von {OTHER}." in text
    assert "alice albers lädt ein" in text
    assert f"Warten auf {ALICE}, sagt {OTHER}" in text
    assert "Erinnerung an Alice Albers" in text
    assert f"Mit Alice Albers und {OTHER} besprochen" in text
    for leak in (CAROL, "Albersdorf", "Carol Cramer"):
        assert leak not in json.dumps(data, ensure_ascii=False), leak
    found = {(m["table"], m["column"]) for m in data[MENTIONS]}
    assert {("decision", "text"), ("status_flag", "text"), ("outbox", "content")} <= found
    assert ("audit_entry", "after") in found
    # Without her display name only the texts with her id: the name alone is not enough.
    by_id = json.dumps(exported(engine, ALICE)[MENTIONS], ensure_ascii=False)
    assert f"Warten auf {ALICE}" in by_id and "Frau Alice Albers" not in by_id
    # One board's export has that board's texts (and the messages, which are on no board).
    own = exported(engine, ALICE, board_id=made.own_boards[ALICE].id, names=(ALICE_NAME,))
    tables = Counter(m["table"] for m in own[MENTIONS])
    assert tables["decision"] == 1 and tables["status_flag"] == 0 and tables["outbox"] == 1
    assert "alice albers lädt ein" in json.dumps(own[MENTIONS], ensure_ascii=False)


def _texts(session: Session) -> dict[tuple[str, Any, str], Any]:
    """(table, row, column) -> the value, of every free-text column of the inventory."""
    found = {}
    for name, columns in text_columns().items():
        table = SQLModel.metadata.tables[name]
        [key] = table.primary_key.columns
        query = sa.select(key, *(table.c[c] for c in columns))
        for row in session.connection().execute(query).mappings():
            found.update({(name, row[key.name], c): row[c] for c in columns})
    return found


def test_the_export_holds_the_texts_the_erasure_changes(engine: Engine) -> None:
    """The export and the erasure read the same texts with the same matcher: the export's
    mentions are the values the erasure scrubs (or whose rows it deletes)."""
    made = setup_privacy_city(engine)
    name_alice_in_texts(engine, made)
    data = exported(engine, ALICE, names=(ALICE_NAME,))
    mentioned = {(m["table"], m["row"], m["column"]) for m in data[MENTIONS]}

    with Session(engine) as session:  # rolled back: nothing is erased
        for membership in session.exec(select(Membership).where(Membership.user_id == ALICE)):
            membership.ended_at = NOW
            session.add(membership)
        session.flush()
        before = _texts(session)
        erasure.erase(session, user_id=ALICE, names=[ALICE_NAME], now=LATER)
        after = _texts(session)
        session.rollback()
    # (Unsent messages to her are closed, not scrubbed: they are her "messages_waiting".)
    scrubbed = {k for k, value in after.items() if before[k] != value != erasure.NOT_SENT}
    deleted = set(before) - set(after)
    assert mentioned - deleted == scrubbed
    assert len(mentioned) >= 8


def test_another_persons_id_on_an_ip_literal_server_is_left_out(engine: Engine) -> None:
    """Another person's id is recognised as ``core.ids`` defines a user id: on a server given
    by its IPv6 address too."""
    made = setup_privacy_city(engine)
    other = "@bob:[2001:db8::1]:8448"
    with unit_of_work(engine) as session:
        audit.record(
            session, board_id=made.city.board_id, actor=ALICE, action="wp.edit",
            entity="work_package", entity_id="1", before=None,
            after={"note": f"{ALICE} fragt {other}."}, now=NOW,
        )  # fmt: skip
    data = exported(engine, ALICE)
    assert "2001:db8" not in json.dumps(data)
    assert f"{ALICE} fragt {OTHER}." in json.dumps(data[MENTIONS])


# --- board-bot privacy export -------------------------------------------------------------------


def _config(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    url = engine.url.render_as_string(hide_password=False)
    return str(write(tmp_path, GOOD.format(url=url)))


def test_the_command_line_prints_the_export(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    setup_privacy_city(engine)
    config = _config(engine, tmp_path, monkeypatch)
    assert main(["privacy", "export", ALICE, "--config", config]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["user_id"] == ALICE and data["format"] == export.FORMAT
    assert [a["text"] for a in data["status_answers"]] == ["WP-1 gelb 40% Meldung Alphaland"]
    assert CAROL not in json.dumps(data)


def test_the_command_line_searches_the_texts_for_the_display_names_given(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    made = setup_privacy_city(engine)
    name_alice_in_texts(engine, made)
    config = _config(engine, tmp_path, monkeypatch)
    argv = ["privacy", "export", ALICE, "--name", ALICE_NAME, "--name", "Alice A."]
    assert main([*argv, "--config", config]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mentioned_as"] == [ALICE, ALICE_NAME, "Alice A."]
    assert "Frau Alice Albers übernimmt" in json.dumps(data[MENTIONS], ensure_ascii=False)


def test_the_command_line_writes_one_boards_export_to_a_file(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    setup_privacy_city(engine)
    config = _config(engine, tmp_path, monkeypatch)
    out = tmp_path / "alice.json"
    argv = ["privacy", "export", ALICE, "--board", OWN_BOARDS[ALICE], "--out", str(out)]
    assert main([*argv, "--config", config]) == 0
    assert str(out) in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["board"] == OWN_BOARDS[ALICE] and [r["role"] for r in data["roles"]] == ["admin"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # personal data: the operator's only


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["erika"], "not a Matrix user id"),
        (["@alice:kiel.de", "--board", "!nowhere:kiel.de"], "no board in the room"),
    ],
)
def test_the_command_line_refuses_bad_input(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    argv: list[str],
    message: str,
) -> None:
    config = _config(engine, tmp_path, monkeypatch)
    assert main(["privacy", "export", *argv, "--config", config]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
