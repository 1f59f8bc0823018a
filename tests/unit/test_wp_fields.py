"""The field table of work packages: one definition that edit, show, audit, export, import and
help read, consistent with the model and the catalog; and the euro amounts of the budget."""

from __future__ import annotations

import pytest

from board_bot.core.errors import BotError
from board_bot.core.formats import format_euros
from board_bot.core.i18n import has_text
from board_bot.features.work_packages import fields
from board_bot.features.work_packages.exchange import COLUMNS
from board_bot.features.work_packages.vocabulary import LIGHT, STATUS
from board_bot.models import WorkPackage

KINDS = {
    "text",
    "long_text",
    "leitlinie",
    "handlungsfeld",
    "owner",
    "user",
    "status",
    "light",
    "percent",
    "date",
    "euro",
    "departments",
    "yesno",
}


def test_every_field_has_a_known_kind_a_label_and_a_column() -> None:
    model = set(WorkPackage.model_fields)
    for field in fields.FIELDS:
        assert field.kind in KINDS, field.name
        assert has_text(field.label_key), field.name
        if field.column and field.kind != "owner":
            assert field.name in model, field.name


def test_edit_words_are_unique_and_lower_case() -> None:
    words = [w for f in fields.FIELDS for w in f.words]
    assert len(words) == len(set(words))
    assert all(w == w.casefold() for w in words)


def test_the_csv_has_a_column_per_field_and_the_old_order() -> None:
    keys = [c.key for c in COLUMNS]
    assert set(keys) >= {f.name for f in fields.FIELDS}
    assert keys[:3] == ["number", "title", "owner"]
    assert keys[-1] == "description"
    for headers in ([c.de for c in COLUMNS], [c.en for c in COLUMNS]):
        assert len(headers) == len(set(headers))


def test_the_audit_log_keeps_every_column() -> None:
    assert "budget" in fields.COLUMNS
    assert "owner" not in fields.COLUMNS  # kept as the department's code by snapshot()


def test_vocabularies_have_labels() -> None:
    for vocabulary in (STATUS, LIGHT):
        for code in vocabulary.codes:
            assert has_text(vocabulary.key(code))


@pytest.mark.parametrize(
    ("typed", "euros"),
    [
        ("120.000", 120_000),
        ("120000", 120_000),
        ("120 000", 120_000),
        ("120\u00a0000 €", 120_000),
        ("120.000,00", 120_000),
        ("120.000,- €", None),
        ("1.250.000 EUR", 1_250_000),
        ("Euro 5", 5),
        ("80,000", 80_000),
        ("80,000.00", 80_000),
        ("0", 0),
        ("1.000.000.000.000", 10**12),
    ],
)
def test_euros_as_people_type_them(typed: str, euros: int | None) -> None:
    if euros is None:
        with pytest.raises(BotError):
            fields.parse_euros(typed)
    else:
        assert fields.parse_euros(typed) == euros


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("viel", "wp.euros_invalid"),
        ("-5", "wp.euros_invalid"),
        ("1.2.3", "wp.euros_invalid"),
        ("12,5", "wp.euros_cents"),
        ("120.000,50", "wp.euros_cents"),
        ("1.000.000.000.001", "wp.euros_too_large"),
    ],
)
def test_bad_euros_are_named(typed: str, key: str) -> None:
    with pytest.raises(BotError) as caught:
        fields.parse_euros(typed)
    assert caught.value.key == key


def test_euros_read_the_board_way() -> None:
    assert format_euros("de", 1_250_000) == "1.250.000 €"
    assert format_euros("en", 1_250_000) == "€1,250,000"
    assert format_euros("de", 0) == "0 €"
