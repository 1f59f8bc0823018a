"""The audit log: who changed what, when, with before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from board_bot.models import AuditEntry


def record(
    session: Session,
    *,
    board_id: int | None,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    now: datetime,
) -> AuditEntry:
    entry = AuditEntry(
        board_id=board_id,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        at=now,
    )
    session.add(entry)
    return entry


def entries_for(
    session: Session, *, board_id: int, entity: str, entity_id: str, limit: int
) -> list[AuditEntry]:
    """The newest ``limit`` entries about one entity, newest first."""
    return list(
        session.exec(
            select(AuditEntry)
            .where(
                AuditEntry.board_id == board_id,
                AuditEntry.entity == entity,
                AuditEntry.entity_id == entity_id,
            )
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
            .limit(limit)
        )
    )
