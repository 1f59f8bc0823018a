"""Exactly-once bookkeeping: handled events, the outbox of replies, the sync token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from board_bot.models import HandledEvent, OutboxMessage, SyncState

MAX_ERROR = 500


def is_handled(session: Session, event_id: str) -> bool:
    return session.get(HandledEvent, event_id) is not None


def mark_handled(
    session: Session, *, event_id: str, room_id: str, outcome: str, now: datetime
) -> HandledEvent:
    event = HandledEvent(event_id=event_id, room_id=room_id, outcome=outcome, handled_at=now)
    session.add(event)
    return event


def enqueue(
    session: Session, *, room_id: str, contents: Sequence[dict[str, Any]], now: datetime
) -> list[OutboxMessage]:
    rows = [OutboxMessage(room_id=room_id, content=c, created_at=now) for c in contents]
    session.add_all(rows)
    session.flush()
    return rows


def pending(session: Session, limit: int = 50) -> list[OutboxMessage]:
    """Unsent replies, oldest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.sent_at).is_(None))
            .order_by(col(OutboxMessage.id))
            .limit(limit)
        )
    )


def mark_sent(session: Session, outbox_id: int, *, event_id: str, now: datetime) -> None:
    row = session.get(OutboxMessage, outbox_id)
    if row is not None:
        row.sent_at = now
        row.event_id = event_id
        row.attempts += 1
        session.add(row)


def mark_attempt_failed(
    session: Session, outbox_id: int, *, error: str, give_up: bool, now: datetime
) -> None:
    """Count a failed send; ``give_up`` closes the row (it stays, with its error, for review)."""
    row = session.get(OutboxMessage, outbox_id)
    if row is not None:
        row.attempts += 1
        row.last_error = error[:MAX_ERROR]
        if give_up:
            row.sent_at = now
        session.add(row)


def load_sync_token(session: Session, account: str) -> str | None:
    state = session.get(SyncState, account)
    return state.next_batch if state else None


def save_sync_token(session: Session, account: str, token: str, *, now: datetime) -> None:
    state = session.get(SyncState, account)
    if state is None:
        state = SyncState(account=account, next_batch=token, updated_at=now)
    else:
        state.next_batch = token
        state.updated_at = now
    session.add(state)
