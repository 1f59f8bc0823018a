"""``!away``, ``!back``, ``!absences``: who is away when, and who stands in for the leads."""

from __future__ import annotations

from datetime import date

from board_bot.errors import Forbidden
from board_bot.i18n import t
from board_bot.ids import UserId
from board_bot.models import Absence, Department
from board_bot.render import Safe
from board_bot.services import absences, departments, people
from commands.common import admins, board_of, dept_title, person, today
from commands.converters import split_period
from commands.framework import Context, Rest, command


def _subject(ctx: Context, for_: UserId | None) -> str:
    """Whose absence this is: the sender's own, or (admins only) someone else's."""
    if for_ is None or for_ == ctx.sender:
        return ctx.sender
    if not ctx.is_admin:
        raise Forbidden("away.forbidden_other", admins=admins(ctx), prefix=Safe(ctx.prefix))
    return for_


def _period(ctx: Context, absence: Absence) -> Safe:
    text = t(ctx.lang, "away.period", start=absence.starts_on, end=absence.ends_on)
    if absence.starts_on == absence.ends_on:
        text = t(ctx.lang, "away.day", day=absence.starts_on)
    if absence.reason:
        text = Safe(f"{text} ({t(ctx.lang, 'away.reason', reason=absence.reason)})")
    return text


def _led(ctx: Context) -> dict[str, list[Department]]:
    """The active departments each person leads (two queries for the whole board)."""
    board = board_of(ctx)
    by_id = {d.id: d for d in departments.active(ctx.session, board.id or 0)}
    led: dict[str, list[Department]] = {}
    for m in people.active(ctx.session, board.id or 0):
        if m.role == "lead" and m.department_id in by_id:
            led.setdefault(m.user_id, []).append(by_id[m.department_id])
    return led


def _stand_in(ctx: Context, dept: Department, day: date) -> Safe:
    contact = people.acting_contact(ctx.session, dept, day)
    if contact is None:
        return t(ctx.lang, "away.nobody_stands_in", dept=dept_title(dept))
    return t(ctx.lang, "away.stands_in", dept=dept_title(dept), person=person(ctx, contact))


def _away(ctx: Context, *, dates: Rest, for_: UserId | None = None) -> str:
    """Record an absence: a date, or from - to, then an optional reason"""
    board = board_of(ctx)
    user = _subject(ctx, for_)
    has_role = ctx.is_admin or people.roles_of(ctx.session, board.id or 0, ctx.sender)
    if user == ctx.sender and not has_role:
        raise Forbidden("away.forbidden_no_role", admins=admins(ctx))
    start, end, reason = split_period(dates)
    absence = absences.add(
        ctx.session,
        board=board,
        user_id=user,
        starts_on=start,
        ends_on=end,
        reason=reason or None,
        actor=ctx.sender,
        now=ctx.now,
        today=today(ctx),
    )
    lines: list[str] = [
        t(ctx.lang, "away.recorded", user=person(ctx, user), period=_period(ctx, absence))
    ]
    day = max(absence.starts_on, today(ctx))
    lines += [f"- {_stand_in(ctx, dept, day)}" for dept in _led(ctx).get(user, [])]
    return "\n".join(lines)


def _back(ctx: Context, *, for_: UserId | None = None) -> str:
    """End your current absence (or, for admins, someone else's)"""
    board = board_of(ctx)
    user = _subject(ctx, for_)
    absences.back(
        ctx.session, board=board, user_id=user, actor=ctx.sender, now=ctx.now, today=today(ctx)
    )
    if user == ctx.sender:
        return t(ctx.lang, "away.back_self")
    return t(ctx.lang, "away.back_other", user=person(ctx, user))


@command("absences", aliases=("abwesenheiten",), needs_board=True)
def absences_(ctx: Context) -> str:
    """List current and upcoming absences, and who stands in for the leads"""
    board = board_of(ctx)
    day = today(ctx)
    rows = absences.current_and_upcoming(ctx.session, board.id or 0, day)
    if not rows:
        return t(ctx.lang, "away.none", prefix=Safe(ctx.prefix))
    led = _led(ctx)
    lines = [t(ctx.lang, "away.title"), ""]
    for absence in rows:
        now_away = absence.starts_on <= day
        key = "away.line_now" if now_away else "away.line"
        lines.append(
            "- " + t(ctx.lang, key, user=person(ctx, absence.user_id), period=_period(ctx, absence))
        )
        when = max(absence.starts_on, day)
        lines += [f"  - {_stand_in(ctx, d, when)}" for d in led.get(absence.user_id, [])]
    return "\n".join(lines)


away = command("away", aliases=("abwesend", "urlaub"), needs_board=True)(_away)
back = command("back", aliases=("zurück", "zurueck"), needs_board=True)(_back)
