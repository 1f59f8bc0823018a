"""Working days of a board: Monday to Friday, minus the public holidays of its Bundesland.

The holidays come from the ``holidays`` package (maintained, covers every Bundesland and their
differences such as Reformationstag or Fronleichnam) rather than a table of our own.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

#: The codes of the Länder (ISO 3166-2 without "DE-"); their names are in the catalog
#: (``land.<code>``).
BUNDESLAENDER = (
    "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH",
)  # fmt: skip
DEFAULT_BUNDESLAND = "SH"
# Working days are searched at most this far ahead (Christmas to New Year is the longest gap).
MAX_SEARCH_DAYS = 30


@lru_cache(maxsize=64)
def _holidays(bundesland: str, year: int) -> dict[date, str]:
    table = holidays.country_holidays("DE", subdiv=bundesland, years=year, language="de")
    return dict(table.items())


def holiday_name(bundesland: str, day: date) -> str | None:
    """The German name of the public holiday on ``day``, or None."""
    return _holidays(bundesland, day.year).get(day)


def is_working_day(bundesland: str, day: date) -> bool:
    return day.weekday() < 5 and holiday_name(bundesland, day) is None


def next_working_day(bundesland: str, day: date, *, include_today: bool = True) -> date:
    """The first working day on (or, with ``include_today=False``, after) ``day``."""
    candidate = day if include_today else day + timedelta(days=1)
    for _ in range(MAX_SEARCH_DAYS):
        if is_working_day(bundesland, candidate):
            return candidate
        candidate += timedelta(days=1)
    raise ValueError(f"no working day within {MAX_SEARCH_DAYS} days of {day}")
