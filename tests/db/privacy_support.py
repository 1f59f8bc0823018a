"""A city in which two people, ALICE and CAROL, each have a row in every column of the
inventory that may hold a person's id (``person_columns()``): for the export's tests (db tier)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from board_bot.core import audit
from board_bot.core.db import unit_of_work
from board_bot.features.absences import service as absences
from board_bot.features.work_packages import service as work_packages
from board_bot.models import (
    Board,
    CouncilRequest,
    Decision,
    DirectRoom,
    OutboxMessage,
    StatusAnswer,
    StatusFlag,
    StatusItem,
    StatusPrompt,
    StatusRound,
    StatusSchedule,
    Workshop,
    WorkshopAgendaItem,
    WorkshopDirectInvitation,
    WorkshopMinute,
    WorkshopOption,
    WorkshopRsvp,
    WorkshopVote,
)
from tests.db.org_support import ALICE, CAROL, CDO, DAVE, NOW, TODAY, make_board
from tests.db.wp_support import City, d, setup_city

#: person -> the word in each of their texts, their direct room, their own board's room
TAGS = {ALICE: "Alphaland", CAROL: "Cäsarstadt"}
DIRECT_ROOMS = {ALICE: "!dm-alice:kiel.de", CAROL: "!dm-carol:kiel.de"}
OWN_BOARDS = {ALICE: "!alice-board:kiel.de", CAROL: "!carol-board:kiel.de"}


@dataclass(frozen=True)
class PrivacyCity:
    city: City
    #: person -> the board they set up themselves (their second board)
    own_boards: dict[str, Board]


def setup_privacy_city(engine: Engine) -> PrivacyCity:
    """The city of :func:`setup_city` (ALICE leads FB 61, CAROL FB 13), and for each of them
    everything: answers, votes, minutes, ... Every text of theirs names their tag."""
    city = setup_city(engine)
    own: dict[str, Board] = {}
    with unit_of_work(engine) as session:
        board = session.get(Board, city.board_id)
        assert board is not None
        shared = _workshop(session, board.id or 0, 1, "Gemeinsamer Workshop", CDO)
        shared_option = _option(session, shared, 1)
        for number, person in enumerate((ALICE, CAROL), start=2):
            own[person] = _everything(session, city, board, person, number, shared_option)
        # ALICE entered an absence for CAROL: only that she did is ALICE's.
        absences.add(
            session,
            board=board,
            user_id=CAROL,
            starts_on=d(1, 3, 2027),
            ends_on=d(5, 3, 2027),
            reason=f"Kur {TAGS[CAROL]}",
            actor=ALICE,
            now=NOW,
            today=TODAY,
        )
    return PrivacyCity(city, own)


def _workshop(session: Session, board_id: int, number: int, title: str, by: str) -> Workshop:
    ws = Workshop(
        board_id=board_id,
        number=number,
        title=title,
        duration_minutes=120,
        uid=f"ws-{number}@test",
        created_by=by,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(ws)
    session.flush()
    return ws


def _option(session: Session, ws: Workshop, position: int) -> WorkshopOption:
    option = WorkshopOption(
        workshop_id=ws.id or 0, position=position, starts_at=NOW + timedelta(days=position)
    )
    session.add(option)
    session.flush()
    return option


def _everything(
    session: Session,
    city: City,
    board: Board,
    person: str,
    number: int,
    shared_option: WorkshopOption,
) -> Board:
    tag = TAGS[person]
    dept = city.fb61 if person == ALICE else city.fb13
    own_board = make_board(session, room_id=OWN_BOARDS[person], name=f"Board {tag}", actor=person)
    session.add(
        StatusSchedule(
            board_id=own_board.id or 0,
            prompt="0 09:00",
            deadline="2 12:00",
            anchor=d(30, 11),
            updated_by=person,
            updated_at=NOW,
        )
    )
    absences.add(
        session,
        board=board,
        user_id=person,
        starts_on=d(21, 12),
        ends_on=d(6, 1, 2027),
        reason=f"Urlaub {tag}",
        actor=person,
        now=NOW,
        today=TODAY,
    )
    wp = work_packages.create(
        session,
        board=board,
        title=f"Paket {tag}",
        owner=dept,
        actor=person,
        now=NOW,
        responsible=person,
    )
    rnd = StatusRound(
        board_id=board.id or 0,
        period=f"2026-W{46 + number}",
        prompt_at=NOW,
        deadline_at=NOW + timedelta(days=2),
        started_at=NOW,
        started_by=person,
        closed_at=NOW + timedelta(days=2),
        closed_by=person,
    )
    session.add(rnd)
    session.flush()
    prompt = StatusPrompt(
        round_id=rnd.id or 0, department_id=dept.id or 0, contact=person, room_id=person,
        created_at=NOW,
    )  # fmt: skip
    # DAVE stood in for them in FB 68 (as if they led it): covering_for is theirs.
    covered = StatusPrompt(
        round_id=rnd.id or 0,
        department_id=city.fb68.id or 0,
        contact=DAVE,
        covering_for=person,
        room_id=f"!dm-dave-{number}:kiel.de",
        created_at=NOW,
    )
    session.add_all([prompt, covered])
    session.flush()
    answer = StatusAnswer(
        prompt_id=prompt.id or 0,
        event_id=f"$answer-{number}",
        room_id=DIRECT_ROOMS[person],
        sender=person,
        kind="lines",
        text=f"WP-{wp.number} gelb 40% Meldung {tag}",
        created_at=NOW,
        edited_at=NOW + timedelta(hours=1),
    )
    session.add(answer)
    session.flush()
    session.add_all(
        [
            StatusItem(
                answer_id=answer.id or 0,
                work_package_id=wp.id or 0,
                traffic_light="yellow",
                progress=40,
                note=f"Notiz {tag}",
                created_at=NOW,
            ),
            StatusFlag(answer_id=answer.id or 0, kind="blocker", text=f"Blocker {tag}"),
            DirectRoom(user_id=person, room_id=DIRECT_ROOMS[person], created_at=NOW),
            OutboxMessage(
                room_id=person, content={"msgtype": "m.text", "body": f"Abfrage {tag}"},
                created_at=NOW,
            ),
        ]
    )  # fmt: skip
    ws = _workshop(session, board.id or 0, number, f"Workshop {tag}", person)
    decision = Decision(
        board_id=board.id or 0, number=number, text=f"Beschluss {tag}", created_by=person,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    ws.minutes_by = person
    option = _option(session, ws, 1)
    session.add_all(
        [
            WorkshopVote(option_id=option.id or 0, user_id=person, created_at=NOW),
            WorkshopVote(option_id=shared_option.id or 0, user_id=person, created_at=NOW),
            WorkshopRsvp(workshop_id=ws.id or 0, user_id=person, answer="yes", updated_at=NOW),
            WorkshopAgendaItem(
                workshop_id=ws.id or 0, position=1, text=f"Punkt {tag}", created_by=person,
                created_at=NOW,
            ),
            WorkshopMinute(
                workshop_id=ws.id or 0, kind="action", text=f"Aufgabe {tag}", assignee=person,
                due_on=d(15, 1, 2027), created_by=person, created_at=NOW,
            ),
            decision,
            WorkshopDirectInvitation(
                workshop_id=ws.id or 0, user_id=person, outbox_id=1,
                room_id=DIRECT_ROOMS[person],
            ),
        ]
    )  # fmt: skip
    session.flush()
    session.add(
        CouncilRequest(
            board_id=board.id or 0, decision_id=decision.id or 0, wanted=f"B 19/{number:04d}",
            room_id=board.room_id, reply_to=f"$paper{number}:example.org", requested_by=person,
            created_at=NOW, next_attempt_at=NOW,
        )
    )  # fmt: skip
    audit.record(
        session,
        board_id=board.id,
        actor=person,
        action="wp.edit",
        entity="work_package",
        entity_id=str(wp.id),
        before=None,
        after={"note": f"Änderung {tag}"},
        now=NOW,
    )
    audit.record(
        session,
        board_id=board.id,
        actor=CDO,
        action="absence.add",
        entity="absence",
        entity_id=person,
        before=None,
        after={"user_id": person},
        now=NOW,
    )
    session.flush()
    return own_board
