"""Weekly status rounds: the schedule, the rounds, the prompts to the departments and their
answers. Plain functions over a ``Session`` that never commit (the caller's unit of work does)
and take ``now``; the wording of prompts and confirmations is this feature's ``messages``'s.

Decisions worth knowing:

* A round is unique per (board, period) (a unique constraint backs it): starting a round that
  exists returns None, so a job that fires twice, or a start after a restart, prompts nobody
  twice. A round and all its prompts (and their outbox rows) are written in one transaction:
  either every department is prompted or none is, and the outbox sends each exactly once.
* Starting a round closes the board's previous open round. A round that starts more than
  :data:`LATE_AFTER` after its planned prompt time is marked late.
* The prompt goes to the department's room when it has one, else to the acting contact (the
  lead, or the deputy while the lead is away) as a direct message: ``room_id`` is then the user
  id, and the outbox opens (or reuses) the direct room before sending.
* An answer belongs to a prompt of the board's open round whose department the sender leads,
  deputises or was asked for. Each work package line is checked on its own (the package must
  exist and belong to the department): valid lines are stored and applied to the package
  (traffic light, progress, status) even when other lines are refused. The answer message is
  stored whole; an edit (``m.replace``) replaces what it said, a redaction removes it (the
  packages keep the values the answer gave them: their own history shows the change).
* An answer after the deadline is accepted and marked late; after the round is closed it is
  not taken as an answer any more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.lists import format_list
from sqlmodel import Session, col, delete, select

from board_bot.core import audit, metrics
from board_bot.core.errors import BotError
from board_bot.core.formats import locale_of
from board_bot.core.i18n import DEFAULT_LANGUAGE, N_, Localized, t
from board_bot.core.render import plain_text
from board_bot.features.departments import service as departments
from board_bot.features.people import service as people
from board_bot.features.status_rounds import schedule as rs
from board_bot.features.status_rounds.parser import Answer, parse_answer
from board_bot.features.work_packages import service as wps
from board_bot.models import (
    Board,
    Department,
    DirectRoom,
    Membership,
    RoundSnapshot,
    StatusAnswer,
    StatusFlag,
    StatusItem,
    StatusPrompt,
    StatusRound,
    StatusSchedule,
    WorkPackage,
)

ENTITY = "status_round"
LATE_AFTER = timedelta(minutes=15)
MAX_ANSWER = 10_000
SCHEDULED = "schedule"

#: What is wrong with a schedule, as people can get it wrong in the chat; other problems (a bad
#: time zone, say) cannot come from the chat and are named generally.
SCHEDULE_PROBLEM_KEYS = {
    "too_many_reminders": N_("schedule.problem.too_many_reminders"),
    "deadline_before_prompt": N_("schedule.problem.deadline_before_prompt"),
    "reminder_before_prompt": N_("schedule.problem.reminder_before_prompt"),
    "reminder_after_deadline": N_("schedule.problem.reminder_after_deadline"),
    "duplicate_reminder": N_("schedule.problem.duplicate_reminder"),
}

#: Why a line of an answer was refused, as the parser says it, and the text that explains it.
REFUSAL_KEYS = {
    "no_package": N_("status.line.no_package"),
    "duplicate_package": N_("status.line.duplicate_package"),
    "bad_percent": N_("status.line.bad_percent"),
    "percent_range": N_("status.line.percent_range"),
    "conflicting_light": N_("status.line.conflicting_light"),
}


# --- the schedule -------------------------------------------------------------------------------


def _moment_text(moment: rs.Moment) -> str:
    return f"{moment.weekday} {moment.time.strftime('%H:%M')}"


def _moment(text: str) -> rs.Moment:
    day, _, clock = text.partition(" ")
    hours, _, minutes = clock.partition(":")
    return rs.Moment(int(day), time(int(hours), int(minutes)))


def schedule_of(session: Session, board: Board) -> rs.Schedule:
    """The board's schedule (the default one until an admin sets another), in its time zone
    and Bundesland."""
    assert board.id is not None
    row = session.get(StatusSchedule, board.id)
    base = rs.DEFAULT
    if row is not None:
        base = rs.Schedule(
            frequency=row.frequency,
            prompt=_moment(row.prompt),
            reminders=tuple(_moment(r) for r in row.reminders),
            deadline=_moment(row.deadline),
            anchor=row.anchor,
        )
    return rs.Schedule(
        frequency=base.frequency,
        prompt=base.prompt,
        reminders=base.reminders,
        deadline=base.deadline,
        anchor=base.anchor,
        timezone=board.timezone,
        bundesland=board.bundesland,
    )


def is_enabled(session: Session, board: Board) -> bool:
    row = session.get(StatusSchedule, board.id)
    return row is None or row.enabled


def set_schedule(
    session: Session,
    board: Board,
    schedule: rs.Schedule,
    *,
    enabled: bool = True,
    actor: str,
    now: datetime,
) -> rs.Schedule:
    """Store a new schedule; :class:`BotError` ``status.schedule_invalid`` names the problems."""
    assert board.id is not None
    problems = rs.validate(schedule)
    if problems:
        keys = [SCHEDULE_PROBLEM_KEYS.get(p, N_("schedule.problem.other")) for p in problems]
        said = Localized(
            lambda lang: format_list(
                [t(lang, k) for k in dict.fromkeys(keys)], locale=locale_of(lang)
            )
        )
        raise BotError("status.schedule_invalid", problems=said)
    row = session.get(StatusSchedule, board.id)
    before = _schedule_json(row) if row is not None else None
    if row is None:
        row = StatusSchedule(
            board_id=board.id,
            prompt="",
            deadline="",
            anchor=schedule.anchor,
            updated_by=actor,
            updated_at=now,
        )
    row.frequency = schedule.frequency
    row.prompt = _moment_text(schedule.prompt)
    row.reminders = [_moment_text(r) for r in schedule.reminders]
    row.deadline = _moment_text(schedule.deadline)
    row.anchor = schedule.anchor
    row.enabled = enabled
    row.updated_by = actor
    row.updated_at = now
    session.add(row)
    audit.record(
        session,
        board_id=board.id,
        actor=actor,
        action="schedule",
        entity=ENTITY,
        entity_id=str(board.id),
        before=before,
        after=_schedule_json(row),
        now=now,
    )
    session.flush()
    return schedule_of(session, board)


def _schedule_json(row: StatusSchedule) -> dict[str, Any]:
    return {
        "frequency": row.frequency,
        "prompt": row.prompt,
        "reminders": list(row.reminders),
        "deadline": row.deadline,
        "anchor": row.anchor.isoformat(),
        "enabled": row.enabled,
    }


# --- rounds -------------------------------------------------------------------------------------


def local_day(board: Board, now: datetime) -> date:
    return now.astimezone(ZoneInfo(board.timezone)).date()


def find_round(session: Session, board_id: int, period: str) -> StatusRound | None:
    return session.exec(
        select(StatusRound).where(StatusRound.board_id == board_id, StatusRound.period == period)
    ).first()


def open_round(session: Session, board_id: int) -> StatusRound | None:
    """The board's round that is still open (the newest, should there be several)."""
    return session.exec(
        select(StatusRound)
        .where(StatusRound.board_id == board_id, col(StatusRound.closed_at).is_(None))
        .order_by(col(StatusRound.started_at).desc())
    ).first()


