"""Moving a board's portfolio out and in: ``!wp export`` (CSV and JSON) and
``board-bot import workpackages FILE.csv``.

**Export.** The JSON file holds everything the board keeps about its packages, in machine
values (ISO dates, ``planned``/``green``), for other systems. The CSV file is for people: the
board's language, dates like ``31.12.2026``, ``;`` as the delimiter and a BOM, so that a German
Excel opens it as a table with its umlauts intact. It is also the import's format, so a CSV file
exported, edited in Excel and imported again updates the packages it came from.

**Import.** One row per package under a header row (:data:`COLUMNS`: German or English names).
``Titel`` and ``Fachbereich`` are needed for new packages; every other column is optional.

* A row whose ``Nr`` is empty creates a package (numbers are given in file order). A row with a
  number (``WP-12``) updates that package: the columns in the file are set to the row's values
  (an empty cell clears an optional field), columns not in the file stay as they are.
* ``Beteiligte Fachbereiche`` and ``Wartet auf`` set the whole list (codes separated by ``,``).
  ``Meilensteine`` (one per line: ``31.03.2027 Ausschreibung``, a leading ``✓`` or ``[x]`` for a
  reached one) and ``Links`` (one per line: the address, then an optional title) only add what
  the package does not have yet; nothing is removed.
* The whole file is checked before anything is kept: every bad row is reported with its line
  number, and if there is any, nothing changes (the caller's unit of work rolls back).

Messages are English: they are read by the operator at the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from board_bot.core.dates import parse_date
from board_bot.core.errors import BotError
from board_bot.core.i18n import t
from board_bot.core.ids import is_user_id
from board_bot.core.render import plain_text
from board_bot.features.boards import service as boards
from board_bot.features.departments import service as departments
from board_bot.features.people.importer import (
    ImportRejected,
    Problem,
    bot_error_text,
    delimiter,
    no_board,
)
from board_bot.features.work_packages import fields
from board_bot.features.work_packages import service as wps
from board_bot.features.work_packages.vocabulary import LIGHT, STATUS
from board_bot.models import (
    Board,
    Department,
    Dependency,
    Milestone,
    WorkPackage,
    WorkPackageDepartment,
    WorkPackageLink,
)

FORMAT = "smart-city-board/work-packages"
FORMAT_VERSION = 1
DONE_MARKS = ("✓", "✔", "[x]", "[X]")


@dataclass(frozen=True)
class Column:
    key: str
    de: str
    en: str


# The package's fields in the field table's order, the number first and the long description
# last (it makes a row tall), with the package's relations before it.
COLUMNS = (
    Column("number", "Nr", "No"),
    *(Column(f.name, f.csv_de, f.csv_en) for f in fields.FIELDS if f.kind != "long_text"),
    Column("waits_for", "Wartet auf", "Waits for"),
    Column("milestones", "Meilensteine", "Milestones"),
    Column("links", "Links", "Links"),
    *(Column(f.name, f.csv_de, f.csv_en) for f in fields.FIELDS if f.kind == "long_text"),
)
REQUIRED_FOR_NEW = ("title", "owner")
# Columns that cannot be cleared: an empty cell leaves the value as it is (or the default).
NOT_EMPTY = frozenset(f.name for f in fields.FIELDS if not f.clearable)


def _name(key: str) -> str:
    """The German column name, for messages."""
    return next(c.de for c in COLUMNS if c.key == key)


def _position(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


def _fold(header: str) -> str:
    return re.sub(r"[\s_\-()%]+", "", header.casefold())


# Header (folded) -> column key; a few spellings people type besides the export's own.
HEADERS: dict[str, str] = {}
for _c in COLUMNS:
    for _spelling in (_c.key, _c.de, _c.en):
        HEADERS[_fold(_spelling)] = _c.key
HEADERS.update(
    {
        _fold(k): v
        for k, v in {
            "WP": "number",
            "AP": "number",
            "Nummer": "number",
            "Id": "number",
            "Fachbereich (Eigentümer)": "owner",
            "Owner": "owner",
            "Beteiligte": "contributors",
            "Mitwirkende Fachbereiche": "contributors",
            "Fortschritt": "progress",
            "Fällig am": "due_date",
            "Fälligkeit": "due_date",
            "Ende": "due_date",
            "Beginn": "start_date",
            "Abhängigkeiten": "waits_for",
            "Depends on": "waits_for",
        }.items()
    }
)


# --- export -------------------------------------------------------------------------------------


@dataclass
class Record:
    """One package with everything around it, loaded for export."""

    wp: WorkPackage
    owner: str
    contributors: list[str] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    links: list[WorkPackageLink] = field(default_factory=list)
    waits_for: list[int] = field(default_factory=list)


def load(session: Session, board_id: int) -> list[Record]:
    """Every package of the board (closed ones too), by number: six queries in all."""
    packages = session.exec(
        select(WorkPackage)
        .where(WorkPackage.board_id == board_id)
        .order_by(col(WorkPackage.number))
    ).all()
    depts = {
        d.id: d.code
        for d in session.exec(select(Department).where(Department.board_id == board_id))
    }
    records = {wp.id: Record(wp, depts.get(wp.owner_department_id, "?")) for wp in packages}
    ids = list(records)
    if not ids:
        return []
    contributions = session.exec(
        select(WorkPackageDepartment).where(col(WorkPackageDepartment.work_package_id).in_(ids))
    ).all()
    for c in contributions:
        records[c.work_package_id].contributors.append(depts.get(c.department_id, "?"))
    for record in records.values():
        record.contributors.sort()
    for m in session.exec(
        select(Milestone)
        .where(col(Milestone.work_package_id).in_(ids))
        .order_by(col(Milestone.due_on), col(Milestone.id))
    ):
        records[m.work_package_id].milestones.append(m)
    for link in session.exec(
        select(WorkPackageLink)
        .where(col(WorkPackageLink.work_package_id).in_(ids))
        .order_by(col(WorkPackageLink.id))
    ):
        records[link.work_package_id].links.append(link)
    numbers = {wp.id: wp.number for wp in packages}
    for dep in session.exec(select(Dependency).where(col(Dependency.work_package_id).in_(ids))):
        if dep.depends_on_id in numbers:
            records[dep.work_package_id].waits_for.append(numbers[dep.depends_on_id])
    for record in records.values():
        record.waits_for.sort()
    return list(records.values())


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# Fields the JSON export nests under another key ("funding").
_NESTED = frozenset({"funding_programme", "funding_deadline"})


def to_json(board: Board, records: Sequence[Record], now: datetime) -> bytes:
    """Everything, in machine values; ``format`` and ``version`` name the layout."""
    packages = []
    for r in records:
        wp = r.wp
        package: dict[str, Any] = {
            "id": wps.code(wp),
            "number": wp.number,
            "title": wp.title,
            "description": wp.description,
            "leitlinie": wp.leitlinie,
            "handlungsfeld": wp.handlungsfeld,
            "owner": r.owner,
            "contributors": r.contributors,
            "responsible": wp.responsible,
            "status": wp.status,
            "traffic_light": wp.traffic_light,
            "traffic_reason": wp.traffic_reason,
            "progress": wp.progress,
            "start_date": _iso(wp.start_date),
            "due_date": _iso(wp.due_date),
            "funding": {
                "programme": wp.funding_programme,
                "application_deadline": _iso(wp.funding_deadline),
            },
            "milestones": [
                {
                    "title": m.title,
                    "date": _iso(m.due_on),
                    "done": m.done_at is not None,
                    "done_at": _iso(m.done_at),
                }
                for m in r.milestones
            ],
            "links": [{"url": link.url, "title": link.title} for link in r.links],
            "waits_for": [wps.code(n) for n in r.waits_for],
            "created_by": wp.created_by,
            "created_at": _iso(wp.created_at),
            "updated_at": _iso(wp.updated_at),
        }
        for column in fields.FIELDS:  # the table's other fields, in machine values
            if column.column and column.name not in package and column.name not in _NESTED:
                raw = getattr(wp, column.name)
                package[column.name] = _iso(raw) if column.kind == "date" else raw
        packages.append(package)
    head = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "board": {"name": board.name, "room_id": board.room_id},
        "exported_at": now.isoformat(),
        "count": len(packages),
    }
    # One package a line: readable in an editor, and json's fast encoder (indent= is slow).
    lines = [json.dumps(p, ensure_ascii=False) for p in packages]
    body = ",\n    ".join(lines)
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',\n  "work_packages": ['
    text += f"\n    {body}\n  ]}}\n" if lines else "]}\n"
    return text.encode()


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""


def _word(lang: str, key: str) -> str:
    return plain_text(t(lang, key))


def csv_cells(lang: str, r: Record) -> dict[str, str]:
    """A record's cells, as :func:`to_csv` writes them and :func:`import_work_packages` reads."""
    wp = r.wp
    milestones = [
        f"{'✓ ' if m.done_at is not None else ''}{_day(m.due_on)} {m.title}" for m in r.milestones
    ]
    links = [f"{link.url} {link.title}" if link.title else link.url for link in r.links]
    cells = {"number": wps.code(wp)}
    for column in fields.FIELDS:
        cells[column.name] = _cell(lang, column, r)
    cells["waits_for"] = ", ".join(wps.code(n) for n in r.waits_for)
    cells["milestones"] = "\n".join(milestones)
    cells["links"] = "\n".join(links)
    return cells


