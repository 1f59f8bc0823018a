"""``board-bot privacy erase`` (issue 16, item 3): after erasing a person, a dump of every table
holds neither their Matrix id nor their display names, their pseudonym stands in for them, other
people's rows are untouched, and a past week's summary reads the same apart from the pseudonym.
db tier: SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from board_bot.cli import main
from board_bot.core import delivery
from board_bot.core.db import unit_of_work
from board_bot.core.naming import namer, person_name
from board_bot.features.absences import service as absences
from board_bot.features.people import service as people
from board_bot.features.privacy import erasure
from board_bot.features.privacy.inventory import INVENTORY, Erase
from board_bot.features.status_rounds import service as status_rounds
from board_bot.features.status_rounds.schedule import RoundTimes
from board_bot.features.summaries import service as summaries
from board_bot.features.summaries.messages import render
from board_bot.features.workshops import minutes
from board_bot.features.workshops import service as workshops
from board_bot.models import (
    Board,
    Department,
    DirectRoom,
    HandledEvent,
    Membership,
    OutboxMessage,
    Pseudonym,
    StatusRound,
    WorkPackage,
    WorkshopDirectInvitation,
)
from tests.db.org_support import ALICE, BOB, CDO, DAVE, NOW, TODAY
from tests.db.test_startup import GOOD, closed_port
from tests.db.wp_support import City, add_wp, setup_city

ERIKA = "@erika:kiel.de"
NAME = "Erika Mustermann"
OTHER_NAME = "Erika Müller-Lüdenscheidt"  # her name in the board room, escaped in HTML and JSON
NAMES = {ERIKA: NAME, ALICE: "Alice Adler"}
DM = "!dm-e:kiel.de"  # her direct room with the bot: the homeserver knows who is in it
KUR = "Kur Bad Zwischenahn"  # the reason of her absence: health data
# What must not be left anywhere (compared case-insensitively): her id, her names, her localpart,
# her direct room, the reason of her absence.
TRACES = (
    "erika",
    "mustermann",
    "müller",
    "lüdenscheidt",
    "m\\u00fcller",
    "l\\u00fcdenscheidt",
    DM,
    "zwischenahn",
)


def times(period: str, day: int) -> RoundTimes:
    at = NOW + timedelta(days=day)
    return RoundTimes(period, at.date(), at, (), at + timedelta(days=2), None)


def shown(user_id: str) -> str:
    return str(person_name(user_id, NAMES.get(user_id)))


def build_history(engine: Engine) -> tuple[City, int]:
    """A board on which ERIKA led FB 68 (now ended): she answered a round (naming herself),
    was responsible for a package, voted, answered an invitation, kept minutes, was away,
    entered an absence for BOB, and the bot wrote to her and about her. Returns the city and
    the kept round's id."""
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        people.assign(
            session,
            board=board,
            user_id=ERIKA,
            role="lead",
            department=city.fb68,
            actor=CDO,
            now=NOW,
        )
        bauakte = add_wp(
            session,
            city,
            "Bauakte",
            owner=city.fb68,
            actor=ERIKA,
            leitlinie=2,
            responsible=ERIKA,
            description=f"Abstimmung mit {NAME} ({ERIKA})",
        )
        add_wp(session, city, "Portal", leitlinie=2, responsible=ALICE)
        absences.add(
            session,
            board=board,
            user_id=ERIKA,
            starts_on=TODAY + timedelta(days=2),
            ends_on=TODAY + timedelta(days=4),
            reason=KUR,
            actor=ERIKA,
            now=NOW,
            today=TODAY,
        )
        absences.add(
            session,
            board=board,
            user_id=BOB,
            starts_on=TODAY + timedelta(days=2),
            ends_on=TODAY + timedelta(days=3),
            reason=None,
            actor=ERIKA,
            now=NOW,
            today=TODAY,
        )
        absences.add(
            session,
            board=board,
            user_id=ALICE,
            starts_on=TODAY + timedelta(days=5),
            ends_on=TODAY + timedelta(days=6),
            reason="Fortbildung",
            actor=ALICE,
            now=NOW,
            today=TODAY,
        )
        session.add(DirectRoom(user_id=ERIKA, room_id=DM, created_at=NOW))
        assert bauakte.id is not None
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        rnd = status_rounds.start_round(
            session, board, times("2026-W49", 7), started_by=ERIKA, now=NOW + timedelta(days=7)
        )
        assert rnd is not None
        for prompt in status_rounds.prompts_of(session, rnd.round.id or 0):
            if prompt.contact == ERIKA:
                status_rounds.record_answer(
                    session,
                    prompt,
                    event_id="$answer-1",
                    room_id=DM,
                    sender=ERIKA,
                    now=NOW + timedelta(days=7),
                    text=f"WP-1 gelb 40% {NAME} wartet auf die Vergabe\n"
                    f"Blocker: {NAME} braucht FB 61",
                )
            elif prompt.contact == ALICE:
                status_rounds.record_answer(
                    session,
                    prompt,
                    event_id="$alice-answer",
                    room_id="!dm-a:kiel.de",
                    sender=ALICE,
                    text="WP-2 grün 80% läuft",
                    now=NOW + timedelta(days=7),
                )
        round_id = rnd.round.id or 0
    with unit_of_work(engine) as session:
        kept = session.get(StatusRound, round_id)
        assert kept is not None
        assert status_rounds.take_snapshot(session, kept, now=NOW + timedelta(days=9))
        status_rounds.close_round(session, kept, actor=ERIKA, now=NOW + timedelta(days=9))
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        ws, _options = workshops.plan(
            session,
            board=board,
            title="Datenstrategie",
            departments=[city.fb61, city.fb68],
            duration=timedelta(hours=2),
            options=[NOW + timedelta(days=20), NOW + timedelta(days=21)],
            place="Rathaus",
            online_url=None,
            actor=ERIKA,
            now=NOW,
        )
        workshops.vote(session, ws, ERIKA, [1, 2], now=NOW)
        workshops.vote(session, ws, ALICE, [1], now=NOW)
        workshops.confirm(session, ws, 1, actor=ERIKA, now=NOW)
        workshops.rsvp(session, ws, ERIKA, "yes", now=NOW)
        workshops.rsvp(session, ws, ALICE, "maybe", now=NOW)
        later = NOW + timedelta(days=20)
        minutes.start(session, ws, actor=ERIKA, now=later)
        minutes.record(
            session, ws, "note", f"{NAME} stellt die Strategie vor", actor=ERIKA, now=later
        )
        minutes.record(
            session,
            ws,
            "decision",
            f"Die Strategie von {NAME} wird übernommen",
            actor=ALICE,
            now=later,
        )
        minutes.record(
            session,
            ws,
            "action",
            "Entwurf an den OB",
            actor=ERIKA,
            now=later,
            assignee=ERIKA,
            due_on=TODAY + timedelta(days=40),
        )
        minutes.end(session, ws, board, actor=ERIKA, now=later, today=TODAY + timedelta(days=20))
        minutes.keep_text(session, ws, f"Protokoll: {shown(ERIKA)} stellt vor, {shown(ALICE)} …")
        # What the bot sent: about her in the board room (sent), to her (unsent), a file.
        [about] = delivery.reply(
            session, board.room_id, f"{shown(ERIKA)} ist Lead von FB 68", reply_to=None, now=NOW
        )
        delivery.mark_sent(session, about, event_id="$about-1", now=NOW)
        [pill] = delivery.reply(
            session,
            board.room_id,
            f"[{OTHER_NAME}](https://matrix.to/#/{ERIKA}) & Co.",
            reply_to=None,
            now=NOW,
        )
        delivery.mark_sent(session, pill, event_id="$pill-1", now=NOW)
        [other] = delivery.reply(
            session, board.room_id, f"{shown(ALICE)} ist Lead von FB 61", reply_to=None, now=NOW
        )
        delivery.mark_sent(session, other, event_id="$about-2", now=NOW)
        delivery.reply(session, ERIKA, "Bitte den Status melden", reply_to=None, now=NOW)
        [thanks] = delivery.reply(session, DM, "Danke für die Meldung", reply_to=None, now=NOW)
        delivery.mark_sent(session, thanks, event_id="$thanks-1", now=NOW)
        session.add(
            WorkshopDirectInvitation(
                workshop_id=ws.id or 0, user_id=ERIKA, outbox_id=thanks, room_id=DM
            )
        )
        session.add(HandledEvent(event_id="$her-command", room_id=DM, outcome="ok", handled_at=NOW))
        export = json.dumps({"name": OTHER_NAME, "user": ERIKA}).encode()  # ensure_ascii
        delivery.enqueue_file(
            session,
            room_id=board.room_id,
            filename="export.json",
            mimetype="application/json",
            data=export,
            now=NOW,
        )
        people.remove(
            session,
            board=board,
            user_id=ERIKA,
            role="lead",
            department=city.fb68,
            actor=CDO,
            now=NOW + timedelta(days=21),
        )
    return city, round_id