def latest_round(session: Session, board_id: int) -> StatusRound | None:
    return session.exec(
        select(StatusRound)
        .where(StatusRound.board_id == board_id)
        .order_by(col(StatusRound.started_at).desc(), col(StatusRound.id).desc())
    ).first()


@dataclass
class Planned:
    """A prompt to send: where, to whom, about which packages."""

    prompt: StatusPrompt
    department: Department
    packages: list[WorkPackage]
    last: dict[int, StatusItem]  # work package id -> its newest status line, if any


@dataclass
class Started:
    round: StatusRound
    prompts: list[Planned]
    closed_previous: StatusRound | None = None


def manual_times(schedule: rs.Schedule, now: datetime) -> rs.RoundTimes:
    """The times of a round an admin starts now: the period of today, prompted now, with the
    schedule's deadline of this round if it is still ahead, else two working days from now."""
    zone = ZoneInfo(schedule.timezone)
    today = now.astimezone(zone).date()
    period = rs.period_of(schedule, today)
    planned = rs.current_round(schedule, now)
    if planned is not None and planned.period == period and planned.deadline_at > now:
        deadline = planned.deadline_at
        reminders = tuple(r for r in planned.reminders_at if r > now)
    else:
        from board_bot.core.workdays import next_working_day

        day = next_working_day(schedule.bundesland, today + timedelta(days=1))
        day = next_working_day(schedule.bundesland, day + timedelta(days=1))
        deadline = datetime.combine(day, schedule.deadline.time, zone).astimezone(now.tzinfo)
        reminders = ()
    return rs.RoundTimes(
        period=period,
        nominal_day=today,
        prompt_at=now,
        reminders_at=reminders,
        deadline_at=deadline,
        shifted_by_holiday=None,
    )


