"""Bulk set-up of a board's organisation chart from a CSV file.

One row per department: ``code,name,lead,deputies,members`` (German headers ``Kürzel``, ``Name``,
``Leitung``, ``Vertretung``, ``Mitglieder`` work too). The file is read as UTF-8 (with or without
the BOM Excel writes), and the delimiter is ``,`` or ``;`` (German Excel), whichever the header
uses. Several people in one cell are separated by spaces, commas (inside quotes) or ``|``.

The whole file is checked first; if any row is bad nothing changes and :class:`ImportRejected`
lists every problem with its line number. A good file is applied in the caller's unit of work:
missing departments are created, renamed ones get their new name, and roles not held yet are
assigned (a different lead replaces the old one). Nothing is removed, so importing the same file
twice changes nothing the second time. The messages are English: they are read by operators.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from board_bot.core.errors import BotError
from board_bot.core.i18n import t
from board_bot.core.ids import is_user_id
from board_bot.core.render import plain_text
from board_bot.features.boards import service as boards
from board_bot.features.departments import service as departments
from board_bot.features.people import service as people
from board_bot.models import Board

# Header (folded: lower case, no spaces, umlauts as written) -> field.
HEADERS = {
    "code": "code",
    "kürzel": "code",
    "kuerzel": "code",
    "name": "name",
    "bezeichnung": "name",
    "lead": "lead",
    "leitung": "lead",
    "deputies": "deputies",
    "deputy": "deputies",
    "vertretung": "deputies",
    "stellvertretung": "deputies",
    "members": "members",
    "mitglieder": "members",
}
REQUIRED = ("code", "name")
DELIMITERS = (",", ";", "\t")
_PEOPLE_SEPARATORS = re.compile(r"[\s,;|]+")


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: ``line`` is the file's line number (None: not tied to a line)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


class ImportRejected(Exception):
    """The file has problems; nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    lead: str | None
    deputies: tuple[str, ...]
    members: tuple[str, ...]


@dataclass
class Summary:
    """What an import changed, as plain values (still readable after a rollback)."""

    departments: int = 0
    created: list[str] = field(default_factory=list)  # codes
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, old, new name
    assigned: list[tuple[str, str, str]] = field(default_factory=list)  # code, role, user id
    replaced: list[tuple[str, str, str]] = field(default_factory=list)  # code, old, new lead
    unchanged_roles: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.renamed or self.assigned)


# --- reading and checking -----------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text; a file that is not UTF-8 is rejected with the line of the first bad byte
    (Excel's plain "CSV" format writes Windows-1252: save as "CSV UTF-8" instead)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [Problem(line, "the file is not UTF-8 text (in Excel: save as 'CSV UTF-8')")]
        ) from exc


def delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=header.count)


def _people(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in _PEOPLE_SEPARATORS.split(cell.strip()) if p))


def bot_error_text(exc: BotError) -> str:
    """A service's refusal in the catalog's English text, as plain text for the terminal."""
    return plain_text(t("en", exc.key, **exc.params))


def no_board(room_id: str) -> Problem:
    return Problem(
        None,
        f"there is no board in the room {room_id!r}: invite the bot there and type "
        "'!board init <name>' first",
    )


