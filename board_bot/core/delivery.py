"""Exactly-once bookkeeping: handled events, the outbox of replies, the sync token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from board_bot.core.render import message_contents, relation
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


def reply(
    session: Session,
    room_id: str,
    markdown: str | None,
    *,
    reply_to: str | None,
    now: datetime,
    thread: str | None = None,
) -> list[int]:
    """Queue ``markdown`` as a reply to ``reply_to``, in the thread of ``thread`` if given; the
    ids of the outbox rows (none for no text)."""
    if markdown is None:
        return []
    rows = enqueue(
        session,
        room_id=room_id,
        contents=message_contents(markdown, reply_to=reply_to, thread_root=thread),
        now=now,
    )
    return [row.id for row in rows if row.id is not None]


def enqueue_file(
    session: Session,
    *,
    room_id: str,
    filename: str,
    mimetype: str,
    data: bytes,
    now: datetime,
    msgtype: str = "m.file",
    description: str | None = None,
    info: dict[str, Any] | None = None,
    thread_root: str | None = None,
    thread_fallback: str | None = None,
) -> OutboxMessage:
    """A file to upload and send as an ``m.file`` (or ``m.image``) event, after the rows
    enqueued before it (in the thread of ``thread_root``, if given, shown under
    ``thread_fallback`` by clients without threads). ``description`` is the body (an image's alt
    text), else the name."""
    content: dict[str, Any] = {
        "msgtype": msgtype,
        "body": description or filename,
        "filename": filename,
        "info": {"mimetype": mimetype, "size": len(data), **(info or {})},
        "m.mentions": {},
    }
    relates = relation(None, thread_root, fallback=thread_fallback)
    if relates is not None:
        content["m.relates_to"] = relates
    row = OutboxMessage(room_id=room_id, content=content, created_at=now, attachment=data)
    session.add(row)
    session.flush()
    return row


def attachment(session: Session, outbox_id: int) -> bytes | None:
    """The bytes still to upload for a row (None: no file, or uploaded and sent)."""
    row = session.get(OutboxMessage, outbox_id)
    return row.attachment if row is not None else None


def set_content(session: Session, outbox_id: int, content: dict[str, Any]) -> None:
    """The final content of a row, once its file is uploaded: a resend after a crash then sends
    the same event instead of uploading again."""
    row = session.get(OutboxMessage, outbox_id)
    if row is not None:
        row.content = content
        session.add(row)


def pending(session: Session, limit: int = 50) -> list[OutboxMessage]:
    """Unsent replies, oldest first; those to rooms that exist before those to people whose
    direct room is still to be opened, so that a reply is never left out behind hundreds of
    a round's prompts (a file's bytes are not loaded: :func:`attachment`)."""
    to_person = sa.case((col(OutboxMessage.room_id).startswith("@", autoescape=True), 1), else_=0)
    return list(
        session.exec(
            select(OutboxMessage)
            .options(defer(OutboxMessage.attachment))  # type: ignore[arg-type]
            .where(col(OutboxMessage.sent_at).is_(None))
            .order_by(to_person, col(OutboxMessage.id))
            .limit(limit)
        )
    )


def backlog(session: Session) -> tuple[int, datetime | None]:
    """How many replies wait unsent, and when the oldest of them was queued (for metrics)."""
    count, oldest = session.exec(
        select(sa.func.count(), sa.func.min(OutboxMessage.created_at)).where(
            col(OutboxMessage.sent_at).is_(None)
        )
    ).one()
    return int(count), oldest


def retarget(session: Session, user_id: str, room_id: str) -> int:
    """Move the unsent rows addressed to a person (``room_id`` = their user id: a direct message
    whose room did not exist yet) to their direct room; how many moved."""
    rows = session.exec(
        select(OutboxMessage)
        .options(defer(OutboxMessage.attachment))  # type: ignore[arg-type]
        .where(OutboxMessage.room_id == user_id, col(OutboxMessage.sent_at).is_(None))
    ).all()
    for row in rows:
        row.room_id = room_id
        session.add(row)
    return len(rows)


def mark_sent(session: Session, outbox_id: int, *, event_id: str, now: datetime) -> str | None:
    """Mark a row sent; its room, or None when there is no such row."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        return None
    if row is not None:
        row.sent_at = now
        row.event_id = event_id
        row.attempts += 1
        row.attachment = None  # the homeserver keeps the file now
        session.add(row)
    return row.room_id


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
            row.attachment = None
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
