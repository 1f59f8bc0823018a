"""A workshop's agenda and minutes, and the board's decision register (issue 7, parts 4 and 5).

Decisions worth knowing:

* The bot proposes agenda items from the invited departments' open packages: those blocked,
  and those waiting for an open package of another invited department. A proposal is only a
  suggestion until someone adds it.
* One workshop of a board has open minutes at a time. ``!decision``, ``!action`` and ``!note``
  go to it, in order. Closing the minutes files every decision in the register (proposed: a
  workshop recommends, the board adopts) and turns every action into a work package of the
  assignee's department (among the invited ones first; else the workshop's first department) or,
  with ``--wp``, into a milestone of that package (due in 14 days unless a date is given).
* A decision's status moves proposed → adopted → implemented (or back, to correct a mistake).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from board_bot.core import audit
from board_bot.core.errors import BotError, UsageError
from board_bot.core.i18n import N_, t
from board_bot.core.render import Safe, plain_text
from board_bot.features.work_packages import service as wps
from board_bot.features.workshops import service as wss
from board_bot.features.workshops.service import record_change as _audit
from board_bot.models import (
    Board,
    Decision,
    Department,
    Dependency,
    Membership,
    WorkPackage,
    Workshop,
    WorkshopAgendaItem,
    WorkshopMinute,
)

AGENDA_MAX = 30
ITEM_MAX = 300
TEXT_MAX = 500
ACTION_DUE = timedelta(days=14)  # a milestone from an action without a date
STATUSES = ("proposed", "adopted", "implemented")
KINDS = ("decision", "action", "note")


def _text(text: str, limit: int, missing: str) -> str:
    value = " ".join(text.split())
    if not value:
        raise UsageError(missing)
    if len(value) > limit:
        raise UsageError("minutes.too_long", limit=limit)
    return value


def _not_cancelled(ws: Workshop) -> None:
    if ws.status == wss.CANCELLED:
        raise BotError("workshop.is_cancelled", number=ws.number)


# --- agenda ---------------------------------------------------------------------------------------


def agenda(session: Session, ws: Workshop) -> list[WorkshopAgendaItem]:
    return list(
        session.exec(
            select(WorkshopAgendaItem)
            .where(WorkshopAgendaItem.workshop_id == ws.id)
            .order_by(col(WorkshopAgendaItem.position))
        )
    )


def add_item(
    session: Session, ws: Workshop, text: str, *, source: str, actor: str, now: datetime
) -> WorkshopAgendaItem:
    _not_cancelled(ws)
    value = _text(text, ITEM_MAX, N_("agenda.text_missing"))
    items = agenda(session, ws)
    if len(items) >= AGENDA_MAX:
        raise BotError("agenda.full", limit=AGENDA_MAX)
    assert ws.id is not None
    item = WorkshopAgendaItem(
        workshop_id=ws.id,
        position=len(items) + 1,
        text=value,
        source=source,
        created_by=actor,
        created_at=now,
    )
    session.add(item)
    session.flush()
    _audit(session, ws, "agenda.add", None, {"position": item.position, "text": value}, actor, now)
    return item


def remove_item(
    session: Session, ws: Workshop, position: int, *, actor: str, now: datetime
) -> WorkshopAgendaItem:
    _not_cancelled(ws)
    items = agenda(session, ws)
    if not 1 <= position <= len(items):
        raise UsageError("agenda.no_such_item", position=position, count=len(items))
    gone = items[position - 1]
    session.delete(gone)
    session.flush()
    for n, item in enumerate(items[position:], start=position):
        item.position = n
        session.add(item)
    session.flush()
    _audit(
        session, ws, "agenda.remove", {"position": position, "text": gone.text}, None, actor, now
    )
    return gone


def proposals(session: Session, ws: Workshop, lang: str) -> list[str]:
    """Agenda items the bot suggests: the invited departments' blocked packages, and their
    packages waiting for an open package of another invited department; not those already on
    the agenda. Written in ``lang`` as plain text, as an agenda item is kept."""
    depts = wss.departments_of(session, ws)
    codes = {d.id: d.code for d in depts}
    if not codes:
        return []
    open_ = {
        wp.id: wp
        for wp in session.exec(
            select(WorkPackage).where(
                WorkPackage.board_id == ws.board_id,
                col(WorkPackage.owner_department_id).in_(list(codes)),
                col(WorkPackage.status).not_in(wps.CLOSED),
            )
        )
    }
    found: list[tuple[int, str]] = []
    for wp in open_.values():
        if wp.status == "blocked":
            blocked = t(
                lang,
                "agenda.proposal_blocked_because"
                if wp.traffic_reason
                else "agenda.proposal_blocked",
                code=wps.code(wp),
                title=wp.title,
                dept=codes[wp.owner_department_id],
                reason=wp.traffic_reason or "",
            )
            found.append((wp.number, plain_text(blocked)))
    for dep in session.exec(
        select(Dependency).where(col(Dependency.work_package_id).in_(list(open_) or [0]))
    ):
        waiting, waited = open_.get(dep.work_package_id), open_.get(dep.depends_on_id)
        if waiting is None or waited is None:
            continue
        if waiting.owner_department_id == waited.owner_department_id:
            continue
        found.append(
            (
                waiting.number,
                plain_text(
                    t(
                        lang,
                        "agenda.proposal_waits",
                        code=wps.code(waiting),
                        dept=codes[waiting.owner_department_id],
                        other=wps.code(waited),
                        title=waited.title,
                        other_dept=codes[waited.owner_department_id],
                    )
                ),
            )
        )
    taken = {item.text for item in agenda(session, ws)}
    return [text[:ITEM_MAX] for _, text in sorted(found) if text[:ITEM_MAX] not in taken]


# --- minutes --------------------------------------------------------------------------------------


def open_minutes(session: Session, board_id: int) -> Workshop | None:
    return session.exec(
        select(Workshop).where(
            Workshop.board_id == board_id,
            col(Workshop.minutes_started_at).is_not(None),
            col(Workshop.minutes_ended_at).is_(None),
        )
    ).first()


def start(session: Session, ws: Workshop, *, actor: str, now: datetime) -> None:
    _not_cancelled(ws)
    if ws.status != wss.CONFIRMED:
        raise BotError("workshop.not_confirmed", number=ws.number)
    if ws.minutes_ended_at is not None:
        raise BotError("minutes.closed", number=ws.number)
    running = open_minutes(session, ws.board_id)
    if running is not None:
        key = N_("minutes.running_this") if running.id == ws.id else N_("minutes.running_other")
        raise BotError(key, number=running.number)
    ws.minutes_started_at = now
    ws.minutes_by = actor
    session.add(ws)
    _audit(session, ws, "minutes.start", None, {"by": actor}, actor, now)
    session.flush()


def running(session: Session, board_id: int, prefix: str) -> Workshop:
    found = open_minutes(session, board_id)
    if found is None:
        raise BotError("minutes.none_open", prefix=Safe(prefix))
    return found


def known_person(
    session: Session, board_id: int, user_id: str, members: frozenset[str] | None
) -> bool:
    """Someone with a role on the board, or (when the room's members are known) in the room."""
    if members is not None and user_id in members:
        return True
    return (
        session.exec(
            select(Membership).where(
                Membership.board_id == board_id,
                Membership.user_id == user_id,
                col(Membership.ended_at).is_(None),
            )
        ).first()
        is not None
    )


def record(
    session: Session,
    ws: Workshop,
    kind: str,
    text: str,
    *,
    actor: str,
    now: datetime,
    assignee: str | None = None,
    due_on: date | None = None,
    work_package: WorkPackage | None = None,
) -> WorkshopMinute:
    assert kind in KINDS and ws.id is not None
    value = _text(text, TEXT_MAX, f"minutes.{kind}_missing")
    if work_package is not None and work_package.status in wps.CLOSED:
        raise BotError("minutes.wp_closed", code=wps.code(work_package))
    line = WorkshopMinute(
        workshop_id=ws.id,
        kind=kind,
        text=value,
        assignee=assignee,
        due_on=due_on,
        work_package_id=work_package.id if work_package is not None else None,
        created_by=actor,
        created_at=now,
    )
    session.add(line)
    session.flush()
    return line


def lines(session: Session, ws: Workshop) -> list[WorkshopMinute]:
    return list(
        session.exec(
            select(WorkshopMinute)
            .where(WorkshopMinute.workshop_id == ws.id)
            .order_by(col(WorkshopMinute.created_at), col(WorkshopMinute.id))
        )
    )


@dataclass(frozen=True)
class Outcome:
    """What a line of the minutes became when they were closed."""

    line: WorkshopMinute
    decision: Decision | None = None
    work_package: WorkPackage | None = None  # a new package, or the one a milestone was added to
    milestone_title: str | None = None


def outcomes(session: Session, ws: Workshop) -> list[Outcome]:
    """The lines with what they became (while the minutes run: the lines alone)."""
    if ws.minutes_ended_at is None:
        return [Outcome(line) for line in lines(session, ws)]
    found = []
    for line in lines(session, ws):
        decision = session.get(Decision, line.decision_id) if line.decision_id else None
        wp = session.get(WorkPackage, line.work_package_id) if line.work_package_id else None
        title = line.text[:200] if line.milestone_id else None
        found.append(Outcome(line, decision=decision, work_package=wp, milestone_title=title))
    return found


def end(
    session: Session, ws: Workshop, board: Board, *, actor: str, now: datetime, today: date
) -> list[Outcome]:
    """Close the minutes: decisions into the register, actions into packages or milestones."""
    assert ws.id is not None
    outcomes: list[Outcome] = []
    depts = wss.departments_of(session, ws)
    for line in lines(session, ws):
        if line.kind == "decision":
            decision = record_decision(session, board, line.text, workshop=ws, actor=actor, now=now)
            line.decision_id = decision.id
            outcomes.append(Outcome(line, decision=decision))
        elif line.kind == "action":
            if line.work_package_id is not None:
                wp = session.get(WorkPackage, line.work_package_id)
                assert wp is not None
                milestone = wps.add_milestone(
                    session, wp, line.text[:200], line.due_on or today + ACTION_DUE, actor=actor,
                    now=now,
                )  # fmt: skip
                line.milestone_id = milestone.id
                outcomes.append(Outcome(line, work_package=wp, milestone_title=milestone.title))
            else:
                owner = _owner(session, board, depts, line.assignee)
                wp = wps.create(
                    session,
                    board=board,
                    title=line.text[:200],
                    owner=owner,
                    actor=actor,
                    now=now,
                    responsible=line.assignee,
                    due_date=line.due_on,
                )
                line.work_package_id = wp.id
                outcomes.append(Outcome(line, work_package=wp))
        else:
            outcomes.append(Outcome(line))
        session.add(line)
    ws.minutes_ended_at = now
    session.add(ws)
    _audit(session, ws, "minutes.end", None, {"lines": len(outcomes)}, actor, now)
    session.flush()
    return outcomes


def keep_text(session: Session, ws: Workshop, text: str) -> None:
    """Keep the minutes as posted, for ``!protokoll zeigen``."""
    ws.minutes = text
    session.add(ws)


def _owner(
    session: Session, board: Board, invited: list[Department], assignee: str | None
) -> Department:
    """The assignee's department, among the invited ones first; else the first invited one."""
    assert board.id is not None
    held = (
        session.exec(
            select(Membership).where(
                Membership.board_id == board.id,
                Membership.user_id == assignee,
                col(Membership.ended_at).is_(None),
                col(Membership.department_id).is_not(None),
            )
        ).all()
        if assignee
        else []
    )
    theirs = [m.department_id for m in held]
    for dept in invited:
        if dept.id in theirs:
            return dept
    if theirs:
        other = session.get(Department, theirs[0])
        if other is not None and other.archived_at is None:
            return other
    return invited[0]


# --- the decision register ------------------------------------------------------------------------


def record_decision(
    session: Session,
    board: Board,
    text: str,
    *,
    workshop: Workshop | None,
    actor: str,
    now: datetime,
) -> Decision:
    assert board.id is not None
    value = _text(text, TEXT_MAX, "minutes.decision_missing")
    number = wss.next_number(session, Decision, board.id)
    decision = Decision(
        board_id=board.id,
        number=number,
        text=value,
        workshop_id=workshop.id if workshop is not None else None,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session, board_id=board.id, actor=actor, action="decision.add", entity="decision",
        entity_id=str(decision.id), before=None, after={"number": number, "text": value},
        now=now,
    )  # fmt: skip
    return decision


def decisions(session: Session, board_id: int, status: str | None = None) -> list[Decision]:
    query = select(Decision).where(Decision.board_id == board_id)
    if status is not None:
        query = query.where(Decision.status == status)
    return list(session.exec(query.order_by(col(Decision.number))))


def find_decision(session: Session, board_id: int, number: int) -> Decision:
    found = session.exec(
        select(Decision).where(Decision.board_id == board_id, Decision.number == number)
    ).first()
    if found is None:
        raise BotError("decision.not_found", number=number)
    return found


def set_status(
    session: Session, decision: Decision, status: str, *, actor: str, now: datetime
) -> None:
    assert status in STATUSES
    if decision.status == status:
        raise BotError("decision.same_status")
    before = decision.status
    decision.status = status
    decision.updated_at = now
    session.add(decision)
    audit.record(
        session, board_id=decision.board_id, actor=actor, action="decision.status",
        entity="decision", entity_id=str(decision.id), before={"status": before},
        after={"status": status}, now=now,
    )  # fmt: skip
    session.flush()
