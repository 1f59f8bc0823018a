"""``!status``: the weekly status rounds (the round at a glance, the schedule, starting and
closing a round), and ``!update`` to report from anywhere."""

from __future__ import annotations

import re

from board_bot.chat.common import board_of
from board_bot.chat.framework import Context, Group, Rest, Role, command
from board_bot.core.errors import BotError, UsageError
from board_bot.core.formats import moment
from board_bot.core.i18n import t, tn
from board_bot.core.render import Safe
from board_bot.features.departments import service as departments
from board_bot.features.status_rounds import answers
from board_bot.features.status_rounds import jobs as status_jobs
from board_bot.features.status_rounds import messages as r
from board_bot.features.status_rounds import schedule as rs
from board_bot.features.status_rounds import service as sr
from board_bot.features.summaries import jobs as summary_jobs
from board_bot.models import StatusRound
from board_bot.scheduler import jobs as rounds

group = Group("status", default="show")

FREQUENCIES = {
    "wöchentlich": "weekly",
    "woechentlich": "weekly",
    "weekly": "weekly",
    "14-täglich": "biweekly",
    "14-taeglich": "biweekly",
    "zweiwöchentlich": "biweekly",
    "zweiwoechentlich": "biweekly",
    "biweekly": "biweekly",
    "monatlich": "monthly",
    "monthly": "monthly",
}
PROMPT_WORDS = frozenset({"abfrage", "prompt", "start"})
REMINDER_WORDS = frozenset({"erinnerung", "erinnerungen", "reminder", "reminders"})
DEADLINE_WORDS = frozenset({"frist", "deadline"})
NO_REMINDER = re.compile(r"^(?:keine|ohne|no)\s+(?:erinnerung(?:en)?|reminders?)\b", re.I)
OFF_WORDS = frozenset({"aus", "off", "pause", "pausieren"})
ON_WORDS = frozenset({"an", "on", "ein", "fortsetzen"})


@group.command("show", de="zeigen", aliases=("runde", "round"))
def show(ctx: Context) -> str:
    """Show the current round: who answered, who is late, who is away and covered"""
    board = board_of(ctx)
    assert board.id is not None
    rnd = sr.open_round(ctx.session, board.id) or sr.latest_round(ctx.session, board.id)
    if rnd is None:
        upcoming = rs.next_round(sr.schedule_of(ctx.session, board), ctx.now)
        return t(
            ctx.lang,
            "status.none",
            next=Safe(
                f"{r.period_label(ctx.lang, upcoming.period)}, "
                f"{moment(ctx.lang, upcoming.prompt_at, board.timezone)}"
            ),
            prefix=Safe(ctx.prefix),
        )
    states = sr.overview(ctx.session, board, rnd, ctx.now)
    flags = sr.flags_of(ctx.session, [a.id for s in states for a in s.answers if a.id])
    return r.overview_text(ctx.lang, board.timezone, rnd, states, flags, ctx.name, ctx.now)


schedule = group.group("schedule", de="zeitplan", aliases=("plan",), default="show")


@schedule.command("show", de="zeigen")
def schedule_show(ctx: Context) -> str:
    """The schedule of the rounds and when the next one starts."""
    board = board_of(ctx)
    current = sr.schedule_of(ctx.session, board)
    enabled = sr.is_enabled(ctx.session, board)
    upcoming = rs.next_round(current, ctx.now)
    return r.schedule_text(ctx.lang, current, enabled, upcoming, ctx.prefix)


# Each part of the schedule is a command; a command's text may go on with further parts
# (``!status zeitplan abfrage Mo 09:00 frist Mi 12:00``). ``ändern`` takes several parts in one
# go, and is also what runs when the text starts with any word of the schedule's grammar
# (``!status zeitplan wöchentlich abfrage Mo 09:00``, ``!status schedule no reminder``).


@schedule.command("frequency", de="takt", requires=Role.ADMIN)
def schedule_frequency(ctx: Context, frequency: str) -> str:
    """How often: wöchentlich, 14-täglich or monatlich."""
    if frequency.casefold() not in FREQUENCIES:
        raise UsageError("status.schedule.bad_frequency", word=frequency[:40])
    return _change_schedule(ctx, frequency)


@schedule.command("change", de="ändern", aliases=("aendern",), requires=Role.ADMIN)
def schedule_change(ctx: Context, change: Rest) -> str:
    """Several parts at once."""
    return _change_schedule(ctx, change)


@schedule.command("prompt", de="abfrage", requires=Role.ADMIN)
def schedule_prompt(ctx: Context, when: Rest) -> str:
    """When the prompt goes out, e.g. Mo 09:00."""
    return _change_schedule(ctx, f"abfrage {when}")


@schedule.command("reminder", de="erinnerung", aliases=("erinnerungen",), requires=Role.ADMIN)
def schedule_reminder(ctx: Context, when: Rest) -> str:
    """When reminders go out, e.g. Di 10:00 (several: Di 10:00 erinnerung Mi 10:00)."""
    return _change_schedule(ctx, f"erinnerung {when}")


