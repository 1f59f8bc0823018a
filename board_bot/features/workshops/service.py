"""Cross-department workshops (issue 7): plan with slot options, vote, confirm, RSVP, remind,
reschedule, cancel. Data and rules only; the wording is ``commands``' business.

Decisions worth knowing:

* A workshop is numbered per board (``Workshop 3``) and never deleted; a cancelled one stays.
* Votes say "I can come at this option". ``!workshop vote 3 1,3`` replaces the voter's earlier
  votes for workshop 3; a reaction to an option's message adds that option, and removing the
  reaction (a redaction) takes it back. Anyone in the board room may vote; the tally groups the
  votes by the invited departments the voters belong to.
* An option clashes with a public holiday of the board's Bundesland, a weekend, or an absence of
  a participant: the leads and deputies of the invited departments and everyone who voted.
* Confirming fixes the slot; the invitation's ``UID`` never changes, its ``SEQUENCE`` goes up with
  every change sent out afterwards (a new slot, a cancellation), so calendars update their entry.
* Reminders go out 24 hours and 1 hour before the start, each once for the current slot (a
  conditional UPDATE claims it); a new slot makes them due again.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from board_bot.core import audit
from board_bot.core.errors import BotError, NotFound, UsageError
from board_bot.core.formats import format_datetime
from board_bot.core.i18n import N_, Localized
from board_bot.core.workdays import holiday_name
from board_bot.features.absences import service as absences
from board_bot.features.people import service as people
from board_bot.features.workshops import ics
from board_bot.models import (
    Board,
    Decision,
    Department,
    Membership,
    Workshop,
    WorkshopDepartment,
    WorkshopDirectInvitation,
    WorkshopOption,
    WorkshopRsvp,
    WorkshopVote,
)

ENTITY = "workshop"
PLANNING, CONFIRMED, CANCELLED = "planning", "confirmed", "cancelled"
ANSWERS = ("yes", "maybe", "no")
MAX_OPTIONS = 10
MAX_DURATION = timedelta(hours=12)
MAX_AHEAD = timedelta(days=2 * 366)
TITLE_MAX = 200
PLACE_MAX = 200
URL_MAX = 500
DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)
REMINDERS = {"day": DAY_BEFORE, "hour": HOUR_BEFORE}
# How late a reminder may still go out (the bot was down at its time).
REMINDER_GRACE = {"day": timedelta(hours=3), "hour": timedelta(minutes=20)}
MIN_DURATION = timedelta(minutes=15)


def label(ws: Workshop | int) -> str:
    """``Workshop 3`` is written ``3`` in commands; this is its number as text."""
    return str(ws if isinstance(ws, int) else ws.number)


# --- reading --------------------------------------------------------------------------------------


def find(session: Session, board_id: int, number: int) -> Workshop:
    found = session.exec(
        select(Workshop).where(Workshop.board_id == board_id, Workshop.number == number)
    ).first()
    if found is None:
        raise NotFound("workshop.not_found", number=number)
    return found


def numbers(session: Session, workshop_ids: list[int]) -> dict[int, int]:
    """Workshop id -> its number, for these workshops (one query)."""
    if not workshop_ids:
        return {}
    rows = session.exec(
        select(Workshop.id, Workshop.number).where(col(Workshop.id).in_(set(workshop_ids)))
    ).all()
    return {ws_id: number for ws_id, number in rows if ws_id is not None}


def options_of(session: Session, ws: Workshop) -> list[WorkshopOption]:
    return list(
        session.exec(
            select(WorkshopOption)
            .where(WorkshopOption.workshop_id == ws.id)
            .order_by(col(WorkshopOption.position))
        )
    )


def departments_of(session: Session, ws: Workshop) -> list[Department]:
    from board_bot.features.departments import service as departments

    rows = session.exec(
        select(Department)
        .join(WorkshopDepartment, col(WorkshopDepartment.department_id) == Department.id)
        .where(WorkshopDepartment.workshop_id == ws.id)
    ).all()
    return sorted(rows, key=lambda d: departments.code_key(d.code))


def listing(
    session: Session, board_id: int, now: datetime
) -> tuple[list[Workshop], list[Workshop]]:
    """Upcoming workshops (being planned, or confirmed and not over), soonest first; and past or
    cancelled ones, newest first (also a vote whose options have all passed)."""
    rows = session.exec(select(Workshop).where(Workshop.board_id == board_id)).all()
    last = last_options(session, [ws.id for ws in rows if ws.status == PLANNING and ws.id])
    upcoming: list[Workshop] = []
    past: list[Workshop] = []
    for ws in rows:
        over = ws.starts_at is not None and ends_at(ws) <= now
        expired = ws.status == PLANNING and last.get(ws.id or 0, now) <= now
        (past if ws.status == CANCELLED or over or expired else upcoming).append(ws)
    upcoming.sort(key=lambda w: (w.starts_at is None, w.starts_at or now, w.number))
    past.sort(key=lambda w: (w.starts_at or w.updated_at, w.number), reverse=True)
    return upcoming, past


def last_options(session: Session, workshop_ids: list[int]) -> dict[int, datetime]:
    """The latest option of each of these workshops (one query)."""
    if not workshop_ids:
        return {}
    rows = session.exec(
        select(WorkshopOption.workshop_id, sa.func.max(WorkshopOption.starts_at))
        .where(col(WorkshopOption.workshop_id).in_(workshop_ids))
        .group_by(col(WorkshopOption.workshop_id))
    ).all()
    return {ws_id: at for ws_id, at in rows}


def voter_count(session: Session, ws: Workshop) -> int:
    """How many people have voted on the workshop's options."""
    return int(
        session.exec(
            select(sa.func.count(sa.distinct(col(WorkshopVote.user_id))))
            .join(WorkshopOption, col(WorkshopOption.id) == WorkshopVote.option_id)
            .where(WorkshopOption.workshop_id == ws.id)
        ).one()
    )


