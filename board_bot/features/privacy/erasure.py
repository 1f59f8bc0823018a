"""Erasing a person (``board-bot privacy erase``, issue 16): the inventory applied to one Matrix
user id, in one transaction.

Driven by :data:`~board_bot.features.privacy.inventory.INVENTORY`, so that a column listed there
is erased without a change here:

* ``PSEUDONYMISE``: a value equal to the user id becomes the person's pseudonym („Person 7“);
* ``SCRUB``: in free text, JSON (every string) and unsent files, the user id and the person's
  display names (in the forms the bot writes them: Markdown-escaped, HTML-escaped, in a
  ``matrix.to`` link, ``name (@id)``) become the pseudonym;
* ``DELETE_ROW``: a row whose owner column (``user_id``) is the person is deleted;
* a pseudonymised column that holds room ids (``Holds.ROOM``, ``Holds.PERSON_OR_ROOM``): the
  person's direct room with the bot (``direct_room``, read before its row goes) becomes the
  pseudonym too; the homeserver knows who is in that room.

The audit entries about the person's absences go with the absences (they repeat the dates and
the reason, which may be health data).

Only the rows that can name the person are read: the database picks them (their id, their
direct room, or a text that contains a part of a needle, case-insensitively: see
:func:`search_pieces`), and on PostgreSQL locks them (``FOR UPDATE``) until the commit, so that
an edit the running bot makes in the meantime is neither lost nor undone. The pseudonym's
number is taken under a lock of the table ``pseudonym`` (PostgreSQL): a second erasure at the
same time waits for the first and takes the next number.

The aggregates (lights, progress, statuses, kept rounds, decisions) are not personal and stay.
The pseudonym is new for every erasure, numbered per installation (table ``pseudonym``) and
never reused; whom it stands for is kept nowhere. Nothing is committed here: the caller's unit
of work commits, or rolls back for a dry run. What the bot sent that named the person is
returned for the caller to redact on the homeserver, after the commit.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

import board_bot.models  # noqa: F401  (the tables, on the metadata)
from board_bot.core.ids import is_user_id
from board_bot.core.naming import clean_name, localpart
from board_bot.core.render import escape
from board_bot.features.privacy.inventory import INVENTORY, Erase, person_columns, room_columns
from board_bot.models import (
    Absence,
    AuditEntry,
    Board,
    Department,
    DirectRoom,
    Membership,
    OutboxMessage,
    Pseudonym,
)

#: why an unsent message to an erased person is not sent (``outbox.last_error``)
NOT_SENT = "not sent: the recipient was erased"


def pseudonym_of(number: int) -> str:
    """The pseudonym with this number: „Person 7“ (the same in German and English)."""
    return f"Person {number}"


class MalformedUserId(ValueError):
    """Not a Matrix user id."""


@dataclass(frozen=True)
class HeldRole:
    """A role the person still holds: erasure waits until it is ended."""

    board_room: str
    board_name: str
    role: str
    department: str | None  # the department's code, None for a board role


class StillHoldsRoles(Exception):
    """The person holds roles: end them first (``!role remove``)."""

    def __init__(self, user_id: str, roles: list[HeldRole]) -> None:
        super().__init__(user_id)
        self.user_id = user_id
        self.roles = roles


@dataclass(frozen=True)
class TablePlan:
    """What erasure does to one table, read from the inventory."""

    table: str
    owner: tuple[str, ...]  # DELETE_ROW: the row is the person's when one of these is their id
    ids: tuple[str, ...]  # PSEUDONYMISE
    texts: tuple[str, ...]  # SCRUB
    rooms: tuple[str, ...] = ()  # of ``ids``: may hold the person's direct room

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.owner + self.ids + self.texts))


def plan() -> list[TablePlan]:
    """Per table with anything to erase: its owner, id and text columns. Every column whose
    ``erase`` is not KEEP is covered: the DELETE_ROW columns go with their row."""
    owners = person_columns()
    rooms = room_columns()
    plans = []
    for table, columns in INVENTORY.items():
        erased = {name: entry.erase for name, entry in columns.items() if entry.erase != Erase.KEEP}
        if not erased:
            continue
        owner = tuple(c for c in owners.get(table, []) if erased.get(c) == Erase.DELETE_ROW)
        if any(e == Erase.DELETE_ROW for e in erased.values()) and not owner:
            raise ValueError(f"{table}: rows to delete, but no column says whose they are")
        plans.append(
            TablePlan(
                table,
                owner,
                tuple(c for c, e in erased.items() if e == Erase.PSEUDONYMISE),
                tuple(c for c, e in erased.items() if e == Erase.SCRUB),
                tuple(rooms.get(table, [])),
            )
        )
    return plans


# --- finding the person in texts -----------------------------------------------------------------


def _forms(text: str) -> set[str]:
    """How a text may appear where the bot wrote it: as it is, Markdown-escaped, HTML-escaped,
    in a JSON string, in a URL."""
    return {
        text,
        str(escape(text)),
        html.escape(text, quote=False),
        html.escape(text),
        html.escape(text).replace("&#x27;", "&#39;"),
        json.dumps(text)[1:-1],
        quote(text, safe=""),
        quote(text, safe="@:"),
    }


def _bounded(needle: str) -> str:
    """A needle that matches whole words only: "Bo" not in "Board" nor in "@bo:y.de",
    "@bo:x.de" not in "@bo:x.de.example" or "@bo:x.de:8448"."""
    pattern = re.escape(needle)
    if re.match(r"\w", needle):  # not inside a word, nor another person's id
        pattern = r"(?<![\w@])" + pattern
    if re.search(r"\w$", needle):
        pattern += r"(?![\w\-]|\.[\w\-]|:\w)"
    return pattern


class Scrubber:
    """Replaces a person's user id and display names by their pseudonym."""

    def __init__(self, user_id: str, names: Iterable[str], pseudonym: str) -> None:
        self.pseudonym = pseudonym
        shown = [n for raw in names for n in dict.fromkeys((raw.strip(), clean_name(raw))) if n]
        needles: set[str] = set(_forms(user_id))
        for name in [*shown, localpart(user_id)]:  # "erika (@erika:x.de)": the localpart too
            needles |= _forms(f"{name} ({user_id})")
            needles.add(f"{escape(name)} ({escape(user_id)})")
        for name in shown:
            needles |= _forms(name)
        ordered = sorted(needles, key=lambda n: (-len(n), n))  # the longest form first
        self._pattern = re.compile("|".join(map(_bounded, ordered)), re.IGNORECASE)
        raw = [user_id, *shown]
        self._bytes = [n.encode(codec) for n in raw for codec in ("utf-8", "utf-16-le")]
        self.pieces = search_pieces(needles)

    def text(self, text: str) -> str:
        return self._pattern.sub(lambda _: self.pseudonym, text)

    def names_in(self, text: str) -> bool:
        return self._pattern.search(text) is not None

    def json(self, value: Any) -> Any:
        """Every string of a JSON value (keys too) scrubbed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {
                (self.text(k) if isinstance(k, str) else k): self.json(v) for k, v in value.items()
            }
        return value

    def data(self, data: bytes) -> bytes | None:
        """A file scrubbed as UTF-8 text; a binary file that names them is dropped (None)."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None if any(n in data for n in self._bytes) else data
        return self.text(text).encode("utf-8")