@schedule.command("no-reminder", de="keine", aliases=("ohne", "no"), requires=Role.ADMIN)
def schedule_no_reminder(ctx: Context, more: Rest = "") -> str:
    """No reminders (``keine erinnerung``, ``no reminder``)."""
    first, _, rest = more.partition(" ")
    if first and first.casefold() not in REMINDER_WORDS:
        raise UsageError("status.schedule.bad_word", word=first[:40])
    return _change_schedule(ctx, f"keine erinnerung {rest}".strip())


@schedule.command("deadline", de="frist", requires=Role.ADMIN)
def schedule_deadline(ctx: Context, when: Rest) -> str:
    """The deadline for answers, e.g. Mi 12:00."""
    return _change_schedule(ctx, f"frist {when}")


@schedule.command("off", de="aus", aliases=("pause", "pausieren"), requires=Role.ADMIN)
def schedule_off(ctx: Context) -> str:
    """Pause the rounds."""
    return _change_schedule(ctx, "aus")


@schedule.command("on", de="an", aliases=("ein", "fortsetzen"), requires=Role.ADMIN)
def schedule_on(ctx: Context) -> str:
    """Resume the rounds."""
    return _change_schedule(ctx, "an")


#: Every word the schedule's grammar starts a part with.
SCHEDULE_WORDS = frozenset(
    {*FREQUENCIES, *PROMPT_WORDS, *REMINDER_WORDS, *DEADLINE_WORDS, *OFF_WORDS, *ON_WORDS}
    | {"keine", "ohne", "no"}
)
schedule.fallback = ("change", lambda word: word.casefold() in SCHEDULE_WORDS)


def _change_schedule(ctx: Context, change: str) -> str:
    board = board_of(ctx)
    current = sr.schedule_of(ctx.session, board)
    enabled = sr.is_enabled(ctx.session, board)
    wanted, enabled = _parse_schedule(change, current, enabled)
    saved = sr.set_schedule(
        ctx.session, board, wanted, enabled=enabled, actor=ctx.sender, now=ctx.now
    )
    upcoming = rs.next_round(saved, ctx.now)
    board_id = board.id or 0
    ctx.after_commit.append(lambda: rounds.replan_soon(board_id))
    if not enabled:
        return t(
            ctx.lang,
            "status.schedule.saved_paused",
            rule=r.describe(saved, ctx.lang),
            prefix=Safe(ctx.prefix),
        )
    return t(
        ctx.lang,
        "status.schedule.saved",
        rule=r.describe(saved, ctx.lang),
        period=r.period_label(ctx.lang, upcoming.period),
        at=moment(ctx.lang, upcoming.prompt_at, board.timezone),
    )


def _parse_schedule(text: str, current: rs.Schedule, enabled: bool) -> tuple[rs.Schedule, bool]:
    """``wöchentlich Abfrage Mo 09:00 Erinnerung Di 10:00 Frist Mi 12:00``: the parts named
    change, the rest stays. Commas are optional."""
    words = text.replace(",", " ").replace(";", " ").split()
    frequency, prompt, deadline = current.frequency, current.prompt, current.deadline
    reminders: list[rs.Moment] | None = None
    i = 0
    while i < len(words):
        word = words[i].casefold()
        rest = " ".join(words[i:])
        if word in FREQUENCIES:
            frequency = FREQUENCIES[word]
            i += 1
        elif NO_REMINDER.match(rest):
            reminders = []
            i += 2
        elif word in OFF_WORDS:
            enabled = False
            i += 1
        elif word in ON_WORDS:
            enabled = True
            i += 1
        elif word in PROMPT_WORDS | REMINDER_WORDS | DEADLINE_WORDS:
            moment, used = _moment(words[i + 1 : i + 4])
            if word in PROMPT_WORDS:
                prompt = moment
            elif word in DEADLINE_WORDS:
                deadline = moment
            else:
                reminders = [*(reminders or []), moment]
            i += 1 + used
        else:
            raise UsageError("status.schedule.bad_word", word=words[i][:40])
    anchor = current.anchor
    return (
        rs.Schedule(
            frequency=frequency,
            prompt=prompt,
            reminders=tuple(current.reminders if reminders is None else reminders),
            deadline=deadline,
            anchor=anchor,
            timezone=current.timezone,
            bundesland=current.bundesland,
        ),
        enabled,
    )


def _moment(words: list[str]) -> tuple[rs.Moment, int]:
    """The longest of ``Mo 09:00 Uhr`` (3 words), ``Mo 09:00`` (2) that reads as a moment."""
    for count in (3, 2):
        if len(words) >= count:
            try:
                return rs.parse_moment(" ".join(words[:count])), count
            except ValueError:
                continue
    raise UsageError("status.schedule.bad_moment", text=" ".join(words[:2])[:40])


