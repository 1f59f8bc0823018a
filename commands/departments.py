"""``!dept``: the board's departments (Fachbereiche, Ämter): add, rename, show, list, archive."""

from __future__ import annotations

from board_bot.chat.common import board_of, people_list, today
from board_bot.chat.converters import split_code, to_room_id
from board_bot.chat.framework import Code, Context, Group, Rest, Role
from board_bot.core.errors import NotFound, UsageError
from board_bot.core.i18n import t
from board_bot.core.ids import RoomId
from board_bot.core.render import Safe, escape
from board_bot.features.departments import service as departments
from board_bot.features.departments.messages import dept_title
from board_bot.features.people import service as people
from board_bot.models import Department

group = Group("dept", de="fb", aliases=("fachbereich", "amt"))

# Words that clear a department's room: ``!dept room FB 61 none``.
NO_ROOM = frozenset({"none", "keiner", "kein", "keinen", "-", "–"})
# Codes have at most this many words ("Dez. II", "Stab OB"); longer prefixes are not tried.
MAX_CODE_WORDS = 4


def find(ctx: Context, text: str) -> Department:
    """An active department by its code, in any spelling ("FB 61", "fb61")."""
    return departments.find(ctx.session, board_of(ctx).id or 0, text)


def find_code(ctx: Context, code: str) -> tuple[Department, str]:
    """The department of a ``Code`` argument, and the word the argument took too many: ``RPA
    2030`` is RPA and "2030" when the board has RPA but no "RPA 2030" (the number belonged to
    what follows)."""
    try:
        return find(ctx, code), ""
    except NotFound:
        first, _, second = code.partition(" ")
        if not second:
            raise
        try:
            return find(ctx, first), second
        except NotFound:
            pass
        raise


def find_with_rest(ctx: Context, text: str) -> tuple[Department, str]:
    """The department whose code starts ``text``, and the text after the code. The known codes
    are tried first (so that "Stab OB Neuer Name" finds "Stab OB"), then :func:`split_code`."""
    words = text.split()
    by_key = {d.code_key: d for d in departments.active(ctx.session, board_of(ctx).id or 0)}
    for n in range(min(len(words), MAX_CODE_WORDS), 0, -1):
        dept = by_key.get(departments.code_key(" ".join(words[:n])))
        if dept is not None:
            return dept, " ".join(words[n:])
    try:
        code, rest = split_code(text)
    except UsageError:
        code, rest = (words[0] if words else text), " ".join(words[1:])
    return find(ctx, code), rest


@group.command("add", de="anlegen", aliases=("neu",), requires=Role.ADMIN)
def add(ctx: Context, code: str, *, name: Rest, room: RoomId | None = None) -> str:
    """Add a department: code first (FB 61, Amt 13, RPA; quote word-only codes: "Stab OB")"""
    board = board_of(ctx)
    if " " in code:  # typed in quotes: the code as it stands
        new_name = name
    else:
        code, new_name = split_code(f"{code} {name}")
    if not new_name:
        raise UsageError("dept.name_missing")
    dept = departments.add(
        ctx.session,
        board=board,
        code=code,
        name=new_name,
        room_id=room,
        actor=ctx.sender,
        now=ctx.now,
    )
    return t(ctx.lang, "dept.added", dept=dept_title(dept), prefix=Safe(ctx.prefix))


@group.command("rename", de="umbenennen", requires=Role.ADMIN)
def rename(ctx: Context, dept: str, *, name: Rest = "", code: Code | None = None) -> str:
    """Rename a department; --code gives it a new code"""
    found, new_name = find_with_rest(ctx, f"{dept} {name}")
    if not new_name and code is None:
        raise UsageError("dept.rename_nothing")
    before = dept_title(found)
    departments.rename(
        ctx.session,
        dept=found,
        name=new_name or found.name,
        code=code,
        actor=ctx.sender,
        now=ctx.now,
    )
    return t(ctx.lang, "dept.renamed", old=before, new=dept_title(found))


