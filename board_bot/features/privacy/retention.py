"""Retention (issue 16): personal data older than its period (``[retention]``, the defaults in
the privacy inventory's ``RETENTION``) is removed by a daily job.

What goes, and what stays:

* **Status texts** (``status_text_months``, counted from when the answer was written or last
  edited): the answer's text (``status_answer.text``) and its lines' notes
  (``status_item.note``) become empty, the text of its blockers and escalations
  (``status_flag.text``) becomes :data:`REMOVED_FLAG`. The rows stay, with their sender, their
  lines' traffic lights, progress and status, and the flags' kind, audience, department and
  package: the package's history and the summaries of past weeks are built from them. An
  escalation that named its package only in its text gets the package's number first, so that
  its week's summary still names it. (A redacted answer's text is emptied the same way.)
* **Audit entries** (``audit_months``, by when the change was made) are deleted. Nothing needs
  an old one: "blocked since" and a light's age are kept on the package itself
  (``work_package.status_since``/``light_since``, filled from the audit log once by their
  migration), ``!verlauf`` and ``!wp verlauf`` show the newest entries there are, and a
  package's last status changes in ``!wp show`` are read from the newest 200.
* **Absences** (``absence_months`` after their last day) are deleted, with the audit entries
  about them (they repeat the dates and the reason).
* **Outbox bodies** (``outbox_days`` after sending, or after sending was given up): the content
  becomes :data:`STUB` and the file (already cleared when sent) is dropped. The row keeps its
  event id, room and times: the bot finds its sent messages by their event id alone (answers
  reply to a prompt's ``status_prompt.event_id``, votes react to ``workshop_option.event_id``,
  the tally it edits is written anew from the votes each time, ``workshop.poll_event_id``), and
  only an unsent row's content is ever read (to send it). A row given up before its direct room
  existed is addressed to a person's Matrix id: that address is emptied too.

Every step is one SQL statement over the whole table (no row is loaded into Python), and
touches only rows not yet done: a second run removes nothing more and counts zero.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from board_bot.core.config import RetentionConfig
from board_bot.core.dates import add_months
from board_bot.features.summaries.service import named_package
from board_bot.models import (
    Absence,
    AuditEntry,
    OutboxMessage,
    StatusAnswer,
    StatusFlag,
    StatusItem,
)

#: What a sent message's content becomes: no text, the marker that it was removed.
STUB: dict[str, object] = {"msgtype": "m.notice", "body": "", "retention": "removed"}
#: What the text of an old blocker or escalation becomes (a summary of its week still lists it).
REMOVED_FLAG = "…"

_ANSWER = StatusAnswer.__table__  # type: ignore[attr-defined]
_ITEM = StatusItem.__table__  # type: ignore[attr-defined]
_FLAG = StatusFlag.__table__  # type: ignore[attr-defined]
_AUDIT = AuditEntry.__table__  # type: ignore[attr-defined]
_ABSENCE = Absence.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Counts:
    """How many rows one run changed or deleted, per kind."""

    status_answers: int = 0  # answers whose text was emptied
    status_notes: int = 0  # status lines whose note was emptied
    status_flags: int = 0  # blockers and escalations whose text was removed
    audit_entries: int = 0  # audit entries deleted for their age
    absences: int = 0  # absences deleted
    absence_audit_entries: int = 0  # audit entries about those absences, deleted with them
    outbox_bodies: int = 0  # sent messages whose content was removed

    @property
    def status_texts(self) -> int:
        return self.status_answers + self.status_notes + self.status_flags

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Cutoffs:
    """What is older than these goes."""

    status_text: datetime  # answers written (or last edited) before it
    audit: datetime  # audit entries made before it
    absence_end: date  # absences whose last day is before it
    outbox: datetime  # messages sent before it


def _months_before(now: datetime, months: int) -> datetime:
    """``now`` moved back by calendar months (clamped to the month's end: 31.03 - 1 = 28.02)."""
    now = now.astimezone(UTC)
    day = add_months(now.date(), -months)
    return datetime.combine(day, now.timetz())


def cutoffs(periods: RetentionConfig, now: datetime) -> Cutoffs:
    return Cutoffs(
        status_text=_months_before(now, periods.status_text_months),
        audit=_months_before(now, periods.audit_months),
        absence_end=_months_before(now, periods.absence_months).date(),
        outbox=now.astimezone(UTC) - timedelta(days=periods.outbox_days),
    )


def _rows(session: Session, statement: sa.Executable) -> int:
    result = session.connection().execute(statement)
    return int(result.rowcount or 0)


def _keep_named_packages(session: Session, old_answers: sa.Select[tuple[int]]) -> None:
    """An escalation names its package in its text ("Mittel für WP-3 freigeben"), where the
    summary finds it: before the text goes, the package's number is written to the flag, so that
    the summary of its week still names it. Only the old escalations whose text mentions a
    package are read (the database picks them), each once: afterwards their text is gone."""
    text = sa.func.lower(_FLAG.c.text)
    named = session.connection().execute(
        sa.select(_FLAG.c.id, _FLAG.c.text).where(
            _FLAG.c.kind == "escalation",
            _FLAG.c.work_package_number.is_(None),
            _FLAG.c.text != REMOVED_FLAG,
            sa.or_(text.contains("wp", autoescape=True), text.contains("ap", autoescape=True)),
            _FLAG.c.answer_id.in_(old_answers.scalar_subquery()),
        )
    )
    numbers = [
        {"flag_id": flag_id, "number": number}
        for flag_id, flag_text in named
        if (number := named_package(flag_text)) is not None
    ]
    if numbers:
        session.connection().execute(
            sa.update(_FLAG)
            .where(_FLAG.c.id == sa.bindparam("flag_id"))
            .values(work_package_number=sa.bindparam("number")),
            numbers,
        )


def apply(session: Session, periods: RetentionConfig, now: datetime) -> Counts:
    """Remove what is older than its period (see the module); how many rows of each kind. The
    caller commits."""
    session.flush()  # the statements go past the ORM: it must have written what it holds
    cut = cutoffs(periods, now)

    written = sa.func.coalesce(_ANSWER.c.edited_at, _ANSWER.c.created_at)
    old_answers = sa.select(_ANSWER.c.id).where(written < cut.status_text)
    answers = _rows(
        session,
        sa.update(_ANSWER).where(written < cut.status_text, _ANSWER.c.text != "").values(text=""),
    )
    notes = _rows(
        session,
        sa.update(_ITEM)
        .where(_ITEM.c.note != "", _ITEM.c.answer_id.in_(old_answers.scalar_subquery()))
        .values(note=""),
    )
    _keep_named_packages(session, old_answers)
    flags = _rows(
        session,
        sa.update(_FLAG)
        .where(_FLAG.c.text != REMOVED_FLAG, _FLAG.c.answer_id.in_(old_answers.scalar_subquery()))
        .values(text=REMOVED_FLAG),
    )

    audit_entries = _rows(session, sa.delete(_AUDIT).where(_AUDIT.c.at < cut.audit))

    ended = _ABSENCE.c.ends_on < cut.absence_end
    ended_ids = sa.select(sa.cast(_ABSENCE.c.id, sa.String(64))).where(ended)
    absence_audit = _rows(
        session,
        sa.delete(_AUDIT).where(
            _AUDIT.c.entity == "absence", _AUDIT.c.entity_id.in_(ended_ids.scalar_subquery())
        ),
    )
    absences = _rows(session, sa.delete(_ABSENCE).where(ended))

    marker = sa.func.coalesce(_OUTBOX.c.content["retention"].as_string(), "")
    outbox = _rows(
        session,
        sa.update(_OUTBOX)
        .where(_OUTBOX.c.sent_at < cut.outbox, marker != STUB["retention"])
        .values(
            content=STUB,
            attachment=None,
            last_error=None,  # it may name the recipient
            room_id=sa.case(
                (_OUTBOX.c.room_id.startswith("@", autoescape=True), ""),
                else_=_OUTBOX.c.room_id,
            ),
        ),
    )
    return Counts(
        status_answers=answers,
        status_notes=notes,
        status_flags=flags,
        audit_entries=audit_entries,
        absences=absences,
        absence_audit_entries=absence_audit,
        outbox_bodies=outbox,
    )
