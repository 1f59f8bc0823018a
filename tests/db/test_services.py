"""Services against a real schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core import delivery
from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError
from board_bot.features.boards import service as boards
from board_bot.models import AuditEntry, Board, HandledEvent, OutboxMessage, SyncState

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
ALICE = "@alice:example.org"
ROOM = "!board:example.org"


def create_board(
    session: Session, *, room_id: str = ROOM, name: str = "Smart City Board", now: datetime = NOW
) -> Board:
    return boards.create(
        session,
        room_id=room_id,
        name=name,
        language="de",
        timezone="Europe/Berlin",
        actor=ALICE,
        now=now,
    )


def audit_entries(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id))))


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(sa.func.count()).select_from(model)).one()


# --- boards -------------------------------------------------------------------------------------


def test_create_board_writes_it_and_an_audit_entry(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        board = create_board(session)
        board_id = board.id
    assert board_id is not None

    with Session(engine) as session:
        stored = session.get(Board, board_id)
        assert stored is not None
        assert (stored.room_id, stored.name, stored.language, stored.timezone) == (
            ROOM,
            "Smart City Board",
            "de",
            "Europe/Berlin",
        )
        assert stored.created_by == ALICE
        assert stored.created_at == NOW
        assert stored.archived_at is None

    entry, seeded = audit_entries(engine)  # the board, then its creator as first admin
    assert (seeded.action, seeded.after) == ("role.assign", {"user_id": ALICE, "role": "admin"})
    assert entry.board_id == board_id
    assert (entry.actor, entry.action, entry.entity, entry.entity_id) == (
        ALICE,
        "create",
        "board",
        str(board_id),
    )
    assert entry.before is None
    assert entry.after == {
        "name": "Smart City Board",
        "room_id": ROOM,
        "language": "de",
        "timezone": "Europe/Berlin",
        "bundesland": "SH",
    }
    assert entry.at == NOW


def test_same_room_twice_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        create_board(session, name="Erstes Board")

    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        create_board(session, name="Zweites Board")
    assert caught.value.key == "board.already_exists"
    assert caught.value.params == {"name": "Erstes Board"}
    assert count(engine, Board) == 1
    assert [e.action for e in audit_entries(engine)] == ["create", "role.assign"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Smart City Board", "smart city board"),
        ("Smart City Board", "SMART CITY BOARD"),
        # A German city names its boards in German: umlauts and ß must match, too.
        ("Bürgerdienste Übersicht", "BÜRGERDIENSTE übersicht"),
        ("Straßenbau", "STRASSENBAU"),
    ],
)
def test_same_name_in_another_case_is_refused(engine: Engine, first: str, second: str) -> None:
    with unit_of_work(engine) as session:
        create_board(session, room_id="!one:example.org", name=first)

    with pytest.raises(BotError) as caught, unit_of_work(engine) as session:
        create_board(session, room_id="!two:example.org", name=second)
    assert caught.value.key == "board.name_taken"
    assert count(engine, Board) == 1


def test_name_of_an_archived_board_may_be_reused(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        old = create_board(session, room_id="!old:example.org")
        old.archived_at = NOW
        session.add(old)
    with unit_of_work(engine) as session:
        new = create_board(session, room_id="!new:example.org")
    assert new.id != old.id


def test_for_room_and_count_active(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        assert boards.for_room(session, ROOM) is None
        assert boards.count_active(session) == 0
        create_board(session, room_id=ROOM, name="A")
        create_board(session, room_id="!b:example.org", name="B")
        archived = create_board(session, room_id="!c:example.org", name="C")
        archived.archived_at = NOW
        session.add(archived)

    with Session(engine) as session:
        found = boards.for_room(session, ROOM)
        assert found is not None
        assert found.name == "A"
        assert boards.for_room(session, "!c:example.org") is None  # archived
        assert boards.for_room(session, "!nowhere:example.org") is None
        assert boards.count_active(session) == 2


def test_set_language_records_before_and_after(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        board = create_board(session)
    later = NOW + timedelta(hours=1)

    with unit_of_work(engine) as session:
        board = boards.for_room(session, ROOM)
        assert board is not None
        boards.set_language(session, board, language="en", actor="@bob:example.org", now=later)

    with Session(engine) as session:
        assert boards.for_room(session, ROOM).language == "en"  # type: ignore[union-attr]
    create, _seeded, update = audit_entries(engine)
    assert create.action == "create"
    assert (update.action, update.entity, update.entity_id) == ("update", "board", str(board.id))
    assert update.board_id == board.id
    assert update.actor == "@bob:example.org"
    assert update.before == {"language": "de"}
    assert update.after == {"language": "en"}
    assert update.at == later


def test_set_language_to_the_same_language_writes_no_audit_entry(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        board = create_board(session)
        boards.set_language(session, board, language="de", actor=ALICE, now=NOW)
    assert [e.action for e in audit_entries(engine)] == ["create", "role.assign"]


# --- handled events -----------------------------------------------------------------------------


def test_mark_handled_then_is_handled(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        assert not delivery.is_handled(session, "$event1")
        delivery.mark_handled(session, event_id="$event1", room_id=ROOM, outcome="ok", now=NOW)

    with unit_of_work(engine) as session:
        assert delivery.is_handled(session, "$event1")
        assert not delivery.is_handled(session, "$event2")
        stored = session.get(HandledEvent, "$event1")
        assert stored is not None
        assert (stored.room_id, stored.outcome, stored.handled_at) == (ROOM, "ok", NOW)


def test_duplicate_event_id_is_a_primary_key_violation(engine: Engine) -> None:
    """Two processes handling one event race; the database lets exactly one commit, and the
    loser's effects (here: its queued reply) go with it."""
    with unit_of_work(engine) as session:
        delivery.mark_handled(session, event_id="$dup", room_id=ROOM, outcome="ok", now=NOW)
        delivery.enqueue(session, room_id=ROOM, contents=[{"body": "first"}], now=NOW)

    with pytest.raises(sa.exc.IntegrityError), unit_of_work(engine) as session:
        # The loser checked before the winner committed; it does not look again.
        delivery.mark_handled(session, event_id="$dup", room_id=ROOM, outcome="ok", now=NOW)
        delivery.enqueue(session, room_id=ROOM, contents=[{"body": "second"}], now=NOW)

    with Session(engine) as session:
        assert count(engine, HandledEvent) == 1
        assert [m.content for m in delivery.pending(session)] == [{"body": "first"}]


