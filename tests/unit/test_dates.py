"""Dates and periods as typed in the chat: a table of inputs and the dates they mean; periods
followed by a reason, as ``!abwesend`` takes them.

``TODAY`` is Thursday 26.11.2026; 2026 and 2027 are no leap years, 2028 is one. A few cases use
another ``today`` to reach a month's end, a leap day or the turn of the year.
"""

from __future__ import annotations

from datetime import date

import pytest

from board_bot.core.dates import (
    MAX_ECHO,
    Month,
    add_months,
    parse_date,
    parse_full_date,
    parse_period,
    split_period,
)
from board_bot.core.errors import UsageError
from board_bot.core.i18n import t

D = date
TODAY = D(2026, 11, 26)

GOOD = [
    # full German dates, two- and four-digit years
    ("31.12.2026", TODAY, D(2026, 12, 31)),
    ("1.1.2027", TODAY, D(2027, 1, 1)),
    ("01.01.2027", TODAY, D(2027, 1, 1)),
    ("31.12.26", TODAY, D(2026, 12, 31)),
    ("29.02.2028", TODAY, D(2028, 2, 29)),
    ("28.02.2027", TODAY, D(2027, 2, 28)),
    ("1.3.2020", TODAY, D(2020, 3, 1)),  # in the past: read as written
    # ISO
    ("2026-12-31", TODAY, D(2026, 12, 31)),
    ("2028-02-29", TODAY, D(2028, 2, 29)),
    # day and month: the next such day on or after today
    ("31.12.", TODAY, D(2026, 12, 31)),
    ("1.1.", TODAY, D(2027, 1, 1)),
    ("26.11.", TODAY, D(2026, 11, 26)),  # today itself
    ("25.11.", TODAY, D(2027, 11, 25)),  # yesterday: next year
    ("31.12.", D(2026, 12, 31), D(2026, 12, 31)),
    ("1.1.", D(2026, 12, 31), D(2027, 1, 1)),  # year wrap
    ("31.12.", D(2027, 1, 1), D(2027, 12, 31)),
    ("29.02.", TODAY, D(2028, 2, 29)),  # the next leap year's
    ("29.2.", D(2028, 2, 29), D(2028, 2, 29)),
    ("29.02.", D(2028, 3, 1), D(2032, 2, 29)),
    ("29.02.", D(2097, 3, 1), D(2104, 2, 29)),  # 2100 is no leap year
    ("30.4.", TODAY, D(2027, 4, 30)),
    # relative: days (d, t for Tage), weeks, calendar months, years (j, y)
    ("+1d", TODAY, D(2026, 11, 27)),
    ("+3d", TODAY, D(2026, 11, 29)),
    ("+3t", TODAY, D(2026, 11, 29)),
    ("+36d", TODAY, D(2027, 1, 1)),  # year wrap
    ("+2w", TODAY, D(2026, 12, 10)),
    ("+6w", TODAY, D(2027, 1, 7)),
    ("+1m", TODAY, D(2026, 12, 26)),
    ("+2m", TODAY, D(2027, 1, 26)),
    ("+1m", D(2027, 1, 31), D(2027, 2, 28)),  # clamped to the month's end
    ("+1m", D(2028, 1, 31), D(2028, 2, 29)),  # leap year
    ("+1m", D(2026, 3, 31), D(2026, 4, 30)),
    ("+12m", D(2026, 1, 31), D(2027, 1, 31)),
    ("+13m", D(2027, 1, 31), D(2028, 2, 29)),
    ("+1m", D(2026, 12, 15), D(2027, 1, 15)),
    ("+1j", TODAY, D(2027, 11, 26)),
    ("+1y", TODAY, D(2027, 11, 26)),
    ("+1j", D(2028, 2, 29), D(2029, 2, 28)),
    ("+4j", D(2028, 2, 29), D(2032, 2, 29)),
    ("+28d", D(2028, 2, 1), D(2028, 2, 29)),
    ("+1d", D(2026, 12, 31), D(2027, 1, 1)),
    # words
    ("heute", TODAY, TODAY),
    ("today", TODAY, TODAY),
    ("morgen", TODAY, D(2026, 11, 27)),
    ("tomorrow", TODAY, D(2026, 11, 27)),
    ("übermorgen", TODAY, D(2026, 11, 28)),
    ("uebermorgen", TODAY, D(2026, 11, 28)),
    ("u\u0308bermorgen", TODAY, D(2026, 11, 28)),  # ü typed as u + combining diaeresis
    ("morgen", D(2026, 12, 31), D(2027, 1, 1)),
    ("übermorgen", D(2028, 2, 28), D(2028, 3, 1)),
    # case and surrounding spaces
    ("Heute", TODAY, TODAY),
    ("ÜBERMORGEN", TODAY, D(2026, 11, 28)),
    ("Tomorrow", TODAY, D(2026, 11, 27)),
    ("+3T", TODAY, D(2026, 11, 29)),
    ("+2W", TODAY, D(2026, 12, 10)),
    ("+1J", TODAY, D(2027, 11, 26)),
    ("  31.12.2026 \t", TODAY, D(2026, 12, 31)),
    ("\n+1m ", TODAY, D(2026, 12, 26)),
]


