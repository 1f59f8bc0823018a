"""How erasure finds a person in texts (``board-bot privacy erase``): their id and display names
in the forms the bot writes them, whole words only."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from board_bot.core.naming import person_name
from board_bot.core.render import message_contents
from board_bot.features.privacy.erasure import Scrubber, _scrubbed, search_pieces

BO = "@bo:kiel.de"


@pytest.fixture
def scrub() -> Scrubber:
    return Scrubber(BO, ["Bo", " Bö & <Co> "], "Person 3")


FORMS = [
    ("Bo hat das Board informiert", "Person 3 hat das Board informiert"),
    ("bo (@bo:kiel.de) fehlt", "Person 3 fehlt"),  # the id's localpart goes with it
    ("Bo (@bo:kiel.de) fehlt", "Person 3 fehlt"),
    ("@bo:kiel.de.example ist wer anders, @bo:kiel.de:8448 auch", None),
    ("@BO:kiel.de, @bo:kiel.de.", "Person 3, Person 3."),
    ("https://matrix.to/#/%40bo%3Akiel.de", "https://matrix.to/#/Person 3"),
    (r"\@bo\:kiel\.de", "Person 3"),  # Markdown-escaped
    ("Bö &amp; &lt;Co&gt; kommt", "Person 3 kommt"),  # HTML-escaped
    ("Bobby und Abo", None),
    ("BÖ & <CO> kommt", "Person 3 kommt"),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_the_forms_of_a_person(scrub: Scrubber, text: str, expected: str | None) -> None:
    assert scrub.text(text) == (text if expected is None else expected)


def test_what_the_bot_wrote_about_them_is_scrubbed(scrub: Scrubber) -> None:
    [content] = message_contents(f"{person_name(BO, 'Bö & <Co>')} und {person_name(BO, None)}")
    cleaned = scrub.json(content)
    assert cleaned["body"] == "Person 3 und Person 3"
    assert "Person 3 und Person 3" in cleaned["formatted_body"]
    assert scrub.json({BO: [1, "Bo"]}) == {"Person 3": [1, "Person 3"]}


def test_files_are_scrubbed_or_dropped(scrub: Scrubber) -> None:
    assert scrub.data(json.dumps({"who": "Bö & <Co>"}).encode()) == b'{"who": "Person 3"}'
    binary = b"\xff\xfe" + "@bo:kiel.de".encode("utf-16-le")
    assert scrub.data(binary) is None
    assert scrub.data(b"\xff\xfe\x00") == b"\xff\xfe\x00"


def test_a_longer_pseudonym_is_cut_to_the_column(scrub: Scrubber) -> None:
    column = sa.Column("text", sa.String(10))
    assert _scrubbed(column, "Hallo Bo!", scrub) == "Hallo Per…"
    assert len(_scrubbed(column, "Hallo Bo!", scrub)) == 10
    assert _scrubbed(column, None, scrub) is None


def sql_lower(text: str) -> str:
    """``lower()`` as SQLite has it (and PostgreSQL in the C locale): ASCII letters only."""
    return "".join(c.lower() if c.isascii() else c for c in text)


def found_by_the_database(pieces: list[str], stored: str) -> bool:
    return any((p in sql_lower(stored)) if p.isascii() else (p in stored) for p in pieces)


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_the_database_finds_every_text_the_scrubber_changes(
    scrub: Scrubber, text: str, expected: str | None
) -> None:
    """Erasure reads only the rows the database finds by these pieces (and locks them): every
    text the scrubber changes must be among them, as a column or inside stored JSON."""
    if scrub.text(text) == text:
        return
    for stored in (text, json.dumps({"body": text}), json.dumps([text], ensure_ascii=False)):
        assert found_by_the_database(scrub.pieces, stored), (text, stored, scrub.pieces)


def test_pieces_are_few_and_names_in_other_scripts_are_looked_for_as_they_are() -> None:
    pieces = search_pieces(["Ёжик", "@bo:kiel.de", "bo (@bo:kiel.de)"])
    assert "@bo:kiel.de" in pieces and "bo (@bo:kiel.de)" not in pieces  # the shorter finds it
    assert {"Ёжик", "ёжик", "ЁЖИК"} <= set(pieces)
    scrub = Scrubber(BO, ["Ёжик"], "Person 3")
    assert found_by_the_database(scrub.pieces, json.dumps({"body": "Ёжик kommt"}))
    assert found_by_the_database(scrub.pieces, "ЁЖИК kommt")