def start_round(
    session: Session,
    board: Board,
    times: rs.RoundTimes,
    *,
    started_by: str,
    now: datetime,
) -> Started | None:
    """Open the round of ``times.period`` with a prompt for every active department; None when
    the board has that round already (nothing is done then)."""
    assert board.id is not None
    if find_round(session, board.id, times.period) is not None:
        return None
    previous = open_round(session, board.id)
    if previous is not None:
        close_round(session, previous, actor=started_by, now=now)
    rnd = StatusRound(
        board_id=board.id,
        period=times.period,
        prompt_at=times.prompt_at,
        reminders_at=[r.isoformat() for r in times.reminders_at],
        deadline_at=times.deadline_at,
        started_at=now,
        started_by=started_by,
        late=started_by == SCHEDULED and now - times.prompt_at > LATE_AFTER,
    )
    session.add(rnd)
    session.flush()  # the unique constraint speaks here if another process was quicker
    assert rnd.id is not None
    depts = departments.active(session, board.id)
    acting = people.acting_contacts(session, board.id, depts, local_day(board, now))
    packages = _open_packages(session, board.id)
    last = last_items(session, [wp.id for wps_ in packages.values() for wp in wps_ if wp.id])
    planned: list[Planned] = []
    for dept in depts:
        assert dept.id is not None
        who = acting.get(dept.id)
        contact = who.user_id if who else None
        prompt = StatusPrompt(
            round_id=rnd.id,
            department_id=dept.id,
            contact=contact,
            covering_for=who.lead if who and who.stand_in else None,
            room_id=dept.room_id or contact,
            created_at=now,
        )
        session.add(prompt)
        own = packages.get(dept.id, [])
        planned.append(
            Planned(prompt, dept, own, {wp.id: last[wp.id] for wp in own if wp.id in last})
        )
    session.flush()
    audit.record(
        session,
        board_id=board.id,
        actor=started_by,
        action="start",
        entity=ENTITY,
        entity_id=str(rnd.id),
        before=None,
        after={"period": rnd.period, "late": rnd.late, "prompts": len(planned)},
        now=now,
    )
    return Started(rnd, planned, previous)


def _open_packages(session: Session, board_id: int) -> dict[int, list[WorkPackage]]:
    """Open packages by owner department, by number."""
    found: dict[int, list[WorkPackage]] = {}
    for wp in session.exec(
        select(WorkPackage)
        .where(WorkPackage.board_id == board_id, col(WorkPackage.status).not_in(wps.CLOSED))
        .order_by(col(WorkPackage.number))
    ):
        found.setdefault(wp.owner_department_id, []).append(wp)
    return found


def last_items(session: Session, wp_ids: Sequence[int]) -> dict[int, StatusItem]:
    """The newest status line of each package (from answers not removed)."""
    if not wp_ids:
        return {}
    rows = session.exec(
        select(StatusItem)
        .join(StatusAnswer, col(StatusAnswer.id) == StatusItem.answer_id)
        .where(col(StatusItem.work_package_id).in_(list(wp_ids)))
        .where(col(StatusAnswer.removed_at).is_(None))
        .order_by(col(StatusItem.id))
    ).all()
    return {item.work_package_id: item for item in rows}


