"""Dates as people type them in the chat: ``31.12.2026``, ``31.12.``, ``2026-12-31``, ``+2w``,
``morgen``; periods ``21.12. bis 6.1.``, also followed by a reason (``heute bis übermorgen
Fortbildung``). And dates and times as the board reads them: ``31.12.2026``, ``09:00 Uhr``, in the
board's time zone. This is the one date parser: commands, converters and imports all read dates
here.

Pure functions: the caller passes ``today`` (the board's today, in its time zone), so nothing here
reads the clock. Anything that is not understood raises ``UsageError("convert.date")`` naming the
text (at most 50 characters); a day the calendar does not have (``31.02.``) raises
``UsageError("convert.no_such_day")`` naming it and the month's length. The reply should always
show the date that was understood.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

from board_bot.core.errors import UsageError
from board_bot.core.formats import month_name

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
# The same separator as a word of its own, for a period followed by a reason.
_SEPARATOR_WORD = re.compile(r"bis|to|[-–—]", re.IGNORECASE)
# A period at the start of a text takes at most three words: ``21.12.2026 bis 06.01.2027``.
_PERIOD_WORDS = 3


@dataclass(frozen=True)
class Month:
    """A calendar month as a message parameter: the language is the format spec, so that the
    catalog's ``{month:de}`` reads ``Februar 2027`` and ``{month:en}`` ``February 2027``."""

    year: int
    month: int

    def __format__(self, lang: str) -> str:
        return f"{month_name(lang, self.month)} {self.year}"


def _bad(text: str) -> UsageError:
    return UsageError("convert.date", value=text[:MAX_ECHO])


def _day(text: str, year: int, month: int, day: int) -> date:
    """``day.month.year`` as typed in ``text``: a day the month does not have is named as such
    (``31.02.2027``: February 2027 has 28 days); a month or year that cannot be is no date."""
    if not (MINYEAR <= year <= MAXYEAR and 1 <= month <= 12 and day >= 1):
        raise _bad(text.strip())
    days = calendar.monthrange(year, month)[1]
    if day > days:
        raise UsageError(
            "convert.no_such_day",
            value=text.strip()[:MAX_ECHO],
            month=Month(year, month),
            days=days,
        )
    return date(year, month, day)


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


