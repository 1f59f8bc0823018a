"""How the board reads dates, times and numbers, formatted with Babel for ``de_DE`` and ``en``.

The date itself is written the same way in both languages (``31.12.2026``: the board is in
Germany); weekdays, numbers and amounts follow the reader's language:

- ``weekday_date``: ``Di., 15.12.2026`` / ``Tue, 15.12.2026``;
- ``moment``: ``Di., 15.12.2026, 10:00 Uhr`` / ``Tue, 15.12.2026, 10:00``;
- ``format_number``: ``70.000`` / ``70,000``; ``format_euros``: ``120.000 €`` / ``€120,000``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import get_day_names, get_month_names
from babel.numbers import format_currency, format_decimal

from board_bot.core.render import Safe

#: The Babel locale of each language the bot speaks.
LOCALES = {"de": "de_DE", "en": "en"}
DEFAULT_LOCALE = LOCALES["de"]

_DATE = "dd.MM.yyyy"
_TIME = {"de": "HH:mm 'Uhr'", "en": "HH:mm"}
_EUROS = {"de": "#,##0 ¤", "en": "¤#,##0"}


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, DEFAULT_LOCALE)


@lru_cache(maxsize=4096)
def format_date(value: date) -> str:
    """``31.12.2026`` (cached: a summary writes the same few dates hundreds of times)."""
    return _babel_date(value, _DATE, locale=DEFAULT_LOCALE)


def format_datetime(lang: str, value: datetime, zone: str) -> str:
    """``31.12.2026, 10:00 Uhr`` (German), ``31.12.2026, 10:00`` (English), in ``zone``."""
    local = value.astimezone(ZoneInfo(zone))
    return _babel_datetime(local, f"{_DATE}, {_time(lang)}", locale=locale_of(lang))


def weekday_date(lang: str, day: date) -> Safe:
    """``Di., 15.12.2026`` (German), ``Tue, 15.12.2026`` (English)."""
    return Safe(_babel_date(day, f"EEE, {_DATE}", locale=locale_of(lang)))


def moment(lang: str, value: datetime, zone: str) -> Safe:
    """``Di., 15.12.2026, 10:00 Uhr`` (German), ``Tue, 15.12.2026, 10:00`` (English)."""
    local = value.astimezone(ZoneInfo(zone))
    return Safe(_babel_datetime(local, f"EEE, {_DATE}, {_time(lang)}", locale=locale_of(lang)))


def day_name(lang: str, weekday: int) -> str:
    """``Montag`` / ``Monday`` for 0, Monday first."""
    return str(get_day_names("wide", locale=locale_of(lang))[weekday])


def month_name(lang: str, month: int) -> str:
    """``Januar`` / ``January`` for 1 (as a month stands alone, as in ``Februar 2027``)."""
    return str(get_month_names("wide", context="stand-alone", locale=locale_of(lang))[month])


def clock(lang: str, value: datetime, zone: str) -> str:
    """``10:00`` in ``zone``."""
    return _babel_datetime(value.astimezone(ZoneInfo(zone)), "HH:mm", locale=locale_of(lang))


def format_number(lang: str, value: int | float) -> str:
    """``70.000`` (German), ``70,000`` (English)."""
    return format_decimal(value, locale=locale_of(lang))


def format_euros(lang: str, euros: int) -> str:
    """``120.000 €`` (German), ``€120,000`` (English): whole euros."""
    pattern = _EUROS.get(lang, _EUROS["de"])
    return format_currency(euros, "EUR", pattern, locale=locale_of(lang), currency_digits=False)


def _time(lang: str) -> str:
    return _TIME.get(lang, _TIME["de"])


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word before ``limit`` characters, with „…“."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–")
    return f"{cut} …"
