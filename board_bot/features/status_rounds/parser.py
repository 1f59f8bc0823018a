"""Weekly status answers of department leads, as they type them into a direct message.

``parse_answer`` reads the whole message body (the caller has already stripped ``!update``):

* the whole message says "no change" (``unverändert``, ``Keine Änderungen``, ``no change``) →
  kind ``"unchanged"``;
* lines starting with a work package (``WP-12 gelb 60% Ausschreibung verzögert sich``,
  ``- WP-3: grün, 80 %, läuft nach Plan``) → kind ``"lines"``, one ``ItemUpdate`` per package;
* anything else → kind ``"free"``: the message is the department's update as free text.

In every line, blockers (``blockiert durch FB 61``, ``wartet auf WP-3``) and escalations
(``Entscheidung nötig: …``, ``an die OB: …``) are found as well. Lines that could not be read
completely are reported as ``LineProblem`` with a reason key; the parser itself never raises.

Pure functions: no I/O, no clock. The message is normalised to NFC (a decomposed "ä" reads as
"ä"); words are compared casefolded, while notes and texts keep the spelling of the message.
All line numbers count the lines of ``Answer.text``, starting at 1.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from board_bot.features.work_packages.vocabulary import LIGHT, STATUS

__all__ = [
    "KIND_FREE",
    "KIND_LINES",
    "KIND_UNCHANGED",
    "LIGHT_WINDOW",
    "MAX_PROBLEM_TEXT",
    "Answer",
    "Blocker",
    "Escalation",
    "ItemUpdate",
    "LineProblem",
    "parse_answer",
]

KIND_UNCHANGED = "unchanged"
KIND_LINES = "lines"
KIND_FREE = "free"
#: Traffic lights, status words and "unverändert" count only among this many leading words of a
#: package line's rest ("… Ampel der Kreuzung rot" further on is note text).
LIGHT_WINDOW = 4
#: How much of a line a LineProblem repeats.
MAX_PROBLEM_TEXT = 120


@dataclass(frozen=True)
class ItemUpdate:
    """One package line: ``WP-12 gelb 60% Ausschreibung verzögert sich``."""

    line: int
    number: int
    traffic_light: str | None
    progress: int | None
    status: str | None
    note: str
    unchanged: bool


@dataclass(frozen=True)
class Blocker:
    """``blockiert durch FB 61``, ``wartet auf WP-3``: the phrase and what it names."""

    line: int
    text: str
    department: str | None
    work_package: int | None


@dataclass(frozen=True)
class Escalation:
    """A question for the board (``Entscheidung nötig: …``) or the mayor (``an die OB: …``)."""

    line: int
    text: str
    audience: str


@dataclass(frozen=True)
class LineProblem:
    """A line that could not be read completely; ``reason`` is a key such as ``bad_percent``."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Answer:
    """What a status answer says; ``text`` is the whole message (NFC, trimmed)."""

    kind: str
    items: tuple[ItemUpdate, ...]
    blockers: tuple[Blocker, ...]
    escalations: tuple[Escalation, ...]
    problems: tuple[LineProblem, ...]
    text: str


# --- words ------------------------------------------------------------------------------------

_UNCHANGED_PHRASES = frozenset(
    tuple(phrase.split())
    for phrase in (
        "unverändert",
        "unveraendert",
        "alles unverändert",
        "alles unveraendert",
        "keine änderung",
        "keine änderungen",
        "keine aenderung",
        "keine aenderungen",
        "keine veränderung",
        "keine veränderungen",
        "keine veraenderung",
        "keine veraenderungen",
        "wie letzte woche",
        "no change",
        "no changes",
        "unchanged",
        "same as last week",
    )
)
# "Ampel: gelb", "Status: in Arbeit", "Fortschritt 60 %": dropped when a value follows.
_LABELS = ("ampel", "status", "stand", "fortschritt", "progress")


