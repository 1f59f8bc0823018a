"""Helpers for the unit tier: a command Context with no database behind it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlmodel import Session

from board_bot.chat.framework import Context, Registry, Runtime
from board_bot.core.ids import RoomId, UserId
from board_bot.models import Board
from commands import build_registry

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
#: A board that is not in any database: enough for a command's arguments to be read.
BOARD = Board(
    id=1,
    room_id="!board:stadt.example",
    name="Musterstadt",
    language="de",
    timezone="Europe/Berlin",
    created_by="@cdo:stadt.example",
    created_at=NOW,
)


class NoSession:
    """Stands in for the database session: a unit-tier handler must not touch it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a unit test touched the database session ({name})")


def make_context(
    *,
    registry: Registry | None = None,
    lang: str = "de",
    prefix: str = "!",
    is_admin: bool = False,
    with_board: bool = False,
) -> Context:
    return Context(
        session=cast(Session, NoSession()),
        sender=UserId("@erika:stadt.example"),
        room_id=RoomId("!board:stadt.example"),
        board=BOARD if with_board else None,
        lang=lang,
        now=NOW,
        prefix=prefix,
        is_admin=is_admin,
        admins=("@cdo:stadt.example",),
        config_admins=("@cdo:stadt.example",),
        default_language="de",
        default_timezone="Europe/Berlin",
        default_bundesland="SH",
        runtime=Runtime(
            version="0.1.0", started_at=NOW, database="sqlite", encryption=True, joined_rooms=1
        ),
        registry=registry if registry is not None else build_registry(),
    )