def _cell(lang: str, column: fields.FieldSpec, r: Record) -> str:
    """A field's cell, by the field's kind."""
    if column.kind == "owner":
        return r.owner
    if column.kind == "departments":
        return ", ".join(r.contributors)
    raw = getattr(r.wp, column.name)
    if raw is None:
        return ""
    if column.kind == "status":
        return _word(lang, STATUS.key(raw))
    if column.kind == "light":
        return _word(lang, LIGHT.key(raw))
    if column.kind == "date":
        return _day(raw)
    if column.kind == "yesno":
        return _word(lang, "wp.yes" if raw else "wp.no")
    return str(raw)  # text, numbers, a user id


def guard_cell(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) gets a
    leading apostrophe; the import takes it off again."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def to_csv(lang: str, records: Sequence[Record]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.de if lang == "de" else c.en for c in COLUMNS])
    for r in records:
        cells = csv_cells(lang, r)
        # The responsible person is a Matrix id (@name:server): an apostrophe would only confuse.
        writer.writerow(
            [cells[c.key] if c.key == "responsible" else guard_cell(cells[c.key]) for c in COLUMNS]
        )
    return ("\ufeff" + out.getvalue()).encode()


def filename(lang: str, now: datetime, extension: str) -> str:
    stem = "arbeitspakete" if lang == "de" else "work-packages"
    return f"{stem}-{now.strftime('%Y-%m-%d-%H%M')}.{extension}"


