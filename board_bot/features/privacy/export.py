"""Everything the bot holds about one person, for them (``!meine-daten``) and for the data
protection officer (``board-bot privacy export``): access (Art. 15 DSGVO), machine-readable
(JSON). There is no right to data portability: the processing rests on Art. 6 Abs. 1 lit. e
DSGVO, for which Art. 20 Abs. 3 Satz 2 excludes it.

The rows are found through the inventory (:func:`~board_bot.features.privacy.inventory.
person_columns`): each table with a column that may hold a person's Matrix id has a
:class:`Section` here, whose query asks every such column of the inventory, and each record
says in ``"as"`` through which columns it is theirs. A table that gains such a column is then
searched by it without a change here; a table new to the inventory needs a section (a test
fails until it has one).

Texts that name them (:data:`MENTIONS`): every free-text column of the inventory
(:func:`~board_bot.features.privacy.inventory.text_columns`, what ``board-bot privacy erase``
scrubs) is read with the erasure's :class:`~board_bot.features.privacy.erasure.Scrubber`, so that
a text is exported exactly when the erasure would change it: by their Matrix id and, where
given, their display names.

Only about them: Matrix ids of other people in what is exported (who else was asked, who
entered an absence, other people named in an audit entry or a text) are replaced by
:data:`OTHER`. Texts the person wrote, and texts written about them (an action assigned to
them), are given as they are stored, apart from that replacement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from board_bot.core.ids import USER_ID_IN_TEXT
from board_bot.core.naming import localpart
from board_bot.features.privacy.erasure import Scrubber
from board_bot.features.privacy.inventory import person_columns, text_columns
from board_bot.models import (
    Absence,
    AuditEntry,
    Board,
    CouncilRequest,
    Decision,
    Department,
    DirectRoom,
    Membership,
    OutboxMessage,
    StatusAnswer,
    StatusFlag,
    StatusItem,
    StatusPrompt,
    StatusRound,
    StatusSchedule,
    WorkPackage,
    Workshop,
    WorkshopAgendaItem,
    WorkshopDirectInvitation,
    WorkshopMinute,
    WorkshopOption,
    WorkshopRsvp,
    WorkshopVote,
)

#: What the file is, and the version of its layout (raised when a field changes meaning).
FORMAT = "smart-city-board-bot/personal-data"
SCHEMA_VERSION = 1
#: Stands for another person's Matrix id.
OTHER = "other-person"

M = TypeVar("M", bound=SQLModel)


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601 (datetimes are aware UTC: ``2026-12-07T08:00:00+00:00``)."""
    return value.isoformat() if value is not None else None


# --- what the sections need to name things ------------------------------------------------------


