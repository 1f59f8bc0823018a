"""Work packages (Arbeitspakete): the board's portfolio.

Plain functions over a ``Session``: they validate, ``add`` and ``flush``, write one audit entry
per change and never commit (the caller's unit of work does). Every check comes before the first
change, so a refusal (a :class:`BotError`) leaves the package as it was.

Decisions worth knowing:

* Numbers (``WP-12``) are per board: the highest number ever given plus one. Nothing is deleted
  (packages are closed as done or discarded), so a number is never reused; the unique constraint
  on (board, number) backs it if two writers race.
* Status "done" means progress 100: closing as done, or setting the status to done, sets the
  progress to 100 (an explicit other progress in the same edit is refused, ``wp.done_progress``).
  Reopening keeps the progress as it was.
* A traffic light other than green needs a reason; setting green clears the reason.
* The responsible person may update a package (status, traffic light, progress, description,
  dates, funding, milestones, links) but not reassign it: owner, responsible, title, Leitlinie,
  Handlungsfeld and contributors are for those who manage it (:data:`RESPONSIBLE_FIELDS`).
* Audit: entity ``"work_package"``, entity id ``str(wp.id)``; actions ``create``, ``update``,
  ``close``, ``reopen``, ``contributors``, ``link.add``, ``milestone.add``, ``milestone.done``,
  ``depend`` and ``undepend``. Values are stored JSON-ready (dates as ISO strings, the owner as
  the department's code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from board_bot.core import audit, ids
from board_bot.core.errors import BotError, Forbidden, NotFound
from board_bot.core.i18n import Localized
from board_bot.features.work_packages import fields, vocabulary
from board_bot.features.work_packages.vocabulary import LIGHT, STATUS
from board_bot.models import (
    AuditEntry,
    Board,
    Department,
    Dependency,
    Membership,
    Milestone,
    WorkPackage,
    WorkPackageDepartment,
    WorkPackageLink,
)

STATUSES = STATUS.codes
CLOSED = vocabulary.CLOSED
TRAFFIC_LIGHTS = LIGHT.codes
LEITLINIEN = vocabulary.LEITLINIEN
SORTS = ("due", "number", "status", "traffic", "progress")

MAX_TITLE = fields.spec("title").max_length or 200
MAX_DESCRIPTION = fields.spec("description").max_length or 20_000
MAX_REASON = fields.spec("traffic_reason").max_length or 300
MAX_HANDLUNGSFELD = fields.spec("handlungsfeld").max_length or 100
MAX_URL = 2000
MAX_LINK_TITLE = 200

ENTITY = "work_package"

# Fields the responsible person may change (besides milestones and links); the rest needs
# can_manage(). Both come from the field table.
RESPONSIBLE_FIELDS = fields.RESPONSIBLE_FIELDS
FIELDS = fields.UPDATABLE


_CODE = re.compile(r"\s*(?:(?:wp|ap)\s*-?\s*)?(\d{1,9})\s*", re.IGNORECASE)


# --- ids ----------------------------------------------------------------------------------------


class Numbered(Protocol):
    """Anything with a package number: a :class:`WorkPackage` or a row read past the ORM."""

    @property
    def number(self) -> int: ...


def code(wp: Numbered | int) -> str:
    """``WP-12`` for a package or its number."""
    return f"WP-{wp if isinstance(wp, int) else wp.number}"


#: ``WP-12`` (or ``AP 12``) named inside a text
_MENTION = re.compile(r"\b(?:WP|AP)[ -]?(\d{1,9})\b", re.IGNORECASE)


def mentioned(text: str) -> list[int]:
    """The numbers of the packages a text names (``WP-12``, ``AP 12``), in order, once each."""
    return list(dict.fromkeys(int(m.group(1)) for m in _MENTION.finditer(text)))


def parse_code(text: str) -> int:
    """The number in ``WP-12``, ``wp-12``, ``AP-12``, ``AP12`` or ``12``."""
    match = _CODE.fullmatch(text)
    if match is None or int(match.group(1)) == 0:
        raise BotError("wp.bad_code", text=text[:40])
    return int(match.group(1))


# --- reading ------------------------------------------------------------------------------------


def get(session: Session, board_id: int, number: int) -> WorkPackage:
    wp = session.exec(
        select(WorkPackage).where(WorkPackage.board_id == board_id, WorkPackage.number == number)
    ).first()
    if wp is None:
        raise NotFound("wp.not_found", code=code(number))
    return wp


def history(session: Session, wp: WorkPackage, limit: int = 20) -> list[AuditEntry]:
    """The newest ``limit`` audit entries about the package, newest first."""
    return audit.entries_for(
        session, board_id=wp.board_id, entity=ENTITY, entity_id=str(wp.id), limit=limit
    )


# What a status line is about (``!wp show``): the fields a weekly status report sets.
STATUS_FIELDS = frozenset({"status", "traffic_light", "traffic_reason", "progress"})


def status_history(
    session: Session, wp: WorkPackage, limit: int = 3, scan: int = 200
) -> list[AuditEntry]:
    """The newest ``limit`` entries that changed the package's status, traffic light or
    progress (closing and reopening included), newest first; looks at the last ``scan``."""
    found = [
        e
        for e in history(session, wp, limit=scan)
        if e.action in ("close", "reopen")
        or (e.action == "update" and STATUS_FIELDS & set(e.after or {}))
    ]
    return found[:limit]


@dataclass(frozen=True)
class WpDetails:
    """One package in full, loaded with a constant number of queries."""

    wp: WorkPackage
    owner: Department
    contributors: list[Department]  # by code
    milestones: list[Milestone]  # by date, then as added; complete_milestone() counts from 1
    links: list[WorkPackageLink]  # as added
    waits_for: list[WorkPackage]  # packages this one waits for, by number
    blocks: list[WorkPackage]  # packages waiting for this one, by number


def details(session: Session, wp: WorkPackage) -> WpDetails:
    owner = session.get(Department, wp.owner_department_id)
    assert owner is not None
    contributors = session.exec(
        select(Department)
        .join(WorkPackageDepartment, col(WorkPackageDepartment.department_id) == Department.id)
        .where(WorkPackageDepartment.work_package_id == wp.id)
        .order_by(col(Department.code_key))
    ).all()
    links = session.exec(
        select(WorkPackageLink)
        .where(WorkPackageLink.work_package_id == wp.id)
        .order_by(col(WorkPackageLink.id))
    ).all()
    waits_for = session.exec(
        select(WorkPackage)
        .join(Dependency, col(Dependency.depends_on_id) == WorkPackage.id)
        .where(Dependency.work_package_id == wp.id)
        .order_by(col(WorkPackage.number))
    ).all()
    blocks = session.exec(
        select(WorkPackage)
        .join(Dependency, col(Dependency.work_package_id) == WorkPackage.id)
        .where(Dependency.depends_on_id == wp.id)
        .order_by(col(WorkPackage.number))
    ).all()
    return WpDetails(
        wp=wp,
        owner=owner,
        contributors=list(contributors),
        milestones=_milestones(session, wp),
        links=list(links),
        waits_for=list(waits_for),
        blocks=list(blocks),
    )


def _milestones(session: Session, wp: WorkPackage) -> list[Milestone]:
    return list(
        session.exec(
            select(Milestone)
            .where(Milestone.work_package_id == wp.id)
            .order_by(col(Milestone.due_on), col(Milestone.id))
        )
    )


# --- listing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WpFilter:
    """What ``list_packages`` shows; every field narrows the list, None means "any".

    Closed packages (done, discarded) are left out unless ``include_closed`` is set or
    ``statuses`` names them. ``overdue``: due before today and not closed. ``due_within_days``:
    due from today to today + N days, not closed. ``blocked``: status "blocked", or waiting for
    a package that is not closed. ``department_id``: the owner or a contributor.
    """

    department_id: int | None = None
    leitlinie: int | None = None
    handlungsfeld: str | None = None
    statuses: frozenset[str] | None = None
    traffic_light: str | None = None
    overdue: bool = False
    due_within_days: int | None = None
    blocked: bool = False
    responsible: str | None = None
    include_closed: bool = False


def _open() -> sa.ColumnElement[bool]:
    return col(WorkPackage.status).not_in(CLOSED)


def _filtered(board_id: int, f: WpFilter, today: date) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [col(WorkPackage.board_id) == board_id]
    if f.department_id is not None:
        # Uncorrelated sub-selects: the database runs each once (a hashed semi-join), instead
        # of once per package as a correlated EXISTS may be planned without fresh statistics.
        contributes = col(WorkPackage.id).in_(
            select(WorkPackageDepartment.work_package_id).where(
                WorkPackageDepartment.department_id == f.department_id
            )
        )
        where.append(sa.or_(col(WorkPackage.owner_department_id) == f.department_id, contributes))
    if f.leitlinie is not None:
        where.append(col(WorkPackage.leitlinie) == f.leitlinie)
    if f.handlungsfeld is not None:
        where.append(col(WorkPackage.handlungsfeld) == f.handlungsfeld)
    if f.statuses is not None:
        where.append(col(WorkPackage.status).in_(sorted(f.statuses)))
    elif not f.include_closed:
        where.append(_open())
    if f.traffic_light is not None:
        where.append(col(WorkPackage.traffic_light) == f.traffic_light)
    if f.overdue:
        where.append(col(WorkPackage.due_date) < today)
        where.append(_open())
    if f.due_within_days is not None:
        where.append(col(WorkPackage.due_date) >= today)
        where.append(col(WorkPackage.due_date) <= today + timedelta(days=f.due_within_days))
        where.append(_open())
    if f.blocked:
        other = aliased(WorkPackage)
        waits_for_open = col(WorkPackage.id).in_(
            select(Dependency.work_package_id)
            .join(other, col(other.id) == Dependency.depends_on_id)
            .where(other.board_id == board_id, col(other.status).not_in(CLOSED))
        )
        where.append(sa.or_(col(WorkPackage.status) == "blocked", waits_for_open))
    if f.responsible is not None:
        where.append(col(WorkPackage.responsible) == f.responsible)
    return where


def _order(sort: str) -> list[Any]:
    number = col(WorkPackage.number)
    due = col(WorkPackage.due_date)
    by_due = [sa.case((due.is_(None), 1), else_=0), due]
    if sort == "number":
        return [number]
    if sort == "due":
        return [*by_due, number]
    if sort == "status":
        lifecycle = sa.case({s: i for i, s in enumerate(STATUSES)}, value=col(WorkPackage.status))
        return [lifecycle, *by_due, number]
    if sort == "traffic":  # red first
        light = sa.case(
            {t: i for i, t in enumerate(reversed(TRAFFIC_LIGHTS))},
            value=col(WorkPackage.traffic_light),
        )
        return [light, *by_due, number]
    if sort == "progress":  # least progress first
        return [col(WorkPackage.progress), *by_due, number]
    raise BotError("wp.bad_sort", sort=sort[:40], known=", ".join(SORTS))


def list_packages(
    session: Session,
    board_id: int,
    filter: WpFilter = WpFilter(),  # frozen: a shared default is safe
    *,
    today: date,
    sort: str = "due",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[WorkPackage], int]:
    """One page of the board's packages and how many match in all (two queries).

    Sorts: ``due`` (soonest first, no due date last), ``number``, ``status`` (by lifecycle),
    ``traffic`` (red first), ``progress`` (least first); ties go by due date, then number.
    """
    order = _order(sort)
    where = _filtered(board_id, filter, today)
    page = session.exec(
        select(WorkPackage).where(*where).order_by(*order).limit(limit).offset(offset)
    ).all()
    total = session.exec(select(sa.func.count()).select_from(WorkPackage).where(*where)).one()
    return list(page), int(total)


# --- permissions --------------------------------------------------------------------------------


def _manages(session: Session, board_id: int, department_id: int, user_id: str) -> bool:
    found = session.exec(
        select(Membership.id).where(
            Membership.board_id == board_id,
            Membership.department_id == department_id,
            Membership.user_id == user_id,
            col(Membership.role).in_(("lead", "deputy")),
            col(Membership.ended_at).is_(None),
        )
    ).first()
    return found is not None


def can_manage(
    session: Session, wp_or_department: WorkPackage | Department, user_id: str, is_admin: bool
) -> bool:
    """Admins manage every package; a department's lead and deputies manage the packages it
    owns (and may create packages for it, when given the department)."""
    if is_admin:
        return True
    if isinstance(wp_or_department, WorkPackage):
        board_id, dept_id = wp_or_department.board_id, wp_or_department.owner_department_id
    else:
        assert wp_or_department.id is not None
        board_id, dept_id = wp_or_department.board_id, wp_or_department.id
    return _manages(session, board_id, dept_id, user_id)


def _is_responsible(session: Session, wp: WorkPackage, user_id: str) -> bool:
    """The package's responsible person, while they hold a role other than observer."""
    if wp.responsible != user_id:
        return False
    found = session.exec(
        select(Membership.id).where(
            Membership.board_id == wp.board_id,
            Membership.user_id == user_id,
            Membership.role != "observer",
            col(Membership.ended_at).is_(None),
        )
    ).first()
    return found is not None


