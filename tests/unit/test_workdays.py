"""Working days and public holidays per Bundesland (the ``holidays`` package decides).

Dates picked so that each case tests something: a holiday on a weekday, a holiday that one
Bundesland keeps and another does not, runs of days off across Easter, Christmas and New Year.
In 2026 Reformationstag (31.10.) and Tag der Deutschen Einheit (3.10.) fall on a Saturday, so
2025 and 2027 supply the weekday cases.
"""

from __future__ import annotations

from datetime import date

import pytest

from board_bot.core.i18n import t
from board_bot.core.workdays import (
    BUNDESLAENDER,
    DEFAULT_BUNDESLAND,
    holiday_name,
    is_working_day,
    next_working_day,
)

D = date


def test_default_is_schleswig_holstein() -> None:
    assert DEFAULT_BUNDESLAND == "SH"
    assert t("de", f"land.{DEFAULT_BUNDESLAND.lower()}") == "Schleswig-Holstein"
    assert t("en", "land.by") == "Bavaria"
    assert len(BUNDESLAENDER) == 16


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "Neujahr"),
        (D(2026, 4, 3), "Karfreitag"),
        (D(2026, 4, 6), "Ostermontag"),
        (D(2026, 5, 1), "Erster Mai"),
        (D(2026, 5, 14), "Christi Himmelfahrt"),
        (D(2026, 5, 25), "Pfingstmontag"),
        (D(2026, 12, 25), "Erster Weihnachtstag"),
        (D(2025, 10, 3), "Tag der Deutschen Einheit"),
        (D(2025, 10, 31), "Reformationstag"),
        (D(2025, 12, 26), "Zweiter Weihnachtstag"),
    ],
)
def test_holidays_on_weekdays_in_schleswig_holstein(day: date, name: str) -> None:
    assert day.weekday() < 5
    assert holiday_name("SH", day) == name
    assert not is_working_day("SH", day)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 6),  # Heilige Drei Könige: BW, BY, ST only
        D(2026, 6, 4),  # Fronleichnam
        D(2026, 10, 30),  # the Friday before Reformationstag 2026
        D(2026, 11, 2),  # the Monday after it
        D(2026, 11, 18),  # Buß- und Bettag: Sachsen only
        D(2026, 12, 24),  # Heiligabend: a working day in law
        D(2026, 12, 31),  # Silvester: likewise
        D(2027, 3, 8),  # Frauentag: Berlin and Mecklenburg-Vorpommern only
        D(2027, 11, 1),  # Allerheiligen
    ],
)
def test_working_weekdays_in_schleswig_holstein(day: date) -> None:
    assert day.weekday() < 5
    assert holiday_name("SH", day) is None
    assert is_working_day("SH", day)


@pytest.mark.parametrize(
    ("day", "name", "monday"),
    [
        (D(2026, 10, 3), "Tag der Deutschen Einheit", D(2026, 10, 5)),
        (D(2026, 10, 31), "Reformationstag", D(2026, 11, 2)),
    ],
)
def test_holidays_on_a_saturday_2026_are_days_off_twice_over(
    day: date, name: str, monday: date
) -> None:
    assert day.weekday() == 5
    assert holiday_name("SH", day) == name
    assert not is_working_day("SH", day)
    # No substitute day in Germany: the Monday after is a working day.
    assert next_working_day("SH", day) == monday


def test_ordinary_weekends_are_not_working_days() -> None:
    assert [is_working_day("SH", D(2026, 11, d)) for d in range(23, 30)] == [
        True,  # Mon
        True,
        True,
        True,
        True,  # Fri
        False,  # Sat
        False,  # Sun
    ]


@pytest.mark.parametrize(
    ("bundesland", "holiday"),
    [
        ("NW", True),
        ("BY", True),
        ("BW", True),
        ("HE", True),
        ("RP", True),
        ("SL", True),
        ("SH", False),
        ("HH", False),
        ("NI", False),
        ("BE", False),
    ],
)
def test_fronleichnam_depends_on_the_bundesland(bundesland: str, holiday: bool) -> None:
    for day in (D(2025, 6, 19), D(2026, 6, 4), D(2027, 5, 27)):  # all Thursdays
        assert day.weekday() == 3
        assert is_working_day(bundesland, day) is not holiday
        assert holiday_name(bundesland, day) == ("Fronleichnam" if holiday else None)