def status_lines(session: Session, wp: WorkPackage, limit: int = 3) -> list[StatusItem]:
    """The package's newest status lines from the rounds, newest first."""
    return list(
        session.exec(
            select(StatusItem)
            .join(StatusAnswer, col(StatusAnswer.id) == StatusItem.answer_id)
            .where(StatusItem.work_package_id == wp.id, col(StatusAnswer.removed_at).is_(None))
            .order_by(col(StatusItem.id).desc())
            .limit(limit)
        )
    )


def prompts_of(session: Session, round_id: int) -> list[StatusPrompt]:
    return list(
        session.exec(
            select(StatusPrompt)
            .where(StatusPrompt.round_id == round_id)
            .order_by(col(StatusPrompt.id))
        )
    )


def mark_prompt_queued(session: Session, prompt: StatusPrompt, outbox_id: int) -> None:
    prompt.outbox_id = outbox_id
    session.add(prompt)


def prompt_sent(session: Session, outbox_id: int, room_id: str, event_id: str) -> None:
    """The outbox sent a prompt: remember its event (answers reply to it) and its room."""
    prompt = session.exec(select(StatusPrompt).where(StatusPrompt.outbox_id == outbox_id)).first()
    if prompt is not None:
        prompt.event_id = event_id
        prompt.room_id = room_id
        session.add(prompt)
        metrics.prompts_sent()


def due_reminder(rnd: StatusRound, now: datetime) -> int:
    """How many reminders of the round are due by ``now`` (the planned times passed)."""
    return sum(1 for at in rnd.reminders_at if datetime.fromisoformat(at) <= now)


# A scheduled reminder skips a department reminded by hand this recently.
RECENTLY_REMINDED = timedelta(hours=2)


