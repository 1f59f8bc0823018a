"""A lease in the database that elects one process for a job (the scheduler): the holder
renews it; when it stops renewing, another process takes over after it expires."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from board_bot.models import SchedulerLease


def acquire(session: Session, name: str, holder: str, *, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease ``name`` for ``holder``; False when another holder's lease has
    not expired. The row is locked while deciding (SQLite: the unit of work's IMMEDIATE
    transaction; PostgreSQL: SELECT ... FOR UPDATE); two processes inserting the first row at
    once end in an IntegrityError for one of them, which the caller treats as "not acquired"."""
    row = session.exec(
        select(SchedulerLease).where(SchedulerLease.name == name).with_for_update()
    ).first()
    if row is None:
        session.add(SchedulerLease(name=name, holder=holder, expires_at=now + ttl))
        session.flush()
        return True
    if row.holder != holder and row.expires_at > now:
        return False
    row.holder = holder
    row.expires_at = now + ttl
    session.add(row)
    return True


def release(session: Session, name: str, holder: str) -> None:
    """Give the lease up at once (a clean shutdown), so that a standby takes over sooner."""
    row = session.get(SchedulerLease, name)
    if row is not None and row.holder == holder:
        session.delete(row)
        session.flush()


def clear(session: Session, name: str) -> None:
    """Drop the lease whoever holds it: the process that became the active bot knows that its
    holder is gone (it held the active lock, :mod:`board_bot.core.instance`), so the scheduler
    need not wait for the lease to expire."""
    row = session.get(SchedulerLease, name)
    if row is not None:
        session.delete(row)
        session.flush()


def holder_of(session: Session, name: str, now: datetime) -> str | None:
    row = session.get(SchedulerLease, name)
    return row.holder if row is not None and row.expires_at > now else None
