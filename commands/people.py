"""``!role``, ``!whoami``, ``!people``: who holds which role on the board."""

from __future__ import annotations

from board_bot.chat.common import board_of, people_list, period, role_name, today
from board_bot.chat.converters import RoleName
from board_bot.chat.framework import Context, Group, Rest, Role, command
from board_bot.core.errors import UsageError
from board_bot.core.i18n import t
from board_bot.core.ids import UserId
from board_bot.core.render import Safe
from board_bot.features.absences import service as absences
from board_bot.features.departments import service as departments
from board_bot.features.departments.messages import dept_title
from board_bot.features.people import service as people
from board_bot.models import Department, Membership
from commands.departments import find

group = Group("role", de="rolle", aliases=("rollen",))


def _department(ctx: Context, role: str, dept: str) -> Department | None:
    """The department a role belongs to; checked here so that the message names the role in the
    board's language (the service checks the same, as a backstop)."""
    if role in people.DEPARTMENT_ROLES:
        if not dept:
            raise UsageError("role.needs_department", role=role_name(ctx.lang, role))
        return find(ctx, dept)
    if dept:
        raise UsageError("role.no_department", role=role_name(ctx.lang, role))
    return None


def _where(ctx: Context, dept: Department | None) -> Safe:
    return t(ctx.lang, "role.in_dept", dept=dept_title(dept)) if dept else Safe("")


@group.command("assign", de="zuweisen", aliases=("vergeben", "add"), requires=Role.ADMIN)
def assign(ctx: Context, user: UserId, role: RoleName, *, dept: Rest = "") -> str:
    """Give someone a role: lead, deputy or member of a department, or admin or observer"""
    board = board_of(ctx)
    department = _department(ctx, role, dept)
    result = people.assign(
        ctx.session,
        board=board,
        user_id=user,
        role=role,
        department=department,
        actor=ctx.sender,
        now=ctx.now,
    )
    lines = [
        t(
            ctx.lang,
            "role.assigned",
            user=ctx.name(user),
            role=role_name(ctx.lang, role),
            where=_where(ctx, department),
        )
    ]
    if result.replaced is not None:
        lines.append(t(ctx.lang, "role.replaced", user=ctx.name(result.replaced)))
    for ended in result.ended:  # one role per person and department
        lines.append(
            t(
                ctx.lang,
                "role.other_ended",
                user=ctx.name(user),
                role=role_name(ctx.lang, ended),
                where=_where(ctx, department),
            )
        )
    members = ctx.runtime.room_members(ctx.room_id)
    if members is not None and user not in members:
        lines.append(t(ctx.lang, "role.not_in_room", user=ctx.name(user)))
    return "\n\n".join(lines)


@group.command("remove", de="entziehen", aliases=("entfernen",), requires=Role.ADMIN)
def remove(ctx: Context, user: UserId, role: RoleName, *, dept: Rest = "") -> str:
    """Take a role away from someone"""
    board = board_of(ctx)
    department = _department(ctx, role, dept)
    people.remove(
        ctx.session,
        board=board,
        user_id=user,
        role=role,
        department=department,
        actor=ctx.sender,
        now=ctx.now,
    )
    lines = [
        t(
            ctx.lang,
            "role.removed",
            user=ctx.name(user),
            role=role_name(ctx.lang, role),
            where=_where(ctx, department),
        )
    ]
    if role == "lead" and department is not None:
        contact = people.acting_contact(ctx.session, department, today(ctx))
        if contact is None:
            lines.append(
                t(
                    ctx.lang,
                    "role.lead_vacant_nobody",
                    dept=dept_title(department),
                    prefix=Safe(ctx.prefix),
                )
            )
        else:
            lines.append(
                t(
                    ctx.lang,
                    "role.lead_vacant",
                    dept=dept_title(department),
                    person=ctx.name(contact),
                )
            )
    if role == "admin" and user in ctx.config_admins:
        lines.append(t(ctx.lang, "role.config_admin", user=ctx.name(user)))
    return "\n\n".join(lines)


@command("whoami", de="werbinich", aliases=("ich",), needs_board=True)
def whoami(ctx: Context) -> str:
    """Show your roles on this board and your absences"""
    board = board_of(ctx)
    by_id = {d.id: d for d in departments.active(ctx.session, board.id or 0)}
    lines = [t(ctx.lang, "whoami.title", user=ctx.name(ctx.sender)), ""]
    roles = []
    held = people.roles_of(ctx.session, board.id or 0, ctx.sender)
    for m in held:
        if m.department_id is None:
            roles.append(f"- {role_name(ctx.lang, m.role)}")
        elif m.department_id in by_id:  # roles in archived departments no longer count
            where = t(ctx.lang, "role.in_dept", dept=dept_title(by_id[m.department_id]))
            roles.append(f"- {role_name(ctx.lang, m.role)}{where}")
    if ctx.is_admin and not any(m.role == "admin" for m in held):  # admin by the config only
        roles.insert(0, f"- {t(ctx.lang, 'whoami.config_admin')}")
    if roles:
        lines += roles
    else:
        lines.append(t(ctx.lang, "whoami.no_role", admins=people_list(ctx, ctx.admins)))
    mine = absences.of_people_from(ctx.session, board.id or 0, [ctx.sender], today(ctx))
    if mine:
        lines += ["", t(ctx.lang, "whoami.absences")]
        lines += [f"- {period(ctx, a)}" for a in mine]
    return "\n".join(lines)


@command("people", de="personen", aliases=("leute",), needs_board=True)
def people_(ctx: Context) -> str:
    """List the board's people: chairs, observers, and each department's lead, deputies, members"""
    board = board_of(ctx)
    active = departments.active(ctx.session, board.id or 0)
    roster = people.roster(ctx.session, board.id or 0, active)

    def holders(memberships: list[Membership], role: str) -> Safe:
        return people_list(ctx, [m.user_id for m in memberships if m.role == role])

    lines = [
        t(ctx.lang, "people.title"),
        "",
        t(ctx.lang, "people.admins", people=holders(roster.board_roles, "admin")),
        t(ctx.lang, "people.observers", people=holders(roster.board_roles, "observer")),
    ]
    for dept, memberships in roster.departments:
        lines += ["", f"**{dept_title(dept)}**"]
        lines.append(t(ctx.lang, "dept.show.lead", people=holders(memberships, "lead")))
        lines.append(t(ctx.lang, "dept.show.deputies", people=holders(memberships, "deputy")))
        lines.append(t(ctx.lang, "dept.show.members", people=holders(memberships, "member")))
    if not active:
        lines += ["", t(ctx.lang, "dept.list_empty", prefix=Safe(ctx.prefix))]
    return "\n".join(lines)