def remind(session: Session, rnd: StatusRound, number: int, *, now: datetime) -> list[StatusPrompt]:
    """The prompts to remind for scheduled reminder ``number`` (1-based): those not answered,
    with someone to remind, not reminded by hand just now. Empty when the round is closed or
    that reminder went out already: the counter is raised with a conditional UPDATE, so of two
    processes (or a job fired twice) only one goes on."""
    if rnd.closed_at is not None or rnd.id is None:
        return []
    claimed = session.execute(
        sa.update(StatusRound)
        .where(col(StatusRound.id) == rnd.id, col(StatusRound.reminders_sent) < number)
        .values(reminders_sent=number)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return []
    session.refresh(rnd)
    return _remind(session, rnd, now, skip_since=now - RECENTLY_REMINDED)


def remind_now(session: Session, rnd: StatusRound, *, now: datetime) -> list[StatusPrompt]:
    """An admin's reminder (``!status remind``): every department not answered, now; the
    scheduled reminders stay as planned."""
    if rnd.closed_at is not None:
        return []
    return _remind(session, rnd, now, skip_since=None)


def _remind(
    session: Session, rnd: StatusRound, now: datetime, *, skip_since: datetime | None
) -> list[StatusPrompt]:
    due = []
    for prompt in prompts_of(session, rnd.id or 0):
        if is_answered(prompt) or prompt.contact is None:
            continue
        recent = prompt.last_reminded_at
        if skip_since is not None and recent is not None and recent > skip_since:
            continue
        prompt.reminders += 1
        prompt.last_reminded_at = now
        session.add(prompt)
        due.append(prompt)
    return due


def take_snapshot(session: Session, rnd: StatusRound, *, now: datetime) -> bool:
    """Keep every package's state for ``rnd`` (once; False when it was kept before): what the
    summary of a later round compares with."""
    assert rnd.id is not None
    if rnd.snapshot_at is not None:
        return False
    rnd.snapshot_at = now
    session.add(rnd)
    session.flush()
    snap = RoundSnapshot.__table__  # type: ignore[attr-defined]
    wp = WorkPackage.__table__  # type: ignore[attr-defined]
    columns = ("leitlinie", "traffic_light", "status", "progress")
    session.connection().execute(
        snap.insert().from_select(
            ["round_id", "work_package_id", *columns],
            sa.select(sa.literal(rnd.id, sa.Integer), wp.c.id, *(wp.c[c] for c in columns)).where(
                wp.c.board_id == rnd.board_id
            ),
        )
    )
    session.flush()
    return True


def close_round(session: Session, rnd: StatusRound, *, actor: str, now: datetime) -> bool:
    """Close a round (answers stop counting for it) and keep every package's state then;
    False when it was closed already."""
    if rnd.closed_at is not None:
        return False
    rnd.closed_at = now
    rnd.closed_by = actor
    session.add(rnd)
    take_snapshot(session, rnd, now=now)  # what the next summary compares with
    audit.record(
        session,
        board_id=rnd.board_id,
        actor=actor,
        action="close",
        entity=ENTITY,
        entity_id=str(rnd.id),
        before=None,
        after={"period": rnd.period},
        now=now,
    )
    return True


# --- answers ------------------------------------------------------------------------------------


@dataclass
class Refused:
    line: int
    text: str
    key: str  # a catalog key
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recorded:
    """What an answer did, for the confirmation."""

    answer: StatusAnswer
    prompt: StatusPrompt
    department: Department
    parsed: Answer
    applied: list[tuple[WorkPackage, StatusItem, dict[str, tuple[Any, Any]]]]
    refused: list[Refused]
    carried: list[WorkPackage]  # "unverändert": the packages whose status was carried forward
    edited: bool = False
    took: bool = False  # something was stored; False when every line was refused


def is_answered(prompt: StatusPrompt) -> bool:
    """Whether the department has answered the prompt: a live answer of it took something (an
    answer whose every line was refused does not count). Reminders, ``!status``, the count at
    ``!status close`` and the summary's "not reported" all ask this."""
    return prompt.answered_at is not None


def answerable_prompts(
    session: Session, *, room_id: str, sender: str, at: datetime
) -> list[StatusPrompt]:
    """The prompts that a message sent at ``at`` in ``room_id`` by ``sender`` may answer: of the
    rounds open at that time (an answer synced late after a restart still belongs to the round it
    was written for), in the sender's direct room every prompt they may answer, in another room
    that room's prompts."""
    direct = session.get(DirectRoom, sender)
    in_direct = direct is not None and direct.room_id == room_id
    prompts = room_prompts(session, room_id=room_id, sender=sender, at=at, direct=in_direct)
    return _answerable(session, prompts, sender)


def room_prompts(
    session: Session, *, room_id: str, sender: str, at: datetime, direct: bool = False
) -> list[StatusPrompt]:
    """The prompts of rounds open at ``at`` that went to ``room_id`` (to ``sender``'s direct
    room when ``direct``), whoever may answer them."""
    query = _open_prompts(at)
    if direct:
        return [p for p in session.exec(query) if p.room_id in (sender, room_id)]
    return list(session.exec(query.where(StatusPrompt.room_id == room_id)))


def _open_prompts(at: datetime | None = None) -> Any:
    """Prompts of the rounds open now (``at`` None) or at the time ``at``, in order."""
    query = select(StatusPrompt).join(StatusRound, col(StatusRound.id) == StatusPrompt.round_id)
    if at is None:
        query = query.where(col(StatusRound.closed_at).is_(None))
    else:
        query = query.where(StatusRound.started_at <= at).where(
            sa.or_(col(StatusRound.closed_at).is_(None), col(StatusRound.closed_at) > at)
        )
    return query.order_by(col(StatusPrompt.id))


def prompts_for_sender(session: Session, sender: str) -> list[StatusPrompt]:
    """Every prompt of an open round that ``sender`` may answer (``!update``)."""
    return _answerable(session, list(session.exec(_open_prompts())), sender)


def _answerable(
    session: Session, prompts: Sequence[StatusPrompt], user_id: str
) -> list[StatusPrompt]:
    """Those of ``prompts`` that ``user_id`` may answer: the contact asked, or the department's
    lead or a deputy (one query for all of them)."""
    if not prompts:
        return []
    leads = set(
        session.exec(
            select(Membership.department_id).where(
                col(Membership.department_id).in_({p.department_id for p in prompts}),
                Membership.user_id == user_id,
                col(Membership.role).in_(("lead", "deputy")),
                col(Membership.ended_at).is_(None),
            )
        )
    )
    return [p for p in prompts if p.contact == user_id or p.department_id in leads]


def record_answer(
    session: Session,
    prompt: StatusPrompt,
    *,
    event_id: str,
    room_id: str,
    sender: str,
    text: str,
    now: datetime,
    sent_at: datetime | None = None,
) -> Recorded:
    """Store an answer to ``prompt`` and apply its package lines. Lateness is judged by when it
    was sent (``sent_at``, default ``now``), not by when the bot got to it."""
    rnd = session.get(StatusRound, prompt.round_id)
    assert rnd is not None
    written = sent_at or now
    answer = StatusAnswer(
        prompt_id=prompt.id or 0,
        event_id=event_id,
        room_id=room_id,
        sender=sender,
        kind="free",
        text=text[:MAX_ANSWER],
        late=written > rnd.deadline_at,
        created_at=written,
    )
    session.add(answer)
    session.flush()
    return _apply_answer(session, prompt, answer, text, now)


def edit_answer(
    session: Session, original_event_id: str, *, sender: str, text: str, now: datetime
) -> Recorded | None:
    """Replace what an answer said (``m.replace``); None when there is no such answer by
    ``sender``, or it was removed or its round is closed."""
    answer = session.exec(
        select(StatusAnswer).where(StatusAnswer.event_id == original_event_id)
    ).first()
    if answer is None or answer.sender != sender or answer.removed_at is not None:
        return None
    prompt = session.get(StatusPrompt, answer.prompt_id)
    assert prompt is not None
    rnd = session.get(StatusRound, prompt.round_id)
    if rnd is None or rnd.closed_at is not None:
        return None
    _forget_lines(session, answer)
    answer.text = text[:MAX_ANSWER]
    answer.edited_at = now
    session.add(answer)
    recorded = _apply_answer(session, prompt, answer, text, now)
    recorded.edited = True
    return recorded


def remove_answer(
    session: Session,
    event_id: str,
    *,
    room_id: str,
    sender: str,
    moderator: bool = False,
    now: datetime,
) -> StatusAnswer | None:
    """A redacted answer: removed from its round (the department is unanswered again unless it
    answered otherwise) and its text deleted. Only a redaction in the answer's room by its
    author (or by someone the room lets redact others' events) counts. None when ``event_id`` is
    no live answer, or the redaction does not count."""
    answer = session.exec(select(StatusAnswer).where(StatusAnswer.event_id == event_id)).first()
    if answer is None or answer.removed_at is not None or answer.room_id != room_id:
        return None
    if sender != answer.sender and not moderator:
        return None
    answer.removed_at = now
    answer.text = ""  # the server deleted the message; our copy goes too
    session.add(answer)
    _forget_lines(session, answer)
    prompt = session.get(StatusPrompt, answer.prompt_id)
    assert prompt is not None
    _settle(session, prompt)
    return answer


def _took(session: Session, answers: Sequence[StatusAnswer]) -> set[int]:
    """The ids of those of ``answers`` that took something: free text, "unverändert", or at
    least one stored package line, blocker or escalation (one query each for lines and flags)."""
    ids = [a.id for a in answers if a.id is not None]
    if not ids:
        return set()
    took = {a.id for a in answers if a.id is not None and a.kind != "lines"}
    took |= set(
        session.exec(select(StatusItem.answer_id).where(col(StatusItem.answer_id).in_(ids)))
    )
    took |= set(
        session.exec(select(StatusFlag.answer_id).where(col(StatusFlag.answer_id).in_(ids)))
    )
    return took


def _settle(session: Session, prompt: StatusPrompt) -> None:
    """Set when the prompt was answered from its live answers that took something: the first
    of them, or None (unanswered again: reminded, open, not reported)."""
    session.flush()
    live = list(
        session.exec(
            select(StatusAnswer)
            .where(StatusAnswer.prompt_id == prompt.id, col(StatusAnswer.removed_at).is_(None))
            .order_by(col(StatusAnswer.created_at), col(StatusAnswer.id))
        )
    )
    took = _took(session, live)
    prompt.answered_at = next((a.created_at for a in live if a.id in took), None)
    session.add(prompt)


def _forget_lines(session: Session, answer: StatusAnswer) -> None:
    session.exec(delete(StatusItem).where(col(StatusItem.answer_id) == answer.id))
    session.exec(delete(StatusFlag).where(col(StatusFlag.answer_id) == answer.id))
    session.flush()


def _apply_answer(
    session: Session, prompt: StatusPrompt, answer: StatusAnswer, text: str, now: datetime
) -> Recorded:
    dept = session.get(Department, prompt.department_id)
    assert dept is not None and answer.id is not None
    board = session.get(Board, dept.board_id)
    language = board.language if board is not None else DEFAULT_LANGUAGE
    parsed = parse_answer(text[:MAX_ANSWER])
    answer.kind = parsed.kind
    session.add(answer)
    recorded = Recorded(answer, prompt, dept, parsed, [], [], [])
    for problem in parsed.problems:
        recorded.refused.append(Refused(problem.line, problem.text, REFUSAL_KEYS[problem.reason]))
    if parsed.kind == "unchanged":
        packages = _open_packages(session, dept.board_id).get(dept.id or 0, [])
        for wp in packages:
            assert wp.id is not None
            session.add(
                StatusItem(
                    answer_id=answer.id,
                    work_package_id=wp.id,
                    traffic_light=wp.traffic_light,
                    progress=wp.progress,
                    status=wp.status,
                    note="",
                    unchanged=True,
                    created_at=now,
                )
            )
            recorded.carried.append(wp)
    for item in parsed.items:
        try:
            wp = wps.get(session, dept.board_id, item.number)
        except BotError:
            recorded.refused.append(
                Refused(
                    item.line,
                    _line(text, item.line),
                    N_("status.line.unknown_package"),
                    {"code": wps.code(item.number)},
                )
            )
            continue
        if wp.owner_department_id != dept.id:
            owner = session.get(Department, wp.owner_department_id)
            recorded.refused.append(
                Refused(
                    item.line,
                    _line(text, item.line),
                    N_("status.line.other_department"),
                    {"code": wps.code(wp), "owner": owner.code if owner else "?"},
                )
            )
            continue
        changes: dict[str, Any] = {}
        if not item.unchanged:
            if item.traffic_light is not None:
                changes["traffic_light"] = item.traffic_light
                if item.traffic_light != "green":
                    changes["traffic_reason"] = (item.note or wp.traffic_reason or "")[
                        : wps.MAX_REASON
                    ] or plain_text(t(language, "status.reason_default", code=wps.code(wp)))
            if item.progress is not None:
                changes["progress"] = item.progress
            if item.status is not None:
                changes["status"] = item.status
                if item.status == "done" and item.progress not in (None, 100):
                    changes.pop("progress", None)
        try:
            with session.begin_nested():
                changed = (
                    wps.update(session, wp, actor=answer.sender, now=now, **changes)
                    if changes
                    else {}
                )
        except BotError as exc:
            recorded.refused.append(
                Refused(item.line, _line(text, item.line), exc.key, dict(exc.params))
            )
            continue
        line = StatusItem(
            answer_id=answer.id,
            work_package_id=wp.id or 0,
            traffic_light=wp.traffic_light,
            progress=wp.progress,
            status=wp.status,
            note=item.note,
            unchanged=item.unchanged,
            created_at=now,
        )
        session.add(line)
        recorded.applied.append((wp, line, changed))
    for blocker in parsed.blockers:
        session.add(
            StatusFlag(
                answer_id=answer.id,
                kind="blocker",
                text=blocker.text,
                department_code=blocker.department,
                work_package_number=blocker.work_package,
            )
        )
    for escalation in parsed.escalations:
        session.add(
            StatusFlag(
                answer_id=answer.id,
                kind="escalation",
                audience=escalation.audience,
                text=escalation.text,
            )
        )
    recorded.took = parsed.kind != "lines" or bool(
        recorded.applied or parsed.blockers or parsed.escalations
    )
    _settle(session, prompt)  # all lines refused (or an edit that takes nothing): unanswered
    session.flush()
    return recorded


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1].strip()[:120] if 0 < number <= len(lines) else ""


