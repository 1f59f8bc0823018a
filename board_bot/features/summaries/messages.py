"""The words of a board summary: first what needs the mayor's attention, then what lets the CDO
steer. Phone-sized lines; traffic lights as emoji and word."""

from __future__ import annotations

import base64
import html

from sqlmodel import Session

from board_bot.core.formats import format_date
from board_bot.core.i18n import N_, t, tn
from board_bot.core.naming import Namer
from board_bot.core.render import escape, markdown_to_html
from board_bot.features.departments.messages import dept_title
from board_bot.features.status_rounds.messages import period_label
from board_bot.features.summaries import service as sm
from board_bot.features.summaries.chart import Chart, traffic_chart
from board_bot.features.work_packages import service as wps
from board_bot.features.work_packages.messages import light
from board_bot.features.workshops.messages import when

TREND = {"up": "↑", "down": "↓", "same": "→", "new": ""}
LIMIT = 15  # lines per section; the rest is counted


def _more(lang: str, lines: list[str], total: int) -> list[str]:
    """At most LIMIT of a section's lines (``total`` of them in all), and how many more."""
    if total > LIMIT:
        # A list item too: a plain line would continue the last item (and swallow a ":::").
        return [*lines[:LIMIT], "- " + t(lang, "summary.more", count=total - LIMIT)]
    return lines


def chart(session: Session, data: sm.SummaryData, lang: str, *, with_now: bool) -> Chart | None:
    """The traffic lights of the Leitlinien over the last kept rounds (and now), or None when
    there is nothing to draw yet."""
    assert data.board.id is not None
    history = sm.light_history(session, data.board.id, limit=11 if with_now else 12)
    columns = [(period_label(lang, r.period), lights) for r, lights in history]
    if with_now:
        now = {ll.leitlinie: ll.light for ll in data.leitlinien if ll.leitlinie is not None}
        columns.append((t(lang, "summary.chart_now"), now))
    if not columns:
        return None
    return traffic_chart(columns, lang, t(lang, "summary.chart_title"))


def chart_filename(data: sm.SummaryData) -> str:
    return f"ampeln-{data.today.isoformat()}.png"


def _package_line(lang: str, wp: sm.Package, data: sm.SummaryData) -> str:
    due = f" · {t(lang, 'status.prompt.due', due=format_date(wp.due_date))}" if wp.due_date else ""
    owner = escape(data.owners.get(wp.owner_department_id, "?"))
    state = light(lang, wp.traffic_light, wp.traffic_reason)
    contributes = (
        " · " + t(lang, "summary.contributes")
        if data.department_id is not None and wp.owner_department_id != data.department_id
        else ""
    )
    return (
        f"- **{wps.code(wp)}** {escape(wp.title)} ({owner}){contributes} · {state} · "
        f"{wp.progress} %{due}"
    )


