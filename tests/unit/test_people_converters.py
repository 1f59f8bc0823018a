"""Department codes, absence periods, room ids and role words: what users type, what it means."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from board_bot.chat.converters import split_code, to_role, to_room_id
from board_bot.core.errors import UsageError
from board_bot.core.i18n import t
from board_bot.core.render import strip_control
from board_bot.features.departments.messages import dept_title
from board_bot.models import Department
from commands.history import _title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FB 61 Stadtplanung", ("FB 61", "Stadtplanung")),
        ("Amt 13 Hauptamt", ("Amt 13", "Hauptamt")),
        ("FB61 X", ("FB61", "X")),
        ("fb 61 Stadtplanung und Umwelt", ("fb 61", "Stadtplanung und Umwelt")),
        ("61 Stadtplanung", ("61", "Stadtplanung")),
        ("FB 61.2 Bauaufsicht", ("FB 61.2", "Bauaufsicht")),
        ("Dez. II Finanzen", ("Dez. II", "Finanzen")),
        ("RPA Rechnungsprüfung", ("RPA", "Rechnungsprüfung")),
        ('"Stab OB" Stabsstelle', ("Stab OB", "Stabsstelle")),
        ("„Stab  OB“   Stabsstelle  Digitales", ("Stab OB", "Stabsstelle Digitales")),
        ("“Stab OB” X", ("Stab OB", "X")),
        ("FB 61", ("FB 61", "")),
        ("  FB61  ", ("FB61", "")),
    ],
)
def test_split_code(text: str, expected: tuple[str, str]) -> None:
    assert split_code(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # A first word that is neither numbered nor an abbreviation is the start of a name.
        ("Kämmerei Finanzen", "dept.code_first"),
        ("Amt für Verkehr", "dept.code_first"),
        ("", "dept.code_missing"),
        ('"" Name', "dept.code_missing"),
        ('"Stab OB Name', "parse.unclosed_quote"),
    ],
)
def test_split_code_refuses(text: str, key: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        split_code(text)
    assert exc_info.value.key == key


D = date


@pytest.mark.parametrize(
    ("text", "room"),
    [
        ("!AbCdEf:stadt.example", "!AbCdEf:stadt.example"),
        (" !abc:localhost:8448 ", "!abc:localhost:8448"),
        ("https://matrix.to/#/!abc:stadt.example", "!abc:stadt.example"),
    ],
)
def test_to_room_id(text: str, room: str) -> None:
    assert to_room_id(text) == room


@pytest.mark.parametrize(
    "text", ["#fb61:stadt.example", "!abc", "abc:stadt.example", "!:stadt.example", "!a b:x", "!a:"]
)
def test_to_room_id_refuses(text: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        to_room_id(text)
    assert exc_info.value.key == "convert.room_id"


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("lead", "lead"),
        ("Leitung", "lead"),
        ("vertretung", "deputy"),
        ("deputy", "deputy"),
        ("MITGLIED", "member"),
        ("admin", "admin"),
        ("beobachtung", "observer"),
        ("Beobachter", "observer"),
        ("beobachterin", "observer"),
        ("observer", "observer"),
    ],
)
def test_to_role(word: str, role: str) -> None:
    assert to_role(word) == role


def test_to_role_refuses_and_lists_the_words() -> None:
    with pytest.raises(UsageError) as exc_info:
        to_role("chef")
    assert exc_info.value.key == "convert.role"
    german = t("de", exc_info.value.key, **exc_info.value.params)
    assert "leitung" in german and "lead" not in german
    assert "lead" in t("en", exc_info.value.key, **exc_info.value.params)


def test_strip_control_keeps_a_display_name_on_one_line() -> None:
    assert strip_control("Erika\n# Muster\u202efrau\x00") == "Erika # Musterfrau"


def test_history_and_commands_title_departments_alike() -> None:
    """One helper formats ``FB 61 – Stadtplanung``, from a department or an audit snapshot."""
    created = datetime(2026, 12, 7, tzinfo=UTC)
    dept = Department(
        board_id=1, code="FB *61*", code_key="fb61", name="Plan_ung", created_at=created
    )
    assert _title({"code": "FB *61*", "name": "Plan_ung"}) == dept_title(dept)
    assert dept_title(dept) == "FB \\*61\\* – Plan\\_ung"
    assert _title(None) == "? – ?"