# --- the round at a glance ----------------------------------------------------------------------


@dataclass
class PromptState:
    prompt: StatusPrompt
    department: Department
    answers: list[StatusAnswer]  # the live answers that took something, oldest first
    lead_away_until: date | None

    @property
    def answered(self) -> bool:
        return is_answered(self.prompt)


def overview(session: Session, board: Board, rnd: StatusRound, now: datetime) -> list[PromptState]:
    """Every prompt of the round with its department and the live answers that took
    something, by department code."""
    assert board.id is not None
    prompts = prompts_of(session, rnd.id or 0)
    depts = {
        d.id: d
        for d in session.exec(
            select(Department).where(
                col(Department.id).in_([p.department_id for p in prompts] or [0])
            )
        )
    }
    live = list(
        session.exec(
            select(StatusAnswer)
            .where(col(StatusAnswer.prompt_id).in_([p.id for p in prompts] or [0]))
            .where(col(StatusAnswer.removed_at).is_(None))
            .order_by(col(StatusAnswer.created_at), col(StatusAnswer.id))
        )
    )
    took = _took(session, live)
    answers: dict[int, list[StatusAnswer]] = {}
    for answer in live:
        if answer.id in took:
            answers.setdefault(answer.prompt_id, []).append(answer)
    coverage = people.coverage(session, board.id, list(depts.values()), local_day(board, now))
    states = [
        PromptState(
            p,
            depts[p.department_id],
            answers.get(p.id or 0, []),
            coverage.acting(depts[p.department_id], local_day(board, now)).lead_away_until,
        )
        for p in prompts
        if p.department_id in depts
    ]
    states.sort(key=lambda s: departments.code_key(s.department.code))
    return states