# --- import: reading ----------------------------------------------------------------------------


@dataclass
class Row:
    """One row, checked: values converted, names resolved; ``present`` are the file's columns."""

    line: int
    number: int | None
    values: dict[str, Any]
    present: frozenset[str]
    contributors: list[Department] | None = None
    waits_for: list[int] | None = None
    milestones: list[tuple[date, str, bool]] = field(default_factory=list)
    links: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class Summary:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # code, fields
    unchanged: int = 0


def read_table(text: str) -> tuple[list[str | None], list[tuple[int, list[str]]]]:
    """The header's column keys and the non-empty rows with their first line numbers."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    problems: list[Problem] = []
    columns: list[str | None] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = _header(record, start, problems)
                if problems:
                    break
                continue
            if len(record) > len(columns) and any(c.strip() for c in record[len(columns) :]):
                problems.append(
                    Problem(
                        start,
                        f"{len(record)} fields, but the header has only {len(columns)} columns",
                    )
                )
                continue
            rows.append((start, record))
    except csv.Error as exc:
        problems.append(Problem(line, f"the CSV is malformed: {exc}"))
    if columns is None and not problems:
        problems.append(Problem(None, "the file is empty: expected a header row and one row each"))
    elif not rows and not problems:
        problems.append(Problem(None, "the file has a header row but no work packages"))
    if problems:
        raise ImportRejected(problems)
    assert columns is not None
    return columns, rows


def _header(cells: list[str], line: int, problems: list[Problem]) -> list[str | None]:
    columns: list[str | None] = []
    for cell in cells:
        column = HEADERS.get(_fold(cell))
        if column is None and cell.strip():
            problems.append(
                Problem(
                    line,
                    f"unknown column {cell.strip()[:60]!r} (known: "
                    + ", ".join(c.de for c in COLUMNS)
                    + "; or in English: "
                    + ", ".join(c.en for c in COLUMNS)
                    + ")",
                )
            )
        elif column is not None and column in columns:
            problems.append(Problem(line, f"the column {cell.strip()!r} appears twice"))
        columns.append(column)
    if "title" not in columns and "number" not in columns:
        problems.append(Problem(line, "the header row has no column Titel (title)"))
    return columns


def _unguard(cell: str) -> str:
    cell = cell.strip()
    return cell[1:] if cell[:2] in ("'=", "'+", "'-", "'@") else cell


def _list(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;|\n]", cell) if part.strip()]


class _Bad(Exception):
    pass


@dataclass
class _Reader:
    """Converts one row's cells, collecting every problem of the row."""

    session: Session
    board_id: int
    today: date
    handlungsfelder: Sequence[str]
    line: int
    problems: list[Problem]
    departments: dict[str, Department]

    def bad(self, message: str) -> None:
        self.problems.append(Problem(self.line, message))

    def attempt(self, label: str, convert: Any, cell: str) -> Any:
        try:
            return convert(cell)
        except _Bad as exc:
            self.bad(f"{label}: {exc}")
        except BotError as exc:
            self.bad(f"{label}: {bot_error_text(exc)}")
        return None

    def day(self, cell: str) -> date | None:
        return parse_date(cell, today=self.today) if cell else None

    def department(self, cell: str) -> Department:
        dept = self.departments.get(departments.code_key(cell))
        if dept is None:
            known = ", ".join(sorted(d.code for d in self.departments.values())) or "none yet"
            raise _Bad(f"no department {cell[:40]!r} on this board (known: {known})")
        return dept

    def leitlinie(self, cell: str) -> int | None:
        if not cell:
            return None
        match = re.fullmatch(r"(?:ll|leitlinie|guideline)?\s*([1-4])", cell.strip(), re.I)
        if match is None:
            raise _Bad(f"{cell[:20]!r} is not a Leitlinie (1 to 4)")
        return int(match.group(1))

    def handlungsfeld(self, cell: str) -> str | None:
        if not cell:
            return None
        folded = " ".join(cell.split()).casefold()
        for name in self.handlungsfelder:
            if " ".join(name.split()).casefold() == folded:
                return name
        known = ", ".join(self.handlungsfelder) or "none configured (bot.handlungsfelder)"
        raise _Bad(f"{cell[:60]!r} is not one of the board's fields of action ({known})")

    def responsible(self, cell: str) -> str | None:
        if not cell:
            return None
        if not is_user_id(cell):
            raise _Bad(f"{cell[:80]!r} is not a Matrix user id (like @name:server.de)")
        return cell

    def status(self, cell: str) -> str:
        status = STATUS.parse(cell)
        if status is None:
            raise _Bad(f"{cell[:30]!r} is not a status ({STATUS.choices('de')})")
        return status

    def light(self, cell: str) -> str:
        light = LIGHT.parse(cell)
        if light is None:
            raise _Bad(f"{cell[:30]!r} is not a traffic light ({LIGHT.choices('de')})")
        return light

    def euros(self, cell: str) -> int | None:
        return fields.parse_euros(cell) if cell.strip() else None

    def yes_no(self, cell: str) -> bool:
        return fields.parse_yes_no(cell)

    def progress(self, cell: str) -> int:
        match = re.fullmatch(r"(\d{1,3})\s*%?", cell.strip())
        if match is None or int(match.group(1)) > 100:
            raise _Bad(f"{cell[:20]!r} is not a percentage from 0 to 100")
        return int(match.group(1))

    def waits_for(self, cell: str) -> list[int]:
        return [wps.parse_code(part) for part in _list(cell)]

    def contributors(self, cell: str) -> list[Department]:
        return [self.department(part) for part in _list(cell)]

    def milestones(self, cell: str) -> list[tuple[date, str, bool]]:
        found = []
        for text in (line.strip() for line in cell.splitlines()):
            if not text:
                continue
            done = False
            for mark in DONE_MARKS:
                if text.startswith(mark):
                    done, text = True, text[len(mark) :].strip()
                    break
            day, _, title = text.partition(" ")
            try:
                due_on = parse_date(day, today=self.today)
            except BotError:
                due_on = None
            if due_on is None or not title.strip():
                raise _Bad(f"{text[:60]!r}: expected a date and a title, like '31.03.2027 Vergabe'")
            found.append((due_on, title.strip(), done))
        return found

    def links(self, cell: str) -> list[tuple[str, str | None]]:
        found: list[tuple[str, str | None]] = []
        for text in (line.strip() for line in cell.splitlines()):
            if text:
                url, _, title = text.partition(" ")
                found.append((url, title.strip() or None))
        return found


