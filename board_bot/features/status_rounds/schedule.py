"""When a board's weekly status rounds run: prompt, reminders and deadline of each round.

A :class:`Schedule` names wall-clock moments (weekday and time) in the board's time zone. A
round's reminders and its deadline are the first such moment on or after the prompt's nominal
day, within seven days. Rounds run weekly, every other week (weeks an even number of weeks away
from ``anchor``) or monthly (the first ``prompt.weekday`` of each month).

A prompt whose nominal day is not a working day of the board's Bundesland (a public holiday, or
a weekend day if one was configured) moves to the next working day; the reminders and the
deadline move by the same number of days and then on to the next working day if they land on a
day off. Reminders that would no longer fall strictly between the prompt and the deadline are
dropped.

Wall-clock times hold across daylight saving time: Monday 09:00 is 09:00 local time in summer
and in winter. A time in the spring-forward gap is read as the time after the gap (02:30 becomes
03:30 CEST); an ambiguous autumn time is its first occurrence.

Everything here is pure: no I/O and no clock reads; ``now`` is always passed in, aware.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from board_bot.core.workdays import (
    BUNDESLAENDER,
    MAX_SEARCH_DAYS,
    holiday_name,
    next_working_day,
)

FREQUENCIES = ("weekly", "biweekly", "monthly")
MAX_REMINDERS = 5
#: ``shifted_by_holiday`` when a prompt moved because its day fell on a weekend
WEEKEND = "weekend"


@dataclass(frozen=True)
class Moment:
    """A weekday (0 = Monday .. 6 = Sunday) and a wall-clock time in the board's zone."""

    weekday: int
    time: time


@dataclass(frozen=True)
class Schedule:
    """When a board's status rounds run."""

    frequency: str  # "weekly" | "biweekly" | "monthly"
    prompt: Moment
    reminders: tuple[Moment, ...]
    deadline: Moment
    anchor: date  # biweekly: a Monday of a week in which rounds run
    timezone: str = "Europe/Berlin"
    bundesland: str = "SH"


DEFAULT = Schedule(
    "weekly", Moment(0, time(9)), (Moment(1, time(10)),), Moment(2, time(12)), date(2026, 1, 5)
)


@dataclass(frozen=True)
class RoundTimes:
    """The instants of one round, all aware and in UTC."""

    period: str  # "2026-W48" (ISO week of the nominal prompt day) or "2026-11" (monthly)
    nominal_day: date  # the prompt day before any holiday shift
    prompt_at: datetime
    reminders_at: tuple[datetime, ...]  # ascending
    deadline_at: datetime
    shifted_by_holiday: str | None  # German holiday name (or WEEKEND) when the prompt moved


# --- validation --------------------------------------------------------------------------------


def position(prompt: Moment, moment: Moment) -> tuple[int, time]:
    """Where ``moment`` falls after the prompt's nominal day: (days after it, time of day)."""
    return (moment.weekday - prompt.weekday) % 7, moment.time


def _zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def validate(schedule: Schedule) -> list[str]:
    """The problems of ``schedule`` as snake_case keys; empty when it is fine."""
    problems: list[str] = []

    def add(key: str) -> None:
        if key not in problems:
            problems.append(key)

    if schedule.frequency not in FREQUENCIES:
        add("bad_frequency")
    if schedule.anchor.weekday() != 0:
        add("anchor_not_monday")
    if not schedule.timezone or _zone_or_none(schedule.timezone) is None:
        add("unknown_timezone")
    if schedule.bundesland not in BUNDESLAENDER:
        add("unknown_bundesland")
    if len(schedule.reminders) > MAX_REMINDERS:
        add("too_many_reminders")
    moments = (schedule.prompt, schedule.deadline, *schedule.reminders)
    if any(not 0 <= m.weekday <= 6 for m in moments):
        add("bad_weekday")
        return problems
    start = position(schedule.prompt, schedule.prompt)
    end = position(schedule.prompt, schedule.deadline)
    if end <= start:
        add("deadline_before_prompt")
    for reminder in schedule.reminders:
        at = position(schedule.prompt, reminder)
        if at <= start:
            add("reminder_before_prompt")
        elif at >= end and end > start:  # a deadline before the prompt is reported alone
            add("reminder_after_deadline")
    if len(set(schedule.reminders)) != len(schedule.reminders):
        add("duplicate_reminder")
    return problems