def render(lang: str, data: sm.SummaryData, *, name: Namer, scope: str | None = None) -> str:
    """The summary in Markdown, people named by ``name`` (the scheduler posts it without a
    command, so no context)."""
    period = period_label(lang, data.round.period) if data.round else None
    lines: list[str] = [
        t(
            lang,
            "summary.title",
            board=data.board.name,
            period=period or t(lang, "summary.no_round"),
            today=format_date(data.today),
        )
    ]
    if scope:
        lines.append(t(lang, "summary.scope", scope=scope))
    lines += [
        "",
        t(
            lang,
            "summary.totals",
            green=data.totals["green"],
            yellow=data.totals["yellow"],
            red=data.totals["red"],
        ),
        "",
        t(lang, "summary.leitlinien"),
    ]
    for ll in data.leitlinien:
        heading = (
            t(lang, "summary.ll", n=ll.leitlinie) if ll.leitlinie else t(lang, "summary.ll_none")
        )
        if ll.light is None:
            lines.append(f"{heading}: {t(lang, 'summary.ll_empty')}")
            continue
        trend = f" {TREND[ll.trend]}" if TREND[ll.trend] else ""
        reason = f" — {escape(ll.reason)}" if ll.reason else ""
        count = t(lang, "summary.ll_count", count=len(ll.packages))
        # The line is the folded section's summary; its packages unfold, worst first. Blank
        # lines around it make it one block, so that a long summary is split between sections,
        # never inside one (a section has at most LIMIT lines: it fits in one event).
        lines.append("")
        lines.append(f"::: details {heading}: {light(lang, ll.light)}{trend} ({count}){reason}")
        packages = [_package_line(lang, wp, data) for wp in ll.packages[:LIMIT]]
        lines += _more(lang, packages, len(ll.packages))
        lines += [":::", ""]
    if data.decisions:
        lines += ["", t(lang, "summary.decisions")]
        for d in data.decisions:
            key = (
                N_("summary.decision_mayor")
                if d.audience == "mayor"
                else N_("summary.decision_board")
            )
            package = f" ({d.package})" if d.package else ""
            lines.append("- " + t(lang, key, dept=d.department, text=d.text) + package)
    if data.changed or data.closed:
        heading = (
            t(lang, "summary.changed_since", since=data.since)
            if data.since is not None
            else t(lang, "summary.changed")
        )
        lines += ["", heading]
        changed: list[str] = []
        for c in data.changed[:LIMIT]:
            before = (
                f"{light(lang, c.before.traffic_light)} {c.before.progress} % → "
                if c.before
                else t(lang, "summary.new") + " "
            )
            after = f"{light(lang, c.after.traffic_light)} {c.after.progress} %"
            changed.append(f"- **{wps.code(c.wp)}** {escape(c.wp.title)}: {before}{after}")
        changed += [
            "- " + t(lang, "summary.closed", code=wps.code(wp), title=wp.title)
            for wp in data.closed
        ]
        lines += _more(lang, changed, len(changed))
    if data.blocked:
        lines += ["", t(lang, "summary.blocked")]
        blocked: list[str] = []
        for b in data.blocked[:LIMIT]:
            days = (data.today - b.since).days
            waits = ", ".join(wps.code(w) for w in b.waits_for)
            line = tn(
                lang,
                "summary.blocked_line",
                days,
                code=wps.code(b.wp),
                title=b.wp.title,
                dept=data.owners.get(b.wp.owner_department_id, "?"),
                since=format_date(b.since),
            )
            suffix = " " + t(lang, "summary.waits_for", codes=waits) if waits else ""
            blocked.append(f"- {line}{suffix}")
        lines += _more(lang, blocked, len(data.blocked))
    if data.overdue:
        lines += ["", t(lang, "summary.overdue")]
        overdue = [
            "- "
            + t(
                lang,
                "summary.overdue_line",
                code=wps.code(wp),
                title=wp.title,
                due=format_date(wp.due_date) if wp.due_date else "–",
            )
            for wp in data.overdue[:LIMIT]
        ]
        lines += _more(lang, overdue, len(data.overdue))
    if data.milestones:
        lines += ["", t(lang, "summary.milestones")]
        due = [
            f"- {format_date(m.due_on)} · **{wps.code(wp)}** {escape(m.title)}"
            for wp, m in data.milestones[:LIMIT]
        ]
        lines += _more(lang, due, len(data.milestones))
    if data.silent:
        lines += ["", t(lang, "summary.silent")]
        for s in data.silent:
            who = name(s.contact) if s.contact else t(lang, "summary.nobody")
            covered = (
                " " + t(lang, "summary.covering", lead=name(s.covering_for))
                if s.covering_for
                else ""
            )
            lines.append(f"- {dept_title(s.department)} ({who}){covered}")
    if data.workshops:  # absent while the board has none coming
        lines += ["", t(lang, "summary.workshops")]
        for w in data.workshops:
            state = (
                tn(
                    lang,
                    "workshop.state_confirmed",
                    w.yes,
                    when=when(lang, w.starts_at, data.board.timezone),
                )
                if w.starts_at is not None
                else tn(lang, "workshop.state_planning", w.voters)
            )
            lines.append(
                "- "
                + t(
                    lang,
                    "workshop.list_line",
                    number=w.number,
                    title=escape(f"„{w.title}“"),
                    depts=", ".join(w.departments),
                    state=state,
                )
            )
    return "\n".join(lines)


def export_stem(lang: str, data: sm.SummaryData) -> str:
    stem = "lagebericht" if lang == "de" else "summary"
    return f"{stem}-{data.today.isoformat()}"


def html_page(lang: str, data: sm.SummaryData, markdown: str, drawn: Chart | None) -> str:
    """A self-contained page for the committee: the summary with its sections open and the
    chart embedded, styled for print; the same sanitised HTML the chat shows."""
    body = markdown_to_html(markdown).replace("<details>", "<details open>")
    figure = ""
    if drawn is not None:
        encoded = base64.b64encode(drawn.png).decode("ascii")
        figure = (
            f'<figure><img src="data:image/png;base64,{encoded}" alt="{html.escape(drawn.alt)}"'
            f' width="{drawn.width}" height="{drawn.height}"><figcaption>'
            f"{html.escape(drawn.alt)}</figcaption></figure>"
        )
    title = html.escape(f"{data.board.name} · {format_date(data.today)}")
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{PAGE_STYLE}</style></head>"
        f"<body>{body}{figure}</body></html>\n"
    )


PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:48em;margin:2em auto;line-height:1.45}"
    "summary{font-weight:600;margin:.3em 0}figure{margin:2em 0}figcaption{font-size:.85em;"
    "color:#555}img{max-width:100%;height:auto}@media print{details{break-inside:avoid}}"
)