@pytest.mark.parametrize(
    ("bundesland", "holiday"),
    [("SH", True), ("HH", True), ("NI", True), ("SN", True), ("NW", False), ("BY", False)],
)
def test_reformationstag_on_a_friday_depends_on_the_bundesland(
    bundesland: str, holiday: bool
) -> None:
    day = D(2025, 10, 31)
    assert day.weekday() == 4
    assert is_working_day(bundesland, day) is not holiday
    assert next_working_day(bundesland, day) == (D(2025, 11, 3) if holiday else day)


def test_allerheiligen_on_a_monday_in_nrw_but_not_in_sh() -> None:
    day = D(2027, 11, 1)
    assert holiday_name("NW", day) == "Allerheiligen"
    assert next_working_day("NW", day) == D(2027, 11, 2)
    assert next_working_day("SH", day) == day


@pytest.mark.parametrize("bundesland", sorted(BUNDESLAENDER))
def test_every_bundesland_is_known_to_the_package(bundesland: str) -> None:
    assert not is_working_day(bundesland, D(2027, 1, 1))  # Neujahr, a Friday
    assert is_working_day(bundesland, D(2026, 12, 24))
    assert next_working_day(bundesland, D(2026, 12, 25)) == D(2026, 12, 28)


# --- next working day ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "include_today", "expected"),
    [
        (D(2026, 11, 26), True, D(2026, 11, 26)),  # a Thursday: itself
        (D(2026, 11, 26), False, D(2026, 11, 27)),
        (D(2026, 11, 27), False, D(2026, 11, 30)),  # Friday → Monday
        (D(2026, 11, 28), True, D(2026, 11, 30)),  # Saturday → Monday
        (D(2026, 11, 29), True, D(2026, 11, 30)),  # Sunday → Monday
        (D(2026, 11, 29), False, D(2026, 11, 30)),
        # Easter 2026: Karfreitag to Ostermontag is four days off.
        (D(2026, 4, 2), False, D(2026, 4, 7)),
        (D(2026, 4, 3), True, D(2026, 4, 7)),
        # Christmas 2026: 24.12. (Thu) works; 25.12. (Fri) to 27.12. (Sun) off.
        (D(2026, 12, 24), True, D(2026, 12, 24)),
        (D(2026, 12, 24), False, D(2026, 12, 28)),
        (D(2026, 12, 25), True, D(2026, 12, 28)),
        (D(2026, 12, 26), True, D(2026, 12, 28)),
        # New Year: 31.12. (Thu) works; 1.1.2027 (Fri) to 3.1. (Sun) off; across the year.
        (D(2026, 12, 31), True, D(2026, 12, 31)),
        (D(2026, 12, 31), False, D(2027, 1, 4)),
        (D(2027, 1, 1), True, D(2027, 1, 4)),
        # Christmas 2025: 24.12. (Wed) works; 25.12. and 26.12. (Thu, Fri) then the weekend.
        (D(2025, 12, 24), False, D(2025, 12, 29)),
        # Christmas 2027 falls on the weekend: Monday 27.12. is an ordinary working day.
        (D(2027, 12, 24), False, D(2027, 12, 27)),
    ],
)
def test_next_working_day_in_schleswig_holstein(
    day: date, include_today: bool, expected: date
) -> None:
    assert next_working_day("SH", day, include_today=include_today) == expected
    assert is_working_day("SH", expected)


def test_next_working_day_differs_by_bundesland() -> None:
    # Heilige Drei Könige 2026 is a Tuesday: a holiday in Bayern, not in Schleswig-Holstein.
    assert next_working_day("BY", D(2026, 1, 6)) == D(2026, 1, 7)
    assert next_working_day("SH", D(2026, 1, 6)) == D(2026, 1, 6)
    # Fronleichnam 2026 is a Thursday.
    assert next_working_day("NW", D(2026, 6, 3), include_today=False) == D(2026, 6, 5)
    assert next_working_day("SH", D(2026, 6, 3), include_today=False) == D(2026, 6, 4)