#: What splits a needle into the pieces the database looks for: anything but printable ASCII,
#: and what JSON escapes (a JSON column is searched in its stored text).
_NOT_SEARCHABLE = re.compile(r'[^\x20-\x7e]|["\\]')


def search_pieces(needles: Iterable[str]) -> list[str]:
    """What the database looks for to find the rows that may name the person: per needle its
    longest run of printable ASCII (lower-cased: ``lower()`` folds ASCII alike in SQLite and
    PostgreSQL, and such a run is stored as it is in a JSON text too), so that every text the
    :class:`Scrubber` would change contains one of them (case aside). A needle with no such run
    (a name in another script) is looked for as it is, lower-, upper- and title-cased. Pieces
    that contain another piece are left out: the shorter one finds their rows."""
    found: set[str] = set()
    for needle in needles:
        runs = [run for run in _NOT_SEARCHABLE.split(needle) if run.strip()]
        if runs:
            found.add(max(runs, key=len).lower())
        else:
            for variant in (needle, needle.lower(), needle.upper(), needle.title()):
                found |= {variant, json.dumps(variant)[1:-1].lower()}
    ordered = sorted(found, key=lambda p: (len(p), p))
    kept: list[str] = []
    for piece in ordered:
        if not any(shorter in piece for shorter in kept):
            kept.append(piece)
    return kept


