"""How work packages read in the chat: status and traffic light in words (never colour alone),
field values, one package in full, list lines, and audit entries in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from board_bot.core.formats import format_date, format_datetime, format_euros, weekday_date
from board_bot.core.i18n import N_, t
from board_bot.core.naming import Reader
from board_bot.core.render import Safe, escape
from board_bot.features.departments.messages import dept_title
from board_bot.features.work_packages import fields
from board_bot.features.work_packages import service as wps
from board_bot.features.work_packages.vocabulary import LIGHT, STATUS, leitlinie_name
from board_bot.models import AuditEntry, Department, StatusItem, WorkPackage

# Dates in the audit log: the package's date fields, and a milestone's day.
DATE_FIELDS = fields.DATE_FIELDS | {"due_on"}
NONE = Safe("–")


def status_name(lang: str, status: str) -> Safe:
    return STATUS.label(lang, status) if status in STATUS.codes else escape(status)


def light(lang: str, value: str, reason: str | None = None) -> Safe:
    """``🔴 rot (Förderbescheid fehlt)``: the symbol and the word, and the reason if any."""
    word = LIGHT.label(lang, value) if value in LIGHT.codes else escape(value)
    text = f"{LIGHT.symbol(value)} {word}"
    return Safe(f"{text} ({escape(reason)})" if reason else text)


def field_name(lang: str, name: str) -> Safe:
    """A field's name in texts (``Fällig``), from the field table."""
    field = fields.BY_NAME.get(name)
    return t(lang, field.label_key) if field else escape(name)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def value(ctx: Reader, name: str, raw: Any) -> Safe:
    """A field's value as the board reads it; ``raw`` may come from a model or from the audit
    log (dates as ISO strings, departments as codes)."""
    if raw is None or raw == "" or raw == []:
        return NONE
    if name in DATE_FIELDS:
        day = _as_date(raw)
        return weekday_date(ctx.lang, day) if day else escape(str(raw))
    if name == "status":
        return status_name(ctx.lang, str(raw))
    if name == "traffic_light":
        return light(ctx.lang, str(raw))
    if name == "progress":
        return Safe(f"{raw} %")
    if name in fields.BY_NAME and fields.spec(name).kind == "euro" and isinstance(raw, int):
        return escape(format_euros(ctx.lang, raw))
    if name == "responsible":
        return ctx.name(str(raw))
    if isinstance(raw, bool):
        return t(ctx.lang, "wp.yes" if raw else "wp.no")
    if name in fields.BY_NAME and fields.spec(name).kind == "long_text":
        text = str(raw)
        return escape(text if len(text) <= 80 else text[:79] + "…")
    if isinstance(raw, Department):
        return dept_title(raw)
    if isinstance(raw, (list, tuple)):
        return Safe(", ".join(escape(str(v)) for v in raw))
    return escape(str(raw))


def changes(ctx: Reader, changed: dict[str, Any]) -> list[str]:
    """``- Fortschritt: 40 % → 60 %`` for each changed field."""
    return [
        f"- {field_name(ctx.lang, name)}: {value(ctx, name, old)} → {value(ctx, name, new)}"
        for name, (old, new) in changed.items()
    ]


