"""The fields of a work package, as one table: what people type for each in ``!wp edit``, its
name in texts (``wp.field.<name>``) and in the CSV file, who may change it, what kind of value
it holds (how it is read, checked, shown, exported and imported), and whether the audit log keeps
it. ``!wp edit``, its help, ``!wp show``, the audit log, the export and the import all read it.

Adding a plain field (text, a date, a number of euros) is a model column with its migration, a
row here and its label in the catalog; the kinds below do the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from board_bot.core.errors import BotError


@dataclass(frozen=True)
class FieldSpec:
    #: the model's attribute, the audit log's key and the machine name in the JSON export
    name: str
    #: what people type in ``!wp edit`` (German first: the first word is shown in the help)
    words: tuple[str, ...]
    #: the CSV file's column header, German and English
    csv_de: str
    csv_en: str
    #: text (one line), long_text, leitlinie, handlungsfeld, owner, user, status, light,
    #: percent, date, euro, departments, yesno
    kind: str
    #: the package's responsible person may change it (else only who manages the package)
    responsible_may: bool = False
    #: an empty value clears it (``!wp edit WP-1 budget -``, an empty CSV cell)
    clearable: bool = True
    #: longest text accepted (text kinds)
    max_length: int | None = None
    #: a column of the package itself (``departments`` are a relation)
    column: bool = True
    #: shown by ``!wp show`` on a line of its own (the others are in the grouped lines)
    own_line: bool = False

    @property
    def label_key(self) -> str:
        return f"wp.field.{self.name}"


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", ("titel", "title"), "Titel", "Title", "text",
              clearable=False, max_length=200),
    FieldSpec("owner", ("fachbereich", "fb", "owner", "dept"), "Fachbereich", "Department",
              "owner", clearable=False),
    FieldSpec("contributors", ("beteiligt", "contributors"), "Beteiligte Fachbereiche",
              "Contributing departments", "departments", column=False),
    FieldSpec("leitlinie", ("leitlinie", "ll"), "Leitlinie", "Guideline", "leitlinie"),
    FieldSpec("handlungsfeld", ("handlungsfeld", "hf"), "Handlungsfeld", "Field of action",
              "handlungsfeld", max_length=100),
    FieldSpec("responsible", ("verantwortlich", "responsible", "resp"), "Verantwortlich",
              "Responsible", "user"),
    FieldSpec("status", ("status",), "Status", "Status", "status",
              responsible_may=True, clearable=False),
    FieldSpec("traffic_light", ("ampel", "traffic"), "Ampel", "Traffic light", "light",
              responsible_may=True, clearable=False),
    # Set together with the traffic light (``ampel gelb Grund``), not on its own.
    FieldSpec("traffic_reason", (), "Ampel-Begründung", "Traffic light reason", "text",
              responsible_may=True, max_length=300),
    FieldSpec("progress", ("fortschritt", "progress"), "Fortschritt (%)", "Progress (%)",
              "percent", responsible_may=True, clearable=False),
    FieldSpec("start_date", ("beginn", "start"), "Start", "Start", "date", responsible_may=True),
    FieldSpec("due_date", ("fällig", "faellig", "due"), "Fällig", "Due", "date",
              responsible_may=True),
    FieldSpec("funding_programme", ("förderprogramm", "foerderprogramm", "funding"),
              "Förderprogramm", "Funding programme", "text", responsible_may=True,
              max_length=200),
    FieldSpec("funding_deadline", ("antragsfrist", "deadline"), "Antragsfrist",
              "Application deadline", "date", responsible_may=True),
    FieldSpec("budget", ("budget", "kosten", "cost"), "Budget (€)", "Budget (EUR)", "euro",
              responsible_may=True, own_line=True),
    # On the public portfolio page (``!veröffentlichen``): whether, and with which words.
    FieldSpec("public", ("öffentlich", "oeffentlich", "public"), "Öffentlich", "Public",
              "yesno", clearable=False),
    FieldSpec("public_description",
              ("öffentliche-beschreibung", "oeffentliche-beschreibung", "public-description"),
              "Öffentliche Beschreibung", "Public description", "long_text",
              responsible_may=True, max_length=5_000),
    FieldSpec("description", ("beschreibung", "description"), "Beschreibung", "Description",
              "long_text", responsible_may=True, max_length=20_000),
)  # fmt: skip

BY_NAME: Mapping[str, FieldSpec] = {f.name: f for f in FIELDS}
#: the words of ``!wp edit``, one per field, in the table's order (for the help)
EDIT_HELP_WORDS: tuple[str, ...] = tuple(f.words[0] for f in FIELDS if f.words)
#: what people type -> the field's name
EDIT_WORDS: Mapping[str, str] = {w: f.name for f in FIELDS for w in f.words}
#: the model's columns that ``update`` takes and the audit log keeps
COLUMNS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.column and f.name != "owner")
#: fields the responsible person may change (besides milestones and links)
RESPONSIBLE_FIELDS = frozenset(f.name for f in FIELDS if f.responsible_may)
#: fields ``update`` takes (the owner is a department; contributors have their own function)
UPDATABLE = frozenset(f.name for f in FIELDS if f.column)
DATE_FIELDS = frozenset(f.name for f in FIELDS if f.kind == "date")
#: what ``!wp edit WP-1 öffentlich …`` and an import's cell take for yes and no
YES = frozenset({"ja", "j", "yes", "y", "true", "1", "an", "on", "x", "✓"})
NO = frozenset({"nein", "n", "no", "false", "0", "aus", "off"})
#: the largest budget taken: a typing slip of a few zeros is refused, not stored
MAX_EUROS = 10**12


def spec(name: str) -> FieldSpec:
    return BY_NAME[name]


def parse_yes_no(text: str) -> bool:
    """``ja``/``nein`` (and ``yes``/``no``, ``an``/``aus``, …) as a bool; BotError
    ``wp.yes_no_invalid`` for anything else."""
    word = text.strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise BotError("wp.yes_no_invalid", value=text[:40])


# --- euros ---------------------------------------------------------------------------------------

_EUROS = re.compile(r"(\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d+)(?:,(\d{1,2}))?")
_EN_EUROS = re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?")


def parse_euros(text: str) -> int:
    """Whole euros as people type them: ``120.000``, ``120000``, ``120 000 €``, ``120.000,00``,
    ``EUR 120,000``; cents are refused (a budget is planned in whole euros)."""
    cleaned = re.sub(r"(?i)\s*(€|eur(o|os)?)\s*", " ", text).strip()
    match = _EUROS.fullmatch(cleaned) or _EN_EUROS.fullmatch(cleaned)
    if match is None:
        raise BotError("wp.euros_invalid", value=text[:40])
    if match.group(2) and int(match.group(2)) != 0:
        raise BotError("wp.euros_cents", value=text[:40])
    euros = int(re.sub(r"\D", "", match.group(1)))
    if euros > MAX_EUROS:
        raise BotError("wp.euros_too_large", value=text[:40])
    return euros


def check_euros(value: object) -> int | None:
    """A budget as the service stores it: None, or whole euros from 0 to :data:`MAX_EUROS`."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_EUROS:
        raise BotError("wp.euros_invalid", value=str(value)[:40])
    return value
