"""Converters ``str -> T``: good values convert, bad ones raise UsageError with the right key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Optional

import pytest

from board_bot.chat.converters import (
    MAX_TEXT,
    Language,
    converter_for,
    to_date,
    to_int,
    to_language,
    to_text,
    to_user_id,
)
from board_bot.core.errors import UsageError
from board_bot.core.ids import UserId

GOOD = [
    (to_date, "31.12.2026", date(2026, 12, 31)),
    (to_date, "1.2.26", date(2026, 2, 1)),
    (to_date, "01.02.2026", date(2026, 2, 1)),
    (to_date, "2026-12-31", date(2026, 12, 31)),
    (to_date, " 31.12.2026 ", date(2026, 12, 31)),
    (to_date, "29.02.2028", date(2028, 2, 29)),
    (to_user_id, "@erika.musterfrau:stadt.example", "@erika.musterfrau:stadt.example"),
    (to_user_id, "https://matrix.to/#/@erika:stadt.example", "@erika:stadt.example"),
    (to_user_id, " @cdo:localhost:8448 ", "@cdo:localhost:8448"),
    (to_user_id, "@bot:[::1]", "@bot:[::1]"),
    (to_user_id, "@Alt_Konto=1/x+y:stadt.example", "@Alt_Konto=1/x+y:stadt.example"),
    (to_int, "7", 7),
    (to_int, "-3", -3),
    (to_int, "+12", 12),
    (to_int, "0042", 42),
    (to_int, " 5 ", 5),
    (to_language, "de", "de"),
    (to_language, "EN", "en"),
    (to_language, " Deutsch ", "de"),
    (to_language, "german", "de"),
    (to_language, "Englisch", "en"),
    (to_language, "english", "en"),
    (to_text, "  Radwege   Nord ", "Radwege Nord"),
    (to_text, "x" * MAX_TEXT, "x" * MAX_TEXT),
    (to_text, "Müller's „Büro“", "Müller's „Büro“"),
    (to_text, "Radwege\tNord\r\nund\x0b\x0cSüd", "Radwege Nord und Süd"),  # whitespace folds
    (to_text, "Rad\u200dweg\u00a0\u200eNord", "Rad\u200dweg \u200eNord"),  # joiner, mark: fine
]


@pytest.mark.parametrize(("convert", "text", "value"), GOOD)
def test_good_values_convert(convert: Callable[[str], Any], text: str, value: Any) -> None:
    assert convert(text) == value


BAD = [
    # A day the month does not have is named as such (dates.parse_full_date).
    (to_date, "31.02.2026", "convert.no_such_day"),
    (to_date, "29.02.2027", "convert.no_such_day"),
    (to_date, "32.1.2026", "convert.no_such_day"),
    (to_date, "1.13.2026", "convert.date"),
    (to_date, "0.0.0", "convert.date"),
    (to_date, "morgen", "convert.date"),  # needs a today: commands read it with parse_date
    (to_date, "31.12.", "convert.date"),
    (to_date, "31/12/2026", "convert.date"),
    (to_date, "2026-1-5", "convert.date"),
    (to_date, "31.12.202", "convert.date"),
    (to_date, "", "convert.date"),
    (to_user_id, "erika", "convert.user_id"),
    (to_user_id, "@erika", "convert.user_id"),
    (to_user_id, "erika:stadt.example", "convert.user_id"),
    (to_user_id, "@:stadt.example", "convert.user_id"),
    (to_user_id, "@er ika:stadt.example", "convert.user_id"),
    (to_user_id, "Erika Musterfrau", "convert.user_id"),
    (to_user_id, "#board:stadt.example", "convert.user_id"),
    (to_user_id, "https://matrix.to/#/!room:stadt.example", "convert.user_id"),
    (to_user_id, "https://evil.example/#/@erika:stadt.example", "convert.user_id"),
    (to_user_id, "@" + "a" * 300 + ":stadt.example", "convert.user_id"),
    (to_int, "zwei", "convert.int"),
    (to_int, "5.0", "convert.int"),
    (to_int, "1e3", "convert.int"),
    (to_int, "", "convert.int"),
    (to_int, "1234567890", "convert.int"),
    (to_language, "fr", "convert.language"),
    (to_language, "deu", "convert.language"),
    (to_language, "", "convert.language"),
    (to_text, "", "convert.text_empty"),
    (to_text, " \t\n ", "convert.text_empty"),
    (to_text, "x" * (MAX_TEXT + 1), "convert.text_too_long"),
    (to_text, "Radwege\x00Nord", "convert.text_control"),
    (to_text, "\x00", "convert.text_control"),
    (to_text, "\x1b[31mrot\x1b[0m", "convert.text_control"),
    (to_text, "Glocke\x07", "convert.text_control"),
    (to_text, "Backspace\x08", "convert.text_control"),
    (to_text, "a\x1fb", "convert.text_control"),  # str.split() would fold it
    (to_text, "a\x7fb", "convert.text_control"),
    (to_text, "a\x85b", "convert.text_control"),  # C1 "next line", also folded by split()
    (to_text, "a\x9bb", "convert.text_control"),
    (to_text, "Board \u202egnirts", "convert.text_control"),  # right-to-left override
    *[(to_text, f"x{chr(c)}y", "convert.text_control") for c in range(0x202A, 0x202F)],
    *[(to_text, f"x{chr(c)}y", "convert.text_control") for c in range(0x2066, 0x206A)],
    (to_text, "x" * (MAX_TEXT + 1) + "\x00", "convert.text_control"),
]


@pytest.mark.parametrize(("convert", "text", "key"), BAD)
def test_bad_values_raise_usage_errors(convert: Callable[[str], Any], text: str, key: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        convert(text)
    assert exc_info.value.key == key


def test_errors_name_the_value_but_bounded() -> None:
    with pytest.raises(UsageError) as exc_info:
        to_date("kein Datum " * 100)
    assert exc_info.value.params["value"].startswith("kein Datum")
    assert len(exc_info.value.params["value"]) <= 50

    with pytest.raises(UsageError) as exc_info:
        to_user_id("x" * 1000)
    assert len(exc_info.value.params["value"]) <= 80


def test_language_error_lists_the_choices() -> None:
    with pytest.raises(UsageError) as exc_info:
        to_language("fr")
    assert exc_info.value.params == {"value": "fr", "choices": "de, en"}


def test_text_too_long_names_length_and_limit() -> None:
    with pytest.raises(UsageError) as exc_info:
        to_text("x" * 600)
    assert exc_info.value.params == {"length": 600, "limit": MAX_TEXT}


@pytest.mark.parametrize(
    ("annotation", "converter"),
    [
        (str, to_text),
        (int, to_int),
        (date, to_date),
        (UserId, to_user_id),
        (Language, to_language),
        (int | None, to_int),
        (Optional[date], to_date),  # noqa: UP045 - the older spelling must work too
    ],
)
def test_converter_for(annotation: Any, converter: Callable[[str], Any]) -> None:
    assert converter_for(annotation) is converter


@pytest.mark.parametrize("annotation", [float, list[str], int | str])
def test_converter_for_unknown_types(annotation: Any) -> None:
    with pytest.raises(TypeError, match="no converter"):
        converter_for(annotation)