def can_update(session: Session, wp: WorkPackage, user_id: str, is_admin: bool) -> bool:
    """Whoever manages the package, or its responsible person (for :data:`RESPONSIBLE_FIELDS`,
    milestones and links)."""
    return can_manage(session, wp, user_id, is_admin) or _is_responsible(session, wp, user_id)


def check_manage(
    session: Session, wp_or_department: WorkPackage | Department, user_id: str, is_admin: bool
) -> None:
    """Forbidden ``wp.forbidden_manage`` unless :func:`can_manage`."""
    if not can_manage(session, wp_or_department, user_id, is_admin):
        if isinstance(wp_or_department, WorkPackage):
            raise Forbidden("wp.forbidden_manage", code=code(wp_or_department))
        raise Forbidden("wp.forbidden_department", dept=wp_or_department.code)


def check_update(
    session: Session,
    wp: WorkPackage,
    user_id: str,
    is_admin: bool,
    fields: Iterable[str] = (),
) -> None:
    """Forbidden unless the user may change ``fields`` of the package (none given: milestones,
    links, status lines): ``wp.forbidden_update``, or ``wp.forbidden_field`` naming the first
    field only managers may change."""
    if can_manage(session, wp, user_id, is_admin):
        return
    if not _is_responsible(session, wp, user_id):
        raise Forbidden("wp.forbidden_update", code=code(wp))
    for name in sorted(fields):
        if name not in RESPONSIBLE_FIELDS:
            raise Forbidden("wp.forbidden_field", code=code(wp), field=name)