def show(
    ctx: Reader,
    d: wps.WpDetails,
    status_lines: list[AuditEntry],
    *,
    reports: Sequence[StatusItem] = (),
) -> str:
    """One package in full, with its last status lines: the status reports of the rounds when
    there are any, else the changes of status, traffic light and progress."""
    wp, lang = d.wp, ctx.lang
    lines = [f"**{wps.code(wp)} · {escape(wp.title)}**", ""]

    def item(key: str, **params: Any) -> None:
        lines.append("- " + t(lang, key, **params))

    item(N_("wp.show.status"), status=status_name(lang, wp.status), progress=wp.progress)
    item(N_("wp.show.light"), light=light(lang, wp.traffic_light, wp.traffic_reason))
    item(
        N_("wp.show.filed"),
        leitlinie=(
            t(lang, "wp.show.leitlinie", n=wp.leitlinie, name=leitlinie_name(lang, wp.leitlinie))
            if wp.leitlinie
            else NONE
        ),
        handlungsfeld=escape(wp.handlungsfeld) if wp.handlungsfeld else NONE,
    )
    item(N_("wp.show.owner"), dept=dept_title(d.owner))
    if d.contributors:
        item(
            N_("wp.show.contributors"), depts=Safe(", ".join(dept_title(c) for c in d.contributors))
        )
    item(N_("wp.show.responsible"), person=value(ctx, "responsible", wp.responsible))
    item(
        N_("wp.show.dates"),
        start=value(ctx, "start_date", wp.start_date),
        due=value(ctx, "due_date", wp.due_date),
    )
    if wp.funding_programme or wp.funding_deadline:
        item(
            N_("wp.show.funding"),
            programme=value(ctx, "funding_programme", wp.funding_programme),
            deadline=value(ctx, "funding_deadline", wp.funding_deadline),
        )
    for field in fields.FIELDS:  # fields with a line of their own, when they have a value
        if field.own_line and getattr(wp, field.name) is not None:
            shown = value(ctx, field.name, getattr(wp, field.name))
            lines.append(f"- {field_name(lang, field.name)}: {shown}")
    if wp.public:
        item(N_("wp.show.public"))
    if d.waits_for:
        item(N_("wp.show.waits_for"), codes=_codes(lang, d.waits_for))
    if d.blocks:
        item(N_("wp.show.blocks"), codes=_codes(lang, d.blocks))
    if wp.description:
        lines += ["", t(lang, "wp.show.description"), escape(wp.description)]
    if wp.public_description:
        public = escape(wp.public_description)
        lines += ["", t(lang, "wp.show.public_description"), public]
    if d.milestones:
        lines += ["", t(lang, "wp.show.milestones")]
        for n, m in enumerate(d.milestones, start=1):
            mark = "✓" if m.done_at else "☐"
            lines.append(f"{n}. {mark} {weekday_date(lang, m.due_on)} · {escape(m.title)}")
    if d.links:
        lines += ["", t(lang, "wp.show.links")]
        for link in d.links:
            label = f"{escape(link.title)}: " if link.title else ""
            lines.append(f"- {label}{escape(link.url)}")
    if reports:
        zone = ctx.board.timezone if ctx.board else "UTC"
        lines += ["", t(lang, "wp.show.status_lines")]
        lines += [status_line(lang, item, item.created_at, zone) for item in reports]
    elif status_lines:
        lines += ["", t(lang, "wp.show.recent")]
        lines += [history_line(ctx, e, only=wps.STATUS_FIELDS) for e in status_lines]
    return "\n".join(lines)


def _codes(lang: str, packages: list[WorkPackage]) -> Safe:
    return Safe(", ".join(f"{wps.code(p)} ({status_name(lang, p.status)})" for p in packages))


def list_line(
    ctx: Reader, wp: WorkPackage, owner: str, waiting: bool, today: date | None = None
) -> str:
    """``- 🟡 gelb · **WP-3** Titel · FB 61 · in Arbeit · 40 % · fällig 31.12.2026``: one line,
    short enough for a phone."""
    parts = [
        light(ctx.lang, wp.traffic_light),
        Safe(f"**{wps.code(wp)}** {escape(wp.title)}"),
        escape(owner),
        status_name(ctx.lang, wp.status),
        Safe(f"{wp.progress} %"),
    ]
    if wp.due_date:
        key = N_("wp.list.overdue") if today and wp.due_date < today else N_("wp.list.due")
        if wp.status in wps.CLOSED:
            key = N_("wp.list.due")
        parts.append(t(ctx.lang, key, due=wp.due_date))
    if waiting:
        parts.append(t(ctx.lang, "wp.list.waiting"))
    return "- " + " · ".join(parts)


def list_page(
    ctx: Reader,
    rows: list[WorkPackage],
    total: int,
    codes: Mapping[int, str],
    waiting: set[int],
    today: date,
) -> list[str]:
    """A page of the list, grouped by Leitlinie (1 to 4, then none), each group in the order of
    ``rows``; ``codes`` gives the owners' codes by department id."""
    lines: list[str] = [t(ctx.lang, "wp.list.title", total=total)]
    for leitlinie in sorted({wp.leitlinie for wp in rows}, key=lambda v: (v is None, v or 0)):
        lines.append("")
        if leitlinie is None:
            lines.append(t(ctx.lang, "wp.list.no_leitlinie"))
        else:
            lines.append(
                t(
                    ctx.lang,
                    "wp.list.leitlinie",
                    n=leitlinie,
                    name=leitlinie_name(ctx.lang, leitlinie),
                )
            )
        lines += [
            list_line(ctx, wp, codes.get(wp.owner_department_id, "?"), wp.id in waiting, today)
            for wp in rows
            if wp.leitlinie == leitlinie
        ]
    return lines