def _phrase_table() -> dict[tuple[str, ...], tuple[str, str]]:
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for phrase in _UNCHANGED_PHRASES:
        table[phrase] = ("unchanged", "")
    for kind, vocabulary in (("light", LIGHT), ("status", STATUS)):
        for phrase, code in vocabulary.phrases():
            table[phrase] = (kind, code)
    for label in _LABELS:
        table[(label,)] = ("label", "")
    return table


_PHRASES = _phrase_table()
_LONGEST_PHRASE = max(len(phrase) for phrase in _PHRASES)
# A light or status word right after one of these is not meant as one ("noch nicht fertig").
_QUALIFIERS = frozenset(
    {"nicht", "not", "nie", "never", "kein", "keine", "fast", "almost", "nearly", "bald", "soon"}
)
# "fertig bis Ende Mai" announces a date, it does not report the package as done.
_FUTURE = frozenset({"bis", "by", "until", "zum", "voraussichtlich", "vsl"})
# "blockiert durch FB 61": the status word is also the start of the blocker, kept in the note.
_BLOCKER_WORDS = frozenset({"durch", "von", "by"})
_PERCENT_UNITS = frozenset({"%", "prozent", "percent", "pct"})

# --- patterns ---------------------------------------------------------------------------------
# [0-9], not \d: \d also matches other scripts' digits. Every pattern is anchored or bounded, so
# a 10,000-character message takes linear time.

_LEAD_IN = r"\s*(?:[-*•+–·]\s*|[0-9]{1,3}[.)]\s*)?(?:\*\*|__)?"
_REF = r"(?:(?:wp|ap)\s?[-–—]?\s?|#)(?P<number>[0-9]{1,9})(?:\*\*|__)?(?!\w)"
_ARTICLE = r"(?:(?:der|die|das|den|dem|the)\s+)?"
_PACKAGE_LINE = re.compile(_LEAD_IN + _REF, re.IGNORECASE)
# "WP gelb 50%", "AP-x rot": a package prefix without a number (not "Apropos").
_PREFIX_ONLY = re.compile(_LEAD_IN + r"(?:wp|ap)(?![^\W\d_])", re.IGNORECASE)
_SHORT_BAD_ID = re.compile(r"\s?[-–—#]\s?\S{0,3}(?:[\s:]|$)")
_LEAD_IN_ONLY = re.compile(_LEAD_IN)
_SEPARATOR = re.compile(r"[-–—:;,.|/•·]+")
_INTEGER = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_PERCENT = re.compile(r"([0-9]+)\s?%")
_TOKEN_LEAD = "\"'„“‚‘»«([{*_:"
_TOKEN_TRAIL = "\"'“”‘’»«)]}.,;:!?*_…"

_BLOCKER = re.compile(
    r"(?<!\w)(?:blockiert\s+(?:durch|von)|blocked\s+by|wartet\s+auf|warten\s+auf"
    r"|waiting\s+(?:for|on)|abhängig\s+von|abhaengig\s+von)(?!\w)",
    re.IGNORECASE,
)
_TARGET_PACKAGE = re.compile(_ARTICLE + _REF, re.IGNORECASE)
_TARGET_DEPARTMENT = re.compile(
    _ARTICLE + r"(?:(?P<known>fachbereich|fb|amt|dezernat|dez\.?|referat|ref\.?|abteilung|abt\.?)"
    r"|(?-i:(?P<acronym>[A-ZÄÖÜ]{2,4})))"
    r"\s?(?P<code>[0-9]{1,4}|[ivx]{1,6})(?!\w|[.,][0-9])",
    re.IGNORECASE,
)
_DEPARTMENT_NAMES = {
    "fachbereich": "FB",
    "fb": "FB",
    "amt": "Amt",
    "dezernat": "Dezernat",
    "dez": "Dezernat",
    "referat": "Referat",
    "ref": "Referat",
    "abteilung": "Abteilung",
    "abt": "Abteilung",
}
# Capitals followed by a number that name something other than a department.
_NOT_DEPARTMENTS = frozenset({"KW", "TOP", "NR", "OZG", "ISO", "DIN", "EN", "EU", "PDF", "OB"})
# A clause ends at ";" or "," or at a period that ends a sentence.
_CLAUSE_END = re.compile(r"[;,]|\.(?=\s|$)")

