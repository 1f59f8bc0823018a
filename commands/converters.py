"""Converters: ``str -> T`` functions that raise UsageError with a helpful message."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, NewType

from board_bot.config import LANGUAGES
from board_bot.errors import UsageError
from board_bot.ids import UserId, is_user_id

MAX_TEXT = 500
# C0 and C1 control characters except the ordinary whitespace \t \n \v \f \r (folded to spaces),
# and the bidi embeddings, overrides and isolates that can make text display other than it reads.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Language = NewType("Language", str)


def to_int(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", text.strip()):
        raise UsageError("convert.int", value=text[:50])
    return int(text)


def to_text(text: str) -> str:
    if _CONTROL.search(text):
        raise UsageError("convert.text_control")
    text = " ".join(text.split())
    if not text:
        raise UsageError("convert.text_empty")
    if len(text) > MAX_TEXT:
        raise UsageError("convert.text_too_long", length=len(text), limit=MAX_TEXT)
    return text


def to_date(text: str) -> date:
    """``31.12.2026``, ``31.12.26`` or ISO ``2026-12-31``."""
    text = text.strip()
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})", text)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        if german:
            day, month, year = (int(g) for g in german.groups())
            return date(year + 2000 if year < 100 else year, month, day)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise UsageError("convert.date", value=text[:50])


def to_user_id(text: str) -> UserId:
    text = text.strip()
    # A pill pasted from a client arrives as a matrix.to link.
    match = re.fullmatch(r"https://matrix\.to/#/(@[^/?]+)", text)
    if match:
        text = match.group(1)
    if not is_user_id(text):
        raise UsageError("convert.user_id", value=text[:80])
    return UserId(text)


def to_language(text: str) -> Language:
    value = text.strip().lower()
    aliases = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
    value = aliases.get(value, value)
    if value not in LANGUAGES:
        raise UsageError("convert.language", value=text[:20], choices=", ".join(LANGUAGES))
    return Language(value)


CONVERTERS: dict[Any, Callable[[str], Any]] = {
    str: to_text,
    int: to_int,
    date: to_date,
    UserId: to_user_id,
    Language: to_language,
}


def converter_for(annotation: Any) -> Callable[[str], Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation = args[0]
    try:
        return CONVERTERS[annotation]
    except KeyError:
        raise TypeError(f"no converter for {annotation!r}") from None
