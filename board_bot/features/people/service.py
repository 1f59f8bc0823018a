"""People and their roles on a board, and who stands in for whom."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from board_bot.core import audit
from board_bot.core.errors import BotError, NotFound
from board_bot.core.naming import Person
from board_bot.features.absences import service as absences
from board_bot.models import Board, Department, Membership

BOARD_ROLES = ("admin", "observer")
DEPARTMENT_ROLES = ("lead", "deputy", "member")
ROLES = BOARD_ROLES + DEPARTMENT_ROLES


def _held(board_id: int) -> SelectOfScalar[Membership]:
    """The roles held now on the board, oldest first; callers narrow it down in SQL."""
    return (
        select(Membership)
        .where(Membership.board_id == board_id, col(Membership.ended_at).is_(None))
        .order_by(col(Membership.created_at), col(Membership.id))
    )


def _in_department(
    query: SelectOfScalar[Membership], dept_id: int | None
) -> SelectOfScalar[Membership]:
    """Roles in the department ``dept_id``, or the board roles (no department) for None."""
    if dept_id is None:
        return query.where(col(Membership.department_id).is_(None))
    return query.where(Membership.department_id == dept_id)


def active(session: Session, board_id: int) -> list[Membership]:
    """Every role held now on the board, oldest first."""
    return list(session.exec(_held(board_id)))


def roles_of(session: Session, board_id: int, user_id: str) -> list[Membership]:
    """The roles ``user_id`` holds now on the board, oldest first."""
    return list(session.exec(_held(board_id).where(Membership.user_id == user_id)))


def admins(session: Session, board_id: int) -> list[str]:
    """The board's chairs by role (the configured admins are the dispatcher's business)."""
    query = _in_department(_held(board_id), None).where(Membership.role == "admin")
    return [m.user_id for m in session.exec(query)]


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
    # The person's other role in the department, which the new one ends (one role per person
    # and department): "member" when a member becomes the deputy.
    ended: list[str] = field(default_factory=list)


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
    """Give ``user_id`` a role. A department has one lead: a new lead replaces the old one. A
    person holds one role per department: the new role ends their other one there."""
    assert board.id is not None
    _check_role(role, department, board.id)
    dept_id = department.id if department is not None else None
    held = list(session.exec(_in_department(_held(board.id), dept_id)))
    if any(m.user_id == user_id and m.role == role for m in held):
        raise BotError("role.already", user=Person(user_id), role=role)
    replaced: str | None = None
    ended: list[str] = []
    for m in held:
        if dept_id is not None and m.user_id == user_id:
            end(session, m, actor=actor, now=now)
            ended.append(m.role)
        elif role == "lead" and m.role == "lead":
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
    return Assigned(membership, replaced, ended)


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
    _check_role(role, department, board.id)
    dept_id = department.id if department is not None else None
    held = list(
        session.exec(_in_department(_held(board.id), dept_id).where(Membership.role == role))
    )
    match = next((m for m in held if m.user_id == user_id), None)
    if match is None:
        raise NotFound("role.not_held", user=Person(user_id), role=role)
    if role == "admin" and len(held) == 1:
        raise BotError("role.last_admin", user=Person(user_id))
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
    """The roles held now in ``department``, oldest first."""
    assert department.id is not None
    return list(session.exec(_in_department(_held(department.board_id), department.id)))


@dataclass(frozen=True)
class Acting:
    """Who answers for a department on a day."""

    user_id: str | None  # the lead, or a deputy standing in; None when nobody is there
    lead: str | None  # the department's lead; None while the post is vacant
    lead_away_until: date | None  # the lead's last day away (adjacent absences joined), if away

    @property
    def stand_in(self) -> bool:
        """A deputy answers, for a lead who is away or for a vacant post."""
        return self.user_id is not None and self.user_id != self.lead


@dataclass(frozen=True)
class Coverage:
    """The leads and deputies of some departments and their absences from a day on, loaded once
    (two queries), to tell who answers for each department on that day or any later one."""

    departments: list[Department]
    leads: dict[int, list[str]]  # department id -> leads (one, unless the data says otherwise)
    deputies: dict[int, list[str]]  # department id -> deputies, oldest first
    away: dict[str, list[tuple[date, date]]]  # user -> (start, end) of absences, soonest first

    def away_until(self, user_id: str, day: date) -> date | None:
        """The last day of the absence ``user_id`` is in on ``day`` (absences that follow on
        without a gap count as one), or None when they are there."""
        until: date | None = None
        for start, end in self.away.get(user_id, []):
            in_it = until is None and start <= day <= end
            follows_on = until is not None and start == until + timedelta(days=1)
            if in_it or follows_on:
                until = end
        return until

    def leads_of(self, department: Department) -> list[str]:
        return self.leads.get(department.id or 0, [])

    def acting(self, department: Department, day: date) -> Acting:
        """The lead, or while the lead is away the first deputy who is not away; nobody when
        neither is there."""
        leads = self.leads_of(department)
        deputies = self.deputies.get(department.id or 0, [])
        lead = leads[0] if leads else None
        until = self.away_until(lead, day) if lead is not None else None
        present = (u for u in leads + deputies if self.away_until(u, day) is None)
        return Acting(next(present, None), lead, until)

    def led_by(self, user_id: str) -> list[Department]:
        """The departments ``user_id`` leads."""
        return [d for d in self.departments if user_id in self.leads_of(d)]


def coverage(
    session: Session, board_id: int, departments: Iterable[Department], since: date
) -> Coverage:
    """Leads and deputies of ``departments`` and their absences that end on ``since`` or later:
    one query for the roles, one for the absences (none when there is nobody)."""
    depts = list(departments)
    dept_ids = [d.id for d in depts if d.id is not None]
    leads: dict[int, list[str]] = {d: [] for d in dept_ids}
    deputies: dict[int, list[str]] = {d: [] for d in dept_ids}
    if not dept_ids:
        return Coverage(depts, leads, deputies, {})
    roles = session.exec(
        _held(board_id).where(
            col(Membership.department_id).in_(dept_ids),
            col(Membership.role).in_(("lead", "deputy")),
        )
    )
    for m in roles:
        assert m.department_id is not None
        (leads if m.role == "lead" else deputies)[m.department_id].append(m.user_id)
    users = {u for by_dept in (leads, deputies) for names in by_dept.values() for u in names}
    away: dict[str, list[tuple[date, date]]] = {}
    for a in absences.of_people_from(session, board_id, users, since):
        away.setdefault(a.user_id, []).append((a.starts_on, a.ends_on))
    return Coverage(depts, leads, deputies, away)


def acting_contacts(
    session: Session, board_id: int, departments: Iterable[Department], day: date
) -> dict[int, Acting]:
    """Who answers for each of ``departments`` on ``day``, by department id (two queries)."""
    cover = coverage(session, board_id, departments, day)
    return {d.id: cover.acting(d, day) for d in cover.departments if d.id is not None}


def acting_contact(session: Session, department: Department, day: date) -> str | None:
    """Who answers for the department on ``day``: the lead, or while the lead is away the first
    deputy who is not away; None when nobody is there."""
    assert department.id is not None
    return acting_contacts(session, department.board_id, [department], day)[department.id].user_id


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
