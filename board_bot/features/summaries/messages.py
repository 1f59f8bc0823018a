"""The words of a board summary: first what needs the mayor's attention, then what lets the CDO
steer. Phone-sized lines; traffic lights as emoji and word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from board_bot.core.formats import format_date, shorten
from board_bot.core.i18n import N_, t, tn
from board_bot.core.naming import Namer
from board_bot.core.render import Safe, escape, plain_text
from board_bot.features.council import papers
from board_bot.features.departments.messages import code_and_name
from board_bot.features.status_rounds.messages import period_label
from board_bot.features.summaries import service as sm
from board_bot.features.summaries.chart import Chart, traffic_chart
from board_bot.features.work_packages import service as wps
from board_bot.features.work_packages.messages import light
from board_bot.features.work_packages.vocabulary import LIGHT, leitlinie_name
from board_bot.features.workshops.messages import when

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


#: The first screen: what needs the mayor, at most this many lines on a phone (390 px wide:
#: about :data:`PHONE_CHARS` characters a line; a blank line is half a line of space).
FIRST_SCREEN_LINES = 15
PHONE_CHARS = 48
LIST_CHARS = 46  # a list item's text, after its bullet
DECISION_CHARS = 80  # a decision's words on the first screen (in full below)
TREND_WORDS = {
    "up": N_("summary.trend_up"),
    "down": N_("summary.trend_down"),
    "same": N_("summary.trend_same"),
}


def phone_lines(markdown: list[str]) -> float:
    """How many lines ``markdown`` takes on a phone, as :data:`PHONE_CHARS` characters a line."""
    total = 0.0
    for line in markdown:
        text = plain_text(line).replace("**", "").strip()
        width = PHONE_CHARS
        if text.startswith("- "):
            text, width = text[2:], LIST_CHARS
        total += 0.5 if not text else -(-len(text) // width)
    return total


def age(lang: str, since: date, today: date) -> Safe:
    """``seit heute``, ``seit gestern``, ``seit 5 Tagen``, ``seit 3 Wochen``."""
    days = max((today - since).days, 0)
    if days == 0:
        return t(lang, "summary.age_today")
    if days == 1:
        return t(lang, "summary.age_yesterday")
    if days < 7:
        return tn(lang, "summary.age_days", days)
    return tn(lang, "summary.age_weeks", days // 7)


def _light_line(lang: str, wp: sm.Package, data: sm.SummaryData) -> Safe:
    """``🟡 seit 3 Wochen gelb (Personal fehlt)``; without a known age ``🟡 gelb (…)``."""
    since = data.light_since.get(wp.id)
    if since is None:
        return light(lang, wp.traffic_light, wp.traffic_reason)
    word = LIGHT.label(lang, wp.traffic_light)
    text = t(
        lang,
        "summary.light_age",
        symbol=LIGHT.symbol(wp.traffic_light),
        light=word,
        age=age(lang, since, data.today),
    )
    reason = f" ({escape(wp.traffic_reason)})" if wp.traffic_reason else ""
    return Safe(f"{text}{reason}")


def _package_line(lang: str, wp: sm.Package, data: sm.SummaryData) -> str:
    due = f" · {t(lang, 'status.prompt.due', due=format_date(wp.due_date))}" if wp.due_date else ""
    owner = escape(data.owners.get(wp.owner_department_id, "?"))
    contributes = (
        " · " + t(lang, "summary.contributes")
        if data.department_id is not None and wp.owner_department_id != data.department_id
        else ""
    )
    return (
        f"- **{wps.code(wp)}** {escape(wp.title)} ({owner}){contributes} · "
        f"{_light_line(lang, wp, data)} · {wp.progress} %{due}"
    )


def _compared(lang: str, data: sm.SummaryData) -> Safe | None:
    """What trends and changes compare with: ``01.11.2026`` or ``KW 49``; None: nothing yet."""
    if data.since is not None:
        return Safe(format_date(data.since))
    if data.previous is not None:
        return Safe(escape(period_label(lang, data.previous.period)))
    return None


def _headline(lang: str, data: sm.SummaryData) -> str:
    """``1 Entscheidung für Sie · 2 Pakete kritisch · 4 im Plan``: what needs whom, in one
    sentence."""
    mayor = sum(1 for d in data.decisions if d.audience == "mayor")
    board = len(data.decisions) - mayor
    parts = []
    if mayor:
        parts.append(tn(lang, "summary.head_mayor", mayor))
    if board:
        parts.append(tn(lang, "summary.head_board", board))
    if data.totals["red"]:
        parts.append(tn(lang, "summary.head_red", data.totals["red"]))
    if data.totals["yellow"]:
        parts.append(tn(lang, "summary.head_yellow", data.totals["yellow"]))
    if data.totals["green"]:
        parts.append(tn(lang, "summary.head_green", data.totals["green"]))
    if not parts:
        return t(lang, "summary.head_nothing")
    return "**" + " · ".join(str(p) for p in parts) + "**"


def _decision_line(lang: str, d: sm.Decision, *, limit: int | None) -> str:
    key = N_("summary.decision_mayor") if d.audience == "mayor" else N_("summary.decision_board")
    where = ", ".join(x for x in (d.department, d.package) if x)
    return "- " + t(
        lang,
        key,
        text=shorten(d.text, limit) if limit else d.text,
        where=where,
        since=d.since,
    )


def _leitlinie_line(lang: str, ll: sm.LeitlinieLight) -> str:
    """``🔴 Infrastruktur & Daten: rot, unverändert``."""
    assert ll.leitlinie is not None
    name = escape(leitlinie_name(lang, ll.leitlinie))
    if ll.light is None:
        return t(lang, "summary.ll_nothing", name=name)
    trend = TREND_WORDS.get(ll.trend)
    return t(
        lang,
        "summary.ll_line" if trend else "summary.ll_line_new",
        symbol=LIGHT.symbol(ll.light),
        name=name,
        light=LIGHT.label(lang, ll.light),
        trend=t(lang, trend) if trend else "",
    )


def first_screen(
    lang: str, data: sm.SummaryData, scope: str | None = None
) -> tuple[list[str], bool]:
    """What needs the mayor, in at most :data:`FIRST_SCREEN_LINES` phone lines: the headline,
    the decisions asked of her and then of the board, and the Leitlinien by name with light and
    trend. True when every decision is there in full; else as many as fit, in short, and the
    rest is counted (all of them follow below)."""
    period = period_label(lang, data.round.period) if data.round else t(lang, "summary.no_round")
    head: list[str] = [
        t(
            lang,
            "summary.title",
            board=data.board.name,
            period=period,
            today=format_date(data.today),
        )
    ]
    if scope:
        head.append(t(lang, "summary.scope", scope=scope))
    head.append(_headline(lang, data))
    compared = _compared(lang, data)
    leitlinien: list[str] = [
        t(lang, "summary.leitlinien_since", since=compared)
        if compared is not None
        else t(lang, "summary.leitlinien")
    ]
    leitlinien += [_leitlinie_line(lang, ll) for ll in data.leitlinien if ll.leitlinie is not None]
    budget = FIRST_SCREEN_LINES - phone_lines([*head, "", *leitlinien])
    decisions: list[str] = []
    complete = True
    if data.decisions:
        budget -= phone_lines([""])
        for n, d in enumerate(data.decisions):
            line = _decision_line(lang, d, limit=DECISION_CHARS)
            rest = len(data.decisions) - n - 1
            reserve = phone_lines([t(lang, "summary.decide_more", count=rest)]) if rest else 0
            if phone_lines([*decisions, line]) + reserve > budget:
                decisions.append(
                    "- " + t(lang, "summary.decide_more", count=len(data.decisions) - n)
                )
                complete = False
                break
            decisions.append(line)
            complete = complete and len(d.text) <= DECISION_CHARS
        decisions = ["", *decisions]
    return [*head, *decisions, "", *leitlinien], complete


def _section(title: Safe | str, lines: list[str]) -> list[str]:
    """A folded section below the first screen: its title and count on the fold, its lines
    (at most :data:`LIMIT`, the rest counted) inside. Blank lines around it make it one block,
    so that a long summary is split between sections, never inside one."""
    return ["", f"::: details {title}", *lines, ":::", ""]


def render(lang: str, data: sm.SummaryData, *, name: Namer, scope: str | None = None) -> str:
    """The summary in Markdown, people named by ``name`` (the scheduler posts it without a
    command, so no context): the first screen, then the details, each section folded."""
    lines, complete = first_screen(lang, data, scope)
    for section in sections(lang, data, name=name, complete=complete):
        lines += _section(section.title, section.lines)
    text = "\n".join(lines).rstrip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


@dataclass(frozen=True)
class Section:
    """A part of the summary below the first screen: its title (Markdown, with its count) and
    its lines; ``part`` is ``leitlinien`` (a Leitlinie's packages) or ``details``."""

    title: str
    lines: list[str]
    part: str


def sections(lang: str, data: sm.SummaryData, *, name: Namer, complete: bool) -> list[Section]:
    """The summary's sections below the first screen; the decisions in full when the first
    screen could not show them all (``complete`` False)."""
    found: list[Section] = []
    for ll in data.leitlinien:
        if not ll.packages:
            continue
        title = (
            escape(leitlinie_name(lang, ll.leitlinie))
            if ll.leitlinie
            else t(lang, "summary.ll_none")
        )
        packages = [_package_line(lang, wp, data) for wp in ll.packages[:LIMIT]]
        heading = t(
            lang,
            "summary.ll_section",
            name=title,
            light=light(lang, ll.light) if ll.light else "",
            count=len(ll.packages),
        )
        found.append(Section(heading, _more(lang, packages, len(ll.packages)), "leitlinien"))
    if data.watermelons:
        melons = ["- " + _watermelon_line(lang, w, data) for w in data.watermelons[:LIMIT]]
        found.append(
            Section(
                t(lang, "summary.watermelons", count=len(data.watermelons)),
                _more(lang, melons, len(data.watermelons)),
                "details",
            )
        )
    if not complete:
        full = [_decision_line(lang, d, limit=None) for d in data.decisions]
        found.append(
            Section(t(lang, "summary.decisions", count=len(data.decisions)), full, "details")
        )
    if data.changed or data.closed:
        total = data.changed_count + data.closed_count
        compared = _compared(lang, data)
        heading = t(
            lang,
            "summary.changed_since",
            since=compared or t(lang, "summary.no_round"),
            count=total,
        )
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
        found.append(Section(heading, _more(lang, changed, total), "details"))
    if data.blocked:
        blocked: list[str] = []
        for b in data.blocked[:LIMIT]:
            waits = ", ".join(wps.code(w) for w in b.waits_for)
            line = t(
                lang,
                "summary.blocked_line",
                code=wps.code(b.wp),
                title=b.wp.title,
                dept=data.owners.get(b.wp.owner_department_id, "?"),
                age=age(lang, b.since, data.today),
            )
            suffix = " " + t(lang, "summary.waits_for", codes=waits) if waits else ""
            blocked.append(f"- {line}{suffix}")
        found.append(
            Section(
                t(lang, "summary.blocked", count=data.blocked_count),
                _more(lang, blocked, data.blocked_count),
                "details",
            )
        )
    if data.overdue:
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
        found.append(
            Section(
                t(lang, "summary.overdue", count=len(data.overdue)),
                _more(lang, overdue, len(data.overdue)),
                "details",
            )
        )
    if data.milestones:
        due = [
            f"- {format_date(m.due_on)} · **{wps.code(wp)}** {escape(m.title)}"
            for wp, m in data.milestones[:LIMIT]
        ]
        found.append(
            Section(
                t(lang, "summary.milestones", count=len(data.milestones)),
                _more(lang, due, len(data.milestones)),
                "details",
            )
        )
    if data.silent:
        silent = []
        for s in data.silent:
            who = name(s.contact) if s.contact else t(lang, "summary.nobody")
            covered = (
                " " + t(lang, "summary.covering", lead=name(s.covering_for))
                if s.covering_for
                else ""
            )
            silent.append(f"- {code_and_name(s.code, s.name)} ({who}){covered}")
        found.append(Section(t(lang, "summary.silent", count=len(data.silent)), silent, "details"))
    if data.council:
        council = [
            f"- **B-{d.number}** {escape(shorten(d.text, 120))} · {papers.paper_part(lang, d)}"
            for d in data.council
        ]
        found.append(
            Section(
                t(lang, "summary.council", count=data.council_count),
                _more(lang, council, data.council_count),
                "details",
            )
        )
    if data.workshops:  # absent while the board has none coming
        workshops = []
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
            workshops.append(
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
        found.append(
            Section(t(lang, "summary.workshops", count=len(data.workshops)), workshops, "details")
        )
    return found


def _watermelon_line(lang: str, w: sm.Watermelon, data: sm.SummaryData) -> str:
    """``WP-4 WLAN an allen Schulen (FB 40): grün, aber Frist 27.11.2026 überschritten``."""
    reasons = []
    for why in w.reasons:
        if why.kind == "due":
            reasons.append(t(lang, "summary.melon_due", due=why.due))
        elif why.kind == "milestone":
            reasons.append(t(lang, "summary.melon_milestone", title=why.title, due=why.due))
        else:
            reasons.append(
                t(lang, "summary.melon_stalled", progress=why.progress, rounds=sm.STALLED_ROUNDS)
            )
    owner = escape(data.owners.get(w.wp.owner_department_id, "?"))
    return t(
        lang,
        "summary.melon_line",
        code=wps.code(w.wp),
        title=w.wp.title,
        dept=owner,
        reasons=Safe("; ".join(str(r) for r in reasons)),
    )


def export_stem(lang: str, data: sm.SummaryData) -> str:
    stem = "lagebericht" if lang == "de" else "summary"
    return f"{stem}-{data.today.isoformat()}"
