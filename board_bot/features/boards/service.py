"""Boards: one per Matrix room."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from board_bot.core import audit
from board_bot.core.errors import BotError
from board_bot.core.workdays import BUNDESLAENDER, DEFAULT_BUNDESLAND
from board_bot.features.people import service as people
from board_bot.models import Board

MAX_NAME = 200


def for_room(session: Session, room_id: str) -> Board | None:
    """The active board whose room this is, if any."""
    return session.exec(
        select(Board).where(Board.room_id == room_id, col(Board.archived_at).is_(None))
    ).first()


def count_active(session: Session) -> int:
    return session.exec(
        select(sa.func.count()).select_from(Board).where(col(Board.archived_at).is_(None))
    ).one()


def create(
    session: Session,
    *,
    room_id: str,
    name: str,
    language: str,
    timezone: str,
    bundesland: str = DEFAULT_BUNDESLAND,
    admins: Iterable[str] = (),
    actor: str,
    now: datetime,
) -> Board:
    """A new board in ``room_id``; ``admins`` and the actor become its first admins."""
    if bundesland not in BUNDESLAENDER:  # the config has checked it; this is a caller's bug
        raise ValueError(f"unknown Bundesland {bundesland!r}")
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise BotError("board.name_too_long", length=len(name), limit=MAX_NAME)
    existing = session.exec(select(Board).where(Board.room_id == room_id)).first()
    if existing is not None:
        raise BotError("board.already_exists", name=existing.name)
    # Compared in Python: SQLite's lower() folds ASCII only ("Ämter" ≠ "ämter"), and neither
    # backend folds "ß" to "ss". There are few active boards; one query fetches their names.
    folded = name.casefold()
    active_names = session.exec(select(Board.name).where(col(Board.archived_at).is_(None))).all()
    if any(existing_name.casefold() == folded for existing_name in active_names):
        raise BotError("board.name_taken", name=name)
    board = Board(
        room_id=room_id,
        name=name,
        language=language,
        timezone=timezone,
        bundesland=bundesland,
        created_by=actor,
        created_at=now,
    )
    session.add(board)
    session.flush()
    audit.record(
        session,
        board_id=board.id,
        actor=actor,
        action="create",
        entity="board",
        entity_id=str(board.id),
        before=None,
        after={
            "name": board.name,
            "room_id": room_id,
            "language": language,
            "timezone": timezone,
            "bundesland": bundesland,
        },
        now=now,
    )
    people.seed_admins(session, board=board, user_ids=[*admins, actor], actor=actor, now=now)
    return board


def set_language(
    session: Session, board: Board, *, language: str, actor: str, now: datetime
) -> Board:
    before = board.language
    if before == language:
        return board
    board.language = language
    session.add(board)
    audit.record(
        session,
        board_id=board.id,
        actor=actor,
        action="update",
        entity="board",
        entity_id=str(board.id),
        before={"language": before},
        after={"language": language},
        now=now,
    )
    session.flush()
    return board


def set_summary_room(
    session: Session, board: Board, room_id: str | None, *, actor: str, now: datetime
) -> None:
    """A further room for the round's summary (None: the board room only)."""
    _set_summary_target(session, board, "summary_room", room_id, actor=actor, now=now)


def set_summary_thread(
    session: Session, board: Board, root: str | None, *, actor: str, now: datetime
) -> None:
    """A thread in the board room (by its root event) that gets a copy of each round's summary
    (None: none)."""
    _set_summary_target(session, board, "summary_thread", root, actor=actor, now=now)


def _set_summary_target(
    session: Session,
    board: Board,
    name: Literal["summary_room", "summary_thread"],
    value: str | None,
    *,
    actor: str,
    now: datetime,
) -> None:
    before = getattr(board, name)
    setattr(board, name, value)
    session.add(board)
    audit.record(
        session,
        board_id=board.id,
        actor=actor,
        action=name,
        entity="board",
        entity_id=str(board.id),
        before={name: before},
        after={name: value},
        now=now,
    )
