"""``docs/datenschutz.md`` (issue 16, item 5) cannot drift from the code: its table lists every
column that holds personal data by the privacy inventory, and no other, with the inventory's
period and erasure; the retention periods and their keys are the configuration's; every
configuration key it names exists; the commands it tells people to use are named as built."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from board_bot.core import config as config_module
from board_bot.core.config import RetentionConfig
from board_bot.features.privacy.inventory import (
    BOARD_LIFETIME,
    INVENTORY,
    RETENTION,
    ROLE_LIFETIME,
    Erase,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "datenschutz.md"
_DEFAULTS = RetentionConfig()

#: How the document says each of the inventory's periods (``Entry.kept``) in German.
KEPT = {
    BOARD_LIFETIME: "solange das Board besteht",
    ROLE_LIFETIME: "solange das Board besteht (Rollenhistorie)",
    RETENTION["status_text"]: (
        f"{_DEFAULTS.status_text_months} Monate nach der Antwort (`status_text_months`)"
    ),
    RETENTION["audit"]: f"{_DEFAULTS.audit_months} Monate (`audit_months`)",
    RETENTION["absences"]: f"{_DEFAULTS.absence_months} Monate nach dem Ende (`absence_months`)",
    RETENTION["outbox"]: f"{_DEFAULTS.outbox_days} Tage nach dem Versand (`outbox_days`)",
    "until it is sent": "bis zum Versand",
    "until the look-up is done": "bis die Suche nach der Vorlage abgeschlossen ist",
    "until the person is erased": "bis zur Löschung der Person",
}
#: How the document says what erasing a person does to a column.
ERASE = {
    Erase.KEEP: "bleibt",
    Erase.PSEUDONYMISE: "Pseudonym",
    Erase.SCRUB: "bereinigt",
    Erase.DELETE_ROW: "Zeile gelöscht",
}
_ROW = re.compile(r"^\| `([a-z_]+)\.([a-z_]+)` \|(.*)\|\s*$")


def text() -> str:
    return DOC.read_text(encoding="utf-8")


def column_table() -> dict[str, list[str]]:
    """``table.column`` -> the cells of its row in section 1.5's table."""
    section = text().split("### 1.5", 1)[1].split("### 1.6", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = _ROW.match(line)
        if match:
            name = f"{match.group(1)}.{match.group(2)}"
            assert name not in rows, f"{name} is listed twice"
            rows[name] = [cell.strip() for cell in match.group(3).split("|")]
    return rows


def personal_columns() -> dict[str, object]:
    return {
        f"{table}.{column}": entry
        for table, columns in INVENTORY.items()
        for column, entry in columns.items()
        if entry.data
    }


def test_every_column_with_personal_data_is_listed_and_no_other() -> None:
    listed = set(column_table())
    personal = set(personal_columns())
    assert personal - listed == set(), "docs/datenschutz.md, section 1.5: add these columns"
    assert listed - personal == set(), "docs/datenschutz.md lists columns with no personal data"


@pytest.mark.parametrize("name", sorted(personal_columns()))
def test_each_row_says_the_inventorys_period_and_erasure(name: str) -> None:
    table, column = name.split(".")
    entry = INVENTORY[table][column]
    assert entry.kept in KEPT, f"{name}: say {entry.kept!r} in German in KEPT and in the doc"
    cells = column_table()[name]
    assert len(cells) == 4, f"{name}: Daten | Zweck | Speicherdauer | bei Löschung"
    data, purpose, kept, erase = cells
    assert data and purpose, f"{name}: what and why"
    assert kept == KEPT[entry.kept], name
    assert erase == ERASE[entry.erase], name


def test_the_retention_periods_and_their_keys_are_the_configurations() -> None:
    section = text().split("### 1.8", 1)[1].split("### 1.9", 1)[0]
    for key in config_module._KNOWN["retention"]:
        assert f"`{key}`" in section, key
    for figure in (
        f"{_DEFAULTS.status_text_months} Monate",
        f"{_DEFAULTS.audit_months} Monate",
        f"{_DEFAULTS.absence_months} Monate nach dem letzten Tag",
        f"{_DEFAULTS.outbox_days} Tage nach dem Versand",
    ):
        assert figure in section, figure
    assert "03:30" in section


def test_every_configuration_key_it_names_exists() -> None:
    named = re.findall(r"`(?:\[)?(" + "|".join(config_module._KNOWN) + r")\.([a-z_]+)", text())
    assert named
    for section, key in named:
        assert key in config_module._KNOWN[section], f"{section}.{key}"


def test_it_tells_how_to_answer_each_request_with_the_commands() -> None:
    doc = text()
    for words in (
        "Art. 15",
        "Art. 16",
        "Art. 17",
        "Art. 20",
        "Art. 30",
        "`!meine-daten`",
        "board-bot privacy export @",
        "--board",
        "board-bot privacy erase @",
        "--dry-run",
        "board-bot backup",
        "Person 7",
        "Dienstvereinbarung",
        "Personalrat",
        "Drittländer",
    ):
        assert words in doc, words