# --- validation ---------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise BotError("wp.title_missing")
    if len(title) > MAX_TITLE:
        raise BotError("wp.title_too_long", length=len(title), limit=MAX_TITLE)
    return title


def _clean_optional(value: str | None, limit: int) -> str | None:
    """One-line text (spaces folded), None when empty; BotError ``wp.text_too_long``."""
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        raise BotError("wp.text_too_long", length=len(value), limit=limit)
    return value or None


def _check_plain(field: fields.FieldSpec, value: Any) -> Any:
    """A value of a field that needs no rule beyond its kind (one-line text, euros)."""
    if field.kind == "text":
        return _clean_optional(value, field.max_length or MAX_TITLE)
    if field.kind == "euro":
        return fields.check_euros(value)
    if field.kind == "long_text":
        return _clean_long(value, field.max_length or MAX_DESCRIPTION)
    if field.kind == "yesno":
        if not isinstance(value, bool):
            raise TypeError(f"{field.name} must be a bool")
        return value
    raise TypeError(f"no rule for {field.name} ({field.kind})")


def _check_leitlinie(value: int | None) -> int | None:
    if value is not None and value not in LEITLINIEN:
        raise BotError("wp.leitlinie_invalid", value=value)
    return value


def _check_handlungsfeld(value: str | None, allowed: Sequence[str]) -> str | None:
    """The configured spelling of ``value`` (case and spaces ignored), or None for none."""
    if value is None:
        return None
    folded = " ".join(value.split()).casefold()
    if not folded:
        return None
    for name in allowed:
        if " ".join(name.split()).casefold() == folded:
            return name[:MAX_HANDLUNGSFELD]
    raise BotError("wp.handlungsfeld_unknown", value=value[:60], known=", ".join(allowed))


