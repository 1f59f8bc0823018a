"""The words of status rounds: prompts, reminders, confirmations, the round at a glance.

Functions take plain values (language, time zone, a way to name people), not a command
context, because the scheduler's jobs send prompts and reminders without a command.
"""

from __future__ import annotations

from datetime import datetime

from babel.lists import format_list

from board_bot.core.dates import Month
from board_bot.core.formats import day_name, format_date, locale_of, moment
from board_bot.core.i18n import N_, t, tn
from board_bot.core.naming import Namer
from board_bot.core.render import Safe, escape
from board_bot.features.departments.messages import dept_title
from board_bot.features.status_rounds import schedule as rs
from board_bot.features.status_rounds import service as sr
from board_bot.features.work_packages import service as wps
from board_bot.features.work_packages.messages import item_state
from board_bot.features.work_packages.messages import light as light_words
from board_bot.models import Department, StatusAnswer, StatusFlag, StatusRound

#: How an escalation to each audience is confirmed.
ESCALATION_KEYS = {
    "board": N_("status.confirm.escalation_board"),
    "mayor": N_("status.confirm.escalation_mayor"),
}


def period_label(lang: str, period: str) -> str:
    """``KW 48`` (``week 48``) for a weekly period, ``November 2026`` for a monthly one; a
    further round an admin started in the same period (``2026-W48.2``) gets its number."""
    period, _, again = period.partition(".")
    if again.isdigit():
        return t(lang, "period.again", period=Safe(period_label(lang, period)), n=int(again))
    year, _, rest = period.partition("-")
    if rest.startswith("W") and rest[1:].isdigit():
        return t(lang, "period.week", week=int(rest[1:]))
    if rest.isdigit() and 1 <= int(rest) <= 12:
        return format(Month(int(year), int(rest)), lang)
    return period


def describe(schedule: rs.Schedule, lang: str) -> Safe:
    """The schedule in one line: ``wöchentlich montags 09:00 Uhr; Erinnerung dienstags 10:00 Uhr;
    Frist mittwochs 12:00 Uhr`` (``weekly on Mondays at 09:00; …``)."""
    monthly = schedule.frequency == "monthly"

    def when(m: rs.Moment) -> Safe:
        if monthly:
            return t(lang, "schedule.when_monthly", day=day_name(lang, m.weekday), time=m.time)
        return t(lang, "schedule.when", days=t(lang, EVERY[m.weekday]), time=m.time)

    prompt = schedule.prompt
    start = t(
        lang,
        FREQUENCY_KEYS[schedule.frequency],
        days=t(lang, EVERY[prompt.weekday]),
        day=day_name(lang, prompt.weekday),
        time=prompt.time,
    )
    reminders = sorted(set(schedule.reminders), key=lambda m: rs.position(prompt, m))
    times = Safe(format_list([when(m) for m in reminders], locale=locale_of(lang)))
    remind = (
        tn(lang, "schedule.reminders", len(reminders), times=times)
        if reminders
        else t(lang, "schedule.no_reminder")
    )
    return t(lang, "schedule.rule", start=start, remind=remind, deadline=when(schedule.deadline))


#: How often rounds run, in words.
FREQUENCY_KEYS = {
    "weekly": N_("schedule.weekly"),
    "biweekly": N_("schedule.biweekly"),
    "monthly": N_("schedule.monthly"),
}
#: "montags" / "Mondays", Monday first.
EVERY = (
    N_("schedule.every_monday"),
    N_("schedule.every_tuesday"),
    N_("schedule.every_wednesday"),
    N_("schedule.every_thursday"),
    N_("schedule.every_friday"),
    N_("schedule.every_saturday"),
    N_("schedule.every_sunday"),
)


def prompt_text(
    lang: str,
    zone: str,
    rnd: StatusRound,
    planned: sr.Planned,
    name: Namer,
    *,
    in_department_room: bool,
) -> str:
    """The prompt to a department's acting contact."""
    prompt, dept = planned.prompt, planned.department
    lines = [
        t(
            lang,
            "status.prompt.title",
            period=period_label(lang, rnd.period),
            dept=dept_title(dept),
        ),
        "",
    ]
    if in_department_room and prompt.contact:
        lines.append(t(lang, "status.prompt.to", person=name(prompt.contact)))
    if prompt.covering_for:
        lines.append(t(lang, "status.prompt.covering", lead=name(prompt.covering_for)))
    lines.append(t(lang, "status.prompt.ask", deadline=moment(lang, rnd.deadline_at, zone)))
    if rnd.late:
        lines.append(t(lang, "status.prompt.late"))
    lines.append("")
    if planned.packages:
        for wp in planned.packages:
            state = light_words(lang, wp.traffic_light)
            due = (
                f" · {t(lang, 'status.prompt.due', due=format_date(wp.due_date))}"
                if wp.due_date
                else ""
            )
            last = planned.last.get(wp.id or 0)
            said = (
                " — " + t(lang, "status.prompt.last", note=last.note[:120])
                if last is not None and last.note
                else ""
            )
            lines.append(
                f"- **{wps.code(wp)}** {escape(wp.title)} · {state} · {wp.progress} %{due}{said}"
            )
    else:
        lines.append(t(lang, "status.prompt.no_packages"))
    lines += ["", t(lang, "status.prompt.how")]
    return "\n".join(lines)


def reminder_text(
    lang: str, zone: str, rnd: StatusRound, dept: Department, contact: str, name: Namer
) -> str:
    return t(
        lang,
        "status.reminder",
        person=name(contact),
        dept=dept_title(dept),
        period=period_label(lang, rnd.period),
        deadline=moment(lang, rnd.deadline_at, zone),
    )


