"""Helpers for the service tests of departments, people and absences (db tier)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core.db import unit_of_work
from board_bot.features.boards import service as boards
from board_bot.features.departments import service as departments
from board_bot.models import Absence, AuditEntry, Board, Department, Membership

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday
TODAY = date(2026, 11, 26)
ROOM = "!board:example.org"
CDO = "@cdo:kiel.de"
ALICE = "@alice:kiel.de"
BOB = "@bob:kiel.de"
CAROL = "@carol:kiel.de"
DAVE = "@dave:kiel.de"


def make_board(
    session: Session,
    *,
    room_id: str = ROOM,
    name: str = "Smart City Board",
    admins: tuple[str, ...] = (),
    actor: str = CDO,
    now: datetime = NOW,
    **kwargs: Any,
) -> Board:
    return boards.create(
        session,
        room_id=room_id,
        name=name,
        language="de",
        timezone="Europe/Berlin",
        admins=admins,
        actor=actor,
        now=now,
        **kwargs,
    )


def setup_board(engine: Engine, *codes: tuple[str, str]) -> tuple[Board, list[Department]]:
    """A committed board (admin: CDO) with departments given as (code, name)."""
    with unit_of_work(engine) as session:
        board = make_board(session)
        depts = [
            departments.add(session, board=board, code=code, name=name, actor=CDO, now=NOW)
            for code, name in codes
        ]
    return board, depts


def audit_entries(engine: Engine, *, since: int = 0) -> list[AuditEntry]:
    """Audit entries in the order they were written, skipping the first ``since``."""
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id))))[since:]


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(sa.func.count()).select_from(model)).one()


def rows(engine: Engine, model: type) -> list[dict[str, Any]]:
    """Every row of a table as plain dicts, by id: compared before and after a refusal."""
    with Session(engine) as session:
        return [obj.model_dump() for obj in session.exec(select(model).order_by(model.id))]


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row this feature writes: equal before and after a refused change."""
    return {
        model.__name__: rows(engine, model)
        for model in (Board, Department, Membership, Absence, AuditEntry)
    }