_ESCALATION = re.compile(
    r"(?<!\w)(?:"
    r"(?P<board>entscheidung\s+(?:nötig|noetig|notwendig|erforderlich)|entscheidungsbedarf"
    r"|eskalation|decision\s+(?:needed|required)|escalation)"
    r"|(?P<mayor>ob-entscheidung)"
    r"|(?P<mayor_colon>an\s+(?:die|den)\s+(?:ob|oberb(?:ü|ue)rgermeister(?:in)?)"
    r"|for\s+the\s+mayor)"
    r")(?!\w)",
    re.IGNORECASE,
)
# Between the marker and its colon: "Entscheidung nötig (OB):", "Eskalation an die OB:".
_QUALIFIER = re.compile(r"([^:.;,!?]{0,40}):")
_PARENTHESIS = re.compile(r"\s*\(([^()]{0,40})\)")
_MAYOR_HINT = re.compile(r"(?<!\w)OB(?!\w)|(?i:oberb(?:ü|ue)rgermeister|mayor)")
_TEXT_EDGE = " \t,;:-–—*_"


# --- the message ------------------------------------------------------------------------------


def parse_answer(text: str) -> Answer:
    """Read a department lead's answer to the weekly status prompt. Never raises."""
    message = unicodedata.normalize("NFC", text).strip()
    if _is_unchanged_message(message):
        return Answer(KIND_UNCHANGED, (), (), (), (), message)
    lines = message.splitlines()
    items: list[ItemUpdate] = []
    blockers: list[Blocker] = []
    escalations: list[Escalation] = []
    problems: list[LineProblem] = []
    seen: set[int] = set()
    found_package = False
    for number, line in enumerate(lines, start=1):
        line_blockers = _blockers(number, line)
        blockers.extend(line_blockers)
        escalation = _escalation(number, lines)
        if escalation is not None:
            escalations.append(escalation)
        head = _PACKAGE_LINE.match(line)
        if head is None:
            if _is_package_attempt(line):
                problems.append(_problem(number, line, "no_package"))
            continue
        found_package = True
        package = int(head.group("number"))
        if package in seen:
            problems.append(_problem(number, line, "duplicate_package"))
            continue
        seen.add(package)
        item, reasons = _item(number, package, line[head.end() :], line_blockers)
        items.append(item)
        problems.extend(_problem(number, line, reason) for reason in reasons)
    kind = KIND_LINES if found_package else KIND_FREE
    return Answer(kind, tuple(items), tuple(blockers), tuple(escalations), tuple(problems), message)


def _is_unchanged_message(message: str) -> bool:
    words = tuple(core for core in (_core(word) for word in message.split()) if core)
    return words in _UNCHANGED_PHRASES


def _problem(number: int, line: str, reason: str) -> LineProblem:
    return LineProblem(number, line.strip()[:MAX_PROBLEM_TEXT], reason)


def _is_package_attempt(line: str) -> bool:
    """``WP gelb 50%``, ``AP-x rot``: a package prefix without a number, followed by a short
    would-be id or by a traffic light, percentage, status word or "unverändert"."""
    prefix = _PREFIX_ONLY.match(line)
    if prefix is None:
        return False
    rest = line[prefix.end() :]
    return _SHORT_BAD_ID.match(rest) is not None or _read(rest).recognised


# --- package lines ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    raw: str
    core: str


@dataclass(frozen=True)
class _Unit:
    """One or more tokens that mean one thing: ``gelb``, ``in Arbeit``, ``60 %``, a word."""

    kind: str  # light | status | unchanged | label | percent | percent_problem | sep | word
    value: str  # green / done / "" / the percentage's digits / the problem's reason key
    start: int
    stop: int
    keep: bool = False  # recognised, but stays in the note ("blockiert" of "blockiert durch")