@pytest.mark.parametrize(("text", "today", "expected"), GOOD, ids=[g[0] for g in GOOD])
def test_a_date_is_understood(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today=today) == expected


KILO = "31.12.2026 " * 94  # about 1 KB

BAD = [
    "00.01.2026",
    "1.13.2026",
    "0.0.",
    "0.5.",
    "1.0.",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "2026-1-5",
    "26-12-31",
    "31.12",
    "31.12.202",
    "31.12.20261",
    "31/12/2026",
    "31. 12. 2026",
    "+0x",
    "+0d",
    "+-3d",
    "-3d",
    "+3",
    "+d",
    "+3 d",
    "+3dd",
    "+3tage",
    "+99999d",
    "+9999j",  # beyond the year 9999
    "3d",
    "morgen früh",
    "gestern",
    "heute!",
    "",
    "   ",
    "３１.１２.２０２６",  # full-width digits
    "٣١.١٢.٢٠٢٦",  # Arabic-Indic digits
    KILO,
]


@pytest.mark.parametrize("text", BAD, ids=[repr(b[:20]) for b in BAD])
def test_a_bad_date_is_refused_naming_it(text: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_date(text, today=TODAY)
    assert exc_info.value.key == "convert.date"
    assert exc_info.value.params == {"value": text.strip()[:MAX_ECHO]}


# A date form whose day the month does not have: named as such, with the month's length.
NO_SUCH_DAY = [
    ("31.02.2026", Month(2026, 2), 28),
    ("29.02.2027", Month(2027, 2), 28),  # no leap year
    ("30.02.2028", Month(2028, 2), 29),
    ("32.12.2026", Month(2026, 12), 31),
    ("31.04.26", Month(2026, 4), 30),
    ("2026-02-30", Month(2026, 2), 28),
    ("2026-11-31", Month(2026, 11), 30),
    # day and month: the next such month on or after today (26.11.2026)
    ("31.02.", Month(2027, 2), 28),  # no year has it
    ("31.04.", Month(2027, 4), 30),
    ("31.11.", Month(2026, 11), 30),  # this month
    ("32.1.", Month(2027, 1), 31),
    (" 31.06. ", Month(2027, 6), 30),
]


@pytest.mark.parametrize(("text", "month", "days"), NO_SUCH_DAY, ids=[n[0] for n in NO_SUCH_DAY])
def test_a_day_the_month_does_not_have_is_named(text: str, month: Month, days: int) -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_date(text, today=TODAY)
    assert exc_info.value.key == "convert.no_such_day"
    assert exc_info.value.params == {"value": text.strip(), "month": month, "days": days}


def test_the_impossible_day_reads_with_the_months_name() -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_date("31.02.", today=TODAY)
    error = exc_info.value
    assert t("de", error.key, **error.params) == (
        "„31\\.02\\.“ gibt es nicht: Der Februar 2027 hat 28 Tage."
    )
    assert t("en", error.key, **error.params) == (
        "“31\\.02\\.” does not exist: February 2027 has 28 days."
    )
    assert f"{Month(2026, 3):de}" == "März 2026"
    assert f"{Month(2026, 12):en}" == "December 2026"


def test_the_hint_for_no_date_names_the_other_forms() -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_date("gestern", today=TODAY)
    text = t("de", exc_info.value.key, **exc_info.value.params)
    assert text == "„gestern“ ist kein gültiges Datum. Bitte so angeben: 31.12.2026, 31.12., " + (
        "morgen oder +2w."
    )


def test_the_echoed_value_is_capped() -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_date("x" * 1024, today=TODAY)
    assert exc_info.value.params["value"] == "x" * MAX_ECHO


# --- full dates: the forms that need no today --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.12.2026", D(2026, 12, 31)),
        ("1.2.26", D(2026, 2, 1)),
        ("2026-12-31", D(2026, 12, 31)),
        (" 29.02.2028 ", D(2028, 2, 29)),
    ],
)
def test_a_full_date_needs_no_today(text: str, expected: date) -> None:
    assert parse_full_date(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("31.12.", "convert.date"),
        ("morgen", "convert.date"),
        ("+2w", "convert.date"),
        ("1.13.2026", "convert.date"),
        ("31.02.2026", "convert.no_such_day"),
        ("2027-02-29", "convert.no_such_day"),
    ],
)
def test_a_full_date_refuses_the_forms_that_need_today(text: str, key: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_full_date(text)
    assert exc_info.value.key == key


# --- add_months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 5, 31), 1, D(2026, 6, 30)),
        (D(2026, 11, 30), 2, D(2027, 1, 30)),
        (D(2026, 12, 31), 1, D(2027, 1, 31)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2027, 1, 15), -1, D(2026, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_months_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


# --- periods ---------------------------------------------------------------------------------

PERIODS = [
    ("21.12.2026 - 06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.2026 bis 06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.2026 – 06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.2026 — 06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.2026-06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.2026–06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.2026 BIS 06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.2026 to 06.01.2027", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12. bis 6.1.", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    ("21.12.-6.1.", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    # a day-and-month end is the next such day on or after the start, not after today
    ("21.12. bis 6.1.", D(2026, 12, 22), D(2027, 12, 21), D(2028, 1, 6)),
    ("1.12. - 30.11.", TODAY, D(2026, 12, 1), D(2027, 11, 30)),
    ("heute - +2w", TODAY, TODAY, D(2026, 12, 10)),
    ("heute bis morgen", TODAY, TODAY, D(2026, 11, 27)),
    ("morgen - übermorgen", TODAY, D(2026, 11, 27), D(2026, 11, 28)),
    ("+1w - +3w", TODAY, D(2026, 12, 3), D(2026, 12, 17)),  # both count from today
    ("today to tomorrow", TODAY, TODAY, D(2026, 11, 27)),
    ("2026-12-31 - 2027-01-06", TODAY, D(2026, 12, 31), D(2027, 1, 6)),
    ("2026-12-31-2027-01-06", TODAY, D(2026, 12, 31), D(2027, 1, 6)),
    ("2026-12-21 bis 6.1.", TODAY, D(2026, 12, 21), D(2027, 1, 6)),
    # one date is one day
    ("31.12.2026", TODAY, D(2026, 12, 31), D(2026, 12, 31)),
    ("2026-12-31", TODAY, D(2026, 12, 31), D(2026, 12, 31)),
    ("heute", TODAY, TODAY, TODAY),
    ("+2w", TODAY, D(2026, 12, 10), D(2026, 12, 10)),
    ("31.12.2026 - 31.12.2026", TODAY, D(2026, 12, 31), D(2026, 12, 31)),
    ("  1.1. bis 2.1.  ", TODAY, D(2027, 1, 1), D(2027, 1, 2)),
]


@pytest.mark.parametrize(
    ("text", "today", "start", "end"), PERIODS, ids=[f"{p[0]}@{p[1]}" for p in PERIODS]
)
def test_a_period_is_understood(text: str, today: date, start: date, end: date) -> None:
    assert parse_period(text, today=today) == (start, end)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.13.2026 - 06.01.2027", "1.13.2026"),
        ("2026-12-31 - 2027-13-01", "2027-13-01"),
        ("heute bis morgen früh", "morgen früh"),
        ("heute bis +0x", "+0x"),
        ("21.12.2026 -", "21.12.2026 -"),
        ("- 06.01.2027", "- 06.01.2027"),
        ("bis 06.01.2027", "bis 06.01.2027"),
        ("21.12.2026 bis", "21.12.2026 bis"),
        ("21.12.2026 bis 06.01.2027 bis 08.01.2027", "06.01.2027 bis 08.01.2027"),
        ("", ""),
        ("Urlaub", "Urlaub"),
        (KILO, KILO.strip()[:MAX_ECHO]),
    ],
)
def test_a_bad_period_names_the_wrong_part(text: str, value: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_period(text, today=TODAY)
    assert exc_info.value.key == "convert.date"
    assert exc_info.value.params == {"value": value}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("32.12.2026 - 06.01.2027", "32.12.2026"),
        ("21.12.2026 - 31.02.2027", "31.02.2027"),
        ("21.12. bis 31.4.", "31.4."),
        ("2026-02-30", "2026-02-30"),  # alone, although its hyphens look like separators
        ("31.02.", "31.02."),
    ],
)
def test_a_period_names_a_day_that_does_not_exist(text: str, value: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_period(text, today=TODAY)
    assert exc_info.value.key == "convert.no_such_day"
    assert exc_info.value.params["value"] == value


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("06.01.2027 - 21.12.2026", D(2027, 1, 6), D(2026, 12, 21)),
        ("morgen bis heute", D(2026, 11, 27), TODAY),
        ("+2w - +1w", D(2026, 12, 10), D(2026, 12, 3)),
        ("2027-01-06 - 2026-12-21", D(2027, 1, 6), D(2026, 12, 21)),
    ],
)
def test_an_end_before_the_start_is_refused(text: str, start: date, end: date) -> None:
    with pytest.raises(UsageError) as exc_info:
        parse_period(text, today=TODAY)
    assert exc_info.value.key == "convert.period_reversed"
    assert exc_info.value.params == {"start": start, "end": end}