@lru_cache(maxsize=256)
def _checked(schedule: Schedule) -> ZoneInfo:
    """The schedule's zone; raises ``ValueError`` listing the problems of an invalid schedule."""
    problems = validate(schedule)
    if problems:
        raise ValueError("invalid_schedule: " + ", ".join(problems))
    return ZoneInfo(schedule.timezone)


# --- wall clock to UTC -------------------------------------------------------------------------


def wall_to_utc(day: date, wall: time, timezone: str) -> datetime:
    """``day`` at ``wall`` o'clock in ``timezone``, as an aware UTC datetime.

    A time in the spring-forward gap means the time after the gap (02:30 -> 03:30 CEST); an
    ambiguous autumn time means its first occurrence (summer time)."""
    return _wall_to_utc(day, wall, ZoneInfo(timezone))


def _wall_to_utc(day: date, wall: time, zone: ZoneInfo) -> datetime:
    # fold=0 takes the offset from before a transition: in the gap that is the winter offset,
    # so 02:30 "CET" is 01:30 UTC, which is 03:30 CEST; in the autumn it is the summer offset.
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(UTC)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive_datetime")
    return moment.astimezone(zone).date()


# --- nominal prompt days -----------------------------------------------------------------------


def _first_weekday_of_month(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _next_month(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _first_nominal_on_or_after(schedule: Schedule, day: date) -> date:
    weekday = schedule.prompt.weekday
    if schedule.frequency == "monthly":
        first = _first_weekday_of_month(day.year, day.month, weekday)
        if first >= day:
            return first
        return _first_weekday_of_month(*_next_month(day), weekday)
    candidate = day + timedelta(days=(weekday - day.weekday()) % 7)
    if schedule.frequency == "biweekly" and not _in_biweekly_week(schedule, candidate):
        candidate += timedelta(days=7)
    return candidate


def _in_biweekly_week(schedule: Schedule, day: date) -> bool:
    monday = day - timedelta(days=day.weekday())
    return ((monday - schedule.anchor).days // 7) % 2 == 0


def _nominal_days(schedule: Schedule, start: date) -> Iterator[date]:
    """The nominal prompt days on or after ``start``, ascending, without end."""
    day = _first_nominal_on_or_after(schedule, start)
    while True:
        yield day
        if schedule.frequency == "monthly":
            day = _first_weekday_of_month(*_next_month(day), schedule.prompt.weekday)
        elif schedule.frequency == "biweekly":
            day += timedelta(days=14)
        else:
            day += timedelta(days=7)


def _lookback(schedule: Schedule) -> timedelta:
    """How far before a day the nominal day of the round whose prompt precedes it may lie: the
    longest gap between two rounds plus the longest holiday shift."""
    gap = {"weekly": 7, "biweekly": 14}.get(schedule.frequency, 35)
    return timedelta(days=gap + MAX_SEARCH_DAYS + 1)


# --- rounds ------------------------------------------------------------------------------------


def _period(schedule: Schedule, day: date) -> str:
    if schedule.frequency == "monthly":
        return f"{day.year:04d}-{day.month:02d}"
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def period_of(schedule: Schedule, day: date) -> str:
    """The period key of the round a manual start on ``day`` belongs to: the ISO week of ``day``
    ("2026-W48") for weekly and biweekly rounds, its month ("2026-11") for monthly ones."""
    return _period(schedule, day)


def round_for(schedule: Schedule, nominal_day: date) -> RoundTimes:
    """The round whose nominal prompt day is ``nominal_day``.

    Raises ``ValueError`` if the schedule is invalid or no round is due on ``nominal_day``."""
    _checked(schedule)
    if _first_nominal_on_or_after(schedule, nominal_day) != nominal_day:
        raise ValueError("not_a_round_day")
    return _round(schedule, nominal_day)


@lru_cache(maxsize=2048)
def _round(schedule: Schedule, nominal: date) -> RoundTimes:
    zone = _checked(schedule)
    land = schedule.bundesland
    prompt_day = next_working_day(land, nominal)
    shift = prompt_day - nominal
    shifted_by: str | None = None
    if shift:
        shifted_by = holiday_name(land, nominal) or WEEKEND

    def at(moment: Moment) -> datetime:
        day = nominal + timedelta(days=position(schedule.prompt, moment)[0]) + shift
        return _wall_to_utc(next_working_day(land, day), moment.time, zone)

    prompt_at = _wall_to_utc(prompt_day, schedule.prompt.time, zone)
    deadline_at = at(schedule.deadline)
    reminders = sorted({at(r) for r in schedule.reminders})
    return RoundTimes(
        period=_period(schedule, nominal),
        nominal_day=nominal,
        prompt_at=prompt_at,
        reminders_at=tuple(r for r in reminders if prompt_at < r < deadline_at),
        deadline_at=deadline_at,
        shifted_by_holiday=shifted_by,
    )


def _rounds_from(schedule: Schedule, start: date) -> Iterator[RoundTimes]:
    """Rounds whose nominal day is on or after ``start``; their prompts ascend (a later nominal
    day never moves to an earlier working day)."""
    for day in _nominal_days(schedule, start):
        yield _round(schedule, day)


def rounds_between(schedule: Schedule, start: datetime, end: datetime) -> list[RoundTimes]:
    """The rounds whose ``prompt_at`` lies in ``[start, end)``, ascending."""
    zone = _checked(schedule)
    first = _local_day(start, zone) - timedelta(days=MAX_SEARCH_DAYS + 1)
    _local_day(end, zone)  # rejects a naive end
    found: list[RoundTimes] = []
    for rt in _rounds_from(schedule, first):
        if rt.prompt_at >= end:
            break
        if rt.prompt_at >= start:
            found.append(rt)
    return found


def next_round(schedule: Schedule, now: datetime) -> RoundTimes:
    """The first round whose ``prompt_at`` is strictly after ``now``."""
    zone = _checked(schedule)
    first = _local_day(now, zone) - timedelta(days=MAX_SEARCH_DAYS + 1)
    for rt in _rounds_from(schedule, first):
        if rt.prompt_at > now:
            return rt
    raise AssertionError("unreachable: rounds never end")  # pragma: no cover


def current_round(schedule: Schedule, now: datetime) -> RoundTimes | None:
    """The latest round with ``prompt_at <= now`` if its deadline is less than seven days past
    (``deadline_at > now - 7 days``): a round that is running or was only just missed."""
    zone = _checked(schedule)
    first = _local_day(now, zone) - _lookback(schedule)
    latest: RoundTimes | None = None
    for rt in _rounds_from(schedule, first):
        if rt.prompt_at > now:
            break
        latest = rt
    if latest is not None and latest.deadline_at > now - timedelta(days=7):
        return latest
    return None


# German and English weekday names with their 2- and 3-letter abbreviations (none is ambiguous).
_WEEKDAY_WORDS: dict[str, int] = {
    word: index
    for index, words in enumerate(
        (
            "montag mo mon monday",
            "dienstag di die tu tue tues tuesday",
            "mittwoch mi mit we wed weds wednesday",
            "donnerstag do don th thu thur thurs thursday",
            "freitag fr fre fri friday",
            "samstag sonnabend sa sam sat saturday",
            "sonntag so son su sun sunday",
        )
    )
    for word in words.split()
}

_MOMENT = re.compile(
    r"\s*(?P<day>[a-z]+)\.?,?\s+(?:(?:um|at)\s+)?"
    r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?(?:\s*(?:uhr|h))?\s*",
    re.IGNORECASE,
)


def parse_moment(text: str) -> Moment:
    """A weekday and time as people type them: "Mo 09:00", "montag 9:00", "Montag 9 Uhr",
    "mon 09:30", "Di 10", "tuesday 10:00" (German and English names and abbreviations).

    Raises ``ValueError("bad_moment")`` for anything else, including hours beyond 23 and
    minutes beyond 59."""
    match = _MOMENT.fullmatch(text)
    if match is None:
        raise ValueError("bad_moment")
    weekday = _WEEKDAY_WORDS.get(match["day"].lower())
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    if weekday is None or hour > 23 or minute > 59:
        raise ValueError("bad_moment")
    return Moment(weekday, time(hour, minute))