@dataclass(frozen=True)
class _Reading:
    light: str | None
    progress: int | None
    status: str | None
    unchanged: bool
    note: str
    problems: tuple[str, ...]
    recognised: bool


def _item(
    number: int, package: int, rest: str, blockers: Sequence[Blocker]
) -> tuple[ItemUpdate, tuple[str, ...]]:
    reading = _read(rest)
    status = reading.status
    if status is None and any(_blocks(blocker) for blocker in blockers):
        status = "blocked"
    item = ItemUpdate(
        line=number,
        number=package,
        traffic_light=reading.light,
        progress=reading.progress,
        status=status,
        note=reading.note,
        unchanged=reading.unchanged,
    )
    return item, reading.problems


def _blocks(blocker: Blocker) -> bool:
    return blocker.text.casefold().startswith(("blockiert", "blocked"))


def _core(raw: str) -> str:
    return raw.replace("\ufe0f", "").lstrip(_TOKEN_LEAD).rstrip(_TOKEN_TRAIL).casefold()


def _tokens(rest: str) -> list[_Token]:
    return [_Token(raw, _core(raw)) for raw in rest.split()]


def _units(tokens: Sequence[_Token]) -> list[_Unit]:
    units: list[_Unit] = []
    index = 0
    while index < len(tokens):
        unit = _unit_at(tokens, index)
        units.append(unit)
        index = unit.stop
    return units


def _unit_at(tokens: Sequence[_Token], index: int) -> _Unit:
    if _SEPARATOR.fullmatch(tokens[index].raw):
        return _Unit("sep", "", index, index + 1)
    for size in range(min(_LONGEST_PHRASE, len(tokens) - index), 0, -1):
        key = tuple(token.core for token in tokens[index : index + size])
        if key in _PHRASES:
            kind, value = _PHRASES[key]
            return _guarded(_Unit(kind, value, index, index + size), tokens)
    percent = _percent_at(tokens, index)
    return percent if percent is not None else _Unit("word", "", index, index + 1)


def _guarded(unit: _Unit, tokens: Sequence[_Token]) -> _Unit:
    """Light and status words that are not meant as such: "nicht fertig", "fertig bis Mai"."""
    if unit.kind not in ("light", "status"):
        return unit
    before = tokens[unit.start - 1].core if unit.start > 0 else ""
    after = tokens[unit.stop].core if unit.stop < len(tokens) else ""
    if before in _QUALIFIERS or (unit.value == "done" and after in _FUTURE):
        return _Unit("word", "", unit.start, unit.start + 1)
    if unit.value == "blocked" and after in _BLOCKER_WORDS:
        return _Unit(unit.kind, unit.value, unit.start, unit.stop, keep=True)
    return unit


def _percent_at(tokens: Sequence[_Token], index: int) -> _Unit | None:
    """``60%``, ``60 %``, ``60 Prozent``; a token with "%" that is no percentage is a problem."""
    token = tokens[index]
    if _is_url(token.raw):
        return None
    following = tokens[index + 1].core if index + 1 < len(tokens) else ""
    if _NUMBER.fullmatch(token.core) and following in _PERCENT_UNITS:
        return _percent_unit(token.core, index, index + 2)
    if "%" not in token.raw:
        return None
    single = _PERCENT.fullmatch(token.core)
    return _percent_unit(single.group(1) if single else token.core, index, index + 1)


def _is_url(raw: str) -> bool:
    # "%20" in a link is no percentage.
    return "://" in raw or raw.casefold().startswith("www.")


def _percent_unit(number: str, start: int, stop: int) -> _Unit:
    if not _INTEGER.fullmatch(number):
        return _Unit("percent_problem", "bad_percent", start, stop)
    # The length check first: int() refuses numbers of more than 4,300 digits.
    if len(number) > 3 or int(number) > 100:
        return _Unit("percent_problem", "percent_range", start, stop)
    return _Unit("percent", str(int(number)), start, stop)