def _read_row(
    reader: _Reader, columns: list[str | None], cells: list[str], numbers: set[int]
) -> tuple[Row | None, int | None]:
    """The row (None when it has problems) and the package number it names, if any."""
    before = len(reader.problems)
    cell = {key: _unguard(c) for key, c in zip(columns, cells, strict=False) if key is not None}
    present = frozenset(k for k in columns if k is not None)
    number = None
    if cell.get("number"):
        number = reader.attempt("Nr", wps.parse_code, cell["number"])
        if number is not None and number not in numbers:
            reader.bad(
                f"{wps.code(number)} does not exist on this board "
                "(leave Nr empty to create a new work package)"
            )
    values: dict[str, Any] = {}
    if number is None and not reader.problems[before:]:
        for key in REQUIRED_FOR_NEW:
            if not cell.get(key):
                reader.bad(f"a new work package needs {_name(key)} ({key})")
    by_kind: dict[str, Any] = {  # how a cell of each kind of field is read
        "owner": reader.department,
        "leitlinie": reader.leitlinie,
        "handlungsfeld": reader.handlungsfeld,
        "user": reader.responsible,
        "status": reader.status,
        "light": reader.light,
        "percent": reader.progress,
        "date": reader.day,
        "euro": reader.euros,
        "yesno": reader.yes_no,
    }
    for key in sorted(present & (wps.FIELDS | {"owner"}), key=_position):
        text = cell.get(key, "")
        if not text and key in NOT_EMPTY:
            continue  # a new package gets its default (planned, green, 0 %), one updated keeps it
        kind = fields.spec(key).kind
        if kind in by_kind:
            values[key] = reader.attempt(_name(key), by_kind[kind], text)
        elif kind == "long_text":
            values[key] = text
        else:  # one-line text
            values[key] = text or None
    row = Row(reader.line, number, values, present)
    if "contributors" in present:
        row.contributors = reader.attempt(
            _name("contributors"), reader.contributors, cell.get("contributors", "")
        )
    if "waits_for" in present:
        row.waits_for = reader.attempt(_name("waits_for"), reader.waits_for, cell["waits_for"])
    if cell.get("milestones"):
        row.milestones = (
            reader.attempt(_name("milestones"), reader.milestones, cell["milestones"]) or []
        )
    if cell.get("links"):
        row.links = reader.attempt(_name("links"), reader.links, cell["links"]) or []
    return (row if len(reader.problems) == before else None), number