@dataclass
class Refs:
    """The names of the things the records point to (boards, departments, rounds, workshops),
    loaded once per export, in one query per kind."""

    session: Session
    user_id: str
    board_id: int | None
    _boards: dict[int, Board] | None = None
    _named_boards: set[int] = field(default_factory=set)
    _departments: dict[int, Department] | None = None
    _rounds: dict[int, StatusRound] | None = None
    _workshops: dict[int, Workshop] | None = None
    _options: dict[int, WorkshopOption] | None = None
    prompts: dict[int, StatusPrompt] = field(default_factory=dict)
    packages: dict[int, WorkPackage] = field(default_factory=dict)

    def _of_board(self, model: type[M]) -> dict[int, M]:
        query = select(model)
        if self.board_id is not None:
            query = query.where(model.board_id == self.board_id)  # type: ignore[attr-defined]
        return {row.id: row for row in self.session.exec(query)}  # type: ignore[attr-defined]

    def board(self, board_id: int | None) -> str | None:
        """A board as its room id (what ``--board`` takes)."""
        if self._boards is None:
            self._boards = {b.id: b for b in self.session.exec(select(Board)) if b.id is not None}
        found = self._boards.get(board_id) if board_id is not None else None
        if found is None:
            return None
        self._named_boards.add(board_id or 0)
        return found.room_id

    def board_info(self) -> list[dict[str, Any]]:
        """The boards the records name."""
        named = [(self._boards or {})[i] for i in sorted(self._named_boards)]
        return [{"room_id": b.room_id, "name": b.name, "language": b.language} for b in named]

    def department(self, department_id: int | None) -> str | None:
        if self._departments is None:
            self._departments = self._of_board(Department)
        found = self._departments.get(department_id) if department_id is not None else None
        return found.code if found is not None else None

    def round(self, round_id: int) -> StatusRound | None:
        if self._rounds is None:
            self._rounds = self._of_board(StatusRound)
        return self._rounds.get(round_id)

    def workshop(self, workshop_id: int) -> Workshop | None:
        if self._workshops is None:
            self._workshops = self._of_board(Workshop)
        return self._workshops.get(workshop_id)

    def option(self, option_id: int) -> WorkshopOption | None:
        if self._options is None:
            query = select(WorkshopOption).join(
                Workshop, col(Workshop.id) == WorkshopOption.workshop_id
            )
            if self.board_id is not None:
                query = query.where(Workshop.board_id == self.board_id)
            self._options = {o.id: o for o in self.session.exec(query) if o.id is not None}
        return self._options.get(option_id)

    def load_prompts(self, ids: Iterable[int]) -> None:
        wanted = sorted(set(ids) - set(self.prompts))
        if wanted:
            query = select(StatusPrompt).where(col(StatusPrompt.id).in_(wanted))
            self.prompts.update({p.id: p for p in self.session.exec(query) if p.id is not None})

    def load_packages(self, ids: Iterable[int]) -> None:
        wanted = sorted(set(ids) - set(self.packages))
        if wanted:
            query = select(WorkPackage).where(col(WorkPackage.id).in_(wanted))
            self.packages.update({p.id: p for p in self.session.exec(query) if p.id is not None})

    def package(self, wp_id: int | None) -> str | None:
        found = self.packages.get(wp_id) if wp_id is not None else None
        return f"WP-{found.number}" if found is not None else None

    def workshop_ref(self, workshop_id: int) -> dict[str, Any]:
        ws = self.workshop(workshop_id)
        if ws is None:
            return {"board": None, "number": None, "title": None}
        return {"board": self.board(ws.board_id), "number": ws.number, "title": ws.title}

    def round_ref(self, round_id: int) -> dict[str, Any]:
        rnd = self.round(round_id)
        if rnd is None:
            return {"board": None, "period": None}
        return {"board": self.board(rnd.board_id), "period": rnd.period}


# --- the sections: one per table with person columns --------------------------------------------

Narrow = Callable[[Any, int], Any]
Records = Callable[[Sequence[Any], Refs], list[dict[str, Any]]]


@dataclass(frozen=True)
class Section:
    """Where a table's rows of the person go: ``key`` in the file, narrowed to a board by
    ``narrow`` (None: the rows belong to no board and are always exported), written by
    ``records`` (one dict per row, in the rows' order)."""

    key: str
    model: type[SQLModel]
    narrow: Narrow | None
    records: Records


def _by_board(model: Any) -> Narrow:
    return lambda query, board_id: query.where(model.board_id == board_id)


def _via_round(model: Any, round_link: Any) -> Narrow:
    def narrow(query: Any, board_id: int) -> Any:
        return query.join(StatusRound, col(StatusRound.id) == round_link).where(
            StatusRound.board_id == board_id
        )

    return narrow


def _via_workshop(link: Any) -> Narrow:
    def narrow(query: Any, board_id: int) -> Any:
        return query.join(Workshop, col(Workshop.id) == link).where(Workshop.board_id == board_id)

    return narrow


def _answers_narrow(query: Any, board_id: int) -> Any:
    return (
        query.join(StatusPrompt, col(StatusPrompt.id) == StatusAnswer.prompt_id)
        .join(StatusRound, col(StatusRound.id) == StatusPrompt.round_id)
        .where(StatusRound.board_id == board_id)
    )


def _votes_narrow(query: Any, board_id: int) -> Any:
    return (
        query.join(WorkshopOption, col(WorkshopOption.id) == WorkshopVote.option_id)
        .join(Workshop, col(Workshop.id) == WorkshopOption.workshop_id)
        .where(Workshop.board_id == board_id)
    )


def _boards(rows: Sequence[Board], refs: Refs) -> list[dict[str, Any]]:
    return [{"board": b.room_id, "name": b.name, "created_at": iso(b.created_at)} for b in rows]


def _outbox(rows: Sequence[OutboxMessage], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            "body": r.content.get("body"),
            "created_at": iso(r.created_at),
            "sent_at": iso(r.sent_at),
        }
        for r in rows
    ]