# --- a period followed by a reason (!abwesend) ---------------------------------------------------

SPLITS = [
    # the forms !abwesend always took
    ("21.12.2026 - 06.01.2027 Urlaub", D(2026, 12, 21), D(2027, 1, 6), "Urlaub"),
    ("21.12.2026 – 06.01.2027", D(2026, 12, 21), D(2027, 1, 6), ""),
    ("21.12.26-6.1.27", D(2026, 12, 21), D(2027, 1, 6), ""),
    ("21.12.2026 bis 06.01.2027 Elternzeit", D(2026, 12, 21), D(2027, 1, 6), "Elternzeit"),
    ("21.12.2026 BIS 06.01.2027", D(2026, 12, 21), D(2027, 1, 6), ""),
    ("2026-12-21 - 2027-01-06", D(2026, 12, 21), D(2027, 1, 6), ""),
    ("2026-12-21-2027-01-06", D(2026, 12, 21), D(2027, 1, 6), ""),
    ("21.12.2026", D(2026, 12, 21), D(2026, 12, 21), ""),
    ("21.12.2026 Dienstreise  Berlin", D(2026, 12, 21), D(2026, 12, 21), "Dienstreise Berlin"),
    # a reason may start with "to..." or "bis..." as long as no date follows
    ("21.12.2026 Tourismusmesse", D(2026, 12, 21), D(2026, 12, 21), "Tourismusmesse"),
    ("21.12.2026 Bistro-Eröffnung", D(2026, 12, 21), D(2026, 12, 21), "Bistro-Eröffnung"),
    # without the year: the next such days
    ("11.12.", D(2026, 12, 11), D(2026, 12, 11), ""),
    ("11.12. Fortbildung", D(2026, 12, 11), D(2026, 12, 11), "Fortbildung"),
    ("21.12. bis 6.1. Urlaub", D(2026, 12, 21), D(2027, 1, 6), "Urlaub"),
    ("20.11. - 22.11.", D(2027, 11, 20), D(2027, 11, 22), ""),  # the next 20.11.
    # words and relative dates, as everywhere in the chat
    ("morgen", D(2026, 11, 27), D(2026, 11, 27), ""),
    ("Morgen Fortbildung in Kiel", D(2026, 11, 27), D(2026, 11, 27), "Fortbildung in Kiel"),
    ("+2w Dienstreise", D(2026, 12, 10), D(2026, 12, 10), "Dienstreise"),  # one day: in 2 weeks
    ("heute bis übermorgen", TODAY, D(2026, 11, 28), ""),
    ("heute - +2w Elternzeit", TODAY, D(2026, 12, 10), "Elternzeit"),
    ("today to tomorrow training", TODAY, D(2026, 11, 27), "training"),
    ("morgen 3 Tage Kur", D(2026, 11, 27), D(2026, 11, 27), "3 Tage Kur"),
    # the reason keeps its case and text, only its whitespace is folded
    ("heute\tKrank  gemeldet\n", TODAY, TODAY, "Krank gemeldet"),
    # an end before the start is the caller's to refuse, naming both dates
    ("06.01.2027 - 21.12.2026", D(2027, 1, 6), D(2026, 12, 21), ""),
]