# --- import: applying ---------------------------------------------------------------------------


def import_work_packages(
    session: Session,
    *,
    room_id: str,
    text: str,
    actor: str,
    now: datetime,
    today: date,
    handlungsfelder: Sequence[str],
) -> Summary:
    """Check ``text`` (CSV) and apply it to the board in ``room_id`` in the caller's session.

    Raises :class:`ImportRejected` with every problem; the caller must then roll back (nothing
    it applied may be kept)."""
    board = boards.for_room(session, room_id)
    if board is None or board.id is None:
        raise ImportRejected([no_board(room_id)])
    columns, table = read_table(text)
    depts = {d.code_key: d for d in departments.active(session, board.id)}
    packages = {
        wp.number: wp
        for wp in session.exec(select(WorkPackage).where(WorkPackage.board_id == board.id))
    }
    problems: list[Problem] = []
    rows: list[Row] = []
    first_line: dict[int, int] = {}
    for line, cells in table:
        reader = _Reader(session, board.id, today, handlungsfelder, line, problems, depts)
        row, number = _read_row(reader, columns, cells, set(packages))
        if number is not None and number in first_line:
            problems.append(
                Problem(
                    line,
                    f"{wps.code(number)} appears twice (first on line {first_line[number]})",
                )
            )
            continue
        if number is not None:
            first_line[number] = line
        if row is not None:
            rows.append(row)
    summary = Summary(rows=len(table))
    applied: list[tuple[Row, WorkPackage, list[str]]] = []
    for row in rows:
        try:
            with session.begin_nested():
                wp, changed = _apply_row(session, board, row, packages, actor, now, handlungsfelder)
            applied.append((row, wp, changed))
            if row.number is None:
                summary.created.append(wps.code(wp))
        except BotError as exc:
            problems.append(Problem(row.line, bot_error_text(exc)))
    by_number = {wp.number: wp for wp in packages.values()}
    for row, wp, changed in applied:
        if row.waits_for is not None:
            try:
                with session.begin_nested():
                    if _set_waits_for(session, wp, row.waits_for, by_number, actor, now):
                        changed.append("waits_for")
            except BotError as exc:
                problems.append(Problem(row.line, f"Wartet auf: {bot_error_text(exc)}"))
        if row.number is not None and changed:
            summary.updated.append((wps.code(wp), list(dict.fromkeys(changed))))
        elif row.number is not None:
            summary.unchanged += 1
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.line or 0))
    return summary


