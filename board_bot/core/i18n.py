"""Every text a user reads lives in the message catalogs, German (default) and English:
``board_bot/locale/<lang>/LC_MESSAGES/board_bot.po``, compiled to ``.mo`` when the bot is
installed (``setup.py``) and by ``scripts/catalogs`` after an edit.

``t(lang, key, **params)`` looks a message up by its key and fills in its parameters;
``tn(lang, key, n, **params)`` picks the plural form for ``n`` (``1 Fachbereich``,
``3 Fachbereiche``). The messages are Markdown, and safe by default: every ``str`` parameter is
escaped (``board_bot.core.render.escape``) unless it is marked :class:`~board_bot.core.render.Safe`
– our own Markdown, such as a backticked command word, a prefix, or the result of another
``t()`` (which is ``Safe`` itself). Dates are written ``31.12.2026``; a placeholder with the
format ``n`` (``{size:n}``) writes a number as the reader's language does (``70.000``). A key kept
in data and looked up later is marked ``N_("key")`` so that ``pybabel extract`` finds it
(``board_bot.dev.catalog``). Tests check that every key the code uses has a German and an English
text with the same placeholders.
"""

from __future__ import annotations

import gettext
import string
from collections.abc import Callable
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from board_bot.core.formats import format_date, format_number
from board_bot.core.naming import People, Person, named, plain_names
from board_bot.core.render import Safe, escape_param

DEFAULT_LANGUAGE = "de"
DOMAIN = "board_bot"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


#: How a city names the board's chair (the admins), per language, from ``[bot] chair_title``;
#: without it the catalog's ``chair.title`` (``Board-Vorsitz (CDO)``). A text says ``{chair}``
#: where only the chair may act.
CHAIR_TITLES: dict[str, str] = {}


def set_chair_title(lang: str, title: str | None) -> None:
    """Name the chair as the city does (``Lenkungskreis-Vorsitz (CDO)``); None: the catalog's."""
    if title is None:
        CHAIR_TITLES.pop(lang, None)
    else:
        CHAIR_TITLES[lang] = title


class CatalogMissing(RuntimeError):
    """A language's compiled catalog (``.mo``) is not there: the install did not compile it."""


def catalog_path(lang: str, suffix: str = ".mo") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def _catalog(lang: str) -> gettext.GNUTranslations:
    path = catalog_path(lang)
    try:
        with path.open("rb") as mo:
            return gettext.GNUTranslations(mo)
    except FileNotFoundError:
        raise CatalogMissing(
            f"The message catalog {path} has not been compiled. Install the bot with pip "
            "(which compiles it) or run scripts/catalogs compile."
        ) from None


def reload_catalogs() -> None:
    """Read the compiled catalogs again (after ``scripts/catalogs compile``)."""
    _catalog.cache_clear()


def _lookup(lang: str, key: str, n: int | None) -> str:
    """The text of ``key`` in ``lang``, German when ``lang`` is not one we speak or lacks it."""
    for language in dict.fromkeys((lang, DEFAULT_LANGUAGE)):
        try:
            catalog = _catalog(language)
        except CatalogMissing:
            if language == DEFAULT_LANGUAGE:
                raise
            continue
        text = catalog.gettext(key) if n is None else catalog.ngettext(key, key, n)
        if text != key:  # gettext answers a missing key with the key itself
            return text
    raise KeyError(key)


def has_text(key: str) -> bool:
    """Whether the catalog has the (singular) message ``key``."""
    return _catalog(DEFAULT_LANGUAGE).gettext(key) != key


def N_(key: str) -> str:
    """Marks a key that is kept in data and looked up with :func:`t` later, for extraction."""
    return key


class Localized:
    """A parameter whose text depends on the reader's language (the list of status words in an
    error raised where the language is not known yet): filled in by :func:`t`."""

    def __init__(self, text: Callable[[str], str]) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Localized({self.text(DEFAULT_LANGUAGE)!r})"


def t(lang: str, key: str, /, **params: Any) -> Safe:
    """The message ``key`` in ``lang`` (German when missing there), with ``params`` filled in:
    strings escaped unless they are :class:`Safe`, other values as they are."""
    return _fill(lang, _lookup(lang, key, None), params)


def tn(lang: str, key: str, n: int, /, **params: Any) -> Safe:
    """The plural form of ``key`` for ``n`` in ``lang``; ``n`` is also the parameter ``{n}``."""
    return _fill(lang, _lookup(lang, key, n), {"n": n, **params})


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec == "n" and isinstance(value, int | float):
            return format_number(self.lang, value)
        return super().format_field(value, format_spec)


def _fill(lang: str, text: str, params: dict[str, Any]) -> Safe:
    if "{chair}" in text and "chair" not in params:
        # The operator's own words, limited to letters, digits and plain punctuation by the
        # config: not escaped (an escaped title would show its backslashes in plain text).
        chair = CHAIR_TITLES.get(lang)
        params = {**params, "chair": Safe(chair) if chair else t(lang, "chair.title")}
    if not params:
        return Safe(text)
    values = {k: _param(v, lang) for k, v in params.items()}
    if ":n}" not in text:  # no number to format by the locale: str's own (fast) formatting
        return Safe(text.format_map(values))
    return Safe(_Formatter(lang).vformat(text, (), values))


def _param(value: Any, lang: str) -> Any:
    """Dates and times as the board reads them (31.12.2026, 09:00); strings escaped unless
    Safe."""
    if isinstance(value, Localized):
        value = value.text(lang)
    if isinstance(value, Person | People):  # not named for a reader: without display names
        value = named({"v": value}, plain_names)["v"]
    if isinstance(value, date) and not isinstance(value, datetime):
        return Safe(format_date(value))
    if isinstance(value, time):
        return Safe(value.strftime("%H:%M"))
    return escape_param(value)
