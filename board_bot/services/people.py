"""People and their roles on a board, and who stands in for whom."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from board_bot.errors import BotError, NotFound
from board_bot.models import Board, Department, Membership
from board_bot.services import absences, audit

BOARD_ROLES = ("admin", "observer")
DEPARTMENT_ROLES = ("lead", "deputy", "member")
ROLES = BOARD_ROLES + DEPARTMENT_ROLES


def active(session: Session, board_id: int) -> list[Membership]:
    """Every role held now on the board, oldest first."""
    return list(
        session.exec(
            select(Membership)
            .where(Membership.board_id == board_id, col(Membership.ended_at).is_(None))
            .order_by(col(Membership.created_at), col(Membership.id))
        )
    )


def roles_of(session: Session, board_id: int, user_id: str) -> list[Membership]:
    return [m for m in active(session, board_id) if m.user_id == user_id]


def admins(session: Session, board_id: int) -> list[str]:
    return [m.user_id for m in active(session, board_id) if m.role == "admin"]


def _audit(
    session: Session,
    board_id: int,
    membership: Membership,
    action: str,
    actor: str,
    now: datetime,
) -> None:
    snapshot = {"user_id": membership.user_id, "role": membership.role}
    department = membership.department_id
    audit.record(
        session,
        board_id=board_id,
        actor=actor,
        action=action,
        entity="department" if department is not None else "board",
        entity_id=str(department if department is not None else board_id),
        before=snapshot if action == "role.remove" else None,
        after=snapshot if action == "role.assign" else None,
        now=now,
    )


def _check_role(role: str, department: Department | None, board_id: int | None = None) -> None:
    if (
        department is not None
        and board_id is not None
        and (department.board_id != board_id or department.archived_at is not None)
    ):
        # Callers find departments through departments.find(), which sees only active ones.
        raise ValueError(f"department {department.id} is not an active department of {board_id}")
    if role not in ROLES:
        raise BotError("role.unknown", role=role)
    if role in DEPARTMENT_ROLES and department is None:
        raise BotError("role.needs_department", role=role)
    if role in BOARD_ROLES and department is not None:
        raise BotError("role.no_department", role=role)


@dataclass(frozen=True)
class Assigned:
    membership: Membership
    replaced: str | None  # the previous lead, whom the new lead replaces


def assign(
    session: Session,
    *,
    board: Board,
    user_id: str,
    role: str,
    department: Department | None,
    actor: str,
    now: datetime,
) -> Assigned:
    """Give ``user_id`` a role. A department has one lead: a new lead replaces the old one."""
    assert board.id is not None
    _check_role(role, department, board.id)
    dept_id = department.id if department is not None else None
    held = active(session, board.id)
    if any(m.user_id == user_id and m.role == role and m.department_id == dept_id for m in held):
        raise BotError("role.already", user=user_id, role=role)
    replaced: str | None = None
    if role == "lead":
        for m in held:
            if m.role == "lead" and m.department_id == dept_id:
                end(session, m, actor=actor, now=now)
                replaced = m.user_id
    membership = Membership(
        board_id=board.id,
        department_id=dept_id,
        user_id=user_id,
        role=role,
        created_at=now,
    )
    session.add(membership)
    session.flush()
    _audit(session, board.id, membership, "role.assign", actor, now)
    return Assigned(membership, replaced)


def remove(
    session: Session,
    *,
    board: Board,
    user_id: str,
    role: str,
    department: Department | None,
    actor: str,
    now: datetime,
) -> Membership:
    assert board.id is not None
    _check_role(role, department)
    dept_id = department.id if department is not None else None
    held = active(session, board.id)
    match = next(
        (m for m in held if m.user_id == user_id and m.role == role and m.department_id == dept_id),
        None,
    )
    if match is None:
        raise NotFound("role.not_held", user=user_id, role=role)
    if role == "admin" and sum(1 for m in held if m.role == "admin") == 1:
        raise BotError("role.last_admin", user=user_id)
    end(session, match, actor=actor, now=now)
    return match


def end(session: Session, membership: Membership, *, actor: str, now: datetime) -> None:
    """End a role (the row stays for the history)."""
    membership.ended_at = now
    session.add(membership)
    session.flush()
    _audit(session, membership.board_id, membership, "role.remove", actor, now)


def seed_admins(
    session: Session, *, board: Board, user_ids: Iterable[str], actor: str, now: datetime
) -> None:
    """The first admins of a new board: the configured admins and whoever set it up."""
    for user_id in dict.fromkeys(user_ids):
        assign(
            session,
            board=board,
            user_id=user_id,
            role="admin",
            department=None,
            actor=actor,
            now=now,
        )


def department_roles(session: Session, department: Department) -> list[Membership]:
    assert department.id is not None
    return [m for m in active(session, department.board_id) if m.department_id == department.id]


def acting_contact(session: Session, department: Department, day: date) -> str | None:
    """Who answers for the department on ``day``: the lead, or while the lead is away the first
    deputy who is not away; None when nobody is there."""
    roles = department_roles(session, department)
    candidates = [m.user_id for m in roles if m.role == "lead"]
    candidates += [m.user_id for m in roles if m.role == "deputy"]
    away = absences.away_on(session, department.board_id, candidates, day)
    return next((user for user in candidates if user not in away), None)


@dataclass(frozen=True)
class Roster:
    board_roles: list[Membership]
    departments: list[tuple[Department, list[Membership]]]


def roster(session: Session, board_id: int, departments: list[Department]) -> Roster:
    """The board's people: board roles, then each department's lead, deputies and members."""
    held = active(session, board_id)
    order = {role: i for i, role in enumerate(ROLES)}
    by_dept: dict[int | None, list[Membership]] = {}
    for m in sorted(held, key=lambda m: (order.get(m.role, 9), m.created_at)):
        by_dept.setdefault(m.department_id, []).append(m)
    return Roster(
        board_roles=by_dept.get(None, []),
        departments=[(d, by_dept.get(d.id, [])) for d in departments],
    )


def require_department_role(
    session: Session, department: Department, user_id: str, roles: Iterable[str]
) -> bool:
    wanted = set(roles)
    return any(
        m.user_id == user_id and m.role in wanted for m in department_roles(session, department)
    )
