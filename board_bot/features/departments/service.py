"""Departments of a board: add, rename, room, archive. Never deleted."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from board_bot.core import audit
from board_bot.core.errors import BotError, NotFound
from board_bot.features.people import service as people
from board_bot.models import Board, Department

MAX_CODE = 32
MAX_NAME = 200
_CODE = re.compile(r"[A-Za-zÄÖÜäöüß0-9][A-Za-zÄÖÜäöüß0-9 ./\-]*")


def code_key(code: str) -> str:
    """One key for "FB 61", "fb61" and "FB61"."""
    return "".join(code.split()).casefold()


def clean_code(code: str) -> str:
    code = " ".join(code.split())
    if not code or len(code) > MAX_CODE or not _CODE.fullmatch(code):
        raise BotError("dept.code_invalid", code=code[:40], limit=MAX_CODE)
    return code


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise BotError("dept.name_missing")
    if len(name) > MAX_NAME:
        raise BotError("dept.name_too_long", length=len(name), limit=MAX_NAME)
    return name


def active(session: Session, board_id: int) -> list[Department]:
    """The board's departments that are not archived, ordered by code."""
    rows = session.exec(
        select(Department).where(
            Department.board_id == board_id, col(Department.archived_at).is_(None)
        )
    ).all()
    return sorted(rows, key=lambda d: _natural(d.code_key))


def by_id(session: Session, department_id: int) -> Department:
    """A department by its id (archived ones too)."""
    dept = session.get(Department, department_id)
    if dept is None:
        raise NotFound("dept.not_found", code=str(department_id), known="–")
    return dept


def codes(session: Session, board_id: int, ids: Iterable[int]) -> dict[int, str]:
    """The codes of the departments with these ids: the board's active ones, and archived ones
    that still own something (shown with their code too)."""
    found = {d.id: d.code for d in active(session, board_id) if d.id is not None}
    missing = set(ids) - set(found)
    if missing:
        rows = session.exec(select(Department).where(col(Department.id).in_(missing)))
        found |= {d.id: d.code for d in rows if d.id is not None}
    return found


def _natural(key: str) -> list[object]:
    """ "fb9" before "fb61": numbers compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def find(session: Session, board_id: int, code: str) -> Department:
    """An active department by code (any spelling of it); NotFound names the known codes."""
    key = code_key(code)
    departments = active(session, board_id)
    for dept in departments:
        if dept.code_key == key:
            return dept
    known = {d.code_key: d.code for d in departments}
    close = [known[k] for k in difflib.get_close_matches(key, list(known), n=3)]
    if close:
        raise NotFound("dept.not_found_close", code=code[:40], suggestions=", ".join(close))
    if known:
        raise NotFound("dept.not_found", code=code[:40], known=", ".join(known.values()))
    raise NotFound("dept.none_yet", code=code[:40])


def find_with_history(session: Session, board_id: int, code: str) -> Department:
    """An active department, else the most recently archived one with this code: archived
    departments keep their history."""
    try:
        return find(session, board_id, code)
    except NotFound:
        archived = session.exec(
            select(Department)
            .where(
                Department.board_id == board_id,
                Department.code_key == code_key(code),
                col(Department.archived_at).is_not(None),
            )
            .order_by(col(Department.archived_at).desc())
        ).first()
        if archived is None:
            raise
        return archived


def _snapshot(dept: Department) -> dict[str, object]:
    return {"code": dept.code, "name": dept.name, "room_id": dept.room_id}


def _audit(
    session: Session,
    dept: Department,
    action: str,
    before: dict[str, object] | None,
    actor: str,
    now: datetime,
) -> None:
    audit.record(
        session,
        board_id=dept.board_id,
        actor=actor,
        action=action,
        entity="department",
        entity_id=str(dept.id),
        before=before,
        after=None if action == "archive" else _snapshot(dept),
        now=now,
    )


def add(
    session: Session,
    *,
    board: Board,
    code: str,
    name: str,
    room_id: str | None = None,
    actor: str,
    now: datetime,
) -> Department:
    assert board.id is not None
    code, name = clean_code(code), clean_name(name)
    key = code_key(code)
    if any(d.code_key == key for d in active(session, board.id)):
        raise BotError("dept.code_taken", code=code)
    dept = Department(
        board_id=board.id,
        code=code,
        code_key=key,
        name=name,
        room_id=room_id,
        created_at=now,
    )
    session.add(dept)
    session.flush()
    _audit(session, dept, "create", None, actor, now)
    return dept


def rename(
    session: Session,
    *,
    dept: Department,
    name: str,
    code: str | None = None,
    actor: str,
    now: datetime,
) -> Department:
    before = _snapshot(dept)
    name = clean_name(name)
    # Every check before the first change: a refusal leaves ``dept`` as it was.
    if code is not None:
        code = clean_code(code)
        key = code_key(code)
        if key != dept.code_key and any(d.code_key == key for d in active(session, dept.board_id)):
            raise BotError("dept.code_taken", code=code)
        dept.code, dept.code_key = code, key
    dept.name = name
    session.add(dept)
    session.flush()
    _audit(session, dept, "rename", before, actor, now)
    return dept


def set_room(
    session: Session, *, dept: Department, room_id: str | None, actor: str, now: datetime
) -> Department:
    before = _snapshot(dept)
    dept.room_id = room_id
    session.add(dept)
    session.flush()
    _audit(session, dept, "room", before, actor, now)
    return dept


def archive(session: Session, *, dept: Department, actor: str, now: datetime) -> Department:
    """Archived departments keep their history and drop out of lists and prompts; the roles in
    them end (recorded, so the history shows who held them)."""
    for membership in people.department_roles(session, dept):
        people.end(session, membership, actor=actor, now=now)
    before = _snapshot(dept)
    dept.archived_at = now
    session.add(dept)
    session.flush()
    _audit(session, dept, "archive", before, actor, now)
    return dept
