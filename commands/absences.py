"""``!away``, ``!away cancel``, ``!back``, ``!absences``: who is away when, and who stands in
for the leads."""

from __future__ import annotations

from board_bot.chat.common import admins, board_of, period, today
from board_bot.chat.framework import Context, Rest, command
from board_bot.core.dates import parse_date, split_period
from board_bot.core.errors import BotError, Forbidden, NotFound, UsageError
from board_bot.core.i18n import N_, t
from board_bot.core.ids import UserId
from board_bot.core.render import Safe
from board_bot.features.absences import service as absences
from board_bot.features.departments import service as departments
from board_bot.features.departments.messages import dept_title
from board_bot.features.people import service as people
from board_bot.models import Absence, Department

#: ``!abwesend streichen <Datum>`` (``!away cancel <date>``) takes an absence back.
CANCEL_WORDS = ("streichen", "cancel")


def _subject(ctx: Context, for_: UserId | None) -> str:
    """Whose absence this is: the sender's own, or (admins only) someone else's."""
    if for_ is None or for_ == ctx.sender:
        return ctx.sender
    if not ctx.is_admin:
        raise Forbidden("away.forbidden_other", admins=admins(ctx), prefix=Safe(ctx.prefix))
    return for_


def _stand_in(ctx: Context, dept: Department, acting: people.Acting) -> Safe:
    if acting.user_id is None:
        return t(ctx.lang, "away.nobody_stands_in", dept=dept_title(dept))
    return t(ctx.lang, "away.stands_in", dept=dept_title(dept), person=ctx.name(acting.user_id))


def _away(ctx: Context, *, dates: Rest, for_: UserId | None = None) -> str:
    """Record an absence: a date or from - to, then a reason; `cancel <date>` takes one back

    Dates as everywhere in the chat: 31.12.2026, 31.12., tomorrow, +2w; ``cancel`` takes back the
    sender's (admins: with ``--for``, anyone's) current or planned absence on that day."""
    board = board_of(ctx)
    user = _subject(ctx, for_)
    first, *rest = dates.split(maxsplit=1) or [""]
    if first.casefold() in CANCEL_WORDS:
        return _cancel(ctx, user, " ".join(rest))
    if not ctx.is_admin and not any(
        m.role in people.DEPARTMENT_ROLES
        for m in people.roles_of(ctx.session, board.id or 0, ctx.sender)
    ):  # observers and people without a role: only admins record absences for them
        raise Forbidden("away.forbidden_no_role", admins=admins(ctx))
    start, end, reason = split_period(dates, today=today(ctx))
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
        t(ctx.lang, "away.recorded", user=ctx.name(user), period=period(ctx, absence))
    ]
    day = max(absence.starts_on, today(ctx))
    active = departments.active(ctx.session, board.id or 0)
    cover = people.coverage(ctx.session, board.id or 0, active, day)
    lines += [f"- {_stand_in(ctx, d, cover.acting(d, day))}" for d in cover.led_by(user)]
    return "\n".join(lines)


def _cancel(ctx: Context, user: str, text: str) -> str:
    """``!abwesend streichen <Datum>``: the absence of ``user`` that starts on or covers that
    day is cancelled (kept, marked cancelled, in the audit log)."""
    board = board_of(ctx)
    day = today(ctx)
    if not text.strip():
        raise UsageError("away.cancel_date_missing", prefix=Safe(ctx.prefix))
    on = parse_date(text, today=day)
    try:
        absence = absences.cancel(
            ctx.session, board=board, user_id=user, day=on, actor=ctx.sender, now=ctx.now, today=day
        )
    except NotFound as exc:
        if exc.key == "away.no_such_absence" and user == ctx.sender:
            raise NotFound("away.no_such_absence_self", day=on, prefix=Safe(ctx.prefix)) from None
        raise
    if user == ctx.sender:
        return t(
            ctx.lang, "away.cancelled_self", period=period(ctx, absence), prefix=Safe(ctx.prefix)
        )
    return t(ctx.lang, "away.cancelled_other", user=ctx.name(user), period=period(ctx, absence))


def _not_away_today(ctx: Context, user: str, planned: list[Absence]) -> str:
    """Nothing changed: the planned absences, and how to cancel one if that was meant."""
    many = len(planned) > 1
    listed = Safe("; ".join(period(ctx, a) for a in planned))
    if user == ctx.sender:
        return t(
            ctx.lang,
            "away.not_away_today_self_many" if many else "away.not_away_today_self",
            planned=listed,
            prefix=Safe(ctx.prefix),
            day=planned[0].starts_on,
        )
    return t(
        ctx.lang,
        "away.not_away_today_other_many" if many else "away.not_away_today_other",
        user=ctx.name(user),
        planned=listed,
        prefix=Safe(ctx.prefix),
        day=planned[0].starts_on,
        user_id=Safe(user),  # a valid Matrix id (the converter checked it): fit for a code span
    )


def _back(ctx: Context, *, for_: UserId | None = None) -> str:
    """End your absence today (admins: anyone's); `away cancel <date>` cancels a planned one

    Only an absence that covers today ends (as of today; one that begins today is cancelled).
    Without one nothing changes: the reply names the planned absences and how to cancel one."""
    board = board_of(ctx)
    user = _subject(ctx, for_)
    day = today(ctx)
    try:
        absences.back(
            ctx.session, board=board, user_id=user, actor=ctx.sender, now=ctx.now, today=day
        )
    except BotError as exc:
        if exc.key != "away.not_away":
            raise
        planned = absences.planned(ctx.session, board.id or 0, user, day)
        if planned:  # not away today: a planned absence is not touched, only named
            return _not_away_today(ctx, user, planned)
        if user == ctx.sender:
            raise BotError("away.not_away_self") from None
        raise
    if user == ctx.sender:
        return t(ctx.lang, "away.back_self")
    return t(ctx.lang, "away.back_other", user=ctx.name(user))


@command("absences", de="abwesenheiten", needs_board=True)
def absences_(ctx: Context) -> str:
    """List current and upcoming absences, and who stands in for the leads"""
    board = board_of(ctx)
    day = today(ctx)
    rows = absences.current_and_upcoming(ctx.session, board.id or 0, day)
    if not rows:
        return t(ctx.lang, "away.none", prefix=Safe(ctx.prefix))
    active = departments.active(ctx.session, board.id or 0)
    cover = people.coverage(ctx.session, board.id or 0, active, day)
    lines = [t(ctx.lang, "away.title"), ""]
    for absence in rows:
        key = N_("away.line_now") if absence.starts_on <= day else N_("away.line")
        lines.append(
            "- " + t(ctx.lang, key, user=ctx.name(absence.user_id), period=period(ctx, absence))
        )
        when = max(absence.starts_on, day)
        lines += [
            f"  - {_stand_in(ctx, d, cover.acting(d, when))}" for d in cover.led_by(absence.user_id)
        ]
    return "\n".join(lines)


away = command("away", de="abwesend", aliases=("urlaub",), needs_board=True)(_away)
back = command("back", de="zurück", aliases=("zurueck",), needs_board=True)(_back)