def _audit(rows: Sequence[AuditEntry], refs: Refs) -> list[dict[str, Any]]:
    records = []
    for a in rows:
        values: dict[str, Any] = {"before": a.before, "after": a.after}
        if _names_another(values, refs.user_id):
            # A change that concerns someone else too (a role they gave, an absence they
            # entered): which fields changed, not the other person's values.
            values = {
                "before": sorted(a.before) if a.before else None,
                "after": sorted(a.after) if a.after else None,
                "values_left_out": True,
            }
        records.append(
            {
                "board": refs.board(a.board_id),
                "at": iso(a.at),
                "actor": a.actor,
                "action": a.action,
                "entity": a.entity,
                "entity_id": a.entity_id,
                **values,
            }
        )
    return records


def _roles(rows: Sequence[Membership], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            "board": refs.board(m.board_id),
            "role": m.role,
            "department": refs.department(m.department_id),
            "since": iso(m.created_at),
            "until": iso(m.ended_at),
        }
        for m in rows
    ]


def _absences(rows: Sequence[Absence], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            "board": refs.board(a.board_id),
            # An absence someone else's, which they entered: only that they did, and when.
            **(
                {
                    "starts_on": iso(a.starts_on),
                    "ends_on": iso(a.ends_on),
                    "reason": a.reason,
                }
                if a.user_id == refs.user_id
                else {}
            ),
            "entered_by": a.created_by,
            "created_at": iso(a.created_at),
            "cancelled_at": iso(a.cancelled_at),
        }
        for a in rows
    ]


def _packages(rows: Sequence[WorkPackage], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            "board": refs.board(wp.board_id),
            "id": f"WP-{wp.number}",
            "title": wp.title,
            "department": refs.department(wp.owner_department_id),
            "status": wp.status,
            "responsible": wp.responsible,
            "created_by": wp.created_by,
            "created_at": iso(wp.created_at),
        }
        for wp in rows
    ]


def _schedules(rows: Sequence[StatusSchedule], refs: Refs) -> list[dict[str, Any]]:
    return [{"board": refs.board(s.board_id), "updated_at": iso(s.updated_at)} for s in rows]


def _rounds(rows: Sequence[StatusRound], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            "board": refs.board(r.board_id),
            "period": r.period,
            "started_by": r.started_by,
            "started_at": iso(r.started_at),
            "closed_by": r.closed_by,
            "closed_at": iso(r.closed_at),
        }
        for r in rows
    ]


def _prompts(rows: Sequence[StatusPrompt], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            **refs.round_ref(p.round_id),
            "department": refs.department(p.department_id),
            "contact": p.contact,
            "covering_for": p.covering_for,
            "created_at": iso(p.created_at),
            "reminders": p.reminders,
            "answered_at": iso(p.answered_at),
        }
        for p in rows
    ]


def _answers(rows: Sequence[StatusAnswer], refs: Refs) -> list[dict[str, Any]]:
    ids = [a.id for a in rows if a.id is not None]
    items: dict[int, list[StatusItem]] = {}
    flags: dict[int, list[StatusFlag]] = {}
    if ids:
        for item in refs.session.exec(
            select(StatusItem)
            .where(col(StatusItem.answer_id).in_(ids))
            .order_by(col(StatusItem.id))
        ):
            items.setdefault(item.answer_id, []).append(item)
        for flag in refs.session.exec(
            select(StatusFlag)
            .where(col(StatusFlag.answer_id).in_(ids))
            .order_by(col(StatusFlag.id))
        ):
            flags.setdefault(flag.answer_id, []).append(flag)
    refs.load_prompts(a.prompt_id for a in rows)
    refs.load_packages(i.work_package_id for found in items.values() for i in found)
    records = []
    for a in rows:
        prompt = refs.prompts.get(a.prompt_id)
        records.append(
            {
                **(refs.round_ref(prompt.round_id) if prompt else {"board": None, "period": None}),
                "department": refs.department(prompt.department_id) if prompt else None,
                "kind": a.kind,
                "text": a.text,
                "late": a.late,
                "created_at": iso(a.created_at),
                "edited_at": iso(a.edited_at),
                "removed_at": iso(a.removed_at),
                "lines": [
                    {
                        "package": refs.package(i.work_package_id),
                        "traffic_light": i.traffic_light,
                        "progress": i.progress,
                        "status": i.status,
                        "note": i.note,
                        "unchanged": i.unchanged,
                    }
                    for i in items.get(a.id or 0, [])
                ],
                "flags": [
                    {"kind": f.kind, "audience": f.audience, "text": f.text}
                    for f in flags.get(a.id or 0, [])
                ],
            }
        )
    return records