def _check_owner(board_id: int, dept: Department) -> Department:
    if dept.board_id != board_id or dept.archived_at is not None or dept.id is None:
        raise BotError("wp.department_inactive", dept=dept.code)
    return dept


def _check_responsible(user_id: str | None) -> str | None:
    if user_id is not None and not ids.is_user_id(user_id):
        raise BotError("wp.responsible_invalid", user=user_id[:80])
    return user_id


def _check_progress(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise BotError("wp.progress_invalid", value=value)
    return value


def _check_dates(start: date | None, due: date | None) -> None:
    if start is not None and due is not None and due < start:
        raise BotError("wp.due_before_start", start=start, due=due)


def _check_status(value: str) -> str:
    if value not in STATUSES:
        raise BotError("wp.status_invalid", value=value[:40], known=Localized(STATUS.choices))
    return value


def _check_traffic(light: str, reason: str | None) -> str | None:
    """The reason to store with ``light``: required unless green, cleared for green."""
    if light not in TRAFFIC_LIGHTS:
        raise BotError("wp.traffic_invalid", value=light[:40], known=Localized(LIGHT.choices))
    if light == "green":
        return None
    reason = _clean_optional(reason, MAX_REASON)
    if reason is None:
        raise BotError("wp.traffic_needs_reason", light=light)
    return reason


def _clean_description(text: str | None) -> str:
    return _clean_long(text, MAX_DESCRIPTION)


def _clean_long(text: str | None, limit: int) -> str:
    """Text of several lines, trimmed; "" when empty; BotError ``wp.text_too_long``."""
    text = (text or "").strip()
    if len(text) > limit:
        raise BotError("wp.text_too_long", length=len(text), limit=limit)
    return text


# --- audit --------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Department):
        return value.code
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def _record(
    session: Session,
    wp: WorkPackage,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: str,
    now: datetime,
) -> None:
    audit.record(
        session,
        board_id=wp.board_id,
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=str(wp.id),
        before=None if before is None else {k: _json(v) for k, v in before.items()},
        after=None if after is None else {k: _json(v) for k, v in after.items()},
        now=now,
    )


def snapshot(wp: WorkPackage, owner: Department) -> dict[str, Any]:
    """The package's fields, JSON-ready, as the audit log keeps them."""
    data: dict[str, Any] = {"number": wp.number, "owner": owner.code}
    data.update({name: _json(getattr(wp, name)) for name in fields.COLUMNS})
    return data


# --- writing ------------------------------------------------------------------------------------


def create(
    session: Session,
    *,
    board: Board,
    title: str,
    owner: Department,
    actor: str,
    now: datetime,
    leitlinie: int | None = None,
    handlungsfeld: str | None = None,
    handlungsfelder: Sequence[str] = (),
    responsible: str | None = None,
    due_date: date | None = None,
    start_date: date | None = None,
) -> WorkPackage:
    """A new package ``WP-<n>``, planned, green, 0 %. ``handlungsfeld`` must be one of the
    configured ``handlungsfelder``."""
    assert board.id is not None
    title = _clean_title(title)
    _check_owner(board.id, owner)
    leitlinie = _check_leitlinie(leitlinie)
    handlungsfeld = _check_handlungsfeld(handlungsfeld, handlungsfelder)
    responsible = _check_responsible(responsible)
    _check_dates(start_date, due_date)
    highest = session.exec(
        select(sa.func.max(WorkPackage.number)).where(WorkPackage.board_id == board.id)
    ).one()
    assert owner.id is not None
    wp = WorkPackage(
        board_id=board.id,
        number=(highest or 0) + 1,
        title=title,
        leitlinie=leitlinie,
        handlungsfeld=handlungsfeld,
        owner_department_id=owner.id,
        responsible=responsible,
        start_date=start_date,
        due_date=due_date,
        created_by=actor,
        created_at=now,
        updated_at=now,
        status_since=now,
        light_since=now,
    )
    session.add(wp)
    session.flush()
    _record(session, wp, "create", None, snapshot(wp, owner), actor, now)
    return wp


def update(
    session: Session,
    wp: WorkPackage,
    *,
    actor: str,
    now: datetime,
    handlungsfelder: Sequence[str] = (),
    **changes: Any,
) -> dict[str, tuple[Any, Any]]:
    """Change any of :data:`FIELDS` (``owner`` is a Department of the board) and return the
    fields that really changed as ``{field: (old, new)}`` (the owner as department codes).

    ``handlungsfeld`` must be one of the configured ``handlungsfelder`` (matched ignoring case
    and spaces, stored in the configured spelling); None clears it. Everything is checked
    first; a refusal changes nothing. One audit entry ("update") with the
    changed fields only, none when nothing changed. Permissions are the caller's business
    (:func:`check_update`).
    """
    return _apply(session, wp, changes, handlungsfelder, "update", actor, now)


def _apply(
    session: Session,
    wp: WorkPackage,
    changes: dict[str, Any],
    handlungsfelder: Sequence[str],
    action: str,
    actor: str,
    now: datetime,
) -> dict[str, tuple[Any, Any]]:
    unknown = sorted(set(changes) - FIELDS)
    if unknown:  # a caller's bug, not the user's
        raise TypeError(f"unknown work package fields: {', '.join(unknown)}")
    new: dict[str, Any] = {}
    owner: Department | None = None
    if "title" in changes:
        new["title"] = _clean_title(changes["title"])
    if "description" in changes:
        new["description"] = _clean_description(changes["description"])
    if "leitlinie" in changes:
        new["leitlinie"] = _check_leitlinie(changes["leitlinie"])
    if "handlungsfeld" in changes:
        new["handlungsfeld"] = _check_handlungsfeld(changes["handlungsfeld"], handlungsfelder)
    if "owner" in changes:
        owner = _check_owner(wp.board_id, changes["owner"])
        new["owner_department_id"] = owner.id
    if "responsible" in changes:
        new["responsible"] = _check_responsible(changes["responsible"])
    if "status" in changes:
        new["status"] = _check_status(changes["status"])
    if "progress" in changes:
        new["progress"] = _check_progress(changes["progress"])
    if new.get("status") == "done":
        if new.get("progress", 100) != 100:
            raise BotError("wp.done_progress", progress=new["progress"])
        new["progress"] = 100
    if "traffic_light" in changes or "traffic_reason" in changes:
        light = changes.get("traffic_light", wp.traffic_light)
        # A new colour needs a new reason; the old one stays only while the colour does.
        kept = wp.traffic_reason if light == wp.traffic_light else None
        reason = changes.get("traffic_reason", kept)
        new["traffic_light"] = light
        new["traffic_reason"] = _check_traffic(light, reason)
    for name in sorted(fields.DATE_FIELDS & set(changes)):
        value = changes[name]
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise TypeError(f"{name} must be a date")
        new[name] = value
    _check_dates(new.get("start_date", wp.start_date), new.get("due_date", wp.due_date))
    for name in set(changes) - set(new) - {"owner", "traffic_light", "traffic_reason"}:
        # the plain fields: checked by their kind
        new[name] = _check_plain(fields.spec(name), changes[name])

    changed = {name: (getattr(wp, name), value) for name, value in new.items()}
    changed = {name: pair for name, pair in changed.items() if pair[0] != pair[1]}
    if not changed:
        return {}
    if "owner_department_id" in changed:
        old_id, _ = changed.pop("owner_department_id")
        old_owner = session.get(Department, old_id)
        assert owner is not None and old_owner is not None
        changed["owner"] = (old_owner.code, owner.code)
    for name, value in new.items():
        setattr(wp, name, value)
    wp.updated_at = now
    if "status" in changed:
        wp.status_since = now
    if "traffic_light" in changed:
        wp.light_since = now
    session.add(wp)
    session.flush()
    _record(
        session,
        wp,
        action,
        {k: old for k, (old, _) in changed.items()},
        {k: value for k, (_, value) in changed.items()},
        actor,
        now,
    )
    return changed


def close(
    session: Session,
    wp: WorkPackage,
    status: str = "done",
    *,
    actor: str,
    now: datetime,
) -> dict[str, tuple[Any, Any]]:
    """Close the package as "done" (progress 100) or "discarded"; its number stays taken."""
    if status not in CLOSED:
        raise BotError("wp.close_status_invalid", value=status[:40])
    if wp.status in CLOSED:
        raise BotError("wp.already_closed", code=code(wp), status=wp.status)
    return _apply(session, wp, {"status": status}, (), "close", actor, now)


def reopen(
    session: Session, wp: WorkPackage, *, actor: str, now: datetime
) -> dict[str, tuple[Any, Any]]:
    """A closed package is in progress again (its progress stays as it was)."""
    if wp.status not in CLOSED:
        raise BotError("wp.not_closed", code=code(wp), status=wp.status)
    return _apply(session, wp, {"status": "in_progress"}, (), "reopen", actor, now)


def _touch(session: Session, wp: WorkPackage, now: datetime) -> None:
    wp.updated_at = now
    session.add(wp)


def set_contributors(
    session: Session,
    wp: WorkPackage,
    departments: Iterable[Department],
    *,
    actor: str,
    now: datetime,
) -> list[Department]:
    """Make ``departments`` the contributing departments (the owner among them is left out, it
    takes part anyway). Returns them by code; no audit entry when nothing changed."""
    wanted: dict[int, Department] = {}
    for dept in departments:
        _check_owner(wp.board_id, dept)
        assert dept.id is not None
        if dept.id != wp.owner_department_id:
            wanted[dept.id] = dept
    current = session.exec(
        select(Department)
        .join(WorkPackageDepartment, col(WorkPackageDepartment.department_id) == Department.id)
        .where(WorkPackageDepartment.work_package_id == wp.id)
    ).all()
    result = sorted(wanted.values(), key=lambda d: d.code_key)
    have = {d.id for d in current}
    if have == set(wanted):
        return result
    gone = [d.id for d in current if d.id not in wanted]
    if gone:
        session.execute(
            sa.delete(WorkPackageDepartment).where(
                col(WorkPackageDepartment.work_package_id) == wp.id,
                col(WorkPackageDepartment.department_id).in_(gone),
            )
        )
    assert wp.id is not None
    for dept_id in wanted:
        if dept_id not in have:
            session.add(WorkPackageDepartment(work_package_id=wp.id, department_id=dept_id))
    _touch(session, wp, now)
    session.flush()
    before = sorted(d.code for d in current)
    _record(
        session,
        wp,
        "contributors",
        {"contributors": before},
        {"contributors": sorted(d.code for d in result)},
        actor,
        now,
    )
    return result


def add_link(
    session: Session,
    wp: WorkPackage,
    url: str,
    title: str | None = None,
    *,
    actor: str,
    now: datetime,
) -> WorkPackageLink:
    """Attach an http(s) link."""
    url = url.strip()
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or len(url) > MAX_URL
        or any(c.isspace() for c in url)
    ):
        raise BotError("wp.link_invalid", url=url[:80])
    assert wp.id is not None
    link = WorkPackageLink(
        work_package_id=wp.id,
        url=url,
        title=_clean_optional(title, MAX_LINK_TITLE),
        created_at=now,
    )
    session.add(link)
    _touch(session, wp, now)
    session.flush()
    _record(session, wp, "link.add", None, {"url": link.url, "title": link.title}, actor, now)
    return link


