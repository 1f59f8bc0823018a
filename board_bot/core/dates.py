"""Dates as people type them in the chat: ``31.12.2026``, ``31.12.``, ``2026-12-31``, ``+2w``,
``morgen``; and periods ``21.12. bis 6.1.``. And dates and times as the board reads them:
``31.12.2026``, ``09:00 Uhr``, in the board's time zone.

Pure functions: the caller passes ``today`` (the board's today, in its time zone), so nothing here
reads the clock. Anything that is not understood raises ``UsageError("convert.date")`` naming the
text (at most 50 characters); the reply should always show the date that was understood.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from board_bot.core.errors import UsageError

#: How much of a bad input an error message repeats.
MAX_ECHO = 50
# Longer input is not looked at: no date form comes near it.
_MAX_INPUT = 100
# How far ahead a day-and-month is looked for: 29.02. needs up to eight years (2096 → 2104).
_YEARS_AHEAD = 8

# [0-9], not \d: \d also matches other scripts' digits, which int() would happily read.
_GERMAN = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2}|[0-9]{4})")
_DAY_MONTH = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# +3d / +3t (Tage), +2w, +1m, +1j / +1y; at least 1, at most 9999.
_RELATIVE = re.compile(r"\+([0-9]{1,4})([dtwmjy])")
_WORDS = {
    "heute": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "übermorgen": 2,
    "uebermorgen": 2,
}
# Between the two dates of a period: "bis"/"to" between spaces, or a dash with or without spaces
# (a hyphen inside an ISO date is tried as well and simply fails to split into two dates).
_SEPARATOR = re.compile(r"\s+(?:bis|to)\s+|\s*[-–—]\s*", re.IGNORECASE)


def _bad(text: str) -> UsageError:
    return UsageError("convert.date", value=text[:MAX_ECHO])


def _normalise(text: str) -> str:
    # NFC so that a decomposed "ü" (u + combining diaeresis) still reads as "übermorgen".
    return unicodedata.normalize("NFC", text).strip().lower()


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the month's end:
    31.01. + 1 month = 28./29.02."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def next_day_month(day: int, month: int, *, on_or_after: date) -> date | None:
    """The first ``day.month.`` on or after ``on_or_after`` (29.02.: the next leap year's), or
    None if there is no such day (31.02.)."""
    for year in range(on_or_after.year, on_or_after.year + _YEARS_AHEAD + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= on_or_after:
            return candidate
    return None


def _parse(text: str, *, today: date, day_month_from: date) -> date:
    value = _normalise(text)
    if len(value) > _MAX_INPUT:
        raise _bad(text.strip())
    try:
        if value in _WORDS:
            return today + timedelta(days=_WORDS[value])
        if match := _GERMAN.fullmatch(value):
            day, month, year = (int(g) for g in match.groups())
            if len(match[3]) == 2:
                year += 2000
            return date(year, month, day)
        if match := _ISO.fullmatch(value):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _DAY_MONTH.fullmatch(value):
            found = next_day_month(int(match[1]), int(match[2]), on_or_after=day_month_from)
            if found is not None:
                return found
        elif match := _RELATIVE.fullmatch(value):
            count, unit = int(match[1]), match[2]
            if count > 0:
                if unit in "dt":
                    return today + timedelta(days=count)
                if unit == "w":
                    return today + timedelta(weeks=count)
                return add_months(today, count if unit == "m" else 12 * count)
    except (ValueError, OverflowError):  # 31.02.2026, or beyond the year 9999
        pass
    raise _bad(text.strip())


def parse_date(text: str, *, today: date) -> date:
    """A date as typed in the chat; ``today`` is the board's today.

    Understood (case-insensitive, surrounding spaces ignored):

    - ``31.12.2026``, ``31.12.26`` (20xx), ISO ``2026-12-31``;
    - ``31.12.``: the next such day on or after today (``29.02.``: the next leap year's);
    - ``+3d`` / ``+3t`` days, ``+2w`` weeks, ``+1m`` calendar months (clamped to the month's end:
      31.01. + 1m = 28./29.02.), ``+1j`` / ``+1y`` years; the number is 1 to 9999;
    - ``heute``/``today``, ``morgen``/``tomorrow``, ``übermorgen``/``uebermorgen``.

    Raises ``UsageError("convert.date", value=...)`` with the text cut to 50 characters.
    """
    return _parse(text, today=today, day_month_from=today)


def parse_period(text: str, *, today: date) -> tuple[date, date]:
    """``from - to`` as typed in the chat: ``21.12.2026 - 06.01.2027``, ``21.12. bis 6.1.``,
    ``heute - +2w``. The separator is ``bis`` (``to``), ``-``, ``–`` or ``—``; one date alone is
    a period of one day. Each side is read by :func:`parse_date`, with two refinements:

    - a relative end (``+2w``) counts from today, like everywhere else in the chat;
    - a day-and-month end (``6.1.``) is the next such day on or after the start, so that
      ``21.12. bis 6.1.`` spans the turn of the year even when typed on 22.12.

    Raises ``UsageError("convert.date")`` for a side that is not a date, and
    ``UsageError("convert.period_reversed", start=..., end=...)`` when the end is before the start.
    """
    value = unicodedata.normalize("NFC", text).strip()
    if len(value) > _MAX_INPUT:
        raise _bad(value)
    try:  # one date alone (first, since an ISO date has hyphens of its own)
        day = parse_date(value, today=today)
    except UsageError:
        pass
    else:
        return day, day
    matches = [m for m in _SEPARATOR.finditer(value) if m.start() > 0 and m.end() < len(value)]
    for m in matches:
        try:
            start = parse_date(value[: m.start()], today=today)
            end = _parse(value[m.end() :], today=today, day_month_from=start)
        except UsageError:
            continue
        if end < start:
            raise UsageError("convert.period_reversed", start=start, end=end)
        return start, end
    # Nothing fits: name the wrong side, split where a person would: at a separator other than a
    # bare hyphen (which may be inside an ISO date), else at the first one.
    if not matches:
        raise _bad(value)
    m = next((m for m in matches if m[0] != "-"), matches[0])
    start = parse_date(value[: m.start()], today=today)
    _parse(value[m.end() :], today=today, day_month_from=start)
    raise _bad(value)  # not reached: one of the two sides failed above


# --- as the board reads them ---------------------------------------------------------------------


def format_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def format_datetime(value: datetime, zone: str) -> str:
    local = value.astimezone(ZoneInfo(zone))
    return local.strftime("%d.%m.%Y, %H:%M Uhr")