def may_name(column: sa.Column[Any], pieces: list[str]) -> sa.ColumnElement[bool]:
    """SQL: the column's value may name the person (a superset of what the scrubber changes).
    A file is always read: only unsent ones are kept, and they are few."""
    if isinstance(column.type, sa.LargeBinary):
        return column.isnot(None)
    text = sa.cast(column, sa.Text) if isinstance(column.type, sa.JSON) else column
    lowered = sa.func.lower(text)
    return sa.or_(
        sa.false(),
        *(
            (lowered if piece.isascii() else text).contains(piece, autoescape=True)
            for piece in pieces
        ),
    )


def _scrubbed(column: sa.Column[Any], value: Any, scrub: Scrubber) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.JSON):
        return scrub.json(value)
    if isinstance(column.type, sa.LargeBinary):
        return scrub.data(bytes(value))
    new = scrub.text(str(value))
    length = getattr(column.type, "length", None)
    if length is not None and len(new) > length:  # a short name became a longer pseudonym
        new = new[: length - 1] + "…"
    return new


# --- erasing ---------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What an erasure changed (or, in a dry run, would change): counts only, never texts."""

    user_id: str
    pseudonym: str | None = None  # None: nothing was stored about them
    #: table -> column -> values changed
    values: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    #: table -> rows changed (any column)
    rows: dict[str, int] = field(default_factory=dict)
    #: table -> rows deleted
    deleted: dict[str, int] = field(default_factory=dict)
    #: unsent messages to them that will not be sent
    cancelled: int = 0
    #: (room, event) of the bot's sent messages that named them: to redact on the homeserver
    to_redact: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.rows or self.deleted or self.cancelled)


def held_roles(session: Session, user_id: str) -> list[HeldRole]:
    """The roles ``user_id`` holds now, on every board."""
    query = (
        select(Membership, Board, Department)
        .join(Board, col(Board.id) == col(Membership.board_id))
        .outerjoin(Department, col(Department.id) == col(Membership.department_id))
        .where(Membership.user_id == user_id, col(Membership.ended_at).is_(None))
        .order_by(col(Board.id), col(Membership.id))
    )
    return [
        HeldRole(board.room_id, board.name, m.role, dept.code if dept is not None else None)
        for m, board, dept in session.exec(query)
    ]


def next_pseudonym(session: Session) -> int:
    """The next number, under a lock (PostgreSQL) held until the commit: a second erasure at the
    same time waits here, then takes the number after this one's."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # SQLite: one writer at a time anyway
        conn.execute(sa.text(f"LOCK TABLE {Pseudonym.__tablename__} IN SHARE ROW EXCLUSIVE MODE"))
    return int(session.exec(select(sa.func.max(Pseudonym.number))).one() or 0) + 1


def absence_audit_delete(absences: sa.ColumnElement[bool]) -> sa.Delete:
    """SQL: delete the audit entries about the absences that match ``absences`` (a condition on
    the table ``absence``): they repeat the dates and the reason. Before the absences go."""
    audit = SQLModel.metadata.tables[AuditEntry.__tablename__]
    absence = SQLModel.metadata.tables[Absence.__tablename__]
    ids = sa.select(sa.cast(absence.c.id, sa.String(64))).where(absences)
    return sa.delete(audit).where(
        audit.c.entity == "absence", audit.c.entity_id.in_(ids.scalar_subquery())
    )


def rooms_of_boards(session: Session) -> list[str]:
    """The board and department rooms: where the person's display name may be set per room."""
    boards = session.exec(select(Board.room_id)).all()
    departments = session.exec(
        select(Department.room_id).where(col(Department.room_id).isnot(None))
    )
    return list(dict.fromkeys([*boards, *(r for r in departments if r)]))


def erase(session: Session, *, user_id: str, names: Iterable[str] = (), now: datetime) -> Erasure:
    """Erase ``user_id`` (with the display ``names`` they went by) from every table; flushed,
    not committed. Raises :class:`MalformedUserId`, :class:`StillHoldsRoles`."""
    if not is_user_id(user_id):
        raise MalformedUserId(user_id)
    held = held_roles(session, user_id)
    if held:
        raise StillHoldsRoles(user_id, held)
    session.flush()
    number = next_pseudonym(session)
    pseudonym = pseudonym_of(number)
    scrub = Scrubber(user_id, names, pseudonym)
    result = Erasure(user_id)
    conn = session.connection()
    rooms = list(session.exec(select(DirectRoom.room_id).where(DirectRoom.user_id == user_id)))
    result.to_redact = _sent_naming(conn, scrub)
    result.cancelled = _cancel_unsent(conn, [user_id, *rooms], now)
    absence = SQLModel.metadata.tables[Absence.__tablename__]
    audit_deleted = conn.execute(absence_audit_delete(absence.c.user_id == user_id)).rowcount
    if audit_deleted:
        result.deleted[AuditEntry.__tablename__] = int(audit_deleted)
    for table_plan in plan():
        _apply(conn, table_plan, user_id, rooms, scrub, result)
    if result.changed:
        result.pseudonym = pseudonym
        session.add(Pseudonym(number=number, created_at=now))
        session.flush()
    session.expire_all()  # the ORM's copies of changed rows are stale
    return result