def _direct_rooms(rows: Sequence[DirectRoom], refs: Refs) -> list[dict[str, Any]]:
    return [{"room_id": r.room_id, "created_at": iso(r.created_at)} for r in rows]


def _workshops(rows: Sequence[Workshop], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            "board": refs.board(w.board_id),
            "number": w.number,
            "title": w.title,
            "status": w.status,
            "starts_at": iso(w.starts_at),
            "created_by": w.created_by,
            "minutes_by": w.minutes_by,
            "created_at": iso(w.created_at),
        }
        for w in rows
    ]


def _votes(rows: Sequence[WorkshopVote], refs: Refs) -> list[dict[str, Any]]:
    records = []
    for v in rows:
        option = refs.option(v.option_id)
        records.append(
            {
                **(
                    refs.workshop_ref(option.workshop_id)
                    if option
                    else {"board": None, "number": None, "title": None}
                ),
                "option": option.position if option else None,
                "option_starts_at": iso(option.starts_at) if option else None,
                "created_at": iso(v.created_at),
            }
        )
    return records


def _rsvps(rows: Sequence[WorkshopRsvp], refs: Refs) -> list[dict[str, Any]]:
    return [
        {**refs.workshop_ref(r.workshop_id), "answer": r.answer, "updated_at": iso(r.updated_at)}
        for r in rows
    ]


def _agenda(rows: Sequence[WorkshopAgendaItem], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            **refs.workshop_ref(i.workshop_id),
            "position": i.position,
            "text": i.text,
            "source": i.source,
            "created_at": iso(i.created_at),
        }
        for i in rows
    ]


def _minutes(rows: Sequence[WorkshopMinute], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            **refs.workshop_ref(m.workshop_id),
            "kind": m.kind,
            "text": m.text,
            "assignee": m.assignee,
            "due_on": iso(m.due_on),
            "created_by": m.created_by,
            "created_at": iso(m.created_at),
        }
        for m in rows
    ]


def _decisions(rows: Sequence[Decision], refs: Refs) -> list[dict[str, Any]]:
    return [
        {
            "board": refs.board(d.board_id),
            "id": f"B-{d.number}",
            "text": d.text,
            "status": d.status,
            "created_at": iso(d.created_at),
        }
        for d in rows
    ]


def _council_requests(rows: Sequence[CouncilRequest], refs: Refs) -> list[dict[str, Any]]:
    return [
        {"board": refs.board(r.board_id), "paper": r.wanted, "asked_at": iso(r.created_at)}
        for r in rows
    ]


def _invitations(rows: Sequence[WorkshopDirectInvitation], refs: Refs) -> list[dict[str, Any]]:
    return [
        {**refs.workshop_ref(i.workshop_id), "room_id": i.room_id, "sent": i.event_id is not None}
        for i in rows
    ]


#: table -> its section, in the order of the file.
SECTIONS: dict[str, Section] = {
    "membership": Section("roles", Membership, _by_board(Membership), _roles),
    "absence": Section("absences", Absence, _by_board(Absence), _absences),
    "status_answer": Section("status_answers", StatusAnswer, _answers_narrow, _answers),
    "status_prompt": Section(
        "status_prompts", StatusPrompt, _via_round(StatusPrompt, StatusPrompt.round_id), _prompts
    ),
    "work_package": Section("work_packages", WorkPackage, _by_board(WorkPackage), _packages),
    "workshop": Section("workshops", Workshop, _by_board(Workshop), _workshops),
    "workshop_vote": Section("workshop_votes", WorkshopVote, _votes_narrow, _votes),
    "workshop_rsvp": Section(
        "workshop_rsvps", WorkshopRsvp, _via_workshop(WorkshopRsvp.workshop_id), _rsvps
    ),
    "workshop_direct_invitation": Section(
        "workshop_invitations",
        WorkshopDirectInvitation,
        _via_workshop(WorkshopDirectInvitation.workshop_id),
        _invitations,
    ),
    "workshop_agenda_item": Section(
        "agenda_items", WorkshopAgendaItem, _via_workshop(WorkshopAgendaItem.workshop_id), _agenda
    ),
    "workshop_minute": Section(
        "minutes_entries", WorkshopMinute, _via_workshop(WorkshopMinute.workshop_id), _minutes
    ),
    "decision": Section("decisions", Decision, _by_board(Decision), _decisions),
    "council_request": Section(
        "council_look_ups", CouncilRequest, _by_board(CouncilRequest), _council_requests
    ),
    "status_round": Section("status_rounds", StatusRound, _by_board(StatusRound), _rounds),
    "status_schedule": Section(
        "schedule_changes", StatusSchedule, _by_board(StatusSchedule), _schedules
    ),
    "board": Section(
        "boards_set_up", Board, lambda q, board_id: q.where(Board.id == board_id), _boards
    ),
    "audit_entry": Section("audit_entries", AuditEntry, _by_board(AuditEntry), _audit),
    "direct_room": Section("direct_room", DirectRoom, None, _direct_rooms),
    "outbox": Section("messages_waiting", OutboxMessage, None, _outbox),
}


