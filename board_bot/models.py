"""Database tables. Alembic (``migrations/``) owns the schema; change it only by a revision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from board_bot.core.db import UTCDateTime

# Named constraints, so that migrations can find them again on SQLite and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Board(SQLModel, table=True):
    """A Smart City Board: one Matrix room, its language and time zone."""

    __tablename__ = "board"

    id: int | None = Field(default=None, primary_key=True)
    room_id: str = Field(max_length=255, unique=True)
    name: str = Field(max_length=200)
    language: str = Field(max_length=8)
    timezone: str = Field(max_length=64)
    # Bundesland whose public holidays count (ISO 3166-2 code without "DE-": SH, HH, NW, ...).
    bundesland: str = Field(default="SH", max_length=8, sa_column_kwargs={"server_default": "SH"})
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: a further room that gets the summary after each round (the mayor's office, say)
    summary_room: str | None = Field(default=None, max_length=255)
    #: the root of a thread in the board room that gets a copy of each round's summary
    summary_thread: str | None = Field(default=None, max_length=255)


class HandledEvent(SQLModel, table=True):
    """A Matrix event the bot has acted on; recorded in the same transaction as the effect."""

    __tablename__ = "handled_event"

    event_id: str = Field(primary_key=True, max_length=255)
    room_id: str = Field(max_length=255)
    outcome: str = Field(max_length=32)
    handled_at: datetime = Field(sa_type=UTCDateTime, index=True)


class SyncState(SQLModel, table=True):
    """The sync token, saved by us after the events of a batch were committed."""

    __tablename__ = "sync_state"

    account: str = Field(primary_key=True, max_length=255)
    next_batch: str = Field(max_length=1024)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    """A reply waiting to be sent; its id is the Matrix transaction id, so a resend after a crash
    is deduplicated by the homeserver."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    room_id: str = Field(max_length=255)
    content: dict[str, Any] = Field(sa_type=sa.JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    event_id: str | None = Field(default=None, max_length=255)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    #: A file to upload before sending (``content`` is then an ``m.file`` without its ``url``).
    #: The upload's address is written into ``content`` before the send, and the bytes are
    #: dropped once the homeserver accepted the event.
    attachment: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


class AuditEntry(SQLModel, table=True):
    """Who changed what, when, with the values before and after."""

    __tablename__ = "audit_entry"
    # An entity's history (``!verlauf``, ``!ap zeige``, since when a package is blocked).
    __table_args__ = (sa.Index("ix_audit_entry_entity", "entity", "entity_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    board_id: int | None = Field(default=None, foreign_key="board.id", index=True)
    actor: str = Field(max_length=255)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=64)
    entity_id: str = Field(max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    at: datetime = Field(sa_type=UTCDateTime)


class Department(SQLModel, table=True):
    """A department (Fachbereich, Amt) of a board. Archived, never deleted."""

    __tablename__ = "department"

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    code: str = Field(max_length=32)
    # The code folded for comparisons: "FB 61", "fb61" and "FB61" are one code.
    code_key: str = Field(max_length=32, index=True)
    name: str = Field(max_length=200)
    room_id: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Membership(SQLModel, table=True):
    """A person's role on a board: admin or observer (no department), or lead, deputy or member
    of a department. Ending a role sets ``ended_at``; the row stays for the history."""

    __tablename__ = "membership"

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    user_id: str = Field(max_length=255, index=True)
    role: str = Field(max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Absence(SQLModel, table=True):
    """A person is away from ``starts_on`` to ``ends_on``, both days included."""

    __tablename__ = "absence"

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    user_id: str = Field(max_length=255, index=True)
    starts_on: date
    ends_on: date
    reason: str | None = Field(default=None, max_length=200)
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WorkPackage(SQLModel, table=True):
    """A work package (Arbeitspaket) of the board's portfolio, ``WP-<number>``; the number is per
    board and never reused (nothing is deleted: packages are done or discarded)."""

    __tablename__ = "work_package"
    __table_args__ = (sa.UniqueConstraint("board_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    number: int
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    # Leitlinie 1-4 of the Smart City Charta; None until someone files it.
    leitlinie: int | None = Field(default=None)
    handlungsfeld: str | None = Field(default=None, max_length=100)
    owner_department_id: int = Field(foreign_key="department.id", index=True)
    responsible: str | None = Field(default=None, max_length=255)
    # planned, in_progress, blocked, done, discarded
    status: str = Field(default="planned", max_length=16)
    # green, yellow, red; a reason is required when it is not green
    traffic_light: str = Field(default="green", max_length=8)
    traffic_reason: str | None = Field(default=None, max_length=300)
    progress: int = Field(default=0)
    start_date: date | None = Field(default=None)
    due_date: date | None = Field(default=None, index=True)
    funding_programme: str | None = Field(default=None, max_length=200)
    funding_deadline: date | None = Field(default=None)
    # planned cost in whole euros
    budget: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # When the status and the traffic light were last set to what they are: "blocked since",
    # "yellow since" (None only for a row a program wrote past the service: read as created_at).
    status_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    light_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: shown on the public portfolio page (``!wp edit WP-1 öffentlich ja``), with the public
    #: description instead of the internal one
    public: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    public_description: str = Field(
        default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""}
    )


class WorkPackageDepartment(SQLModel, table=True):
    """A department contributing to a work package (besides its owner)."""

    __tablename__ = "work_package_department"

    work_package_id: int = Field(foreign_key="work_package.id", primary_key=True)
    department_id: int = Field(foreign_key="department.id", primary_key=True)


class Milestone(SQLModel, table=True):
    """A milestone (Meilenstein) of a work package."""

    __tablename__ = "milestone"

    id: int | None = Field(default=None, primary_key=True)
    work_package_id: int = Field(foreign_key="work_package.id", index=True)
    title: str = Field(max_length=200)
    due_on: date = Field(index=True)  # the summary's milestones of the next 14 days
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class WorkPackageLink(SQLModel, table=True):
    """A link (document, ticket, project page) attached to a work package."""

    __tablename__ = "work_package_link"

    id: int | None = Field(default=None, primary_key=True)
    work_package_id: int = Field(foreign_key="work_package.id", index=True)
    url: str = Field(max_length=2000)
    title: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Dependency(SQLModel, table=True):
    """``work_package_id`` waits for ``depends_on_id`` (Abhängigkeit, "wartet auf")."""

    __tablename__ = "dependency"

    work_package_id: int = Field(foreign_key="work_package.id", primary_key=True)
    depends_on_id: int = Field(foreign_key="work_package.id", primary_key=True, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class StatusSchedule(SQLModel, table=True):
    """When a board's status rounds run (``!status schedule``); a board without a row runs on the
    default schedule. Moments are ``"<weekday 0-6> HH:MM"`` in the board's time zone."""

    __tablename__ = "status_schedule"

    board_id: int = Field(foreign_key="board.id", primary_key=True)
    frequency: str = Field(default="weekly", max_length=16)  # weekly, biweekly, monthly
    prompt: str = Field(max_length=8)
    reminders: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    deadline: str = Field(max_length=8)
    anchor: date  # biweekly: a Monday of a week in which rounds run
    enabled: bool = Field(default=True)
    updated_by: str = Field(max_length=255)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class StatusRound(SQLModel, table=True):
    """One status round of a board; unique per (board, period), so that a job firing twice or a
    restart in the middle of a round never starts it twice."""

    __tablename__ = "status_round"
    __table_args__ = (sa.UniqueConstraint("board_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    period: str = Field(max_length=16)  # "2026-W48", "2026-11"
    prompt_at: datetime = Field(sa_type=UTCDateTime)  # as planned
    reminders_at: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # ISO, UTC
    deadline_at: datetime = Field(sa_type=UTCDateTime)
    started_at: datetime = Field(sa_type=UTCDateTime)
    started_by: str = Field(max_length=255)  # "schedule" or the admin's user id
    late: bool = Field(default=False)  # started after its prompt time (the bot was down)
    reminders_sent: int = Field(default=0)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=255)
    #: when every package's state was kept for this round (``round_snapshot``), if it was
    snapshot_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StatusPrompt(SQLModel, table=True):
    """A department's prompt in a round: to whom it went, where, and whether it was answered."""

    __tablename__ = "status_prompt"
    __table_args__ = (sa.UniqueConstraint("round_id", "department_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="status_round.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    contact: str | None = Field(default=None, max_length=255)  # None: nobody to ask
    covering_for: str | None = Field(default=None, max_length=255)  # the absent lead
    room_id: str | None = Field(default=None, max_length=255)  # where it went ("@user": a DM)
    event_id: str | None = Field(default=None, max_length=255)  # the prompt, once sent
    outbox_id: int | None = Field(default=None)
    created_at: datetime = Field(sa_type=UTCDateTime)
    reminders: int = Field(default=0)
    last_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StatusAnswer(SQLModel, table=True):
    """A department's answer: one message (its latest edit), parsed into items and flags."""

    __tablename__ = "status_answer"

    id: int | None = Field(default=None, primary_key=True)
    prompt_id: int = Field(foreign_key="status_prompt.id", index=True)
    event_id: str = Field(max_length=255, unique=True)
    room_id: str = Field(max_length=255)
    sender: str = Field(max_length=255)
    kind: str = Field(max_length=16)  # free, lines, unchanged
    text: str = Field(sa_type=sa.Text)
    late: bool = Field(default=False)
    created_at: datetime = Field(sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # redacted


class StatusItem(SQLModel, table=True):
    """What an answer says about one work package (a status line)."""

    __tablename__ = "status_item"

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="status_answer.id", index=True)
    work_package_id: int = Field(foreign_key="work_package.id", index=True)
    traffic_light: str | None = Field(default=None, max_length=8)
    progress: int | None = Field(default=None)
    status: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", sa_type=sa.Text)
    unchanged: bool = Field(default=False)
    created_at: datetime = Field(sa_type=UTCDateTime)


class StatusFlag(SQLModel, table=True):
    """A blocker or an escalation (for the board or the mayor) found in an answer."""

    __tablename__ = "status_flag"

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="status_answer.id", index=True)
    kind: str = Field(max_length=16)  # blocker, escalation
    audience: str | None = Field(default=None, max_length=16)  # board, mayor (escalations)
    text: str = Field(sa_type=sa.Text)
    department_code: str | None = Field(default=None, max_length=32)
    work_package_number: int | None = Field(default=None)


class DirectRoom(SQLModel, table=True):
    """The bot's direct-message room with a person (for status prompts)."""

    __tablename__ = "direct_room"

    user_id: str = Field(primary_key=True, max_length=255)
    room_id: str = Field(max_length=255, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class SchedulerLease(SQLModel, table=True):
    """Who runs the scheduler: one process at a time holds the lease and renews it; another one
    stands by and takes over when it expires."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=255)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class RoundSnapshot(SQLModel, table=True):
    """A package's state when a round's summary was made: the trend and the "what changed" of
    the next summary compare against it, and the chart draws the rounds from these rows."""

    __tablename__ = "round_snapshot"

    round_id: int = Field(foreign_key="status_round.id", primary_key=True)
    work_package_id: int = Field(foreign_key="work_package.id", primary_key=True, index=True)
    leitlinie: int | None = Field(default=None)
    traffic_light: str = Field(max_length=8)
    status: str = Field(max_length=16)
    progress: int


# --- workshops (issue 7) -------------------------------------------------------------------------


class Workshop(SQLModel, table=True):
    """A cross-department workshop, ``Workshop 3``: planned with slot options, confirmed to one
    slot (then it has an iCalendar ``uid`` and ``sequence``), cancelled or held."""

    __tablename__ = "workshop"
    __table_args__ = (sa.UniqueConstraint("board_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    number: int
    title: str = Field(max_length=200)
    duration_minutes: int
    place: str | None = Field(default=None, max_length=200)
    online_url: str | None = Field(default=None, max_length=500)
    # planning, confirmed, cancelled
    status: str = Field(default="planning", max_length=16)
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    uid: str = Field(max_length=255, unique=True)  # the invitation's UID (RFC 5545)
    sequence: int = Field(default=0)  # raised with every change sent out
    poll_event_id: str | None = Field(default=None, max_length=255)  # the tally, edited live
    poll_outbox_id: int | None = Field(default=None)
    invitation_event_id: str | None = Field(default=None, max_length=255, index=True)
    invitation_outbox_id: int | None = Field(default=None)
    # The reminders sent for the current slot (a new slot clears them): 24 hours and 1 hour before.
    reminded_day_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_hour_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    minutes_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    minutes_ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    minutes_by: str | None = Field(default=None, max_length=255)  # who started the minutes
    minutes: str | None = Field(default=None, sa_type=sa.Text)  # the minutes as posted
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class WorkshopDepartment(SQLModel, table=True):
    """A department invited to a workshop."""

    __tablename__ = "workshop_department"

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True)
    department_id: int = Field(foreign_key="department.id", primary_key=True)


class WorkshopOption(SQLModel, table=True):
    """A slot offered for a workshop (``Option 2``); posted as a message of its own, so that
    people can vote by reacting to it."""

    __tablename__ = "workshop_option"
    __table_args__ = (sa.UniqueConstraint("workshop_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    position: int
    starts_at: datetime = Field(sa_type=UTCDateTime)
    outbox_id: int | None = Field(default=None)
    event_id: str | None = Field(default=None, max_length=255, index=True)


class WorkshopVote(SQLModel, table=True):
    """Someone can come at an option (by reaction or ``!workshop vote``)."""

    __tablename__ = "workshop_vote"
    __table_args__ = (sa.UniqueConstraint("option_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    option_id: int = Field(foreign_key="workshop_option.id", index=True)
    user_id: str = Field(max_length=255)
    reaction_event_id: str | None = Field(default=None, max_length=255, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class WorkshopRsvp(SQLModel, table=True):
    """Someone's answer to the invitation: yes, no, maybe."""

    __tablename__ = "workshop_rsvp"
    __table_args__ = (sa.UniqueConstraint("workshop_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    user_id: str = Field(max_length=255)
    answer: str = Field(max_length=8)  # yes, no, maybe
    reaction_event_id: str | None = Field(default=None, max_length=255, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class WorkshopAgendaItem(SQLModel, table=True):
    """An item of a workshop's agenda (Tagesordnung), in order; ``source`` says where it came
    from: typed by someone, or proposed by the bot from a blocker or dependency."""

    __tablename__ = "workshop_agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    position: int
    text: str = Field(max_length=300)
    source: str = Field(default="typed", max_length=16)  # typed, proposal
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)


class WorkshopMinute(SQLModel, table=True):
    """A line of a workshop's minutes (Protokoll): a decision, an action or a note, in the order
    they were taken; an action names who does it and, once the minutes are closed, the work
    package or milestone it became."""

    __tablename__ = "workshop_minute"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    kind: str = Field(max_length=16)  # decision, action, note
    text: str = Field(max_length=500)
    assignee: str | None = Field(default=None, max_length=255)
    due_on: date | None = Field(default=None)
    work_package_id: int | None = Field(default=None, foreign_key="work_package.id")
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)


#: The longest council paper fields a decision keeps (longer ones are cut, URLs refused).
PAPER_URL_LENGTH = 2000
PAPER_REFERENCE_LENGTH = 100
PAPER_NAME_LENGTH = 1000


class Decision(SQLModel, table=True):
    """An entry of the board's decision register (Beschlussregister), ``B-3``: proposed,
    adopted, implemented; from a workshop's minutes or recorded directly."""

    __tablename__ = "decision"
    __table_args__ = (sa.UniqueConstraint("board_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    number: int
    text: str = Field(max_length=500)
    status: str = Field(default="proposed", max_length=16)  # proposed, adopted, implemented
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id")
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    #: the council paper (Vorlage) linked by ``!beschlüsse vorlage``, read through OParl: its
    #: OParl URL (the key to read it again), Aktenzeichen, name, date and page for people
    paper_id: str | None = Field(default=None, max_length=PAPER_URL_LENGTH)
    paper_reference: str | None = Field(default=None, max_length=PAPER_REFERENCE_LENGTH)
    paper_name: str | None = Field(default=None, max_length=PAPER_NAME_LENGTH)
    paper_date: date | None = None
    paper_web: str | None = Field(default=None, max_length=PAPER_URL_LENGTH)
    #: what the council decided on the paper, read by the daily council job: the deciding
    #: organization (Gremium), the meeting's day, the outcome (approved, rejected, noted) and
    #: when the board room was told (once; None: not decided yet as far as the bot knows)
    council_organization: str | None = Field(default=None, max_length=PAPER_NAME_LENGTH)
    council_date: date | None = None
    council_outcome: str | None = Field(default=None, max_length=16)
    council_noted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CouncilRequest(SQLModel, table=True):
    """A ``!beschlüsse vorlage`` waiting for the council information system: the council job
    looks the paper up outside any transaction, links it and answers the command; deleted then.
    At most one a decision (a newer request replaces it)."""

    __tablename__ = "council_request"

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    decision_id: int = Field(foreign_key="decision.id", unique=True)
    #: the reference or OParl URL as typed
    wanted: str = Field(max_length=PAPER_URL_LENGTH)
    #: where the answer goes: the command's room, event and thread
    room_id: str = Field(max_length=255)
    reply_to: str = Field(max_length=255)
    thread_root: str | None = Field(default=None, max_length=255)
    requested_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    #: failed look-ups so far, and when the next may start (a look-up under way claims the
    #: request by moving this past its own time limit)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, index=True)


class WorkshopDirectInvitation(SQLModel, table=True):
    """A workshop's invitation sent to someone by direct message: a reaction to it there answers
    the invitation like one in the board room."""

    __tablename__ = "workshop_direct_invitation"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    user_id: str = Field(max_length=255)
    outbox_id: int = Field(index=True)
    room_id: str | None = Field(default=None, max_length=255)  # the direct room, once sent
    event_id: str | None = Field(default=None, max_length=255, index=True)


# --- privacy (issue 16) --------------------------------------------------------------------------


class Pseudonym(SQLModel, table=True):
    """A pseudonym handed out by ``board-bot privacy erase``: „Person 7“ stands for an erased
    person everywhere. Numbered per installation and never reused; whom it stands for is kept
    nowhere (that is the point)."""

    __tablename__ = "pseudonym"

    number: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    created_at: datetime = Field(sa_type=UTCDateTime)