def confirmation(lang: str, recorded: sr.Recorded, rnd: StatusRound) -> str:
    """What the bot understood of an answer, per work package, so the lead can correct it.
    An answer that took nothing (every line refused) is not thanked for: it says that the
    report is still missing, or that the earlier one stands."""
    if recorded.took:
        key = N_("status.confirm.edited") if recorded.edited else N_("status.confirm.title")
    elif sr.is_answered(recorded.prompt):
        key = N_("status.confirm.nothing_kept")
    else:
        key = N_("status.confirm.nothing")
    lines: list[str] = [
        t(
            lang,
            key,
            dept=dept_title(recorded.department),
            period=period_label(lang, rnd.period),
        )
    ]
    if recorded.answer.late and recorded.took:
        lines.append(t(lang, "status.confirm.late"))
    parsed = recorded.parsed
    if parsed.kind == "unchanged":
        codes = ", ".join(wps.code(wp) for wp in recorded.carried) or "–"
        lines.append(t(lang, "status.confirm.unchanged", codes=codes))
    elif parsed.kind == "free":
        lines.append(t(lang, "status.confirm.free"))
    if recorded.applied:
        lines.append("")
        for wp, item, _changed in recorded.applied:
            if item.unchanged:
                state = t(lang, "status.confirm.item_unchanged")
            else:
                state = escape(item_state(lang, item.traffic_light, item.progress, item.status))
            note = f" — {escape(item.note)}" if item.note else ""
            lines.append(f"- **{wps.code(wp)}** {escape(wp.title)}: {state}{note}")
    if recorded.refused:
        lines += ["", t(lang, "status.confirm.refused")]
        for refused in sorted(recorded.refused, key=lambda r: r.line):
            reason = t(lang, refused.key, **refused.params)
            lines.append(
                "- "
                + t(lang, "status.confirm.refused_line", line=refused.line, text=refused.text)
                + f" {reason}"
            )
    flags = [(b.text, N_("status.confirm.blocker")) for b in parsed.blockers]
    flags += [(e.text, ESCALATION_KEYS[e.audience]) for e in parsed.escalations]
    if flags:
        lines.append("")
        lines += ["- " + t(lang, key, text=text) for text, key in flags]
    lines += ["", t(lang, "status.confirm.correct")]
    return "\n".join(lines)


def overview_text(
    lang: str,
    zone: str,
    rnd: StatusRound,
    states: list[sr.PromptState],
    flags: list[StatusFlag],
    name: Namer,
    now: datetime,
) -> str:
    """``!status``: who answered, who is late, who is away and covered by whom."""
    answered = sum(1 for s in states if s.answered)
    head = N_("status.overview.closed") if rnd.closed_at else N_("status.overview.title")
    lines: list[str] = [
        t(
            lang,
            head,
            period=period_label(lang, rnd.period),
            deadline=moment(lang, rnd.deadline_at, zone),
            answered=answered,
            total=len(states),
        ),
    ]
    if rnd.late:
        lines.append(t(lang, "status.overview.started_late"))
    lines.append("")
    for state in states:
        prompt = state.prompt
        title = dept_title(state.department)
        if state.answered and state.answers:
            first: StatusAnswer = state.answers[0]
            key = (
                N_("status.overview.answered_late")
                if first.late
                else N_("status.overview.answered")
            )
            lines.append(
                "- "
                + t(
                    lang,
                    key,
                    dept=title,
                    at=moment(lang, first.created_at, zone),
                    person=name(first.sender),
                )
            )
        elif prompt.contact is None:
            lines.append("- " + t(lang, "status.overview.nobody", dept=title))
        else:
            overdue = now > rnd.deadline_at
            key = N_("status.overview.overdue") if overdue else N_("status.overview.open")
            lines.append(
                "- "
                + t(lang, key, dept=title, person=name(prompt.contact), reminders=prompt.reminders)
            )
        if prompt.covering_for:
            until = state.lead_away_until
            lines.append(
                "  "
                + t(
                    lang,
                    "status.overview.covered",
                    lead=name(prompt.covering_for),
                    until=format_date(until) if until else "–",
                    person=name(prompt.contact) if prompt.contact else "–",
                )
            )
    owner = {a.id: s.department.code for s in states for a in s.answers}
    blockers = [f for f in flags if f.kind == "blocker"]
    escalations = [f for f in flags if f.kind == "escalation"]
    if blockers or escalations:
        lines.append("")
        for flag in blockers + escalations:
            key = (
                N_("status.confirm.blocker")
                if flag.kind == "blocker"
                else ESCALATION_KEYS[flag.audience or "board"]
            )
            who = escape(owner.get(flag.answer_id, "?"))
            lines.append(f"- {who}: {t(lang, key, text=flag.text)}")
    return "\n".join(lines)


def schedule_text(
    lang: str, schedule: rs.Schedule, enabled: bool, upcoming: rs.RoundTimes, prefix: str
) -> str:
    lines: list[str] = [
        t(lang, "status.schedule.title"),
        "",
        "- " + t(lang, "status.schedule.rule", rule=describe(schedule, lang)),
        "- "
        + t(
            lang,
            "status.schedule.next",
            period=period_label(lang, upcoming.period),
            at=moment(lang, upcoming.prompt_at, schedule.timezone),
        ),
    ]
    if upcoming.shifted_by_holiday:
        holiday = upcoming.shifted_by_holiday
        if holiday == rs.WEEKEND:
            holiday = t(lang, "schedule.weekend")
        lines.append("  " + t(lang, "status.schedule.holiday", holiday=holiday))
    if not enabled:
        lines.append("- " + t(lang, "status.schedule.paused", prefix=Safe(prefix)))
    lines += ["", t(lang, "status.schedule.how", prefix=Safe(prefix))]
    return "\n".join(lines)