#: The section of the texts that name the person (by id or display name), whoever wrote them.
MENTIONS = "mentions"


def _via_answer(link: Any) -> Narrow:
    return lambda query, board_id: _answers_narrow(
        query.join(StatusAnswer, col(StatusAnswer.id) == link), board_id
    )


#: Tables with free text but no section of their own: how their rows are narrowed to a board.
_TEXT_NARROW: dict[str, Narrow | None] = {
    "status_item": _via_answer(StatusItem.answer_id),
    "status_flag": _via_answer(StatusFlag.answer_id),
}


def text_narrow(table: str) -> Narrow | None:
    """How the rows of a table with free text are narrowed to one board (None: they belong to
    no board, and are always read). A KeyError for a text table new to the inventory: it needs
    an entry in ``_TEXT_NARROW`` (a test asks every table of ``text_columns()``)."""
    return _TEXT_NARROW[table] if table in _TEXT_NARROW else SECTIONS[table].narrow


def _names_them(column: sa.Column[Any], value: Any, scrub: Scrubber) -> bool:
    """Whether the erasure would change ``value`` (by the column's kind, as it scrubs it)."""
    if value is None:
        return False
    if isinstance(column.type, sa.JSON):
        return bool(scrub.json(value) != value)
    if isinstance(column.type, sa.LargeBinary):
        return scrub.data(bytes(value)) != bytes(value)
    return scrub.names_in(str(value))


def _mention_value(column: sa.Column[Any], value: Any) -> Any:
    """A text or JSON value as stored; of a file (an unsent export or invitation, made from
    rows the export holds itself) only its size."""
    if isinstance(column.type, sa.LargeBinary):
        return {"file_size": len(bytes(value))}
    return value


def _text_mentions(
    session: Session, user_id: str, names: Sequence[str], board_id: int | None
) -> list[dict[str, Any]]:
    """Every value of a free-text column that names the person: the same texts the erasure
    scrubs, found by the same matcher. The texts are read and matched here (a display name in
    its Markdown, HTML or URL forms is nothing a database query finds), one query per table."""
    scrub = Scrubber(user_id, names, pseudonym="")
    conn = session.connection()
    records: list[dict[str, Any]] = []
    for table_name, names_of_columns in text_columns().items():
        table = SQLModel.metadata.tables[table_name]
        keys = list(table.primary_key.columns)
        columns = [table.c[c] for c in names_of_columns]
        query: Any = sa.select(*keys, *columns)
        narrow = text_narrow(table_name)
        if board_id is not None and narrow is not None:
            query = narrow(query, board_id)
        for row in conn.execute(query.order_by(*keys)).mappings():
            for column in columns:
                if _names_them(column, row[column.name], scrub):
                    key = [row[k.name] for k in keys]
                    records.append(
                        {
                            "table": table_name,
                            "row": key[0] if len(key) == 1 else key,
                            "column": column.name,
                            "value": _mention_value(column, row[column.name]),
                        }
                    )
    return records


def _person_filter(model: Any, columns: Sequence[str], user_id: str) -> Any:
    return sa.or_(*(getattr(model, name) == user_id for name in columns))


