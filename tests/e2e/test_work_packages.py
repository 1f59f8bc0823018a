"""Issue 4 against a real Synapse: a lead creates, edits and lists work packages."""

from __future__ import annotations

import pytest

from board_bot.devserver import RegisteredUser
from tests.e2e.bot_process import BotProcess
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
