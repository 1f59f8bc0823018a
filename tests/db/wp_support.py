"""Helpers for the work package service tests (db tier): a small city with people in roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core.db import unit_of_work
from board_bot.features.departments import service as departments
from board_bot.features.people import service as people
from board_bot.features.work_packages import service as work_packages
from board_bot.models import (
    AuditEntry,
    Board,
    Department,
    Dependency,
    Milestone,
    WorkPackage,
    WorkPackageDepartment,
    WorkPackageLink,
)
from tests.db.org_support import ALICE, BOB, CAROL, CDO, DAVE, NOW, make_board, rows

EVE = "@eve:kiel.de"  # member of FB 61, responsible for nothing
OTTO = "@otto:kiel.de"  # observer (Oberbürgermeister)
HANDLUNGSFELDER = ("Mobilität", "Bildung", "Verwaltung", "Umwelt")


@dataclass(frozen=True)
class City:
    """A committed board with three departments and a person in every role:

    CDO admin; ALICE lead and BOB deputy of FB 61; CAROL lead of FB 13; DAVE and EVE members of
    FB 61; OTTO observer.
    """

    board: Board
    fb13: Department
    fb61: Department
    fb68: Department

    @property
    def board_id(self) -> int:
        assert self.board.id is not None
        return self.board.id


def setup_city(engine: Engine) -> City:
    with unit_of_work(engine) as session:
        board = make_board(session)
        fb13, fb61, fb68 = (
            departments.add(session, board=board, code=c, name=n, actor=CDO, now=NOW)
            for c, n in (
                ("FB 13", "Hauptamt"),
                ("FB 61", "Stadtplanung"),
                ("FB 68", "Verkehr"),
            )
        )
        for user, role, dept in (
            (ALICE, "lead", fb61),
            (BOB, "deputy", fb61),
            (CAROL, "lead", fb13),
            (DAVE, "member", fb61),
            (EVE, "member", fb61),
            (OTTO, "observer", None),
        ):
            people.assign(
                session, board=board, user_id=user, role=role, department=dept, actor=CDO, now=NOW
            )
    return City(board, fb13, fb61, fb68)


def add_wp(
    session: Session,
    city: City,
    title: str = "Digitale Bauakte",
    *,
    owner: Department | None = None,
    actor: str = CDO,
    **changes: Any,
) -> WorkPackage:
    """A package owned by FB 61 (unless ``owner``), with ``changes`` applied by update()."""
    wp = work_packages.create(
        session, board=city.board, title=title, owner=owner or city.fb61, actor=actor, now=NOW
    )
    if changes:
        work_packages.update(
            session, wp, actor=actor, now=NOW, handlungsfelder=HANDLUNGSFELDER, **changes
        )
    return wp


def wp_rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row the work package service writes: equal before and after a refusal."""
    data = {
        model.__name__: rows(engine, model)
        for model in (WorkPackage, Milestone, WorkPackageLink, AuditEntry)
    }
    with Session(engine) as session:
        data["Dependency"] = [
            d.model_dump()
            for d in session.exec(
                select(Dependency).order_by(
                    col(Dependency.work_package_id), col(Dependency.depends_on_id)
                )
            )
        ]
        data["WorkPackageDepartment"] = [
            d.model_dump()
            for d in session.exec(
                select(WorkPackageDepartment).order_by(
                    col(WorkPackageDepartment.work_package_id),
                    col(WorkPackageDepartment.department_id),
                )
            )
        ]
    return data


def wp_audit(engine: Engine, wp_id: int | None) -> list[AuditEntry]:
    """The audit entries about one package, oldest first."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEntry)
                .where(AuditEntry.entity == "work_package", AuditEntry.entity_id == str(wp_id))
                .order_by(col(AuditEntry.id))
            )
        )


def d(day: int, month: int = 12, year: int = 2026) -> date:
    return date(year, month, day)