def _apply_row(
    session: Session,
    board: Board,
    row: Row,
    packages: dict[int, WorkPackage],
    actor: str,
    now: datetime,
    handlungsfelder: Sequence[str],
) -> tuple[WorkPackage, list[str]]:
    """Create or update the row's package; the package and the fields that changed."""
    values = dict(row.values)
    changed: list[str] = []
    if row.number is None:
        wp = wps.create(
            session,
            board=board,
            title=values.pop("title"),
            owner=values.pop("owner"),
            actor=actor,
            now=now,
            handlungsfelder=handlungsfelder,
        )
        packages[wp.number] = wp
    else:
        wp = packages[row.number]
    # The service checks each value and the dates together; "done" with a progress other than
    # 100 is refused there, as in the chat.
    changes = {k: v for k, v in values.items() if k in wps.FIELDS}
    if changes:
        changed += list(
            wps.update(
                session, wp, actor=actor, now=now, handlungsfelder=handlungsfelder, **changes
            )
        )
    if row.contributors is not None:
        details = wps.details(session, wp)
        if {d.id for d in details.contributors} != {d.id for d in row.contributors}:
            wps.set_contributors(session, wp, row.contributors, actor=actor, now=now)
            changed.append("contributors")
    if row.milestones or row.links:
        details = wps.details(session, wp)
        have = {(m.due_on, m.title) for m in details.milestones}
        for due_on, title, done in row.milestones:
            existing = next(
                (m for m in details.milestones if (m.due_on, m.title) == (due_on, title)), None
            )
            if existing is None and (due_on, title) not in have:
                existing = wps.add_milestone(session, wp, title, due_on, actor=actor, now=now)
                have.add((due_on, title))
                changed.append("milestones")
            if done and existing is not None and existing.done_at is None:
                wps.complete_milestone(session, wp, existing, actor=actor, now=now)
                changed.append("milestones")
        urls = {link.url for link in details.links}
        for url, link_title in row.links:
            if url not in urls:
                wps.add_link(session, wp, url, link_title, actor=actor, now=now)
                urls.add(url)
                changed.append("links")
    return wp, changed


def _set_waits_for(
    session: Session,
    wp: WorkPackage,
    numbers: list[int],
    by_number: dict[int, WorkPackage],
    actor: str,
    now: datetime,
) -> bool:
    """Make ``wp`` wait for exactly ``numbers``; whether anything changed."""
    wanted = []
    for number in dict.fromkeys(numbers):
        other = by_number.get(number)
        if other is None:
            raise BotError("wp.not_found", code=wps.code(number))
        wanted.append(other)
    current = {d.id: d for d in wps.details(session, wp).waits_for}
    changed = False
    for other in current.values():
        if other.id not in {w.id for w in wanted}:
            wps.undepend(session, wp, other, actor=actor, now=now)
            changed = True
    for other in wanted:
        if other.id not in current:
            wps.depend(session, wp, other, actor=actor, now=now)
            changed = True
    return changed


def describe(summary: Summary, *, dry_run: bool = False) -> str:
    """The summary for an operator, in English."""
    would = "would be " if dry_run else ""
    lines = [
        f"{summary.rows} work packages in the file: {len(summary.created)} {would}created, "
        f"{len(summary.updated)} {would}updated, {summary.unchanged} unchanged."
    ]
    lines += [f"  + {code}" for code in summary.created]
    lines += [f"  ~ {code}: {', '.join(fields)}" for code, fields in summary.updated]
    if dry_run:
        lines.append("Dry run: nothing was changed.")
    return "\n".join(lines)