# --- dumping every table ----------------------------------------------------------------------


def dump(engine: Engine) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table (by primary key), every column."""
    data: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            keys = [c.name for c in table.primary_key.columns]
            data[table.name] = {
                tuple(row[k] for k in keys): dict(row)
                for row in conn.execute(sa.select(table)).mappings()
            }
    return data


def as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False) + json.dumps(value)  # both escapings
    return str(value)


def text_of(rows: dict[str, Any]) -> str:
    return " ".join(as_text(v) for v in rows.values()).casefold()


def traces(data: dict[str, dict[tuple[Any, ...], dict[str, Any]]]) -> list[str]:
    return [
        f"{table}{key}: {text_of(row)[:200]}"
        for table, rows in data.items()
        for key, row in rows.items()
        if any(trace in text_of(row) for trace in TRACES)
    ]


def summary_text(engine: Engine, round_id: int) -> str:
    with Session(engine) as session:
        board = session.exec(select(Board)).one()
        rnd = session.get(StatusRound, round_id)
        data = summaries.build(session, board, now=NOW + timedelta(days=30), rnd=rnd)
        lookup = namer(board.room_id, lambda room, user: NAMES.get(user))
        return render("de", data, name=lookup)


def write_config(tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    path = tmp_path / "config.toml"
    url = engine.url.render_as_string(hide_password=False)
    text = GOOD.format(url=url).replace(
        "https://matrix.stadt.example", f"http://127.0.0.1:{closed_port()}"
    )
    path.write_text(text, encoding="utf-8")
    return path


# --- the tests --------------------------------------------------------------------------------


def test_every_erased_column_of_the_inventory_is_handled() -> None:
    covered = {
        (p.table, column)
        for p in erasure.plan()
        for column in (
            *p.columns,
            *(c for c, e in INVENTORY[p.table].items() if e.erase == Erase.DELETE_ROW),
        )
    }
    wanted = {
        (table, column)
        for table, columns in INVENTORY.items()
        for column, entry in columns.items()
        if entry.erase != Erase.KEEP
    }
    assert covered == wanted
    for table_plan in erasure.plan():
        table = SQLModel.metadata.tables[table_plan.table]
        assert set(table_plan.columns) <= set(table.columns.keys())


def test_erase_leaves_no_trace_and_keeps_the_summary(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _city, round_id = build_history(engine)
    before = dump(engine)
    summary_before = summary_text(engine, round_id)
    assert NAME in summary_before
    assert len(traces(before)) > 20  # the history does name her, in many places
    config = write_config(tmp_path, engine, monkeypatch)
    argv = [
        "privacy",
        "erase",
        ERIKA,
        "--name",
        NAME,
        "--name",
        OTHER_NAME,
        "--config",
        str(config),
    ]

    assert main([*argv, "--offline", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert dump(engine) == before  # a dry run changes nothing
    assert "would be erased as 'Person 1'" in dry

    assert main([*argv, "--offline"]) == 0
    out = capsys.readouterr().out
    after = dump(engine)

    assert traces(after) == []
    assert "Person 1" in out and "absence: 1 row(s) deleted" in out
    assert "direct_room: 1 row(s) deleted" in out
    # The audit entry about her absence (its dates, its reason) went with it: only that one.
    her_absence = [
        key
        for key, row in before["audit_entry"].items()
        if row["entity"] == "absence" and KUR in json.dumps(row["after"], ensure_ascii=False)
    ]
    assert len(her_absence) == 1
    assert set(before["audit_entry"]) - set(after["audit_entry"]) == set(her_absence)
    assert "audit_entry: 1 row(s) deleted; " in out
    # Her direct room is gone wherever it was: the homeserver knows who is in it.
    assert {r["room_id"] for r in after["status_answer"].values()} == {"Person 1", "!dm-a:kiel.de"}
    assert [r["room_id"] for r in after["workshop_direct_invitation"].values()] == ["Person 1"]
    assert after["handled_event"][("$her-command",)]["room_id"] == "Person 1"
    # The output names the pseudonym, never next to her id.
    assert ERIKA not in out and "Do not write down whom 'Person 1' stands for" in out
    assert "messages the bot sent that named them: 2, not redacted (--offline)" in out
    assert "$about-1" in out and "$pill-1" in out and "$about-2" not in out
    for line in out.splitlines():  # counts, never her texts
        assert not any(trace in line.casefold() for trace in TRACES[1:]), line

    # The dry run counted the same.
    def counts(text: str) -> list[str]:
        return [line for line in text.replace("would be ", "").splitlines() if "row(s)" in line]

    assert counts(dry) == counts(out) and counts(out)

    # Other people's rows are untouched; hers are still there (but the ones that are hers
    # alone), with the pseudonym.
    for table, rows in before.items():
        for key, row in rows.items():
            if not any(trace in text_of(row) for trace in TRACES):
                assert after[table][key] == row, (table, key)
    assert len(after["absence"]) == len(before["absence"]) - 1
    assert len(after["direct_room"]) == len(before["direct_room"]) - 1
    for table in before:
        if table not in ("absence", "direct_room", "pseudonym", "audit_entry"):
            assert after[table].keys() == before[table].keys(), table
    assert list(after["pseudonym"].keys()) == [(1,)]

    with Session(engine) as session:
        memberships = session.exec(select(Membership).where(Membership.user_id == "Person 1"))
        assert [m.role for m in memberships] == ["lead"]
        wp = session.exec(select(WorkPackage).where(WorkPackage.title == "Bauakte")).one()
        assert (wp.responsible, wp.created_by) == ("Person 1", "Person 1")
        assert wp.description == "Abstimmung mit Person 1"
        assert (wp.traffic_light, wp.progress) == ("yellow", 40)  # the aggregates stay
        unsent = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.room_id == "Person 1",
                OutboxMessage.event_id.is_(None),  # type: ignore[union-attr]
            )
        ).one()
        assert unsent.sent_at is not None and unsent.last_error == erasure.NOT_SENT
        [file_row] = session.exec(
            select(OutboxMessage).where(OutboxMessage.attachment.isnot(None))  # type: ignore[union-attr]
        ).all()
        assert file_row.attachment is not None
        assert json.loads(file_row.attachment) == {"name": "Person 1", "user": "Person 1"}
        assert file_row.content["info"]["size"] == len(file_row.attachment)

    # The past week's summary: the same, but for the pseudonym.
    summary_after = summary_text(engine, round_id)
    assert summary_after == summary_before.replace(NAME, "Person 1")
    assert "Person 1" in summary_after


def test_refused_while_a_role_is_held(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    city = setup_city(engine)
    before = dump(engine)
    config = write_config(tmp_path, engine, monkeypatch)

    assert main(["privacy", "erase", ALICE, "--offline", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "still holds 1 role(s)" in err
    assert f"!role remove {ALICE} lead FB 61" in err and "!rolle entziehen" in err
    assert dump(engine) == before
    with Session(engine) as session, pytest.raises(erasure.StillHoldsRoles) as refused:
        erasure.erase(session, user_id=ALICE, now=NOW)
    assert [(r.role, r.department) for r in refused.value.roles] == [("lead", "FB 61")]
    assert city.fb61.code == "FB 61"

    assert main(["privacy", "erase", "erika", "--offline", "--config", str(config)]) == 2
    assert "not a Matrix user id" in capsys.readouterr().err
    with Session(engine) as session, pytest.raises(erasure.MalformedUserId):
        erasure.erase(session, user_id="@erika", now=NOW)
    # A configured admin is an admin everywhere: refused too.
    assert main(["privacy", "erase", "@cdo:stadt.example", "--config", str(config)]) == 2
    assert "[bot] admins" in capsys.readouterr().err
    assert dump(engine) == before


def test_each_person_gets_the_next_pseudonym_and_nobody_gets_none(engine: Engine) -> None:
    city = setup_city(engine)
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        for user, role, dept in ((DAVE, "member", city.fb61), (BOB, "deputy", city.fb61)):
            people.remove(
                session, board=board, user_id=user, role=role, department=dept, actor=CDO, now=NOW
            )
    with unit_of_work(engine) as session:
        first = erasure.erase(session, user_id=DAVE, now=NOW)
    with unit_of_work(engine) as session:
        nobody = erasure.erase(session, user_id="@nobody:kiel.de", now=NOW)
        second = erasure.erase(session, user_id=BOB, now=NOW)
    assert (first.pseudonym, nobody.pseudonym, second.pseudonym) == ("Person 1", None, "Person 2")
    assert first.rows["membership"] == 1 and first.values["audit_entry"]
    with Session(engine) as session:
        assert [p.number for p in session.exec(select(Pseudonym))] == [1, 2]
        holders = {m.user_id for m in session.exec(select(Membership))}
        departments = session.exec(select(Department)).all()
    assert {"Person 1", "Person 2"} <= holders and not {DAVE, BOB} & holders
    assert len(departments) == 3
    traces_of = [t for t in traces(dump(engine)) if "@dave:" in t or "@bob:" in t]
    assert traces_of == []


def test_an_unreachable_homeserver_refuses_unless_names_are_given(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without a display name her names would stay in the texts: refused, unless --name gives
    them (then it goes on, and says so) or --offline says that only the id is to go."""
    _city, _round = build_history(engine)
    config = write_config(tmp_path, engine, monkeypatch)
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    homeserver = next(
        line.split('"')[1] for line in config.read_text().splitlines() if "homeserver" in line
    )
    (data_dir / "credentials.json").write_text(
        json.dumps(
            {
                "homeserver": homeserver,
                "user_id": "@board-bot:stadt.example",
                "device_id": "BOT",
                "access_token": "token",
            }
        )
    )
    before = dump(engine)

    assert main(["privacy", "erase", ERIKA, "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "refused: no display name" in err and "could not be asked" in err
    assert "--name" in err and "--offline" in err
    assert dump(engine) == before

    assert (
        main(
            [
                "privacy",
                "erase",
                ERIKA,
                "--name",
                NAME,
                "--name",
                OTHER_NAME,
                "--config",
                str(config),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "could not ask the homeserver" in captured.err
    assert "messages the bot sent that named them: 2, redacted 0" in captured.out
    assert "$about-1" in captured.out
    assert traces(dump(engine)) == []


def test_a_column_newly_listed_in_the_inventory_is_erased_without_code(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The erasure reads the inventory: list a column as SCRUB (here a department's name, as
    if it could name a person) and it is scrubbed."""
    from board_bot.features.privacy.inventory import Entry

    city = setup_city(engine)
    with unit_of_work(engine) as session:
        dept = session.get(Department, city.fb68.id)
        assert dept is not None
        dept.name = f"Team {NAME}"
        session.add(dept)
    entry = Entry("a name", "a test", "forever", Erase.SCRUB)
    monkeypatch.setitem(INVENTORY["department"], "name", entry)
    with unit_of_work(engine) as session:
        result = erasure.erase(session, user_id=ERIKA, names=[NAME], now=NOW)
    assert result.values["department"] == {"name": 1}
    with Session(engine) as session:
        assert session.get(Department, city.fb68.id).name == "Team Person 1"  # type: ignore[union-attr]


def test_no_display_name_from_the_homeserver_is_refused(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A deactivated account has no display name: erasing would replace only her id."""
    from board_bot.matrix import privacy

    build_history(engine)
    config = write_config(tmp_path, engine, monkeypatch)
    asked: list[list[str]] = []

    async def no_names(_config: object, user: str, rooms: list[str]) -> list[str]:
        asked.append(rooms)
        return []

    monkeypatch.setattr(privacy, "display_names", no_names)
    before = dump(engine)
    for dry in ([], ["--dry-run"]):
        assert main(["privacy", "erase", ERIKA, *dry, "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert "refused: no display name" in err and "the homeserver knows none" in err
    assert asked and dump(engine) == before

    assert main(["privacy", "erase", ERIKA, "--offline", "--config", str(config)]) == 0
    assert "erased as 'Person 1'" in capsys.readouterr().out


def test_a_concurrent_erasure_is_said_not_shown_as_a_traceback(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_history(engine)
    config = write_config(tmp_path, engine, monkeypatch)

    def taken(*_args: object, **_kwargs: object) -> erasure.Erasure:
        raise sa.exc.IntegrityError("INSERT INTO pseudonym", {}, Exception("duplicate key"))

    monkeypatch.setattr(erasure, "erase", taken)
    assert main(["privacy", "erase", ERIKA, "--offline", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "another erasure ran at the same time" in err and "try again" in err


def only_postgres(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing runs in between")


def _waiting_on_a_lock(engine: Engine, done: threading.Thread) -> None:
    """Until ``done`` has finished or a session of this database waits for a lock (bounded)."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(500):  # at most 10 s
        with engine.connect() as conn:
            if conn.execute(query).scalar():
                return
        done.join(0.02)
        if not done.is_alive():
            return
    raise AssertionError("the other transaction neither finished nor waited")


def _removed(engine: Engine, city: City, *people_roles: tuple[str, str]) -> None:
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        for user, role in people_roles:
            people.remove(
                session,
                board=board,
                user_id=user,
                role=role,
                department=city.fb61,
                actor=CDO,
                now=NOW,
            )


def test_two_erasures_at_once_take_two_numbers(engine: Engine) -> None:
    """PostgreSQL: the second waits for the first's number, then takes the next."""
    only_postgres(engine)
    city = setup_city(engine)
    _removed(engine, city, (DAVE, "member"), (BOB, "deputy"))
    second: list[object] = []

    def erase_bob() -> None:
        try:
            with unit_of_work(engine) as session:
                second.append(erasure.erase(session, user_id=BOB, now=NOW).pseudonym)
        except Exception as exc:  # what the test reports
            second.append(exc)

    other = threading.Thread(target=erase_bob)
    with unit_of_work(engine) as session:
        first = erasure.erase(session, user_id=DAVE, now=NOW)
        other.start()
        _waiting_on_a_lock(engine, other)
    other.join(10)
    assert (first.pseudonym, second) == ("Person 1", ["Person 2"])


def test_an_edit_made_during_the_erasure_is_not_undone(engine: Engine) -> None:
    """PostgreSQL, the bot running: the rows erasure reads are locked until it commits, so an
    edit the bot makes between erasure's read and its write waits, and then stands."""
    only_postgres(engine)
    build_history(engine)
    with Session(engine) as session:
        wp_id = session.exec(select(WorkPackage.id).where(WorkPackage.title == "Bauakte")).one()
    edited = "Abstimmung mit Alice Adler"
    main_thread = threading.current_thread()
    editor: list[threading.Thread] = []

    def edit() -> None:
        with unit_of_work(engine) as session:
            wp = session.get(WorkPackage, wp_id)
            assert wp is not None
            wp.description = edited
            session.add(wp)

    def between(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        """The bot edits the package just before erasure writes its scrubbed copy."""
        if (
            threading.current_thread() is main_thread
            and not editor
            and statement.lstrip().upper().startswith("UPDATE WORK_PACKAGE")
        ):
            editor.append(threading.Thread(target=edit))
            editor[0].start()
            _waiting_on_a_lock(engine, editor[0])

    sa.event.listen(engine, "before_cursor_execute", between)
    try:
        with unit_of_work(engine) as session:
            erasure.erase(session, user_id=ERIKA, names=[NAME], now=NOW)
    finally:
        sa.event.remove(engine, "before_cursor_execute", between)
    assert editor
    editor[0].join(10)
    with Session(engine) as session:
        wp = session.get(WorkPackage, wp_id)
        assert wp is not None and wp.description == edited
