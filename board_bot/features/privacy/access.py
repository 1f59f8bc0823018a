"""The person's own data, on their request (``!meine-daten``): where it may be sent, and the
file it is sent as."""

from __future__ import annotations

import json
from collections.abc import Set
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from board_bot.core import delivery
from board_bot.features.boards import service as boards
from board_bot.features.privacy.export import languages
from board_bot.features.status_rounds import service as status_rounds
from board_bot.models import Board, Department


def is_direct_room(
    session: Session, *, room_id: str, user_id: str, members: Set[str] | None
) -> bool:
    """Whether ``room_id`` is the person's direct room with the bot, with nobody else in it
    (``members``: the joined and invited, None when not known): the one the bot keeps for them
    (it opened it), or a room the person opened that is nobody else's direct room and no
    board's or department's room (only when ``members`` are known: the person and the bot)."""
    if boards.for_room(session, room_id) is not None:
        return False
    if members is not None and (user_id not in members or len(members) > 2):
        return False  # someone else was invited in, or the room is not theirs
    if status_rounds.direct_room(session, user_id) == room_id:
        return True
    if members is None or len(members) != 2:
        return False
    if status_rounds.direct_room_person(session, room_id) not in (None, user_id):
        return False
    shared = (
        session.exec(
            select(sa.func.count()).select_from(Department).where(Department.room_id == room_id)
        ).one()
        + session.exec(
            select(sa.func.count())
            .select_from(Board)
            .where(sa.or_(col(Board.room_id) == room_id, col(Board.summary_room) == room_id))
        ).one()
    )
    return shared == 0


def may_send_file(*, encryption: bool, encrypted: bool | None) -> bool:
    """Whether the person's data may be sent into the room: with encryption enabled for the
    bot, only into a room known to be encrypted (``encrypted``: None when not known), so that
    the file never crosses the homeserver readable."""
    return not encryption or encrypted is True


def file_name(lang: str, now: datetime, timezone: str) -> str:
    """``meine-daten-2026-12-07.json`` (``my-data-…`` in English), the day where the reader is."""
    stem = "meine-daten" if lang == "de" else "my-data"
    return f"{stem}-{now.astimezone(ZoneInfo(timezone)).date().isoformat()}.json"


def to_json(export: dict[str, Any]) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")


def language_for(session: Session, user_id: str, default: str) -> str:
    """The language to write to the person in: their boards' one, when they all share it."""
    found = languages(session, user_id)
    return found.pop() if len(found) == 1 else default


def point_to_direct_room(session: Session, user_id: str, text: str, *, now: datetime) -> None:
    """Write ``text`` to the person's direct room; the outbox opens one when there is none."""
    delivery.reply(session, user_id, text, reply_to=None, now=now)