def parse(text: str) -> list[Row]:
    """The rows of a CSV text, every problem of the file at once (:class:`ImportRejected`)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    problems: list[Problem] = []
    columns: list[str | None] | None = None
    rows: list[Row] = []
    first_line_of: dict[str, int] = {}
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if columns is None:
                columns = _header(cells, start, problems)
                if problems:
                    break  # without a usable header the rows cannot be read
                continue
            row = _row(cells, columns, start, problems)
            if row is None:
                continue
            key = departments.code_key(row.code)
            if key in first_line_of:
                problems.append(
                    Problem(
                        start,
                        f"the code {row.code!r} appears twice (first on line {first_line_of[key]})",
                    )
                )
            else:
                first_line_of[key] = start
            rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(line, f"the CSV is malformed: {exc}"))
    if columns is None and not problems:
        problems.append(Problem(None, "the file is empty: expected a header row and one row each"))
    elif not rows and not problems:
        problems.append(Problem(None, "the file has a header row but no departments"))
    if problems:
        raise ImportRejected(problems)
    return rows


def _header(cells: list[str], line: int, problems: list[Problem]) -> list[str | None]:
    columns: list[str | None] = []
    for cell in cells:
        folded = "".join(cell.split()).casefold()
        column = HEADERS.get(folded)
        if column is None and folded:
            problems.append(
                Problem(
                    line,
                    f"unknown column {cell!r} (expected code, name, lead, deputies, members "
                    "or Kürzel, Name, Leitung, Vertretung, Mitglieder)",
                )
            )
        elif column in columns:
            problems.append(Problem(line, f"the column {cell!r} appears twice"))
        columns.append(column)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        problems.append(Problem(line, f"the header row has no column {' or '.join(missing)}"))
    return columns


def _row(
    cells: list[str], columns: list[str | None], line: int, problems: list[Problem]
) -> Row | None:
    if len(cells) > len(columns) and any(cells[len(columns) :]):
        problems.append(
            Problem(line, f"{len(cells)} fields, but the header has only {len(columns)} columns")
        )
        return None
    values = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
    before = len(problems)
    code = name = ""
    try:
        code = departments.clean_code(values.get("code", ""))
    except BotError as exc:
        problems.append(Problem(line, bot_error_text(exc)))
    try:
        name = departments.clean_name(values.get("name", ""))
    except BotError as exc:
        problems.append(Problem(line, bot_error_text(exc)))
    lead_cell = _people(values.get("lead", ""))
    deputies = _people(values.get("deputies", ""))
    members = _people(values.get("members", ""))
    if len(lead_cell) > 1:
        problems.append(Problem(line, f"a department has one lead, not {len(lead_cell)}"))
    for label, users in (("lead", lead_cell), ("deputy", deputies), ("member", members)):
        for user in users:
            if not is_user_id(user):
                problems.append(
                    Problem(
                        line,
                        f"{label} {user[:80]!r} is not a Matrix user id (like @name:server.de)",
                    )
                )
    lead = lead_cell[0] if len(lead_cell) == 1 else None
    # One role per person and department, as the chat commands keep it.
    roles_of: dict[str, list[str]] = {}
    for label, users in (("lead", lead_cell), ("deputy", deputies), ("member", members)):
        for user in users:
            roles_of.setdefault(user, []).append(label)
    for user, labels in roles_of.items():
        if len(labels) > 1:
            problems.append(
                Problem(line, f"{user} is {' and '.join(labels)}: one role per department")
            )
    if len(problems) > before:
        return None
    return Row(line, code, name, lead, deputies, members)


# --- applying -----------------------------------------------------------------------------------


def import_people(
    session: Session,
    *,
    room_id: str,
    text: str,
    actor: str,
    now: datetime,
) -> Summary:
    """Check ``text`` (CSV) and apply it to the board in ``room_id`` in the caller's session.

    Raises :class:`ImportRejected` with every problem, having changed nothing."""
    try:
        rows = parse(text)
        problems: list[Problem] = []
    except ImportRejected as exc:
        rows, problems = [], exc.problems
    board = boards.for_room(session, room_id)
    if board is None:
        problems.insert(0, no_board(room_id))
    if problems:
        raise ImportRejected(problems)
    assert board is not None
    return apply(session, board=board, rows=rows, actor=actor, now=now)


def apply(session: Session, *, board: Board, rows: list[Row], actor: str, now: datetime) -> Summary:
    """Create or update the rows' departments and assign the roles not held yet."""
    assert board.id is not None
    summary = Summary(departments=len(rows))
    existing = {d.code_key: d for d in departments.active(session, board.id)}
    held = {(m.department_id, m.user_id, m.role) for m in people.active(session, board.id)}
    for row in rows:
        dept = existing.get(departments.code_key(row.code))
        if dept is None:
            dept = departments.add(
                session, board=board, code=row.code, name=row.name, actor=actor, now=now
            )
            summary.created.append(dept.code)
        elif dept.name != row.name:
            old = dept.name
            departments.rename(session, dept=dept, name=row.name, actor=actor, now=now)
            summary.renamed.append((dept.code, old, dept.name))
        wanted = [("lead", row.lead)] if row.lead else []
        wanted += [("deputy", u) for u in row.deputies] + [("member", u) for u in row.members]
        for role, user in wanted:
            if (dept.id, user, role) in held:
                summary.unchanged_roles += 1
                continue
            done = people.assign(
                session,
                board=board,
                user_id=user,
                role=role,
                department=dept,
                actor=actor,
                now=now,
            )
            held.add((dept.id, user, role))
            summary.assigned.append((dept.code, role, user))
            if done.replaced is not None:
                held.discard((dept.id, done.replaced, "lead"))
                summary.replaced.append((dept.code, done.replaced, user))
    return summary


def describe(summary: Summary, *, dry_run: bool = False) -> str:
    """The summary for an operator, in English."""
    would = "would be " if dry_run else ""
    lines = [
        f"{summary.departments} departments in the file: {len(summary.created)} {would}created, "
        f"{len(summary.renamed)} {would}renamed; {len(summary.assigned)} roles {would}assigned, "
        f"{summary.unchanged_roles} already held."
    ]
    lines += [f"  + {code}" for code in summary.created]
    lines += [f"  ~ {code}: {old!r} -> {new!r}" for code, old, new in summary.renamed]
    lines += [f"  + {code}: {role} {user}" for code, role, user in summary.assigned]
    lines += [f"  - {code}: {old} is no longer lead ({new} replaces)" for code, old, new in
              summary.replaced]  # fmt: skip
    if dry_run:
        lines.append("Dry run: nothing was changed.")
    elif not summary.changed:
        lines.append("Nothing to change: the board already matches the file.")
    return "\n".join(lines)