def _sent_naming(conn: sa.Connection, scrub: Scrubber) -> list[tuple[str, str]]:
    """The bot's sent messages (with an event id) whose content names the person."""
    outbox = SQLModel.metadata.tables[OutboxMessage.__tablename__]
    query = (
        sa.select(outbox.c.room_id, outbox.c.event_id, outbox.c.content)
        .where(outbox.c.event_id.isnot(None), may_name(outbox.c.content, scrub.pieces))
        .order_by(outbox.c.id)
    )
    return [
        (room, event)
        for room, event, content in conn.execute(query)
        if scrub.json(content) != content
    ]


def _cancel_unsent(conn: sa.Connection, rooms: list[str], now: datetime) -> int:
    """Unsent messages to the person (addressed to their id or their direct room: ``rooms``)
    are closed: the outbox must not write to an erased person, nor to their pseudonym."""
    outbox = SQLModel.metadata.tables[OutboxMessage.__tablename__]
    update = (
        outbox.update()
        .where(outbox.c.room_id.in_(rooms), outbox.c.sent_at.is_(None))
        .values(sent_at=now, last_error=NOT_SENT, attachment=None)
    )
    return int(conn.execute(update).rowcount or 0)


def _apply(
    conn: sa.Connection,
    table_plan: TablePlan,
    user_id: str,
    rooms: list[str],
    scrub: Scrubber,
    result: Erasure,
) -> None:
    table = SQLModel.metadata.tables[table_plan.table]
    keys = list(table.primary_key.columns)
    found = [table.c[c] == user_id for c in table_plan.owner + table_plan.ids]
    if rooms:
        found += [table.c[c].in_(rooms) for c in table_plan.rooms]
    found += [may_name(table.c[c], scrub.pieces) for c in table_plan.texts]
    query = (
        sa.select(*keys, *(table.c[c] for c in table_plan.columns))
        .where(sa.or_(*found))
        .order_by(*keys)
        .with_for_update()  # PostgreSQL: kept from the bot's edits until the commit
    )
    to_delete: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for row in conn.execute(query).mappings():
        key = {f"k_{k.name}": row[k.name] for k in keys}
        if any(row[c] == user_id for c in table_plan.owner):
            to_delete.append(key)
            continue
        changed: dict[str, Any] = {}
        for name in table_plan.ids:
            if row[name] == user_id or (name in table_plan.rooms and row[name] in rooms):
                changed[name] = scrub.pseudonym
        for name in table_plan.texts:
            new = _scrubbed(table.c[name], row[name], scrub)
            if new != row[name]:
                changed[name] = new
        _fix_file_size(table_plan.table, row, changed)
        if changed:
            for name in changed:
                counts[name] += 1
            updates[tuple(sorted(changed))].append(
                {**key, **{f"v_{c}": v for c, v in changed.items()}}
            )
    where = sa.and_(*(k == sa.bindparam(f"k_{k.name}", type_=k.type) for k in keys))
    if to_delete:
        conn.execute(table.delete().where(where), to_delete)
        result.deleted[table_plan.table] = len(to_delete)
    for columns, params in updates.items():
        values = {c: sa.bindparam(f"v_{c}", type_=table.c[c].type) for c in columns}
        conn.execute(table.update().where(where).values(values), params)
    if updates:
        result.rows[table_plan.table] = sum(len(p) for p in updates.values())
        result.values[table_plan.table] = dict(counts)


def _fix_file_size(table: str, row: Any, changed: dict[str, Any]) -> None:
    """A scrubbed file of an unsent message: its announced size follows; a dropped one takes
    its announcement along (the outbox then closes the row as "the file is missing")."""
    if table != "outbox" or "attachment" not in changed:
        return
    content = changed.get("content", row["content"])
    info = content.get("info") if isinstance(content, dict) else None
    if isinstance(info, dict) and "size" in info:
        data = changed["attachment"]
        size = len(data) if data is not None else 0
        changed["content"] = {**content, "info": {**info, "size": size}}
