"""How work packages read in the chat: status and traffic light in words (never colour alone),
field values, one package in full, list lines, and audit entries in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from board_bot.chat.common import dept_title, person
from board_bot.chat.framework import Context
from board_bot.core.i18n import t, weekday_date
from board_bot.core.render import Safe, escape
from board_bot.features.work_packages import service as wps
from board_bot.models import AuditEntry, Department, StatusItem, WorkPackage

# Literal keys (not f-strings), so that the catalog test sees every one of them.
STATUS_KEYS = {
    "planned": "wp.status.planned",
    "in_progress": "wp.status.in_progress",
    "blocked": "wp.status.blocked",
    "done": "wp.status.done",
    "discarded": "wp.status.discarded",
}
LIGHT_KEYS = {"green": "wp.light.green", "yellow": "wp.light.yellow", "red": "wp.light.red"}
LIGHT_EMOJI = {"green": "🟢", "yellow": "🟡", "red": "🔴"}
FIELD_KEYS = {
    "title": "wp.field.title",
    "description": "wp.field.description",
    "leitlinie": "wp.field.leitlinie",
    "handlungsfeld": "wp.field.handlungsfeld",
    "owner": "wp.field.owner",
    "responsible": "wp.field.responsible",
    "status": "wp.field.status",
    "traffic_light": "wp.field.traffic_light",
    "traffic_reason": "wp.field.traffic_reason",
    "progress": "wp.field.progress",
    "start_date": "wp.field.start_date",
    "due_date": "wp.field.due_date",
    "funding_programme": "wp.field.funding_programme",
    "funding_deadline": "wp.field.funding_deadline",
    "contributors": "wp.field.contributors",
}
DATE_FIELDS = frozenset({"start_date", "due_date", "funding_deadline", "due_on"})
NONE = Safe("–")


def status_name(lang: str, status: str) -> Safe:
    key = STATUS_KEYS.get(status)
    return t(lang, key) if key else escape(status)


def light(lang: str, value: str, reason: str | None = None) -> Safe:
    """``🔴 rot (Förderbescheid fehlt)``: the emoji and the word, and the reason if any."""
    key = LIGHT_KEYS.get(value)
    word = t(lang, key) if key else escape(value)
    text = f"{LIGHT_EMOJI.get(value, '⚪')} {word}"
    return Safe(f"{text} ({escape(reason)})" if reason else text)


def field_name(lang: str, name: str) -> Safe:
    key = FIELD_KEYS.get(name)
    return t(lang, key) if key else escape(name)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def value(ctx: Context, name: str, raw: Any) -> Safe:
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
    if name == "responsible":
        return person(ctx, str(raw))
    if name == "description":
        text = str(raw)
        return escape(text if len(text) <= 80 else text[:79] + "…")
    if isinstance(raw, Department):
        return dept_title(raw)
    if isinstance(raw, (list, tuple)):
        return Safe(", ".join(escape(str(v)) for v in raw))
    return escape(str(raw))


def changes(ctx: Context, changed: dict[str, Any]) -> list[str]:
    """``- Fortschritt: 40 % → 60 %`` for each changed field."""
    return [
        f"- {field_name(ctx.lang, name)}: {value(ctx, name, old)} → {value(ctx, name, new)}"
        for name, (old, new) in changed.items()
    ]


def show(
    ctx: Context,
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

    item("wp.show.status", status=status_name(lang, wp.status), progress=wp.progress)
    item("wp.show.light", light=light(lang, wp.traffic_light, wp.traffic_reason))
    item(
        "wp.show.filed",
        leitlinie=wp.leitlinie if wp.leitlinie else NONE,
        handlungsfeld=escape(wp.handlungsfeld) if wp.handlungsfeld else NONE,
    )
    item("wp.show.owner", dept=dept_title(d.owner))
    if d.contributors:
        item("wp.show.contributors", depts=Safe(", ".join(dept_title(c) for c in d.contributors)))
    item("wp.show.responsible", person=value(ctx, "responsible", wp.responsible))
    item(
        "wp.show.dates",
        start=value(ctx, "start_date", wp.start_date),
        due=value(ctx, "due_date", wp.due_date),
    )
    if wp.funding_programme or wp.funding_deadline:
        item(
            "wp.show.funding",
            programme=value(ctx, "funding_programme", wp.funding_programme),
            deadline=value(ctx, "funding_deadline", wp.funding_deadline),
        )
    if d.waits_for:
        item("wp.show.waits_for", codes=_codes(lang, d.waits_for))
    if d.blocks:
        item("wp.show.blocks", codes=_codes(lang, d.blocks))
    if wp.description:
        lines += ["", t(lang, "wp.show.description"), escape(wp.description)]
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
        from board_bot.features.status_rounds.messages import status_line

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
    ctx: Context, wp: WorkPackage, owner: str, waiting: bool, today: date | None = None
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
        key = "wp.list.overdue" if today and wp.due_date < today else "wp.list.due"
        if wp.status in wps.CLOSED:
            key = "wp.list.due"
        parts.append(t(ctx.lang, key, due=wp.due_date))
    if waiting:
        parts.append(t(ctx.lang, "wp.list.waiting"))
    return "- " + " · ".join(parts)


def list_page(
    ctx: Context,
    rows: list[WorkPackage],
    total: int,
    codes: dict[int | None, str],
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
            lines.append(t(ctx.lang, "wp.list.leitlinie", n=leitlinie))
        lines += [
            list_line(ctx, wp, codes[wp.owner_department_id], wp.id in waiting, today)
            for wp in rows
            if wp.leitlinie == leitlinie
        ]
    return lines


# How the next page's command names status and traffic light (the words a user would type).
STATUS_WORDS = {
    "planned": "geplant",
    "in_progress": '"in Arbeit"',
    "blocked": "blockiert",
    "done": "erledigt",
    "discarded": "verworfen",
}
LIGHT_WORDS = {"green": "grün", "yellow": "gelb", "red": "rot"}


def page_line(ctx: Context, page: int, pages: int, options: dict[str, Any]) -> Safe:
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
            if name == "status":
                text = STATUS_WORDS.get(text, text)
            elif name == "ampel":
                text = LIGHT_WORDS.get(text, text)
            elif " " in text:
                text = f'"{text}"'
            words.append(f"{option} {text}")
    command = Safe(" ".join([*words, f"--page {page + 1}"]))
    return t(ctx.lang, "wp.list.page_more", page=page, pages=pages, command=command)


def history_line(ctx: Context, entry: AuditEntry, only: frozenset[str] | None = None) -> str:
    from board_bot.core.dates import format_datetime

    board_zone = ctx.board.timezone if ctx.board else "UTC"
    when = format_datetime(entry.at, board_zone)
    return f"- {Safe(when)} · {person(ctx, entry.actor)} · {describe(ctx, entry, only)}"


def describe(ctx: Context, entry: AuditEntry, only: frozenset[str] | None = None) -> Safe:
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
            "update": "wp.history.updated",
            "close": "wp.history.closed",
            "reopen": "wp.history.reopened",
            "contributors": "wp.history.updated",
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
