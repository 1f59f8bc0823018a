"""Converters: ``str -> T`` functions that raise UsageError with a helpful message."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, NewType

from board_bot.core.config import LANGUAGES
from board_bot.core.dates import parse_full_date
from board_bot.core.errors import BotError, UsageError
from board_bot.core.i18n import Localized
from board_bot.core.ids import RoomId, UserId, is_server_name, is_user_id
from board_bot.core.render import CONTROL
from board_bot.features.work_packages import fields
from board_bot.features.work_packages import service as wps
from board_bot.features.work_packages.vocabulary import LIGHT, STATUS

MAX_TEXT = 500
# C0 and C1 control characters except the ordinary whitespace \t \n \v \f \r (folded to spaces),
# and the bidi embeddings, overrides and isolates that can make text display other than it reads.

Language = NewType("Language", str)
#: A role word, normalised to the service's English name: admin, observer, lead, deputy, member.
RoleName = NewType("RoleName", str)


def to_int(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", text.strip()):
        raise UsageError("convert.int", value=text[:50])
    return int(text)


def to_text(text: str) -> str:
    if CONTROL.search(text):
        raise UsageError("convert.text_control")
    text = " ".join(text.split())
    if not text:
        raise UsageError("convert.text_empty")
    if len(text) > MAX_TEXT:
        raise UsageError("convert.text_too_long", length=len(text), limit=MAX_TEXT)
    return text


def to_date(text: str) -> date:
    """``31.12.2026``, ``31.12.26`` or ISO ``2026-12-31``: the forms that need no today
    (:func:`board_bot.core.dates.parse_full_date`). Commands that take ``morgen`` or ``+2w``
    read their text with ``dates.parse_date``."""
    return parse_full_date(text)


def to_user_id(text: str) -> UserId:
    text = text.strip()
    # A pill pasted from a client arrives as a matrix.to link.
    match = re.fullmatch(r"https://matrix\.to/#/(@[^/?]+)", text)
    if match:
        text = match.group(1)
    if not is_user_id(text):
        raise UsageError("convert.user_id", value=text[:80])
    return UserId(text)


def to_room_id(text: str) -> RoomId:
    """A room id ``!opaque:server`` (also as a matrix.to link); an alias ``#name:server`` is not
    enough, since it can be moved to another room."""
    text = text.strip()
    match = re.fullmatch(r"https://matrix\.to/#/(![^/?]+)", text)
    if match:
        text = match.group(1)
    opaque, _, server = text.partition(":")
    if (
        len(text) > 255
        or not re.fullmatch(r"![A-Za-z0-9._~=+/\-]+", opaque)
        or not is_server_name(server)
    ):
        raise UsageError("convert.room_id", value=text[:80])
    return RoomId(text)


ROLE_WORDS = {
    "admin": "admin",
    "chair": "admin",
    "cdo": "admin",
    "observer": "observer",
    "beobachtung": "observer",
    "beobachter": "observer",
    "beobachterin": "observer",
    "lead": "lead",
    "leitung": "lead",
    "fachbereichsleitung": "lead",
    "amtsleitung": "lead",
    "deputy": "deputy",
    "vertretung": "deputy",
    "stellvertretung": "deputy",
    "member": "member",
    "mitglied": "member",
}


def to_role(text: str) -> RoleName:
    """A role in English or German (``leitung``, ``vertretung``, ``beobachterin``, ...)."""
    role = ROLE_WORDS.get(text.strip().casefold())
    if role is None:
        raise UsageError("convert.role", value=text[:40])
    return RoleName(role)


_QUOTES = {'"': '"', "„": "“", "“": "”"}
# "61", "61.2", "13a": a number; "II", "IV": a Roman numeral (Dezernat II).
_NUMBER = re.compile(r"\d.*|[IVX]+")


def code_continues(first: str, following: str) -> bool:
    """A word of letters followed by a number makes one code: ``FB 61``, ``Amt 13``,
    ``Dez. II``."""
    return first.rstrip(".").isalpha() and bool(_NUMBER.fullmatch(following))


def split_code(text: str) -> tuple[str, str]:
    """A department's code and the text after it: ``FB 61 Stadtplanung`` → ``("FB 61",
    "Stadtplanung")``.

    - A quoted start is the code: ``"Stab OB" Stabsstelle`` → ``("Stab OB", "Stabsstelle")``.
    - A word of letters followed by a number makes one code: ``FB 61``, ``Amt 13``, ``Dez. II``.
    - Otherwise the first word is the code if it holds a digit (``FB61``, ``61``) or is an
      abbreviation in capitals (``RPA``, ``OB``). Any other first word (``Kämmerei``, ``Amt`` in
      ``Amt für Verkehr``) is most likely the start of a name whose code was forgotten: that is
      refused with a hint rather than stored as a code nobody meant.
    """
    text = text.strip()
    if text[:1] in _QUOTES:
        close = text.find(_QUOTES[text[0]], 1)
        if text[0] == "“" and close < 0:
            close = text.find("“", 1)
        if close < 0:
            raise UsageError("parse.unclosed_quote")
        code = " ".join(text[1:close].split())
        if not code:
            raise UsageError("dept.code_missing")
        return code, " ".join(text[close + 1 :].split())
    words = text.split()
    if not words:
        raise UsageError("dept.code_missing")
    first = words[0]
    if len(words) > 1 and code_continues(first, words[1]):
        return f"{first} {words[1]}", " ".join(words[2:])
    if any(ch.isdigit() for ch in first) or (first.isalpha() and first.isupper()):
        return first, " ".join(words[1:])
    raise UsageError("dept.code_first", word=first[:40])


def to_language(text: str) -> Language:
    value = text.strip().lower()
    aliases = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
    value = aliases.get(value, value)
    if value not in LANGUAGES:
        raise UsageError("convert.language", value=text[:20], choices=", ".join(LANGUAGES))
    return Language(value)


#: A work package's number, typed as ``WP-12``, ``AP-12``, ``ap12`` or ``12``.
WpNumber = NewType("WpNumber", int)
#: A work package status, normalised to the service's English code (planned, in_progress, ...).
WpStatus = NewType("WpStatus", str)
#: A traffic light, normalised to the service's English code (green, yellow, red).
WpLight = NewType("WpLight", str)


def to_wp_number(text: str) -> WpNumber:
    try:
        return WpNumber(wps.parse_code(text))
    except BotError as exc:
        raise UsageError(exc.key, **exc.params) from None


def to_wp_status(text: str) -> WpStatus:
    """A status in German or English: ``geplant``, ``in Arbeit``, ``blockiert``, ..."""
    status = STATUS.parse(text)
    if status is None:
        raise UsageError("wp.status_invalid", value=text[:40], known=Localized(STATUS.choices))
    return WpStatus(status)


def to_wp_light(text: str) -> WpLight:
    """A traffic light in German or English: ``grün``, ``gelb``, ``rot``."""
    light = LIGHT.parse(text)
    if light is None:
        raise UsageError("wp.traffic_invalid", value=text[:40], known=Localized(LIGHT.choices))
    return WpLight(light)


#: A field of a work package for ``!wp edit``: the service's name, or "contributors".
WpField = NewType("WpField", str)
#: A sort order for ``!wp list``: the service's name (due, number, status, traffic, progress).
WpSort = NewType("WpSort", str)

SORT_WORDS = {
    "due": "due",
    "fällig": "due",
    "faellig": "due",
    "number": "number",
    "nummer": "number",
    "status": "status",
    "traffic": "traffic",
    "ampel": "traffic",
    "progress": "progress",
    "fortschritt": "progress",
}


def to_wp_field(text: str) -> WpField:
    """A field in German or English: ``titel``, ``fällig``, ``ampel``, ``beteiligt``, ..."""
    name = fields.EDIT_WORDS.get(text.strip().casefold())
    if name is None:
        raise UsageError("wp.field_unknown", field=text[:40])
    return WpField(name)


def to_wp_sort(text: str) -> WpSort:
    """A sort order in German or English: ``fällig``, ``nummer``, ``ampel``, ..."""
    name = SORT_WORDS.get(text.strip().casefold())
    if name is None:
        raise UsageError("wp.sort_unknown", sort=text[:40])
    return WpSort(name)


CONVERTERS: dict[Any, Callable[[str], Any]] = {
    str: to_text,
    int: to_int,
    date: to_date,
    UserId: to_user_id,
    RoomId: to_room_id,
    RoleName: to_role,
    Language: to_language,
    WpNumber: to_wp_number,
    WpStatus: to_wp_status,
    WpLight: to_wp_light,
    WpField: to_wp_field,
    WpSort: to_wp_sort,
}


def converter_for(annotation: Any) -> Callable[[str], Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:  # Code: a str with a mark
        annotation = typing.get_args(annotation)[0]
    try:
        return CONVERTERS[annotation]
    except KeyError:
        raise TypeError(f"no converter for {annotation!r}") from None