def ends_at(ws: Workshop) -> datetime:
    assert ws.starts_at is not None
    return ws.starts_at + timedelta(minutes=ws.duration_minutes)


# --- planning -------------------------------------------------------------------------------------


def _clean(text: str | None, limit: int, key: str) -> str | None:
    if text is None:
        return None
    value = " ".join(text.split())
    if not value:
        return None
    if len(value) > limit:
        raise UsageError(key, limit=limit)
    return value


def plan(
    session: Session,
    *,
    board: Board,
    title: str,
    departments: Sequence[Department],
    duration: timedelta,
    options: Sequence[datetime],
    place: str | None,
    online_url: str | None,
    actor: str,
    now: datetime,
) -> tuple[Workshop, list[WorkshopOption]]:
    """A new workshop in planning with its options, in the order given."""
    assert board.id is not None
    clean_title = _clean(title, TITLE_MAX, N_("workshop.title_too_long"))
    if clean_title is None:
        raise UsageError("workshop.title_missing")
    if not departments:
        raise UsageError("workshop.depts_missing")
    if duration <= timedelta(0):
        raise UsageError("workshop.duration_zero")
    if duration < MIN_DURATION:
        raise UsageError("workshop.duration_too_short", minutes=int(duration.total_seconds() // 60))
    if duration > MAX_DURATION:
        raise UsageError(
            "workshop.duration_too_long", hours=int(MAX_DURATION.total_seconds() // 3600)
        )
    if not options:
        raise UsageError("workshop.options_missing")
    if len(options) > MAX_OPTIONS:
        raise UsageError("workshop.too_many_options", limit=MAX_OPTIONS)
    for at in options:
        check_slot(at, now, board.timezone)
    if len(set(options)) != len(options):
        raise UsageError("workshop.option_twice")
    clean_place = _clean(place, PLACE_MAX, N_("workshop.place_too_long"))
    url = check_url(online_url) if online_url else None
    number = next_number(session, Workshop, board.id)
    ws = Workshop(
        board_id=board.id,
        number=number,
        title=clean_title,
        duration_minutes=int(duration.total_seconds() // 60),
        place=clean_place,
        online_url=url,
        uid=f"workshop-{board.id}-{number}-{secrets.token_hex(8)}@smart-city-board",
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(ws)
    session.flush()
    assert ws.id is not None
    seen: set[int] = set()
    for dept in departments:
        if dept.id is not None and dept.id not in seen:
            seen.add(dept.id)
            session.add(WorkshopDepartment(workshop_id=ws.id, department_id=dept.id))
    made = [
        WorkshopOption(workshop_id=ws.id, position=n, starts_at=at)
        for n, at in enumerate(options, start=1)
    ]
    session.add_all(made)
    session.flush()
    record_change(session, ws, "workshop.plan", None, _snapshot(ws, options), actor, now)
    return ws, made


def next_number(session: Session, model: type[Workshop] | type[Decision], board_id: int) -> int:
    """The next number of a board's workshops or decisions (numbers are never reused)."""
    table: sa.Table = model.__table__  # type: ignore[union-attr]
    highest = (
        session.connection()
        .execute(sa.select(sa.func.max(table.c.number)).where(table.c.board_id == board_id))
        .scalar()
    )
    return int(highest or 0) + 1


def check_slot(at: datetime, now: datetime, zone: str) -> None:
    if at <= now:
        when = Localized(lambda lang: format_datetime(lang, at, zone))
        raise UsageError("workshop.option_past", when=when)
    if at - now > MAX_AHEAD:
        raise UsageError("workshop.option_too_far")


def check_url(url: str) -> str:
    value = url.strip()
    if not value.lower().startswith(("https://", "http://")) or len(value) > URL_MAX:
        raise UsageError("workshop.bad_url", url=value[:80])
    if any(ch.isspace() or ch in '<>"`\\' for ch in value):
        raise UsageError("workshop.bad_url", url=value[:80])
    return value


def _snapshot(ws: Workshop, options: Iterable[datetime] = ()) -> dict[str, object]:
    data: dict[str, object] = {
        "number": ws.number,
        "title": ws.title,
        "status": ws.status,
        "starts_at": ws.starts_at.isoformat() if ws.starts_at else None,
        "sequence": ws.sequence,
    }
    listed = [o.isoformat() for o in options]
    if listed:
        data["options"] = listed
    return data


def record_change(
    session: Session,
    ws: Workshop,
    action: str,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
    actor: str,
    now: datetime,
) -> None:
    audit.record(
        session,
        board_id=ws.board_id,
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=str(ws.id),
        before=before,
        after=after,
        now=now,
    )


# --- votes ----------------------------------------------------------------------------------------


def _planning(ws: Workshop) -> None:
    if ws.status == CANCELLED:
        raise BotError("workshop.is_cancelled", number=ws.number)
    if ws.status != PLANNING:
        raise BotError("workshop.already_confirmed", number=ws.number)


def _confirmed(ws: Workshop) -> None:
    if ws.status == CANCELLED:
        raise BotError("workshop.is_cancelled", number=ws.number)
    if ws.status != CONFIRMED:
        raise BotError("workshop.not_confirmed", number=ws.number)


def vote(
    session: Session, ws: Workshop, user_id: str, positions: Sequence[int], *, now: datetime
) -> list[WorkshopOption]:
    """``user_id`` can come at exactly these options (their earlier votes are replaced)."""
    _planning(ws)
    by_position = {o.position: o for o in options_of(session, ws)}
    unknown = [p for p in positions if p not in by_position]
    if unknown:
        raise UsageError(
            "workshop.no_such_option", option=unknown[0], count=len(by_position), number=ws.number
        )
    chosen = [by_position[p] for p in sorted(set(positions))]
    ids = [o.id for o in by_position.values()]
    for old in session.exec(
        select(WorkshopVote).where(
            col(WorkshopVote.option_id).in_(ids), WorkshopVote.user_id == user_id
        )
    ):
        session.delete(old)
    session.flush()
    for option in chosen:
        assert option.id is not None
        session.add(WorkshopVote(option_id=option.id, user_id=user_id, created_at=now))
    session.flush()
    return chosen


def option_for_event(session: Session, event_id: str) -> tuple[Workshop, WorkshopOption] | None:
    row = session.exec(
        select(Workshop, WorkshopOption)
        .join(WorkshopOption, col(WorkshopOption.workshop_id) == Workshop.id)
        .where(WorkshopOption.event_id == event_id)
    ).first()
    return (row[0], row[1]) if row else None


def vote_by_reaction(
    session: Session, option: WorkshopOption, user_id: str, reaction_event_id: str, now: datetime
) -> bool:
    """A reaction to an option's message: ``user_id`` can come then. False when they had said so
    already."""
    assert option.id is not None
    existing = session.exec(
        select(WorkshopVote).where(
            WorkshopVote.option_id == option.id, WorkshopVote.user_id == user_id
        )
    ).first()
    if existing is not None:
        return False
    session.add(
        WorkshopVote(
            option_id=option.id,
            user_id=user_id,
            reaction_event_id=reaction_event_id,
            created_at=now,
        )
    )
    session.flush()
    return True


@dataclass
class OptionTally:
    option: WorkshopOption
    by_department: dict[str, list[str]]  # department code ("" for others) -> voters
    clashes: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)

    @property
    def count(self) -> int:
        return len({u for users in self.by_department.values() for u in users})


def tally(session: Session, ws: Workshop, board: Board) -> list[OptionTally]:
    """Votes per option, grouped by the invited departments the voters belong to, and what each
    option clashes with (a constant number of queries)."""
    options = options_of(session, ws)
    invited = departments_of(session, ws)
    codes = {d.id: d.code for d in invited}
    votes = session.exec(
        select(WorkshopVote)
        .where(col(WorkshopVote.option_id).in_([o.id for o in options] or [0]))
        .order_by(col(WorkshopVote.created_at), col(WorkshopVote.id))
    ).all()
    voters = {v.user_id for v in votes}
    memberships = session.exec(
        select(Membership).where(
            Membership.board_id == ws.board_id,
            col(Membership.ended_at).is_(None),
            col(Membership.department_id).in_(list(codes) or [0]),
        )
    ).all()
    depts_of: dict[str, list[str]] = defaultdict(list)
    participants = set(voters)
    for m in memberships:
        if m.department_id is not None:
            depts_of[m.user_id].append(codes[m.department_id])
            if m.role in ("lead", "deputy"):
                participants.add(m.user_id)
    zone = ZoneInfo(board.timezone)
    days = {o.starts_at.astimezone(zone).date() for o in options}
    away = absences.of_people_from(session, ws.board_id, participants, min(days)) if days else []
    result: list[OptionTally] = []
    for option in options:
        grouped: dict[str, list[str]] = defaultdict(list)
        for v in votes:
            if v.option_id == option.id:
                for code in depts_of.get(v.user_id) or [""]:
                    grouped[code].append(v.user_id)
        entry = OptionTally(option, dict(grouped))
        day = option.starts_at.astimezone(zone).date()
        holiday = holiday_name(board.bundesland, day)
        if holiday:
            entry.clashes.append(("holiday", holiday))
        elif day.weekday() >= 5:
            entry.clashes.append(("weekend", ""))
        for a in away:
            if a.starts_on <= day <= a.ends_on:
                entry.clashes.append(("absence", a.user_id))
        result.append(entry)
    return result


# --- confirming, RSVP, changes --------------------------------------------------------------------


def confirm(
    session: Session, ws: Workshop, position: int, *, actor: str, now: datetime
) -> WorkshopOption:
    _planning(ws)
    by_position = {o.position: o for o in options_of(session, ws)}
    option = by_position.get(position)
    if option is None:
        raise UsageError(
            "workshop.no_such_option", option=position, count=len(by_position), number=ws.number
        )
    if option.starts_at <= now:
        raise BotError("workshop.option_passed", option=position)
    before = _snapshot(ws)
    ws.status = CONFIRMED
    ws.starts_at = option.starts_at
    ws.updated_at = now
    session.add(ws)
    record_change(session, ws, "workshop.confirm", before, _snapshot(ws), actor, now)
    session.flush()
    return option


def reschedule(
    session: Session, ws: Workshop, starts_at: datetime, *, zone: str, actor: str, now: datetime
) -> None:
    """A new slot for a confirmed workshop: the invitation is sent again (same UID, next
    SEQUENCE); the reminders are due again; the answers are kept."""
    _confirmed(ws)
    check_slot(starts_at, now, zone)
    if starts_at == ws.starts_at:
        raise BotError("workshop.same_slot")
    before = _snapshot(ws)
    ws.starts_at = starts_at
    ws.sequence += 1
    ws.reminded_day_at = None
    ws.reminded_hour_at = None
    ws.updated_at = now
    session.add(ws)
    record_change(session, ws, "workshop.reschedule", before, _snapshot(ws), actor, now)
    session.flush()


def cancel(session: Session, ws: Workshop, *, actor: str, now: datetime) -> bool:
    """Call the workshop off; True when invitations went out before (so cancellations must)."""
    if ws.status == CANCELLED:
        raise BotError("workshop.is_cancelled", number=ws.number)
    if ws.starts_at is not None and ws.status == CONFIRMED and ends_at(ws) <= now:
        raise BotError("workshop.is_over", number=ws.number)
    before = _snapshot(ws)
    was_confirmed = ws.status == CONFIRMED
    ws.status = CANCELLED
    if was_confirmed:
        ws.sequence += 1
    ws.updated_at = now
    session.add(ws)
    record_change(session, ws, "workshop.cancel", before, _snapshot(ws), actor, now)
    session.flush()
    return was_confirmed


def rsvp(
    session: Session,
    ws: Workshop,
    user_id: str,
    answer: str,
    *,
    now: datetime,
    reaction_event_id: str | None = None,
) -> WorkshopRsvp:
    assert answer in ANSWERS and ws.id is not None
    _confirmed(ws)
    row = session.exec(
        select(WorkshopRsvp).where(
            WorkshopRsvp.workshop_id == ws.id, WorkshopRsvp.user_id == user_id
        )
    ).first()
    if row is None:
        row = WorkshopRsvp(workshop_id=ws.id, user_id=user_id, answer=answer, updated_at=now)
    row.answer = answer
    row.reaction_event_id = reaction_event_id
    row.updated_at = now
    session.add(row)
    session.flush()
    return row


def rsvps(session: Session, ws: Workshop) -> dict[str, list[str]]:
    """Who answered what (yes / maybe / no), in the order they answered."""
    found: dict[str, list[str]] = {a: [] for a in ANSWERS}
    for row in session.exec(
        select(WorkshopRsvp)
        .where(WorkshopRsvp.workshop_id == ws.id)
        .order_by(col(WorkshopRsvp.updated_at), col(WorkshopRsvp.id))
    ):
        found[row.answer].append(row.user_id)
    return found


def invitation_for_event(session: Session, event_id: str) -> Workshop | None:
    return session.exec(select(Workshop).where(Workshop.invitation_event_id == event_id)).first()


def direct_invitation_for_event(session: Session, event_id: str, room_id: str) -> Workshop | None:
    """The workshop whose invitation, sent by direct message, is ``event_id`` in ``room_id``."""
    sent = session.exec(
        select(WorkshopDirectInvitation).where(
            WorkshopDirectInvitation.event_id == event_id,
            WorkshopDirectInvitation.room_id == room_id,
        )
    ).first()
    return session.get(Workshop, sent.workshop_id) if sent is not None else None


def answer_rooms(session: Session, ws: Workshop, board: Board) -> set[str]:
    """Where a reaction answers the invitation: the board room and the direct rooms it went to."""
    rooms = {board.room_id}
    rooms.update(
        r
        for r in session.exec(
            select(WorkshopDirectInvitation.room_id).where(
                WorkshopDirectInvitation.workshop_id == ws.id
            )
        )
        if r
    )
    return rooms


def take_back_reaction(
    session: Session, reaction_event_id: str, *, room_id: str, sender: str, moderator: bool
) -> Workshop | None:
    """A removed reaction takes its vote or its answer back, when it was removed in the
    workshop's board room by the person who reacted (or a moderator there); the workshop it was
    for, if any."""
    vote_row = session.exec(
        select(WorkshopVote).where(WorkshopVote.reaction_event_id == reaction_event_id)
    ).first()
    answer = session.exec(
        select(WorkshopRsvp).where(WorkshopRsvp.reaction_event_id == reaction_event_id)
    ).first()
    row: WorkshopVote | WorkshopRsvp | None = vote_row or answer
    if row is None:
        return None
    if isinstance(row, WorkshopVote):
        option = session.get(WorkshopOption, row.option_id)
        ws = session.get(Workshop, option.workshop_id) if option else None
    else:
        ws = session.get(Workshop, row.workshop_id)
    board = session.get(Board, ws.board_id) if ws else None
    if ws is None or board is None:
        return None
    allowed = {board.room_id} if isinstance(row, WorkshopVote) else answer_rooms(session, ws, board)
    if room_id not in allowed:
        return None
    if row.user_id != sender and not moderator:
        return None
    session.delete(row)
    session.flush()
    return ws


def workshop_day(ws: Workshop, board: Board) -> date:
    """The day a workshop with a fixed slot takes place, in the board's time zone."""
    assert ws.starts_at is not None
    return ws.starts_at.astimezone(ZoneInfo(board.timezone)).date()


def invitees(session: Session, ws: Workshop, board: Board) -> list[tuple[Department, str | None]]:
    """Each invited department with who answers for it on the day of the workshop: the lead,
    or a deputy while the lead is away that day (not on the day the invitation is sent)."""
    depts = departments_of(session, ws)
    acting = people.acting_contacts(session, ws.board_id, depts, workshop_day(ws, board))
    return [(d, acting[d.id].user_id if d.id in acting else None) for d in depts]


def direct_invitees(session: Session, ws: Workshop) -> list[str]:
    """Who got the invitation, an update or a cancellation by direct message, in the order it
    was sent: a new slot or a cancellation goes to them too, even when someone else stands in on
    the (new) day."""
    rows = session.exec(
        select(WorkshopDirectInvitation.user_id)
        .where(WorkshopDirectInvitation.workshop_id == ws.id)
        .order_by(col(WorkshopDirectInvitation.id))
    )
    return list(dict.fromkeys(rows))


def meeting(
    ws: Workshop, board: Board, description: str = "", attendees: Sequence[str] = ()
) -> ics.Meeting:
    assert ws.starts_at is not None
    return ics.Meeting(
        organizer=ws.created_by,
        attendees=tuple(attendees),
        uid=ws.uid,
        sequence=ws.sequence,
        title=ws.title,
        starts_at=ws.starts_at,
        duration=timedelta(minutes=ws.duration_minutes),
        zone=board.timezone,
        place=ws.place,
        url=ws.online_url,
        description=description,
    )


# --- the messages' event ids (set when the outbox has sent them) ---------------------------------


def message_sent(session: Session, outbox_id: int, event_id: str, room_id: str = "") -> None:
    """Remember the event id of a poll, option or invitation message once it is sent (and, for
    an invitation by direct message, the direct room it went to)."""
    for sent in session.exec(
        select(WorkshopDirectInvitation).where(WorkshopDirectInvitation.outbox_id == outbox_id)
    ):
        sent.event_id = event_id
        sent.room_id = room_id
        session.add(sent)
    for option in session.exec(select(WorkshopOption).where(WorkshopOption.outbox_id == outbox_id)):
        option.event_id = event_id
        session.add(option)
    for ws in session.exec(
        select(Workshop).where(
            sa.or_(
                col(Workshop.poll_outbox_id) == outbox_id,
                col(Workshop.invitation_outbox_id) == outbox_id,
            )
        )
    ):
        if ws.poll_outbox_id == outbox_id:
            ws.poll_event_id = event_id
        if ws.invitation_outbox_id == outbox_id:
            ws.invitation_event_id = event_id
        session.add(ws)


# --- reminders ------------------------------------------------------------------------------------


def reminders_to_plan(
    session: Session, board_id: int, now: datetime
) -> list[tuple[int, str, datetime]]:
    """(workshop id, "day" or "hour", when) of the reminders still to send for confirmed
    workshops that have not started; a reminder whose time has passed is due now, as long as
    the workshop has not started (the 24-hour one only if the 1-hour one is not due yet)."""
    rows = session.exec(
        select(Workshop).where(
            Workshop.board_id == board_id,
            Workshop.status == CONFIRMED,
            col(Workshop.starts_at) > now,
        )
    ).all()
    due: list[tuple[int, str, datetime]] = []
    for ws in rows:
        assert ws.starts_at is not None and ws.id is not None
        hour_at = ws.starts_at - HOUR_BEFORE
        day_at = ws.starts_at - DAY_BEFORE
        # A reminder whose time passed long ago (the workshop was confirmed at short notice,
        # or the bot was down) is not sent: "tomorrow" an hour before would be wrong.
        if ws.reminded_hour_at is None and now - hour_at <= REMINDER_GRACE["hour"]:
            due.append((ws.id, "hour", max(hour_at, now)))
        if (
            ws.reminded_day_at is None
            and ws.reminded_hour_at is None
            and now - day_at <= REMINDER_GRACE["day"]
            and hour_at > now
        ):
            due.append((ws.id, "day", max(day_at, now)))
    return due


def claim_reminder(session: Session, ws: Workshop, kind: str, now: datetime) -> bool:
    """Mark the reminder sent for the current slot, once (False: sent before, or the workshop
    changed in between)."""
    column = "reminded_day_at" if kind == "day" else "reminded_hour_at"
    table = Workshop.__table__  # type: ignore[attr-defined]
    result = session.connection().execute(
        sa.update(table)
        .where(
            table.c.id == ws.id,
            table.c.status == CONFIRMED,
            table.c.starts_at == ws.starts_at,
            table.c[column].is_(None),
        )
        .values({column: now})
    )
    session.expire(ws)
    return bool(result.rowcount)
