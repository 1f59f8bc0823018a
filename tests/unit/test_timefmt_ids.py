"""Small pure helpers: dates as the board reads them, durations, Matrix id validation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from board_bot.core.formats import (
    format_date,
    format_datetime,
    format_euros,
    format_number,
    moment,
    weekday_date,
)
from board_bot.core.ids import is_server_name, is_user_id, server_of
from commands.about import format_duration


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2026, 1, 5, 8, 0, tzinfo=UTC), "05.01.2026, 09:00 Uhr"),
        (datetime(2026, 7, 1, 7, 0, tzinfo=UTC), "01.07.2026, 09:00 Uhr"),
        # Spring forward (29.03.2026, 02:00 → 03:00) and fall back (25.10.2026, 03:00 → 02:00).
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "29.03.2026, 01:30 Uhr"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "29.03.2026, 03:30 Uhr"),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25.10.2026, 02:30 Uhr"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25.10.2026, 02:30 Uhr"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "01.01.2027, 00:30 Uhr"),
    ],
)
def test_format_datetime_in_berlin(value: datetime, text: str) -> None:
    assert format_datetime("de", value, "Europe/Berlin") == text


def test_format_datetime_follows_the_zone() -> None:
    value = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert format_datetime("de", value, "UTC") == "05.01.2026, 08:00 Uhr"
    assert format_datetime("de", value, "America/New_York") == "05.01.2026, 03:00 Uhr"


def test_format_date() -> None:
    assert format_date(date(2026, 1, 5)) == "05.01.2026"


def test_babel_formats_in_the_readers_language() -> None:
    """The issue's examples: 31.12.2026, 120.000 €, Mo., 15.12.2026, 10:00."""
    monday = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
    assert weekday_date("de", monday.date()) == "Mo., 14.12.2026"
    assert weekday_date("en", monday.date()) == "Mon, 14.12.2026"
    assert moment("de", monday, "Europe/Berlin") == "Mo., 14.12.2026, 10:00 Uhr"
    assert moment("en", monday, "Europe/Berlin") == "Mon, 14.12.2026, 10:00"
    assert format_datetime("en", monday, "Europe/Berlin") == "14.12.2026, 10:00"
    assert format_euros("de", 120_000) == "120.000 €"
    assert format_euros("en", 120_000) == "€120,000"
    assert format_number("de", 1_234_567) == "1.234.567"
    assert format_number("en", 1_234_567) == "1,234,567"
    # A language the bot does not speak reads as German.
    assert weekday_date("fr", monday.date()) == "Mo., 14.12.2026"


@pytest.mark.parametrize(
    ("delta", "de", "en"),
    [
        (timedelta(seconds=59), "0 Min.", "0 min"),
        (timedelta(minutes=5), "5 Min.", "5 min"),
        (timedelta(hours=2, minutes=3), "2 Std. 3 Min.", "2 h 3 min"),
        (timedelta(days=3, hours=4, minutes=59), "3 Tg. 4 Std.", "3 d 4 h"),
    ],
)
def test_format_duration(delta: timedelta, de: str, en: str) -> None:
    assert format_duration("de", delta) == de
    assert format_duration("en", delta) == en


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("@erika:stadt.example", True),
        ("@board-bot:localhost:8448", True),
        ("@a:[2001:db8::1]", True),
        ("@Erika.Muster_frau=1/x+y:stadt.example", True),
        ("erika:stadt.example", False),
        ("@erika", False),
        ("@:stadt.example", False),
        ("@er ika:stadt.example", False),
        ("@erika:stadt example", False),
        ("@" + "a" * 250 + ":stadt.example", False),
        ("@erika:stadt.example:99999999", False),
    ],
)
def test_is_user_id(text: str, ok: bool) -> None:
    assert is_user_id(text) is ok


def test_a_trailing_newline_is_not_part_of_an_id() -> None:
    assert not is_user_id("@erika:stadt.example\n")
    assert not is_server_name("stadt.example\n")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("stadt.example", True),
        ("localhost:8448", True),
        ("[::1]", True),
        ("stadt example", False),
        ("@erika:stadt.example", False),
        ("", False),
    ],
)
def test_is_server_name(text: str, ok: bool) -> None:
    assert is_server_name(text) is ok


def test_server_of() -> None:
    assert server_of("@erika:stadt.example:8448") == "stadt.example:8448"
    assert server_of("erika") == ""