def _read(rest: str) -> _Reading:
    tokens = _tokens(rest)
    units = _units(tokens)
    window, labels = _window(units)
    dropped: set[int] = set(labels)
    problems: list[str] = []

    lights = [unit for unit in window if unit.kind == "light"]
    light = _light(lights, dropped, problems)
    statuses = [unit for unit in window if unit.kind == "status"]
    status = statuses[0].value if statuses else None
    if statuses and not statuses[0].keep:
        dropped.update(range(statuses[0].start, statuses[0].stop))
    unchanged = [unit for unit in window if unit.kind == "unchanged"]
    for unit in unchanged:
        dropped.update(range(unit.start, unit.stop))
    progress = _progress(units, dropped, problems)

    kept = [token.raw for index, token in enumerate(tokens) if index not in dropped]
    recognised = bool(window) or any(unit.kind.startswith("percent") for unit in units)
    return _Reading(
        light=light,
        progress=progress,
        status=status,
        unchanged=bool(unchanged),
        note=_note(kept),
        problems=tuple(problems),
        recognised=recognised,
    )


def _window(units: Sequence[_Unit]) -> tuple[list[_Unit], list[int]]:
    """The light, status and "unverändert" units among the first LIGHT_WINDOW units (separators
    and labels in front of a value do not count), and the token indexes of those labels."""
    chosen: list[_Unit] = []
    labels: list[int] = []
    counted = 0
    for position, unit in enumerate(units):
        if counted >= LIGHT_WINDOW:
            break
        if unit.kind == "sep":
            continue
        if unit.kind == "label" and _value_follows(units, position):
            labels.extend(range(unit.start, unit.stop))
            continue
        if unit.kind in ("light", "status", "unchanged"):
            chosen.append(unit)
        counted += 1
    return chosen, labels


def _value_follows(units: Sequence[_Unit], position: int) -> bool:
    for unit in units[position + 1 :]:
        if unit.kind != "sep":
            return unit.kind in ("light", "status", "unchanged", "percent")
    return False


def _light(lights: Sequence[_Unit], dropped: set[int], problems: list[str]) -> str | None:
    values = {unit.value for unit in lights}
    if len(values) > 1:
        problems.append("conflicting_light")
        return None
    for unit in lights:
        dropped.update(range(unit.start, unit.stop))
    return values.pop() if values else None


def _progress(units: Sequence[_Unit], dropped: set[int], problems: list[str]) -> int | None:
    """The first percentage of the line; later ones are note text."""
    for unit in units:
        if unit.kind == "percent":
            dropped.update(range(unit.start, unit.stop))
            return int(unit.value)
        if unit.kind == "percent_problem":
            problems.append(unit.value)
            return None
    return None


def _note(words: Sequence[str]) -> str:
    kept = list(words)
    while kept and _SEPARATOR.fullmatch(kept[0]):
        kept.pop(0)
    while kept and _SEPARATOR.fullmatch(kept[-1]):
        kept.pop()
    if kept:
        kept[0] = kept[0].lstrip(",;:")
        kept[-1] = kept[-1].rstrip(",;:")
    return " ".join(word for word in kept if word)


# --- blockers ---------------------------------------------------------------------------------


def _blockers(number: int, line: str) -> list[Blocker]:
    markers = list(_BLOCKER.finditer(line))
    found: list[Blocker] = []
    for position, marker in enumerate(markers):
        limit = markers[position + 1].start() if position + 1 < len(markers) else len(line)
        blocker = _blocker(number, line, marker, limit)
        if blocker is not None:
            found.append(blocker)
    return found