def page_line(ctx: Reader, page: int, pages: int, options: dict[str, Any]) -> Safe:
    """``Seite 1 von 3 — weiter mit `!wp list --dept "FB 61" --page 2```: the same filters,
    the next page. Every value was checked on the way in (codes, configured fields, user ids),
    so none can hold a backtick."""
    if page >= pages:
        return t(ctx.lang, "wp.list.page", page=page, pages=pages)
    words = [f"{ctx.prefix}wp list"]
    for name, given in options.items():
        option = "--" + name.replace("_", "-")
        if given is True:
            words.append(option)
        elif given is None or given is False:
            continue
        else:
            text = str(given)
            if name == "status" and text in STATUS.codes:
                text = STATUS.typed(ctx.lang, text)
            elif name == "ampel" and text in LIGHT.codes:
                text = LIGHT.typed(ctx.lang, text)
            elif " " in text:
                text = f'"{text}"'
            words.append(f"{option} {text}")
    command = Safe(" ".join([*words, f"--page {page + 1}"]))
    return t(ctx.lang, "wp.list.page_more", page=page, pages=pages, command=command)


def history_line(ctx: Reader, entry: AuditEntry, only: frozenset[str] | None = None) -> str:

    board_zone = ctx.board.timezone if ctx.board else "UTC"
    when = format_datetime(ctx.lang, entry.at, board_zone)
    return f"- {Safe(when)} · {ctx.name(entry.actor)} · {describe(ctx, entry, only)}"


def describe(ctx: Reader, entry: AuditEntry, only: frozenset[str] | None = None) -> Safe:
    """An audit entry in words; ``only``: the changed fields to name (default: all)."""
    lang = ctx.lang
    before, after = entry.before or {}, entry.after or {}
    if only is not None:
        after = {k: v for k, v in after.items() if k in only}
    if entry.action == "create":
        return t(lang, "wp.history.created", owner=str(after.get("owner", "?")))
    if entry.action in ("update", "close", "reopen", "contributors"):
        parts = [
            f"{field_name(lang, k)}: {value(ctx, k, before.get(k))} → {value(ctx, k, v)}"
            for k, v in after.items()
        ]
        key = {
            "update": N_("wp.history.updated"),
            "close": N_("wp.history.closed"),
            "reopen": N_("wp.history.reopened"),
            "contributors": N_("wp.history.updated"),
        }[entry.action]
        return t(lang, key, changes=Safe("; ".join(parts)))
    if entry.action == "link.add":
        return t(lang, "wp.history.link", url=str(after.get("url", "")))
    if entry.action == "milestone.add":
        return t(
            lang,
            "wp.history.milestone_added",
            title=str(after.get("milestone", "")),
            due=value(ctx, "due_on", after.get("due_on")),
        )
    if entry.action == "milestone.done":
        return t(lang, "wp.history.milestone_done", title=str(after.get("milestone", "")))
    if entry.action == "depend":
        return t(lang, "wp.history.depend", other=str(after.get("waits_for", "")))
    if entry.action == "undepend":
        return t(lang, "wp.history.undepend", other=str(before.get("waits_for", "")))
    return t(lang, "history.other", action=entry.action)


def item_state(lang: str, light_code: str | None, progress: int | None, status: str | None) -> str:
    """A package's state in a status line: traffic light, progress, and the status where it
    says more than "planned" or "in progress"."""
    parts = []
    if light_code:
        parts.append(str(light(lang, light_code)))
    if progress is not None:
        parts.append(f"{progress} %")
    if status and status not in ("in_progress", "planned"):
        parts.append(str(status_name(lang, status)))
    return " · ".join(parts)


def status_line(lang: str, item: StatusItem, at: datetime, zone: str) -> str:
    """One status line of a package for ``!wp show``."""
    state = item_state(lang, item.traffic_light, item.progress, item.status)
    if item.unchanged:
        state = str(t(lang, "status.confirm.item_unchanged"))
    note = f" — {escape(item.note)}" if item.note else ""
    return f"- {format_date(at.astimezone(ZoneInfo(zone)).date())} · {escape(state)}{note}"
