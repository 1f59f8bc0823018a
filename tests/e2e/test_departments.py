"""Issue 3 against a real Synapse: the CDO sets up two departments, a lead records an absence,
and the deputy becomes the acting contact."""

from __future__ import annotations

import pytest

from board_bot.devserver import RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import board_room, command
from tests.e2e.synapse_fixture import ClientFactory, UserFactory

pytestmark = [pytest.mark.e2e]


async def test_admin_sets_up_departments_and_a_lead_goes_away(
    bot: BotProcess,
    chair_device: RegisteredUser,
    make_user: UserFactory,
    make_client: ClientFactory,
) -> None:
    lead_user, deputy_user = make_user("lead"), make_user("deputy")
    cdo = await make_client(chair_device)
    lead = await make_client(lead_user)
    room_id = await board_room(cdo, bot, encrypted=True, invite=[lead.user_id, deputy_user.user_id])
    await lead.join(room_id)
    await command(cdo, room_id, "!board init Smart City Board Teststadt")

    created = await command(cdo, room_id, "!dept add FB 61 Stadtplanung")
    assert "FB 61" in created.body
    await command(cdo, room_id, '!fb add "FB 68" Verkehr')
    await command(cdo, room_id, f"!role assign {lead.user_id} leitung FB 61")
    await command(cdo, room_id, f"!rolle assign {deputy_user.user_id} vertretung FB 61")

    listing = await command(cdo, room_id, "!dept list")
    assert "FB 61" in listing.body and "FB 68" in listing.body and lead.user_id in listing.body

    refused = await command(lead, room_id, "!dept add FB 20 Finanzen")
    assert chair_device.user_id in refused.body  # the refusal names who may do it

    away = await command(lead, room_id, "!abwesend 21.12.2026 - 06.01.2027 Urlaub")
    assert "21.12.2026" in away.body and "06.01.2027" in away.body

    absences = await command(cdo, room_id, "!abwesenheiten")
    assert lead.user_id in absences.body and deputy_user.user_id in absences.body

    mine = await command(lead, room_id, "!whoami")
    assert "FB 61" in mine.body
