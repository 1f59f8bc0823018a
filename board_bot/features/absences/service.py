"""Absences: who is away when; their deputies stand in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from board_bot.core import audit
from board_bot.core.errors import BotError, NotFound
from board_bot.core.naming import Person
from board_bot.models import Absence, Board

MAX_DAYS = 366
MAX_REASON = 200


def _active_query(board_id: int) -> SelectOfScalar[Absence]:
    return select(Absence).where(Absence.board_id == board_id, col(Absence.cancelled_at).is_(None))


def current_and_upcoming(session: Session, board_id: int, today: date) -> list[Absence]:
    """Absences that have not ended before ``today``, soonest first."""
    rows = session.exec(_active_query(board_id).where(Absence.ends_on >= today)).all()
    return sorted(rows, key=lambda a: (a.starts_on, a.user_id))


def of_people_from(
    session: Session, board_id: int, user_ids: Iterable[str], since: date
) -> list[Absence]:
    """The absences of ``user_ids`` that have not ended before ``since``, soonest first (one
    query, none for nobody)."""
    users = sorted(set(user_ids))
    if not users:
        return []
    query = _active_query(board_id).where(col(Absence.user_id).in_(users), Absence.ends_on >= since)
    return list(session.exec(query.order_by(col(Absence.starts_on), col(Absence.id))))


def away_on(session: Session, board_id: int, user_ids: Iterable[str], day: date) -> set[str]:
    """Which of ``user_ids`` are away on ``day`` (one query)."""
    users = list(user_ids)
    if not users:
        return set()
    rows = session.exec(
        _active_query(board_id).where(
            col(Absence.user_id).in_(users), Absence.starts_on <= day, Absence.ends_on >= day
        )
    ).all()
    return {a.user_id for a in rows}


def _snapshot(absence: Absence) -> dict[str, object]:
    return {
        "user_id": absence.user_id,
        "starts_on": absence.starts_on.isoformat(),
        "ends_on": absence.ends_on.isoformat(),
        "reason": absence.reason,
    }


def _record(
    session: Session, absence: Absence, action: str, before: dict[str, object] | None,
    actor: str, now: datetime,
) -> None:  # fmt: skip
    after = None if absence.cancelled_at else _snapshot(absence)
    audit.record(
        session,
        board_id=absence.board_id,
        actor=actor,
        action=action,
        entity="absence",
        entity_id=str(absence.id),
        before=before,
        after=after,
        now=now,
    )


def add(
    session: Session,
    *,
    board: Board,
    user_id: str,
    starts_on: date,
    ends_on: date,
    reason: str | None,
    actor: str,
    now: datetime,
    today: date,
) -> Absence:
    assert board.id is not None
    if ends_on < starts_on:
        raise BotError("away.end_before_start", start=starts_on, end=ends_on)
    if ends_on < today:
        raise BotError("away.in_past", end=ends_on)
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise BotError("away.too_long", limit=MAX_DAYS)
    reason = " ".join(reason.split()) if reason else None
    if reason and len(reason) > MAX_REASON:
        raise BotError("away.reason_too_long", length=len(reason), limit=MAX_REASON)
    overlapping = session.exec(
        _active_query(board.id).where(
            Absence.user_id == user_id, Absence.starts_on <= ends_on, Absence.ends_on >= starts_on
        )
    ).first()
    if overlapping is not None:
        raise BotError("away.overlap", start=overlapping.starts_on, end=overlapping.ends_on)
    absence = Absence(
        board_id=board.id,
        user_id=user_id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason or None,
        created_by=actor,
        created_at=now,
    )
    session.add(absence)
    session.flush()
    _record(session, absence, "absence.add", None, actor, now)
    return absence


def back(
    session: Session, *, board: Board, user_id: str, actor: str, now: datetime, today: date
) -> Absence:
    """End the absence ``user_id`` is in today: it ends yesterday (or is cancelled if it only
    started today). A planned absence is never touched here: without a current one this raises
    ``away.not_away`` and changes nothing (:func:`cancel` takes a planned one back)."""
    assert board.id is not None
    mine = _active_query(board.id).where(
        Absence.user_id == user_id, Absence.starts_on <= today, Absence.ends_on >= today
    )
    found = session.exec(mine).first()  # absences of one person do not overlap: at most one
    if found is None:
        raise BotError("away.not_away", user=Person(user_id))
    before = _snapshot(found)
    if found.starts_on == today:
        found.cancelled_at = now
    else:
        found.ends_on = today - timedelta(days=1)
    session.add(found)
    session.flush()
    _record(session, found, "absence.back", before, actor, now)
    return found


def cancel(
    session: Session,
    *,
    board: Board,
    user_id: str,
    day: date,
    actor: str,
    now: datetime,
    today: date,
) -> Absence:
    """Cancel ``user_id``'s absence that starts on or covers ``day`` (say, one entered with
    wrong dates): it stays in the table, marked cancelled, with an audit entry. Only current
    and planned absences: one that ended before ``today`` is history and raises
    ``away.no_such_absence``, as does a day without an absence."""
    assert board.id is not None
    found = session.exec(
        _active_query(board.id).where(
            Absence.user_id == user_id,
            Absence.starts_on <= day,
            Absence.ends_on >= day,
            Absence.ends_on >= today,
        )
    ).first()  # absences of one person do not overlap: at most one
    if found is None:
        raise NotFound("away.no_such_absence", user=Person(user_id), day=day)
    before = _snapshot(found)
    found.cancelled_at = now
    session.add(found)
    session.flush()
    _record(session, found, "absence.cancel", before, actor, now)
    return found


def planned(session: Session, board_id: int, user_id: str, today: date) -> list[Absence]:
    """``user_id``'s absences that begin after ``today``, soonest first."""
    query = _active_query(board_id).where(Absence.user_id == user_id, Absence.starts_on > today)
    return list(session.exec(query.order_by(col(Absence.starts_on), col(Absence.id))))
