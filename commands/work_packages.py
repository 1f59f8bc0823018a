"""``!wp`` (``!ap``, ``!arbeitspaket``): the board's work packages from the chat.

Handlers parse and check; the rules live in ``board_bot.features.work_packages.service`` and
the wording in its ``messages``. Every check (permission, value) comes before the first
change, and the dispatcher's unit of work rolls back on any refusal, so a refused command
changes nothing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from board_bot.chat.common import board_of, handlungsfelder, today
from board_bot.chat.converters import (
    WpField,
    WpLight,
    WpNumber,
    WpSort,
    WpStatus,
    to_int,
    to_user_id,
    to_wp_light,
    to_wp_status,
)
from board_bot.chat.framework import Code, Context, Group, Rest
from board_bot.core.dates import parse_date
from board_bot.core.errors import BotError, Forbidden, UsageError
from board_bot.core.formats import weekday_date
from board_bot.core.i18n import t
from board_bot.core.ids import UserId
from board_bot.core.render import Safe
from board_bot.features.departments import service as departments
from board_bot.features.departments.messages import dept_title
from board_bot.features.people import service as people
from board_bot.features.status_rounds import service as status_rounds
from board_bot.features.work_packages import fields
from board_bot.features.work_packages import messages as r
from board_bot.features.work_packages import service as wps
from board_bot.features.work_packages.vocabulary import LIGHT
from board_bot.models import Department, WorkPackage
from commands.departments import find, find_code, find_with_rest

group = Group("wp", de="ap", aliases=("arbeitspaket",))

PAGE_SIZE = 25
HISTORY_LIMIT = 20
RECENT = 3
# Values that clear an optional field: ``!wp edit WP-3 verantwortlich -``.
CLEAR = frozenset({"-", "–", "keine", "keiner", "kein", "none"})
MILESTONE_ADD = frozenset({"add", "neu", "anlegen"})
MILESTONE_DONE = frozenset({"done", "erreicht", "erledigt"})


def _board_id(ctx: Context) -> int:
    return board_of(ctx).id or 0


def _get(ctx: Context, number: int) -> WorkPackage:
    return wps.get(ctx.session, _board_id(ctx), number)


def _date(ctx: Context, text: str) -> date:
    return parse_date(text, today=today(ctx))


def _own_department(ctx: Context) -> Department:
    """The department the sender leads or deputises, when there is exactly one."""
    ids = {
        m.department_id
        for m in people.roles_of(ctx.session, _board_id(ctx), ctx.sender)
        if m.role in ("lead", "deputy") and m.department_id is not None
    }
    if len(ids) != 1:
        raise UsageError("wp.dept_needed")
    return departments.by_id(ctx.session, ids.pop())


def _handlungsfeld(ctx: Context, text: str) -> str:
    """The configured spelling of a field of action (case and spaces ignored)."""
    folded = " ".join(text.split()).casefold()
    for name in handlungsfelder(ctx):
        if " ".join(name.split()).casefold() == folded:
            return name
    raise BotError(
        "wp.handlungsfeld_unknown", value=text[:60], known=", ".join(handlungsfelder(ctx))
    )


@group.command("add", de="anlegen", aliases=("neu",))
def add(
    ctx: Context,
    *,
    wp_title: Rest,
    dept: Code | None = None,
    ll: int | None = None,
    hf: str | None = None,
    start: str | None = None,
    due: str | None = None,
    resp: UserId | None = None,
) -> str:
    """Add a work package; the owner is your own department unless --dept names one"""
    owner, word = find_code(ctx, dept) if dept else (_own_department(ctx), "")
    wp_title = f"{word} {wp_title}" if word else wp_title  # "--dept RPA 2030 Strategie"
    wps.check_manage(ctx.session, owner, ctx.sender, ctx.is_admin)
    start_date = _date(ctx, start) if start else None
    due_date = _date(ctx, due) if due else None
    wp = wps.create(
        ctx.session,
        board=board_of(ctx),
        title=wp_title,
        owner=owner,
        actor=ctx.sender,
        now=ctx.now,
        leitlinie=ll,
        handlungsfeld=_handlungsfeld(ctx, hf) if hf else None,
        handlungsfelder=handlungsfelder(ctx),
        responsible=resp,
        start_date=start_date,
        due_date=due_date,
    )
    lines: list[str] = [
        t(
            ctx.lang,
            "wp.added",
            code=wps.code(wp),
            title=wp.title,
            dept=dept_title(owner),
            prefix=Safe(ctx.prefix),
        )
    ]
    for name in ("leitlinie", "handlungsfeld", "responsible", "start_date", "due_date"):
        if getattr(wp, name) is not None:
            shown = r.value(ctx, name, getattr(wp, name))
            lines.append(f"- {r.field_name(ctx.lang, name)}: {shown}")
    return "\n".join(lines)


def _changes_for(ctx: Context, wp: WorkPackage, name: str, text: str) -> dict[str, Any]:
    """The service's changes for ``!wp edit <WP> <field> <text>``, read by the field's kind."""
    kind = fields.spec(name).kind
    clear = fields.spec(name).clearable and text.strip().casefold() in CLEAR
    if kind == "owner":
        target = find(ctx, text)
        # Handing a package over needs a say of the receiving department too.
        wps.check_manage(ctx.session, target, ctx.sender, ctx.is_admin)
        return {"owner": target}
    if kind == "light":
        light, reason = LIGHT.split_leading(text)
        if light is None:  # not a light: the converter names it and the choices
            light = to_wp_light(text.split()[0] if text.split() else text)
        return {"traffic_light": light, "traffic_reason": reason or None}
    if kind == "long_text":
        return {name: "" if clear else text}
    if kind == "yesno":
        return {name: fields.parse_yes_no(text)}
    if clear:
        return {name: None}
    if kind == "text":
        return {name: text}
    if kind == "leitlinie":
        return {name: to_int(text)}
    if kind == "handlungsfeld":
        return {name: _handlungsfeld(ctx, text)}
    if kind == "user":
        return {name: to_user_id(text)}
    if kind == "status":
        return {name: to_wp_status(text)}
    if kind == "percent":
        match = re.fullmatch(r"\s*(-?\d{1,9})\s*%?\s*", text)
        if match is None:
            raise BotError("wp.progress_invalid", value=text[:20])
        return {name: int(match.group(1))}
    if kind == "date":
        return {name: _date(ctx, text)}
    if kind == "euro":
        return {name: fields.parse_euros(text)}
    raise AssertionError(name)


@group.command(
    "edit",
    de="ändern",
    aliases=("aendern", "bearbeiten"),
    help_params={"fields": ", ".join(fields.EDIT_HELP_WORDS)},
)
def edit(ctx: Context, wp: WpNumber, field: WpField, *, value: Rest = "") -> str:
    """Change one field: {fields}"""
    name = field
    package = _get(ctx, wp)
    if not value and fields.spec(name).kind != "long_text":
        raise UsageError("wp.value_missing", field=r.field_name(ctx.lang, name))
    if name == "contributors":
        wps.check_manage(ctx.session, package, ctx.sender, ctx.is_admin)
        return _contributors(ctx, package, value)
    changes = _changes_for(ctx, package, name, value)
    try:
        wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin, fields=changes)
    except Forbidden as exc:
        if exc.key != "wp.forbidden_field":
            raise
        raise Forbidden(
            "wp.forbidden_field_named", code=wps.code(package), field=r.field_name(ctx.lang, name)
        ) from None
    changed = wps.update(
        ctx.session,
        package,
        actor=ctx.sender,
        now=ctx.now,
        handlungsfelder=handlungsfelder(ctx),
        **changes,
    )
    if not changed:
        return t(ctx.lang, "wp.unchanged", code=wps.code(package))
    return "\n".join([t(ctx.lang, "wp.edited", code=wps.code(package)), *r.changes(ctx, changed)])


def _contributors(ctx: Context, package: WorkPackage, text: str) -> str:
    found: list[Department] = []
    rest = " ".join(text.replace(",", " ").split())
    if rest.casefold() not in CLEAR:
        while rest:
            dept, rest = find_with_rest(ctx, rest)
            found.append(dept)
    before = [d.code for d in wps.details(ctx.session, package).contributors]
    result = wps.set_contributors(ctx.session, package, found, actor=ctx.sender, now=ctx.now)
    after = [d.code for d in result]
    if before == after:
        return t(ctx.lang, "wp.unchanged", code=wps.code(package))
    return "\n".join(
        [
            t(ctx.lang, "wp.edited", code=wps.code(package)),
            *r.changes(ctx, {"contributors": (before, after)}),
        ]
    )


@group.command("show", de="zeigen", aliases=("anzeigen",))
def show(ctx: Context, wp: WpNumber) -> str:
    """Show one work package in full"""
    package = _get(ctx, wp)
    details = wps.details(ctx.session, package)
    reports = status_rounds.status_lines(ctx.session, package, limit=RECENT)
    if reports:  # the departments' own words from the status rounds come first
        return r.show(ctx, details, [], reports=reports)
    return r.show(ctx, details, wps.status_history(ctx.session, package, limit=RECENT))


@group.command("list", de="liste", aliases=("übersicht", "uebersicht"))
def list_(
    ctx: Context,
    *,
    dept: Code | None = None,
    ll: int | None = None,
    hf: str | None = None,
    status: WpStatus | None = None,
    ampel: WpLight | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    blocked: bool = False,
    resp: UserId | None = None,
    all_: bool = False,
    sort: WpSort | None = None,
    page: int = 1,
) -> str:
    """List work packages, grouped by Leitlinie, 25 a page"""
    sort_by = sort or "due"
    if due_within is not None and not 0 <= due_within <= 3660:
        raise UsageError("wp.due_within_invalid", value=due_within)
    owner, extra = find_code(ctx, dept) if dept else (None, "")
    if extra:
        raise UsageError("parse.too_many_arguments", extra=extra)
    field = _handlungsfeld(ctx, hf) if hf else None
    flt = wps.WpFilter(
        department_id=owner.id if owner else None,
        leitlinie=ll,
        handlungsfeld=field,
        statuses=frozenset({status}) if status else None,
        traffic_light=ampel,
        overdue=overdue,
        due_within_days=due_within,
        blocked=blocked,
        responsible=resp,
        include_closed=all_,
    )
    day = today(ctx)
    page = max(page, 1)
    rows, total = wps.list_packages(
        ctx.session,
        _board_id(ctx),
        flt,
        today=day,
        sort=sort_by,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    if total == 0:
        return t(ctx.lang, "wp.list.empty", prefix=Safe(ctx.prefix))
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if not rows:
        return t(ctx.lang, "wp.list.no_page", page=page, pages=pages)
    codes = departments.codes(ctx.session, _board_id(ctx), {wp.owner_department_id for wp in rows})
    waiting = wps.waits_for_open(ctx.session, [wp.id for wp in rows if wp.id is not None])
    lines = r.list_page(ctx, rows, total, codes, waiting, day)
    if pages > 1:
        options = {
            "dept": owner.code if owner else None,
            "ll": ll,
            "hf": field,
            "status": status,
            "ampel": ampel,
            "overdue": overdue,
            "due_within": due_within,
            "blocked": blocked,
            "resp": resp,
            "all": all_,
            "sort": sort_by if sort_by != "due" else None,
        }
        lines += ["", r.page_line(ctx, page, pages, options)]
    return "\n".join(lines)


@group.command("close", de="abschließen", aliases=("abschliessen", "schließen"))
def close(ctx: Context, wp: WpNumber, how: WpStatus | None = None) -> str:
    """Close a work package as done (or: verworfen)"""
    package = _get(ctx, wp)
    status = how or "done"
    if status not in wps.CLOSED:
        raise UsageError("wp.close_status_invalid", value=r.status_name(ctx.lang, status))
    wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin, fields={"status"})
    changed = wps.close(ctx.session, package, status, actor=ctx.sender, now=ctx.now)
    head = t(ctx.lang, "wp.closed", code=wps.code(package), status=r.status_name(ctx.lang, status))
    return "\n".join([head, *r.changes(ctx, changed)])


@group.command("reopen", de="wiedereröffnen", aliases=("wiedereroeffnen", "öffnen", "oeffnen"))
def reopen(ctx: Context, wp: WpNumber) -> str:
    """Reopen a closed work package (it is in progress again)"""
    package = _get(ctx, wp)
    wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin, fields={"status"})
    changed = wps.reopen(ctx.session, package, actor=ctx.sender, now=ctx.now)
    return "\n".join([t(ctx.lang, "wp.reopened", code=wps.code(package)), *r.changes(ctx, changed)])


@group.command("milestone", de="meilenstein", aliases=("ms",))
def milestone(ctx: Context, action: str, wp: WpNumber, *, what: Rest) -> str:
    """Milestones: add WP-12 <date> <title>, or done WP-12 <no.>"""
    verb = action.casefold()
    package = _get(ctx, wp)
    if verb in MILESTONE_ADD:
        when, _, title = what.partition(" ")
        due_on = _date(ctx, when)
        wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin)
        m = wps.add_milestone(ctx.session, package, title, due_on, actor=ctx.sender, now=ctx.now)
        return t(
            ctx.lang,
            "wp.milestone_added",
            code=wps.code(package),
            title=m.title,
            due=weekday_date(ctx.lang, m.due_on),
        )
    if verb in MILESTONE_DONE:
        index = to_int(what)
        wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin)
        m = wps.complete_milestone(ctx.session, package, index, actor=ctx.sender, now=ctx.now)
        return t(ctx.lang, "wp.milestone_done", code=wps.code(package), title=m.title)
    raise UsageError("wp.milestone_action", action=action[:40])


@group.command("depend", de="wartet", aliases=("abhängig", "abhaengig"))
def depend(ctx: Context, wp: WpNumber, on: WpNumber) -> str:
    """Make a work package wait for another: depend WP-7 WP-3 (WP-7 waits for WP-3)"""
    package, other = _get(ctx, wp), _get(ctx, on)
    wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin)
    wps.depend(ctx.session, package, other, actor=ctx.sender, now=ctx.now)
    return t(ctx.lang, "wp.depended", code=wps.code(package), other=wps.code(other))


@group.command("undepend", de="unabhängig", aliases=("unabhaengig", "löse", "loese"))
def undepend(ctx: Context, wp: WpNumber, on: WpNumber) -> str:
    """Remove a dependency: undepend WP-7 WP-3"""
    package, other = _get(ctx, wp), _get(ctx, on)
    wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin)
    wps.undepend(ctx.session, package, other, actor=ctx.sender, now=ctx.now)
    return t(ctx.lang, "wp.undepended", code=wps.code(package), other=wps.code(other))


@group.command("link", de="verweis", aliases=("verknüpfen",))
def link(ctx: Context, wp: WpNumber, url: str, *, link_title: Rest = "") -> str:
    """Attach a link (https://…) with an optional title"""
    package = _get(ctx, wp)
    wps.check_update(ctx.session, package, ctx.sender, ctx.is_admin)
    added = wps.add_link(
        ctx.session, package, url, link_title or None, actor=ctx.sender, now=ctx.now
    )
    return t(ctx.lang, "wp.linked", code=wps.code(package), url=added.url)


@group.command("history", de="verlauf", aliases=("protokoll",))
def history(ctx: Context, wp: WpNumber) -> str:
    """Show who changed what, newest first (at most 20 entries)"""
    package = _get(ctx, wp)
    entries = wps.history(ctx.session, package, limit=HISTORY_LIMIT)
    lines = [t(ctx.lang, "wp.history.title", code=wps.code(package), limit=HISTORY_LIMIT), ""]
    lines += [r.history_line(ctx, e) for e in entries]
    return "\n".join(lines)