@group.command("show", de="zeigen", aliases=("info",))
def show(ctx: Context, *, dept: Rest) -> str:
    """Show a department: lead, deputies, members, room, and who answers today"""
    found = find(ctx, dept)
    assert found.id is not None
    roles = people.department_roles(ctx.session, found)
    acting = people.acting_contacts(ctx.session, found.board_id, [found], today(ctx))[found.id]

    def holders(role: str) -> Safe:
        return people_list(ctx, [m.user_id for m in roles if m.role == role])

    lines = [
        f"**{dept_title(found)}**",
        "",
        t(ctx.lang, "dept.show.code", code=found.code),
        t(ctx.lang, "dept.show.room", room=found.room_id)
        if found.room_id
        else t(ctx.lang, "dept.show.no_room"),
        t(ctx.lang, "dept.show.lead", people=holders("lead")),
        t(ctx.lang, "dept.show.deputies", people=holders("deputy")),
        t(ctx.lang, "dept.show.members", people=holders("member")),
        t(ctx.lang, "dept.show.acting", contact=_acting(ctx, acting)),
    ]
    return "\n".join(lines)


def _acting(ctx: Context, acting: people.Acting) -> Safe:
    """Who answers today, with a note when a deputy stands in for a lead who is away."""
    if acting.user_id is None:
        return t(ctx.lang, "dept.acting_nobody")
    if acting.lead_away_until is not None:
        return t(
            ctx.lang,
            "dept.acting_for_until",
            person=ctx.name(acting.user_id),
            end=acting.lead_away_until,
        )
    return ctx.name(acting.user_id)


@group.command("list", de="liste", aliases=("alle",))
def list_(ctx: Context) -> str:
    """List the active departments with their lead and who answers today"""
    board = board_of(ctx)
    active = departments.active(ctx.session, board.id or 0)
    if not active:
        return t(ctx.lang, "dept.list_empty", prefix=Safe(ctx.prefix))
    day = today(ctx)
    cover = people.coverage(ctx.session, board.id or 0, active, day)
    lines = [t(ctx.lang, "dept.list_title", count=len(active)), ""]
    for dept in active:
        acting = cover.acting(dept, day)
        lead = people_list(ctx, cover.leads_of(dept))
        line = t(ctx.lang, "dept.list_line", dept=dept_title(dept), lead=lead)
        if acting.user_id is None:
            line = Safe(line + t(ctx.lang, "dept.list_nobody"))
        elif acting.stand_in:  # only then is the contact someone other than the lead
            line = Safe(line + t(ctx.lang, "dept.list_acting", person=ctx.name(acting.user_id)))
        lines.append(line)
    return "\n".join(lines)


@group.command("archive", de="archivieren", requires=Role.ADMIN)
def archive(ctx: Context, *, dept: Rest) -> str:
    """Archive a department: it leaves lists and prompts and keeps its history"""
    found = find(ctx, dept)
    departments.archive(ctx.session, dept=found, actor=ctx.sender, now=ctx.now)
    return t(
        ctx.lang,
        "dept.archived",
        dept=dept_title(found),
        code=escape(found.code),
        prefix=Safe(ctx.prefix),
    )


@group.command("room", de="raum", requires=Role.ADMIN)
def room(ctx: Context, dept: str, *, room: Rest) -> str:
    """Set the room where a department gets its prompts (none: the board room)"""
    words = f"{dept} {room}".split()
    if len(words) < 2:
        raise UsageError("parse.missing_argument", name=Safe(t(ctx.lang, "arg.room")))
    room_id = None if words[-1].casefold() in NO_ROOM else to_room_id(words[-1])
    found = find(ctx, " ".join(words[:-1]))
    departments.set_room(ctx.session, dept=found, room_id=room_id, actor=ctx.sender, now=ctx.now)
    if room_id is None:
        return t(ctx.lang, "dept.room_cleared", dept=dept_title(found))
    return t(ctx.lang, "dept.room_set", dept=dept_title(found), room=room_id)
