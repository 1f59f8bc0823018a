"""The inventory of personal data (issue 16) lists every column of every table, and only those:
a model that gains a column fails here until the column is listed, with what it holds, why, for
how long and what erasing a person does to it."""

from __future__ import annotations

from sqlmodel import SQLModel

import board_bot.models  # noqa: F401  (the tables)
from board_bot.features.privacy.inventory import (
    INVENTORY,
    RETENTION,
    Erase,
    person_columns,
    text_columns,
)


def schema() -> dict[str, set[str]]:
    return {name: set(table.columns.keys()) for name, table in SQLModel.metadata.tables.items()}


def test_every_table_and_column_is_listed_and_nothing_else() -> None:
    tables = schema()
    missing = {
        f"{table}.{column}"
        for table, columns in tables.items()
        for column in columns
        if column not in INVENTORY.get(table, {})
    }
    gone = {
        f"{table}.{column}"
        for table, columns in INVENTORY.items()
        for column in columns
        if column not in tables.get(table, set())
    }
    assert not missing, f"list these in board_bot/features/privacy/inventory.py: {sorted(missing)}"
    assert not gone, f"these are no longer in the models: {sorted(gone)}"


def test_every_entry_with_personal_data_says_why_and_how_long() -> None:
    for table, columns in INVENTORY.items():
        for column, entry in columns.items():
            assert entry.purpose, f"{table}.{column}: why is it kept?"
            assert entry.kept, f"{table}.{column}: for how long?"
            if entry.erase is not Erase.KEEP:
                assert entry.data, f"{table}.{column} is erased, so it holds personal data"


def test_the_retention_periods_are_the_issues_defaults() -> None:
    assert RETENTION["status_text"].startswith("24 months")
    assert RETENTION["audit"].startswith("36 months")
    assert RETENTION["absences"].startswith("12 months after")
    assert RETENTION["outbox"].startswith("30 days after sending")


def test_the_people_and_the_texts_are_where_they_are_expected() -> None:
    people = person_columns()
    assert people["membership"] == ["user_id"]
    assert people["absence"] == ["user_id", "created_by"]
    assert "sender" in people["status_answer"] and "actor" in people["audit_entry"]
    assert "handled_event" not in people and "round_snapshot" not in people
    texts = text_columns()
    assert texts["status_answer"] == ["text"]
    assert set(texts["audit_entry"]) == {"before", "after"}