def add_milestone(
    session: Session,
    wp: WorkPackage,
    title: str,
    due_on: date,
    *,
    actor: str,
    now: datetime,
) -> Milestone:
    title = _clean_title(title)
    assert wp.id is not None
    milestone = Milestone(work_package_id=wp.id, title=title, due_on=due_on, created_at=now)
    session.add(milestone)
    _touch(session, wp, now)
    session.flush()
    after = {"milestone": title, "due_on": due_on}
    _record(session, wp, "milestone.add", None, after, actor, now)
    return milestone


def complete_milestone(
    session: Session,
    wp: WorkPackage,
    index_or_milestone: int | Milestone,
    *,
    actor: str,
    now: datetime,
) -> Milestone:
    """Mark a milestone done: given as its position (from 1) in :attr:`WpDetails.milestones`,
    or as the Milestone itself."""
    if isinstance(index_or_milestone, Milestone):
        milestone = index_or_milestone
        if milestone.work_package_id != wp.id:
            raise NotFound("wp.milestone_not_found", code=code(wp), index=0)
    else:
        milestones = _milestones(session, wp)
        if not 1 <= index_or_milestone <= len(milestones):
            raise NotFound("wp.milestone_not_found", code=code(wp), index=index_or_milestone)
        milestone = milestones[index_or_milestone - 1]
    if milestone.done_at is not None:
        raise BotError("wp.milestone_already_done", title=milestone.title)
    milestone.done_at = now
    session.add(milestone)
    _touch(session, wp, now)
    session.flush()
    _record(
        session,
        wp,
        "milestone.done",
        {"milestone": milestone.title, "done": False},
        {"milestone": milestone.title, "done": True},
        actor,
        now,
    )
    return milestone