def _mentions(model: Any, user_id: str) -> Any:
    """An audit entry whose values before or after name the person (their id in the JSON)."""
    escaped = user_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f'%"{escaped}"%'
    return sa.or_(
        sa.cast(model.before, sa.Text).like(pattern, escape="\\"),
        sa.cast(model.after, sa.Text).like(pattern, escape="\\"),
    )


def _rows(
    session: Session, table: str, user_id: str, board_id: int | None
) -> tuple[list[Any], list[list[str]]]:
    """The person's rows of ``table``, and for each the columns through which it is theirs
    (``mentioned``: an audit entry whose values name them)."""
    section = SECTIONS[table]
    model: Any = section.model
    columns = person_columns()[table]
    condition = _person_filter(model, columns, user_id)
    if model is AuditEntry:
        condition = sa.or_(condition, _mentions(model, user_id))
    query = select(model).where(condition)
    if board_id is not None and section.narrow is not None:
        query = section.narrow(query, board_id)
    keys = [c for c in sa.inspect(model).primary_key]
    rows = list(session.exec(query.order_by(*keys)))
    found = [[name for name in columns if getattr(row, name) == user_id] for row in rows]
    return rows, [names or ["mentioned"] for names in found]


def _names_another(value: Any, user_id: str) -> bool:
    """Whether ``value`` holds the Matrix id of someone other than ``user_id``."""
    if isinstance(value, str):
        return any(m.group(0) != user_id for m in USER_ID_IN_TEXT.finditer(value))
    if isinstance(value, dict):
        return any(_names_another(v, user_id) for v in value.values())
    if isinstance(value, list):
        return any(_names_another(v, user_id) for v in value)
    return False


def _only_them(value: Any, user_id: str) -> Any:
    """``value`` with every Matrix id but the person's replaced by :data:`OTHER`, together with
    the localpart the bot shows before an id whose display name it does not know
    (``dirk (@dirk:stadt.de)``)."""
    if isinstance(value, str):
        for other in {m.group(0) for m in USER_ID_IN_TEXT.finditer(value)} - {user_id}:
            value = value.replace(f"{localpart(other)} ({other})", OTHER)
        return USER_ID_IN_TEXT.sub(lambda m: m.group(0) if m.group(0) == user_id else OTHER, value)
    if isinstance(value, dict):
        return {k: _only_them(v, user_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_only_them(v, user_id) for v in value]
    return value


def export_person(
    session: Session,
    user_id: str,
    *,
    now: datetime,
    board_id: int | None = None,
    names: Iterable[str] = (),
) -> dict[str, Any]:
    """Everything stored about ``user_id`` (on the board ``board_id`` only, if given), as plain
    JSON values; ``now`` is when it was made. The texts that name them are found by their id
    and the display ``names`` they went by. Reads only."""
    display_names = [n for n in dict.fromkeys(names) if n.strip()]
    refs = Refs(session, user_id, board_id)
    data: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(now),
        "user_id": user_id,
        "mentioned_as": [user_id, *display_names],
        "board": None,
        "boards": [],
    }
    if board_id is not None:
        data["board"] = refs.board(board_id)
    for table, section in SECTIONS.items():
        rows, found = _rows(session, table, user_id, board_id)
        records = section.records(rows, refs)
        for columns, record in zip(found, records, strict=True):
            record["as"] = columns
        data[section.key] = records
    data[MENTIONS] = _text_mentions(session, user_id, display_names, board_id)
    data["boards"] = refs.board_info()
    return _only_them(data, user_id)  # type: ignore[no-any-return]


def counts(export: dict[str, Any]) -> dict[str, int]:
    """How many records each section of an export has."""
    keys = [*(section.key for section in SECTIONS.values()), MENTIONS]
    return {key: len(export.get(key) or []) for key in keys}


def board_id_of(session: Session, room_id: str) -> int | None:
    """The board in ``room_id``, also an archived one (the newest, if there were several)."""
    query = select(Board.id).where(Board.room_id == room_id).order_by(col(Board.id).desc())
    return session.exec(query).first()


def languages(session: Session, user_id: str) -> set[str]:
    """The languages of the boards on which the person holds a role now."""
    query = (
        select(Board.language)
        .join(Membership, col(Membership.board_id) == Board.id)
        .where(
            Membership.user_id == user_id,
            col(Membership.ended_at).is_(None),
            col(Board.archived_at).is_(None),
        )
    )
    return set(session.exec(query))