def _parse(text: str, *, today: date | None, day_month_from: date | None = None) -> date:
    """The date ``text`` names; without ``today`` only the full forms (31.12.2026, ISO)."""
    value = _normalise(text)
    if len(value) > _MAX_INPUT:
        raise _bad(text.strip())
    if match := _GERMAN.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
        return _day(text, year + 2000 if len(match[3]) == 2 else year, month, day)
    if match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
        return _day(text, year, month, day)
    if today is None:
        raise _bad(text.strip())
    day_month_from = day_month_from or today
    try:
        if value in _WORDS:
            return today + timedelta(days=_WORDS[value])
        if match := _DAY_MONTH.fullmatch(value):
            day, month = int(match[1]), int(match[2])
            found = next_day_month(day, month, on_or_after=day_month_from)
            if found is not None:
                return found
            if 1 <= month <= 12:  # 31.02., 31.04.: the next such month has fewer days
                year = day_month_from.year + (month < day_month_from.month)
                _day(text, year, month, day)
        elif match := _RELATIVE.fullmatch(value):
            count, unit = int(match[1]), match[2]
            if count > 0:
                if unit in "dt":
                    return today + timedelta(days=count)
                if unit == "w":
                    return today + timedelta(weeks=count)
                return add_months(today, count if unit == "m" else 12 * count)
    except (ValueError, OverflowError):  # beyond the year 9999
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

    Raises ``UsageError("convert.date", value=...)`` with the text cut to 50 characters, and
    ``UsageError("convert.no_such_day", value=..., month=Month(...), days=...)`` for a day the
    month does not have (``31.02.``, ``29.02.2027``, ``2026-04-31``).
    """
    return _parse(text, today=today, day_month_from=today)


def parse_past_date(text: str, *, today: date) -> date:
    """A date that looks back (``seit 01.11.``): as :func:`parse_date`, but a day and month
    without a year is the latest such day on or before today, not the next one."""
    if match := _DAY_MONTH.fullmatch(_normalise(text)):
        day, month = int(match[1]), int(match[2])
        for year in range(today.year, today.year - 8, -1):  # 29.02.: back to a leap year
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            if found <= today:
                return found
    return parse_date(text, today=today)


def parse_full_date(text: str) -> date:
    """A date that needs no today: ``31.12.2026``, ``31.12.26`` or ISO ``2026-12-31``; refused
    as :func:`parse_date` refuses."""
    return _parse(text, today=None)


def parse_period(text: str, *, today: date) -> tuple[date, date]:
    """``from - to`` as typed in the chat: ``21.12.2026 - 06.01.2027``, ``21.12. bis 6.1.``,
    ``heute - +2w``. The separator is ``bis`` (``to``), ``-``, ``–`` or ``—``; one date alone is
    a period of one day. Each side is read by :func:`parse_date`, with two refinements:

    - a relative end (``+2w``) counts from today, like everywhere else in the chat;
    - a day-and-month end (``6.1.``) is the next such day on or after the start, so that
      ``21.12. bis 6.1.`` spans the turn of the year even when typed on 22.12.

    Raises ``UsageError("convert.date")`` for a side that is not a date,
    ``UsageError("convert.no_such_day")`` for a day the calendar does not have, and
    ``UsageError("convert.period_reversed", start=..., end=...)`` when the end is before the start.
    """
    start, end = _period(text, today=today)
    if end < start:
        raise UsageError("convert.period_reversed", start=start, end=end)
    return start, end


def _period(text: str, *, today: date) -> tuple[date, date]:
    """:func:`parse_period` without its last check: the end may be before the start."""
    value = unicodedata.normalize("NFC", text).strip()
    if len(value) > _MAX_INPUT:
        raise _bad(value)
    try:  # one date alone (first, since an ISO date has hyphens of its own)
        day = parse_date(value, today=today)
    except UsageError as exc:
        alone = exc
    else:
        return day, day
    matches = [m for m in _SEPARATOR.finditer(value) if m.start() > 0 and m.end() < len(value)]
    for m in matches:
        try:
            start = parse_date(value[: m.start()], today=today)
            end = _parse(value[m.end() :], today=today, day_month_from=start)
        except UsageError:
            continue
        return start, end
    # Nothing fits. A date alone with no such day (2026-02-30) is named as such; otherwise name
    # the wrong side, split where a person would: at a separator other than a bare hyphen (which
    # may be inside an ISO date), else at the first one.
    if not matches or alone.key == "convert.no_such_day":
        raise alone
    m = next((m for m in matches if m[0] != "-"), matches[0])
    start = parse_date(value[: m.start()], today=today)
    _parse(value[m.end() :], today=today, day_month_from=start)
    raise _bad(value)  # not reached: one of the two sides failed above


def split_period(text: str, *, today: date) -> tuple[date, date, str]:
    """A period and the text after it, as ``!abwesend`` takes them: ``21.12. bis 6.1. Urlaub``
    → (21.12.2026, 06.01.2027, ``"Urlaub"``).

    The period is the longest run of leading words (at most three) that :func:`parse_period`
    reads, so every form it knows works here: ``morgen``, ``+2w Dienstreise`` (one day: the day
    in two weeks), ``heute bis übermorgen``, ``21.12.26-6.1.27 Urlaub``. The rest, its whitespace
    folded, is the reason (empty if none). An end before the start is returned as it is, for
    the caller to refuse naming both dates.

    Raises what :func:`parse_date` raises for a first word that is no date, and
    ``UsageError("away.end_missing", start=...)`` when a separator follows the date but no end
    does (``21.12.2026 - Urlaub``, ``21.12.2026 bis``); an end that looks like a date but is
    none (``21.12.2026 - 31.02.2027``) is named instead.
    """
    words = text.split()
    refused: UsageError | None = None
    for count in range(min(_PERIOD_WORDS, len(words)), 0, -1):
        try:
            start, end = _period(" ".join(words[:count]), today=today)
        except UsageError as exc:
            refused = exc  # the last kept is the first word's own
            continue
        rest = words[count:]
        if rest and _SEPARATOR_WORD.fullmatch(rest[0]):
            if len(rest) > 1 and _looks_like_a_date(rest[1]):
                _parse(rest[1], today=today, day_month_from=start)  # raises, naming the end
            raise UsageError("away.end_missing", start=start)
        return start, end, " ".join(rest)
    raise refused or _bad(text.strip())


def _looks_like_a_date(word: str) -> bool:
    return any(ch in "0123456789" for ch in word) or _normalise(word) in _WORDS