# --- dependencies -------------------------------------------------------------------------------


def _edges(session: Session, board_id: int) -> tuple[dict[int, list[int]], dict[int, int]]:
    """The board's dependency edges (package id -> ids it waits for) and the numbers of the
    packages in them, in one query."""
    waiting, waited = aliased(WorkPackage), aliased(WorkPackage)
    query = (
        select(waiting.id, waiting.number, waited.id, waited.number)
        .select_from(Dependency)
        .join(waiting, col(waiting.id) == Dependency.work_package_id)
        .join(waited, col(waited.id) == Dependency.depends_on_id)
        .where(waiting.board_id == board_id)
    )
    graph: dict[int, list[int]] = {}
    numbers: dict[int, int] = {}
    for a_id, a_number, b_id, b_number in session.exec(query):
        assert a_id is not None and b_id is not None
        graph.setdefault(a_id, []).append(b_id)
        numbers[a_id], numbers[b_id] = a_number, b_number
    return graph, numbers


def _path(graph: dict[int, list[int]], start: int, goal: int) -> list[int] | None:
    """A path of "waits for" edges from ``start`` to ``goal`` (breadth first: the shortest)."""
    came_from: dict[int, int | None] = {start: None}
    frontier = [start]
    while frontier:
        following: list[int] = []
        for node in frontier:
            for nxt in sorted(graph.get(node, ())):
                if nxt in came_from:
                    continue
                came_from[nxt] = node
                if nxt == goal:
                    path = [nxt]
                    while (back := came_from[path[-1]]) is not None:
                        path.append(back)
                    return path[::-1]
                following.append(nxt)
        frontier = following
    return None


