"""The words for a work package's status and traffic light: one definition for every command,
the status-answer parser, the CSV import and export, the texts and the chart.

Each value has a code (what is stored), the words people type for it in German or English (any
of them, in any case; ``in Arbeit``, ``in-arbeit`` and ``InArbeit`` are one word), symbols that
mean it (🟢 for green), and a label per language (``wp.status.<code>`` in the catalog) that the
bot writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from board_bot.core.i18n import t
from board_bot.core.render import Safe


@dataclass(frozen=True)
class Term:
    code: str
    #: what people type, German and English; a word may have several parts ("in Arbeit")
    words: tuple[str, ...]
    #: symbols that mean it; the first is the one the bot shows
    symbols: tuple[str, ...] = ()


def word_key(text: str) -> str:
    """``In Arbeit`` → ``inarbeit``: case, spaces, hyphens, underscores and emoji variation
    selectors ignored."""
    return re.sub(r"[\s_\-\ufe0f]+", "", text.strip().casefold())


@dataclass(frozen=True)
class Vocabulary:
    #: "status" or "light": the catalog keys are ``wp.<kind>.<code>``
    kind: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def parse(self, text: str) -> str | None:
        """The code a word, a symbol, or a symbol with its word (``🟢 grün``, as the bot writes
        it) stands for; None for anything else, also for a symbol and a word that disagree."""
        key = word_key(text)
        marked = {term.code for term in self.terms for s in term.symbols if s in key}
        for term in self.terms:
            for symbol in term.symbols:
                key = key.replace(symbol, "")
        if not key:
            return marked.pop() if len(marked) == 1 else None
        for term in self.terms:
            if key in {word_key(w) for w in term.words}:
                return term.code if marked <= {term.code} else None
        return None

    def split_leading(self, text: str) -> tuple[str | None, str]:
        """The value at the start of ``text`` and what follows it: ``🟡 gelb Personal fehlt`` →
        ``("yellow", "Personal fehlt")``; the longest start of up to three words that reads as
        a value (``in Arbeit``, a symbol with its word) wins. ``(None, text)`` when none does."""
        words = text.split()
        for n in range(min(3, len(words)), 0, -1):
            code = self.parse(" ".join(words[:n]))
            if code is not None:
                return code, " ".join(words[n:])
        return None, text.strip()

    def phrases(self) -> Iterator[tuple[tuple[str, ...], str]]:
        """Every way to write each value as a sequence of lower-case tokens, for a parser that
        reads free text word by word: ``("in", "arbeit")``, ``("in-arbeit",)``,
        ``("inarbeit",)``, ``("🟢",)``."""
        for term in self.terms:
            for word in term.words:
                parts = tuple(word.casefold().split())
                yield parts, term.code
                if len(parts) > 1:
                    for joiner in ("", "-", "_"):
                        yield (joiner.join(parts),), term.code
            for symbol in term.symbols:
                yield (symbol.replace("\ufe0f", ""),), term.code

    def label(self, lang: str, code: str) -> Safe:
        """The word the bot writes for a value (``in Arbeit``)."""
        return t(lang, self.key(code))

    def key(self, code: str) -> str:
        """The catalog key of a value's label."""
        return f"wp.{self.kind}.{code}"

    def symbol(self, code: str) -> str:
        """The symbol the bot shows for a value; ⚪ for none."""
        for term in self.terms:
            if term.code == code and term.symbols:
                return term.symbols[0]
        return "⚪"

    def typed(self, lang: str, code: str) -> str:
        """The value as one argument of a command: the label, quoted when it has a space."""
        word = str(self.label(lang, code))
        return f'"{word}"' if " " in word else word

    def choices(self, lang: str) -> str:
        """``geplant, in Arbeit, blockiert, erledigt, verworfen``: for error messages."""
        return ", ".join(str(self.label(lang, code)) for code in self.codes)


STATUS = Vocabulary(
    "status",
    (
        Term("planned", ("geplant", "planned")),
        Term("in_progress", ("in Arbeit", "in Bearbeitung", "in progress", "läuft", "laeuft")),
        Term("blocked", ("blockiert", "blocked")),
        Term("done", ("erledigt", "fertig", "abgeschlossen", "done")),
        Term("discarded", ("verworfen", "discarded")),
    ),
)
LIGHT = Vocabulary(
    "light",
    (
        Term("green", ("grün", "gruen", "green"), ("🟢", "🟩")),
        Term("yellow", ("gelb", "yellow", "amber"), ("🟡", "🟨")),
        Term("red", ("rot", "red"), ("🔴", "🟥")),
    ),
)
#: The statuses of a package that is no longer worked on.
#: Every vocabulary the bot reads and writes.
VOCABULARIES = (STATUS, LIGHT)
CLOSED = frozenset({"done", "discarded"})


# --- the Leitlinien of the Smart City Charta ----------------------------------------------------

#: The four Leitlinien (guidelines) of the Smart City Charta, by number.
LEITLINIEN = (1, 2, 3, 4)

#: How a city names the Leitlinien in short, per language, from ``[bot] leitlinien`` (and
#: ``leitlinien_en``); without them the catalog's ``leitlinie.short.<n>``.
LEITLINIE_NAMES: dict[str, tuple[str, ...]] = {}


def set_leitlinie_names(lang: str, names: tuple[str, ...] | None) -> None:
    """The city's short names of the four Leitlinien in ``lang``; None: the catalog's."""
    if names is None:
        LEITLINIE_NAMES.pop(lang, None)
    else:
        LEITLINIE_NAMES[lang] = names


def leitlinie_name(lang: str, number: int) -> str:
    """A Leitlinie's short name, as the reports show it (``Transparenz & Teilhabe``)."""
    names = LEITLINIE_NAMES.get(lang)
    if names is not None and 1 <= number <= len(names):
        return names[number - 1]
    return str(t(lang, f"leitlinie.short.{number}"))


def leitlinie_title(lang: str, number: int) -> str:
    """A Leitlinie's full name from the Charta (``Transparenz, Teilhabe und Mitgestaltung``)."""
    return str(t(lang, f"leitlinie.name.{number}"))