# --- outbox -------------------------------------------------------------------------------------


def test_enqueue_returns_rows_with_ids_in_order(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        rows = delivery.enqueue(
            session, room_id=ROOM, contents=[{"body": "1"}, {"body": "2"}], now=NOW
        )
        ids = [r.id for r in rows]
    assert None not in ids
    assert ids == sorted(ids)
    with Session(engine) as session:
        stored = [session.get(OutboxMessage, i) for i in ids]
    assert [(m.content, m.room_id, m.attempts, m.sent_at) for m in stored if m] == [
        ({"body": "1"}, ROOM, 0, None),
        ({"body": "2"}, ROOM, 0, None),
    ]


def test_pending_is_oldest_first_and_limited(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        for i in range(5):
            delivery.enqueue(session, room_id=ROOM, contents=[{"body": str(i)}], now=NOW)

    with Session(engine) as session:
        assert [m.content["body"] for m in delivery.pending(session)] == ["0", "1", "2", "3", "4"]
        assert [m.content["body"] for m in delivery.pending(session, limit=2)] == ["0", "1"]


def test_pending_puts_rooms_that_exist_before_direct_rooms_still_to_open(engine: Engine) -> None:
    """A reply queued after a round's prompts to 500 people (their direct rooms still to be
    opened) is among the rows loaded, however few are loaded at once."""
    with unit_of_work(engine) as session:
        for i in range(3):
            delivery.enqueue(session, room_id=f"@lead{i}:x", contents=[{"body": f"p{i}"}], now=NOW)
        delivery.enqueue(session, room_id=ROOM, contents=[{"body": "reply"}], now=NOW)
    with Session(engine) as session:
        assert [m.content["body"] for m in delivery.pending(session, limit=2)] == ["reply", "p0"]
        assert [m.content["body"] for m in delivery.pending(session)] == ["reply", "p0", "p1", "p2"]


def test_mark_sent_removes_from_pending(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        first, second = delivery.enqueue(
            session, room_id=ROOM, contents=[{"body": "a"}, {"body": "b"}], now=NOW
        )
    sent_at = NOW + timedelta(seconds=2)
    assert first.id is not None

    with unit_of_work(engine) as session:
        delivery.mark_sent(session, first.id, event_id="$sent", now=sent_at)

    with Session(engine) as session:
        assert [m.id for m in delivery.pending(session)] == [second.id]
        row = session.get(OutboxMessage, first.id)
        assert row is not None
        assert (row.sent_at, row.event_id, row.attempts) == (sent_at, "$sent", 1)


def test_a_file_row_keeps_its_bytes_until_sent_and_its_uploaded_content(engine: Engine) -> None:
    data = b"Nr;Titel\r\nWP-1;Bauakte\r\n" * 1000
    with unit_of_work(engine) as session:
        [text] = delivery.enqueue(session, room_id=ROOM, contents=[{"body": "Export"}], now=NOW)
        row = delivery.enqueue_file(
            session, room_id=ROOM, filename="ap.csv", mimetype="text/csv", data=data, now=NOW
        )
    assert row.id is not None and text.id is not None and text.id < row.id
    with Session(engine) as session:
        pending = delivery.pending(session)
        assert [m.id for m in pending] == [text.id, row.id]  # after the reply it belongs to
        assert pending[1].content == {
            "msgtype": "m.file",
            "body": "ap.csv",
            "filename": "ap.csv",
            "info": {"mimetype": "text/csv", "size": len(data)},
            "m.mentions": {},
        }
        assert delivery.attachment(session, row.id) == data

    uploaded = {**pending[1].content, "url": "mxc://example.org/abc"}
    with unit_of_work(engine) as session:
        delivery.set_content(session, row.id, uploaded)
    with Session(engine) as session:  # a restart now resends this content, without uploading
        assert delivery.pending(session)[1].content == uploaded

    with unit_of_work(engine) as session:
        delivery.mark_sent(session, row.id, event_id="$file", now=NOW)
    with Session(engine) as session:
        assert delivery.attachment(session, row.id) is None  # the homeserver keeps the file


def test_mark_attempt_failed_keeps_retrying_until_given_up(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        [msg] = delivery.enqueue(session, room_id=ROOM, contents=[{"body": "x"}], now=NOW)
    assert msg.id is not None

    with unit_of_work(engine) as session:
        delivery.mark_attempt_failed(
            session, msg.id, error="502 Bad Gateway", give_up=False, now=NOW
        )
    with Session(engine) as session:
        [row] = delivery.pending(session)
        assert (row.attempts, row.last_error, row.sent_at) == (1, "502 Bad Gateway", None)

    gave_up_at = NOW + timedelta(minutes=5)
    with unit_of_work(engine) as session:
        delivery.mark_attempt_failed(
            session, msg.id, error="E" * 2000, give_up=True, now=gave_up_at
        )
    with Session(engine) as session:
        assert delivery.pending(session) == []
        row = session.get(OutboxMessage, msg.id)
        assert row is not None
        assert row.attempts == 2
        assert row.sent_at == gave_up_at  # closed, kept for review
        assert row.event_id is None  # never delivered
        assert row.last_error == "E" * delivery.MAX_ERROR


def test_marking_an_unknown_outbox_row_does_nothing(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        delivery.mark_sent(session, 999, event_id="$x", now=NOW)
        delivery.mark_attempt_failed(session, 999, error="x", give_up=True, now=NOW)
    assert count(engine, OutboxMessage) == 0


# --- sync token ---------------------------------------------------------------------------------


def test_sync_token_load_save_update(engine: Engine) -> None:
    account = "@bot:example.org"
    with unit_of_work(engine) as session:
        assert delivery.load_sync_token(session, account) is None
        delivery.save_sync_token(session, account, "s1_token", now=NOW)

    later = NOW + timedelta(seconds=30)
    with unit_of_work(engine) as session:
        assert delivery.load_sync_token(session, account) == "s1_token"
        delivery.save_sync_token(session, account, "s2_token", now=later)

    with Session(engine) as session:
        assert delivery.load_sync_token(session, account) == "s2_token"
        assert delivery.load_sync_token(session, "@other:example.org") is None
        state = session.get(SyncState, account)
        assert state is not None
        assert state.updated_at == later
    assert count(engine, SyncState) == 1


# --- units of work ------------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_unit_of_work_rolls_back_everything_on_exception(engine: Engine) -> None:
    with pytest.raises(Boom), unit_of_work(engine) as session:
        create_board(session)
        delivery.mark_handled(session, event_id="$e", room_id=ROOM, outcome="ok", now=NOW)
        delivery.enqueue(session, room_id=ROOM, contents=[{"body": "x"}], now=NOW)
        delivery.save_sync_token(session, "@bot:example.org", "s1", now=NOW)
        session.flush()  # the rows reached the database, inside the transaction
        raise Boom

    for model in (Board, AuditEntry, HandledEvent, OutboxMessage, SyncState):
        assert count(engine, model) == 0, model.__name__


def test_unit_of_work_commits_on_success(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        delivery.mark_handled(session, event_id="$e", room_id=ROOM, outcome="ok", now=NOW)
    assert count(engine, HandledEvent) == 1


def test_savepoint_rolls_back_only_the_inner_part(engine: Engine) -> None:
    """The dispatcher runs a command in a savepoint and still records the event when it fails."""
    with unit_of_work(engine) as session:
        delivery.mark_handled(session, event_id="$outer", room_id=ROOM, outcome="ok", now=NOW)
        with pytest.raises(Boom), session.begin_nested():
            create_board(session)
            raise Boom
        delivery.enqueue(session, room_id=ROOM, contents=[{"body": "error"}], now=NOW)

    assert count(engine, HandledEvent) == 1
    assert count(engine, OutboxMessage) == 1
    assert count(engine, Board) == 0
    assert count(engine, AuditEntry) == 0