@pytest.mark.parametrize(("text", "start", "end", "rest"), SPLITS, ids=[s[0] for s in SPLITS])
def test_a_period_and_its_reason(text: str, start: date, end: date, rest: str) -> None:
    assert split_period(text, today=TODAY) == (start, end, rest)


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("Urlaub morgen", "convert.date", {"value": "Urlaub"}),
        ("gestern Urlaub", "convert.date", {"value": "gestern"}),
        ("", "convert.date", {"value": ""}),
        ("21.12.2026-Urlaub", "convert.date", {"value": "Urlaub"}),
        ("1.13.2026 Urlaub", "convert.date", {"value": "1.13.2026"}),
        ("21.12.2026 - 1.13.2027", "convert.date", {"value": "1.13.2027"}),
        ("31.02.", "convert.no_such_day", {"value": "31.02.", "month": Month(2027, 2), "days": 28}),
        (
            "21.12.2026 - 31.02.2027 Urlaub",
            "convert.no_such_day",
            {"value": "31.02.2027", "month": Month(2027, 2), "days": 28},
        ),
        ("21.12.2026 - Urlaub", "away.end_missing", {"start": D(2026, 12, 21)}),
        ("21.12.2026 bis", "away.end_missing", {"start": D(2026, 12, 21)}),
        ("morgen -", "away.end_missing", {"start": D(2026, 11, 27)}),
        ("heute to do", "away.end_missing", {"start": TODAY}),
    ],
)
def test_a_bad_period_before_a_reason_is_named(
    text: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(UsageError) as exc_info:
        split_period(text, today=TODAY)
    assert (exc_info.value.key, exc_info.value.params) == (key, params)


def test_a_long_reason_is_not_parsed_as_dates() -> None:
    reason = "Fortbildung " * 200
    assert split_period(f"morgen {reason}", today=TODAY) == (
        D(2026, 11, 27),
        D(2026, 11, 27),
        reason.strip(),
    )


def test_a_date_that_looks_back() -> None:
    from board_bot.core.dates import parse_past_date

    today = date(2026, 12, 4)
    assert parse_past_date("01.11.", today=today) == date(2026, 11, 1)
    assert parse_past_date("24.12.", today=today) == date(2025, 12, 24)
    assert parse_past_date("04.12.", today=today) == date(2026, 12, 4)
    assert parse_past_date("29.02.", today=today) == date(2024, 2, 29)
    assert parse_past_date("01.01.2030", today=today) == date(2030, 1, 1)  # a full date as typed
