"""Issue 4 against a real Synapse: a lead creates, edits and lists work packages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from nio import Event, RoomEncryptedFile, RoomMessageFile

from board_bot.dev.devserver import RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient
from tests.e2e.helpers import board_room, command
from tests.e2e.synapse_fixture import ClientFactory, UserFactory

pytestmark = [pytest.mark.e2e]


async def test_a_lead_creates_edits_and_lists_work_packages(
    bot: BotProcess,
    chair_device: RegisteredUser,
    make_user: UserFactory,
    make_client: ClientFactory,
) -> None:
    lead_user = make_user("lead")
    cdo = await make_client(chair_device)
    lead = await make_client(lead_user)
    room_id = await board_room(cdo, bot, encrypted=True, invite=[lead.user_id])
    await lead.join(room_id)
    await command(cdo, room_id, "!board init Smart City Board Portfolio")
    await command(cdo, room_id, "!dept add FB 61 Stadtplanung")
    await command(cdo, room_id, "!dept add FB 68 Verkehr")
    await command(cdo, room_id, f"!role assign {lead.user_id} leitung FB 61")

    created = await command(lead, room_id, "!ap neu Digitaler Bauantrag --ll 3 --due 31.12.2099")
    assert "WP-1 angelegt" in created.body and "31.12.2099" in created.body
    await command(cdo, room_id, "!wp add Verkehrsdaten --dept FB 68 --ll 3")

    edited = await command(lead, room_id, "!wp edit WP-1 ampel gelb Schnittstelle <b>fehlt</b>")
    assert "gelb" in edited.body
    assert "<b>" not in edited.source["content"]["formatted_body"]  # escaped, not bold
    waits = await command(lead, room_id, "!wp depend WP-1 WP-2")
    assert "WP-2" in waits.body
    cycle = await command(cdo, room_id, "!wp depend WP-2 WP-1")
    assert "Kreis" in cycle.body

    refused = await command(lead, room_id, "!wp edit WP-2 titel Übernahme")
    assert "WP-2" in refused.body  # only the owning department or the chair may

    listing = await command(cdo, room_id, "!wp list --ampel gelb")
    assert "🟡 gelb" in listing.body and "WP-1" in listing.body and "WP-2" not in listing.body

    await export_and_read_back(lead, room_id)


async def export_and_read_back(client: TestClient, room_id: str) -> None:
    """``!wp export``: a reply, then the CSV and the JSON file, downloaded and parsed."""
    reply = await command(client, room_id, "!wp export")
    assert reply.body.startswith("📤 Export von 2 Arbeitspaketen")
    position = client.events_in(room_id).index(reply)

    def file_after_reply(suffix: str) -> Callable[[Event], bool]:
        def match(event: Event) -> bool:
            return (
                isinstance(event, RoomMessageFile | RoomEncryptedFile)
                and event.body.endswith(suffix)
                and client.events_in(room_id).index(event) > position
            )

        return match

    csv_event = await client.wait_for(file_after_reply(".csv"), 20, room_id=room_id)
    json_event = await client.wait_for(file_after_reply(".json"), 20, room_id=room_id)
    assert isinstance(csv_event, RoomMessageFile | RoomEncryptedFile)
    assert isinstance(json_event, RoomMessageFile | RoomEncryptedFile)
    room = client.client.rooms[room_id]
    if room.encrypted:  # the file itself is encrypted too, not only the event
        assert isinstance(csv_event, RoomEncryptedFile)
    assert csv_event.body in reply.body and json_event.body in reply.body

    table = list(
        csv.DictReader(
            io.StringIO((await client.download(csv_event)).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [(row["Nr"], row["Ampel"], row["Wartet auf"]) for row in table] == [
        ("WP-1", "gelb", "WP-2"),
        ("WP-2", "grün", ""),
    ]
    assert table[0]["Ampel-Begründung"] == "Schnittstelle <b>fehlt</b>"  # data, kept as typed
    document = json.loads(await client.download(json_event))
    assert [wp["id"] for wp in document["work_packages"]] == ["WP-1", "WP-2"]
    assert document["work_packages"][0]["due_date"] == "2099-12-31"


async def test_export_in_a_plain_room(
    bot: BotProcess,
    chair_device: RegisteredUser,
    make_client: ClientFactory,
) -> None:
    cdo = await make_client(chair_device)
    room_id = await board_room(cdo, bot, encrypted=False)
    await command(cdo, room_id, "!board init Board ohne Verschlüsselung")
    await command(cdo, room_id, "!dept add FB 61 Stadtplanung")
    await command(cdo, room_id, "!wp add Digitaler Bauantrag --dept FB 61 --due 31.12.2099")
    await command(cdo, room_id, "!wp add Verkehrsdaten --dept FB 61")
    await command(cdo, room_id, "!wp edit WP-1 ampel gelb Schnittstelle <b>fehlt</b>")
    await command(cdo, room_id, "!wp depend WP-1 WP-2")
    await export_and_read_back(cdo, room_id)