def _find_dependency(session: Session, wp: WorkPackage, on: WorkPackage) -> Dependency | None:
    return session.get(Dependency, (wp.id, on.id))


def depend(
    session: Session, wp: WorkPackage, on: WorkPackage, *, actor: str, now: datetime
) -> Dependency:
    """``wp`` waits for ``on`` (also across departments). Refused for another board's package,
    the package itself, a dependency that exists, and one that would close a cycle
    (``wp.cycle``, ``path`` "WP-3 → WP-7 → WP-3", ``codes`` the same as a list)."""
    assert wp.id is not None and on.id is not None
    if on.board_id != wp.board_id:
        raise BotError("wp.depend_other_board", code=code(wp), other=code(on))
    if on.id == wp.id:
        raise BotError("wp.depend_self", code=code(wp))
    if _find_dependency(session, wp, on) is not None:
        raise BotError("wp.depend_exists", code=code(wp), other=code(on))
    graph, numbers = _edges(session, wp.board_id)
    numbers[wp.id], numbers[on.id] = wp.number, on.number
    back = _path(graph, on.id, wp.id)
    if back is not None:
        codes = [code(numbers[n]) for n in [wp.id, *back]]
        raise BotError("wp.cycle", path=" → ".join(codes), codes=codes)
    dependency = Dependency(work_package_id=wp.id, depends_on_id=on.id, created_at=now)
    session.add(dependency)
    _touch(session, wp, now)
    session.flush()
    _record(session, wp, "depend", None, {"waits_for": code(on)}, actor, now)
    return dependency


def undepend(
    session: Session, wp: WorkPackage, on: WorkPackage, *, actor: str, now: datetime
) -> None:
    """``wp`` no longer waits for ``on``."""
    dependency = _find_dependency(session, wp, on)
    if dependency is None:
        raise NotFound("wp.depend_missing", code=code(wp), other=code(on))
    session.delete(dependency)
    _touch(session, wp, now)
    session.flush()
    _record(session, wp, "undepend", {"waits_for": code(on)}, None, actor, now)


def waits_for_open(session: Session, wp_ids: Sequence[int]) -> set[int]:
    """Which of ``wp_ids`` wait for a package that is not closed (one query), for marking
    blocked packages in a list page."""
    if not wp_ids:
        return set()
    other = aliased(WorkPackage)
    rows = session.exec(
        select(Dependency.work_package_id)
        .join(other, col(other.id) == Dependency.depends_on_id)
        .where(col(Dependency.work_package_id).in_(list(wp_ids)), col(other.status).not_in(CLOSED))
        .distinct()
    ).all()
    return set(rows)