def _blocker(number: int, line: str, marker: re.Match[str], limit: int) -> Blocker | None:
    """The blocker from ``marker`` to the end of its clause (at most up to ``limit``, where the
    next blocker starts); None if nothing follows the marker."""
    start = marker.end()
    while start < limit and line[start].isspace():
        start += 1
    if start >= limit:
        return None
    package = _TARGET_PACKAGE.match(line, start, limit)
    department = None if package else _TARGET_DEPARTMENT.match(line, start, limit)
    if department is not None and _department(department) is None:
        department = None
    target = package or department
    content_end = target.end() if target else start
    clause_end = _CLAUSE_END.search(line, content_end, limit)
    end = clause_end.start() if clause_end else limit
    return Blocker(
        line=number,
        text=_unbalanced_closing_removed(line[marker.start() : end].strip()),
        department=_department(department) if department else None,
        work_package=int(package.group("number")) if package else None,
    )


def _department(match: re.Match[str]) -> str | None:
    """``FB 61`` for FB61, fb 61, Fachbereich 61; ``Dezernat II`` for Dez. ii."""
    code = match.group("code")
    code = str(int(code)) if code.isdigit() else code.upper()
    known = match.group("known")
    if known:
        return f"{_DEPARTMENT_NAMES[known.casefold().rstrip('.')]} {code}"
    acronym = match.group("acronym")
    return None if acronym in _NOT_DEPARTMENTS else f"{acronym} {code}"


def _unbalanced_closing_removed(text: str) -> str:
    """``wartet auf FB 20`` of ``(wartet auf FB 20)``: no closing parenthesis without its
    opening one."""
    excess = text.count(")") - text.count("(")
    end = len(text)
    while excess > 0 and end > 0 and text[end - 1] == ")":
        excess -= 1
        end -= 1
        while end > 0 and text[end - 1].isspace():
            end -= 1
    return text[:end]


# --- escalations ------------------------------------------------------------------------------


def _escalation(number: int, lines: Sequence[str]) -> Escalation | None:
    """The first escalation marker of line ``number`` that counts; its text continues on the
    next line when nothing follows the colon."""
    line = lines[number - 1]
    for marker in _ESCALATION.finditer(line):
        found = _escalation_at(line, marker)
        if found is not None:
            text, audience = found
            return Escalation(number, text or _next_line_text(lines, number), audience)
    return None


def _escalation_at(line: str, marker: re.Match[str]) -> tuple[str, str] | None:
    mayor = marker.group("board") is None
    colon = _QUALIFIER.match(line, marker.end())
    if colon is not None:
        qualifier = colon.group(1)
        if marker.group("mayor_colon") and qualifier.strip(_TEXT_EDGE):
            return None
        audience = "mayor" if mayor or _MAYOR_HINT.search(qualifier) else "board"
        return _text(line[colon.end() :]), audience
    # Without a colon only the markers that may stand alone, and only at the start of a clause
    # ("Entscheidung nötig, ob …"; not "Eine Eskalation ist nicht nötig").
    if marker.group("mayor_colon") or not _starts_clause(line, marker.start()):
        return None
    rest = line[marker.end() :]
    parenthesis = _PARENTHESIS.match(rest)
    if parenthesis is not None:
        mayor = mayor or _MAYOR_HINT.search(parenthesis.group(1)) is not None
        rest = rest[parenthesis.end() :]
    return _text(rest), "mayor" if mayor else "board"


def _starts_clause(line: str, position: int) -> bool:
    if _LEAD_IN_ONLY.fullmatch(line, 0, position):
        return True
    end = position
    while end > 0 and line[end - 1] in " \t*_":
        end -= 1
    return end > 0 and line[end - 1] in ".;:!?"


def _text(raw: str) -> str:
    return raw.strip().lstrip(_TEXT_EDGE).strip()


def _next_line_text(lines: Sequence[str], number: int) -> str:
    """The next non-blank line without its bullet, unless it is a package line."""
    for line in lines[number:]:
        if not line.strip():
            continue
        if _PACKAGE_LINE.match(line):
            return ""
        lead_in = _LEAD_IN_ONLY.match(line)
        return _text(line[lead_in.end() :] if lead_in else line)
    return ""
