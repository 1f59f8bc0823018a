"""Absences: who is away when; their deputies stand in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from board_bot.core import audit
from board_bot.core.errors import BotError
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


def _record(
    session: Session, absence: Absence, action: str, before: dict[str, object] | None,
    actor: str, now: datetime,
) -> None:  # fmt: skip
    after = None if absence.cancelled_at else {
        "user_id": absence.user_id,
        "starts_on": absence.starts_on.isoformat(),
        "ends_on": absence.ends_on.isoformat(),
        "reason": absence.reason,
    }  # fmt: skip
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
    started today). Without one, cancel their next absence (say, one entered with wrong dates);
    the caller tells the two apart by ``starts_on > today``."""
    assert board.id is not None
    mine = _active_query(board.id).where(Absence.user_id == user_id, Absence.ends_on >= today)
    found = session.exec(mine.order_by(col(Absence.starts_on), col(Absence.id))).first()
    if found is None:
        raise BotError("away.not_away", user=user_id)
    before: dict[str, object] = {
        "user_id": found.user_id,
        "starts_on": found.starts_on.isoformat(),
        "ends_on": found.ends_on.isoformat(),
        "reason": found.reason,
    }
    if found.starts_on >= today:
        found.cancelled_at = now
    else:
        found.ends_on = today - timedelta(days=1)
    session.add(found)
    session.flush()
    action = "absence.cancel" if found.starts_on > today else "absence.back"
    _record(session, found, action, before, actor, now)
    return found