def flags_of(session: Session, answer_ids: Sequence[int]) -> list[StatusFlag]:
    if not answer_ids:
        return []
    return list(
        session.exec(
            select(StatusFlag)
            .where(col(StatusFlag.answer_id).in_(list(answer_ids)))
            .order_by(col(StatusFlag.id))
        )
    )


def direct_room(session: Session, user_id: str) -> str | None:
    row = session.get(DirectRoom, user_id)
    return row.room_id if row is not None else None


def direct_rooms(session: Session, user_ids: Iterable[str]) -> dict[str, str]:
    """The direct rooms of several people at once: user id -> room id (those who have one)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    rows = session.exec(select(DirectRoom).where(col(DirectRoom.user_id).in_(wanted)))
    return {row.user_id: row.room_id for row in rows}


def direct_room_person(session: Session, room_id: str) -> str | None:
    row = session.exec(select(DirectRoom).where(DirectRoom.room_id == room_id)).first()
    return row.user_id if row is not None else None


def retarget_prompts(session: Session, user_id: str, room_id: str) -> None:
    """Prompts addressed to a person now know the direct room they went to."""
    for prompt in session.exec(select(StatusPrompt).where(StatusPrompt.room_id == user_id)):
        prompt.room_id = room_id
        session.add(prompt)


def remember_direct_room(session: Session, user_id: str, room_id: str, now: datetime) -> None:
    row = session.get(DirectRoom, user_id)
    if row is None:
        session.add(DirectRoom(user_id=user_id, room_id=room_id, created_at=now))
    elif row.room_id != room_id:
        row.room_id = room_id
        session.add(row)
