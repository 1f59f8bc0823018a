"""``!wp export``: the reply, and the CSV and JSON files queued after it (bot tier)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, col, select

from board_bot.models import OutboxMessage
from tests.bot.city import LEAD, OBSERVER, STRANGER, make_city
from tests.bot.conftest import BotHarness
from tests.bot.wp_support import add, seed


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return make_city(bot_factory)


def files(bot: BotHarness) -> list[tuple[dict[str, Any], bytes]]:
    """The file rows of the last ``handle``: content and bytes to upload."""
    with Session(bot.engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(bot.last_ids))
            .where(col(OutboxMessage.attachment).is_not(None))
            .order_by(col(OutboxMessage.id))
        ).all()
        return [(dict(row.content), bytes(row.attachment or b"")) for row in rows]


def portfolio(bot: BotHarness) -> None:
    seed(bot)  # WP-1 FB 61 (LL 2, Verwaltung, due 31.12.2026), WP-2 FB 68
    bot.reply("!wp edit WP-1 ampel rot Förderbescheid fehlt")
    bot.reply("!wp edit WP-1 beteiligt FB 13, FB 68")
    bot.reply(f"!wp edit WP-1 verantwortlich {LEAD}")
    bot.reply("!wp edit WP-1 förderprogramm Digitalpakt Kommune")
    bot.reply("!wp milestone neu WP-1 15.12.2026 Ausschreibung")
    bot.reply("!wp milestone neu WP-1 10.12.2026 Leistungsbeschreibung")
    bot.reply("!wp milestone erreicht WP-1 1")
    bot.reply("!wp link WP-1 https://wiki.example.org/bauakte Projektseite")
    bot.reply("!wp depend WP-2 WP-1")
    bot.reply("!wp close WP-2 verworfen")


def test_export_sends_a_reply_then_a_csv_and_a_json_file(city: BotHarness) -> None:
    portfolio(city)

    bodies = city.handle("!wp export", sender=OBSERVER)  # observers read, so they export

    assert len(bodies) == 3
    assert bodies[0].startswith("📤 Export von 2 Arbeitspaketen des Boards")
    assert "Stand 07.12.2026, 09:00 Uhr" in bodies[0]  # the harness clock, Berlin time
    (csv_content, csv_bytes), (json_content, json_bytes) = files(city)
    assert csv_content["msgtype"] == json_content["msgtype"] == "m.file"
    assert csv_content["body"].endswith(".csv") and csv_content["body"] in bodies[0]
    assert csv_content["info"] == {"mimetype": "text/csv", "size": len(csv_bytes)}
    assert json_content["info"] == {"mimetype": "application/json", "size": len(json_bytes)}
    assert csv_content["m.mentions"] == {} and "url" not in csv_content  # uploaded when sent

    assert csv_bytes.startswith("\ufeff".encode())  # Excel reads the umlauts as UTF-8
    table = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    assert [row["Nr"] for row in table] == ["WP-1", "WP-2"]
    first = table[0]
    assert first["Titel"] == "Digitale Bauakte"
    assert first["Fachbereich"] == "FB 61"
    assert first["Beteiligte Fachbereiche"] == "FB 13, FB 68"
    assert first["Leitlinie"] == "2" and first["Handlungsfeld"] == "Verwaltung"
    assert first["Verantwortlich"] == LEAD
    assert (first["Status"], first["Ampel"]) == ("geplant", "rot")
    assert first["Ampel-Begründung"] == "Förderbescheid fehlt"
    assert first["Fällig"] == "31.12.2026"
    assert first["Förderprogramm"] == "Digitalpakt Kommune"
    assert first["Meilensteine"] == "✓ 10.12.2026 Leistungsbeschreibung\n15.12.2026 Ausschreibung"
    assert first["Links"] == "https://wiki.example.org/bauakte Projektseite"
    assert (table[1]["Status"], table[1]["Wartet auf"]) == ("verworfen", "WP-1")

    document = json.loads(json_bytes)
    assert document["format"] == "smart-city-board/work-packages"
    assert document["version"] == 1 and document["count"] == 2
    one, two = document["work_packages"]
    assert one["id"] == "WP-1" and one["due_date"] == "2026-12-31"
    assert one["status"] == "planned" and one["traffic_light"] == "red"
    assert one["contributors"] == ["FB 13", "FB 68"]
    assert one["funding"] == {"programme": "Digitalpakt Kommune", "application_deadline": None}
    assert [(m["title"], m["date"], m["done"]) for m in one["milestones"]] == [
        ("Leistungsbeschreibung", "2026-12-10", True),
        ("Ausschreibung", "2026-12-15", False),
    ]
    assert one["links"] == [{"url": "https://wiki.example.org/bauakte", "title": "Projektseite"}]
    assert two["status"] == "discarded" and two["waits_for"] == ["WP-1"]


def test_an_empty_portfolio_sends_no_files(city: BotHarness) -> None:
    assert city.handle("!ap exportieren") == [
        "Das Board hat noch keine Arbeitspakete, es gibt nichts zu exportieren. Ein neues Paket: "
        "`!ap anlegen <Titel>`"
    ]
    assert files(city) == []


def test_an_english_board_gets_english_columns(bot_factory: Callable[..., BotHarness]) -> None:
    bot = make_city(bot_factory)
    seed(bot)
    bot.reply("!board language en")
    bodies = bot.handle("!wp export")
    assert bodies[0].startswith("📤 Export of 2 work packages")
    (_, csv_bytes), _ = files(bot)
    header = csv_bytes.decode("utf-8-sig").split("\r\n", 1)[0].split(";")
    assert header[:4] == ["No", "Title", "Department", "Contributing departments"]
    assert "planned" in csv_bytes.decode()


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(city: BotHarness) -> None:
    add(city, "=HYPERLINK(evil) --dept FB 13")
    city.reply("!wp edit WP-1 ampel gelb @SUMME(A1)")
    city.handle("!wp export")
    (_, csv_bytes), (_, json_bytes) = files(city)
    row = next(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    assert row["Titel"] == "'=HYPERLINK(evil)"
    assert row["Ampel-Begründung"] == "'@SUMME(A1)"
    assert json.loads(json_bytes)["work_packages"][0]["title"] == "=HYPERLINK(evil)"


def test_anyone_in_the_board_room_may_export_as_they_may_list(
    city: BotHarness, bot_factory: Callable[..., BotHarness]
) -> None:
    """The room is the boundary: who reads the list in it may take the data out of it."""
    seed(city)
    assert city.handle("!wp list", sender=STRANGER)[0].startswith("**Arbeitspakete**")
    assert len(city.handle("!wp export", sender=STRANGER)) == 3
    bare = bot_factory()
    reply = bare.reply("!wp export")
    assert "!board einrichten" in reply, reply
    assert files(bare) == []