@group.command("run-now", de="starten", aliases=("start", "jetzt"), requires=Role.ADMIN)
def run_now(ctx: Context) -> str:
    """Start a status round now"""
    board = board_of(ctx)
    assert board.id is not None
    if not departments.active(ctx.session, board.id):
        raise BotError("status.no_departments", prefix=Safe(ctx.prefix))
    schedule = sr.schedule_of(ctx.session, board)
    times = sr.manual_times(schedule, ctx.now)
    existing = sr.find_round(ctx.session, board.id, times.period)
    if existing is not None and existing.closed_at is None:
        return _already(ctx, existing)
    if existing is not None:  # this week's round was closed: a second one gets its own period
        times = _again(ctx, times)
    started = sr.start_round(ctx.session, board, times, started_by=ctx.sender, now=ctx.now)
    if started is None:
        return _already(ctx, sr.find_round(ctx.session, board.id, times.period))
    status_jobs.queue_prompts(ctx.session, board, started, name=ctx.name, now=ctx.now)
    return tn(
        ctx.lang,
        "status.started",
        len(started.prompts),
        period=r.period_label(ctx.lang, started.round.period),
        deadline=moment(ctx.lang, started.round.deadline_at, board.timezone),
    )


def _again(ctx: Context, times: rs.RoundTimes) -> rs.RoundTimes:
    board = board_of(ctx)
    assert board.id is not None
    for n in range(2, 100):
        period = f"{times.period}.{n}"
        if sr.find_round(ctx.session, board.id, period) is None:
            return rs.RoundTimes(
                period,
                times.nominal_day,
                times.prompt_at,
                times.reminders_at,
                times.deadline_at,
                None,
            )
    raise BotError("status.already_running", period=times.period, at="", prefix=Safe(ctx.prefix))


def _already(ctx: Context, rnd: StatusRound | None) -> str:
    assert rnd is not None
    board = board_of(ctx)
    return t(
        ctx.lang,
        "status.already_running",
        period=r.period_label(ctx.lang, rnd.period),
        at=moment(ctx.lang, rnd.started_at, board.timezone),
        prefix=Safe(ctx.prefix),
    )


@group.command("remind", de="erinnern", aliases=("erinnerung",), requires=Role.ADMIN)
def remind(ctx: Context) -> str:
    """Remind the departments that have not answered yet, now"""
    board = board_of(ctx)
    assert board.id is not None
    rnd = sr.open_round(ctx.session, board.id)
    if rnd is None:
        raise BotError("status.nothing_to_remind")
    prompts = sr.remind_now(ctx.session, rnd, now=ctx.now)
    if not prompts:
        return t(ctx.lang, "status.all_answered", period=r.period_label(ctx.lang, rnd.period))
    status_jobs.queue_reminders(ctx.session, board, rnd, prompts, name=ctx.name, now=ctx.now)
    # Whoever has still not joined the direct room their prompt went to is told to the admins.
    status_jobs.note_unjoined(
        ctx.session, board, rnd.period, joined=ctx.runtime.joined, name=ctx.name, now=ctx.now
    )
    reminded = {p.department_id for p in prompts}
    depts = [d for d in departments.active(ctx.session, board.id) if d.id in reminded]
    codes = sorted((d.code for d in depts), key=departments.code_key)
    return tn(ctx.lang, "status.reminded", len(prompts), depts=", ".join(codes))


@group.command("close", de="schließen", aliases=("schliessen", "beenden"), requires=Role.ADMIN)
def close(ctx: Context) -> str:
    """Close the current round early"""
    board = board_of(ctx)
    assert board.id is not None
    rnd = sr.open_round(ctx.session, board.id)
    if rnd is None:
        raise BotError("status.nothing_to_close")
    states = sr.overview(ctx.session, board, rnd, ctx.now)
    sr.close_round(ctx.session, rnd, actor=ctx.sender, now=ctx.now)
    # The round's summary follows the reply, unless it went out at the deadline already.
    now, period = ctx.now, rnd.period
    name = ctx.name
    ctx.follow_ups.append(
        lambda session: summary_jobs.post_summary(session, board, period, name=name, now=now)
    )
    return tn(
        ctx.lang,
        "status.closed",
        len(states),
        period=r.period_label(ctx.lang, rnd.period),
        answered=sum(1 for s in states if s.answered),
    )


@command("update", de="meldung", aliases=("status-update",), needs_board=False)
def update(ctx: Context, report: Rest = "") -> str:
    """Report status from anywhere: update WP-12 yellow 60% text"""
    # The report as typed, line breaks included (the Rest argument has them folded).
    typed = ctx.text.split(maxsplit=1)
    report = typed[1].strip() if len(typed) > 1 else ""
    if not report:
        raise UsageError("status.update.empty", prefix=Safe(ctx.prefix))
    return answers.answer_by_command(
        ctx.session,
        sender=ctx.sender,
        room_id=ctx.room_id,
        board_id=ctx.board.id if ctx.board else None,
        event_id=ctx.event_id,
        report=report,
        prefix=ctx.prefix,
        now=ctx.now,
    )
