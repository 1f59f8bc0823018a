"""Issue 3 against a real Synapse: the CDO sets up two departments, a lead records an absence,
and the deputy becomes the acting contact."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from board_bot.dev.devserver import RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import REPLY_WAIT, board_room, command, reply_to, shown_name
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
    # The deputy by mention pill, as Element sends it: the body has only the display name.
    pill = f'<a href="https://matrix.to/#/{deputy_user.user_id}">Jana Schulz</a>'
    sent = await cdo.client.room_send(
        room_id,
        "m.room.message",
        {
            "msgtype": "m.text",
            "body": "!rolle assign Jana Schulz vertretung FB 61",
            "format": "org.matrix.custom.html",
            "formatted_body": f"!rolle assign {pill} vertretung FB 61",
            "m.mentions": {"user_ids": [deputy_user.user_id]},
        },
        ignore_unverified_devices=True,
    )
    assigned = await cdo.wait_for(reply_to(sent.event_id), REPLY_WAIT, room_id=room_id)
    assert shown_name(deputy_user.user_id) in assigned.body

    listing = await command(cdo, room_id, "!dept list")
    assert (
        "FB 61" in listing.body
        and "FB 68" in listing.body
        and shown_name(lead.user_id) in listing.body
    )

    refused = await command(lead, room_id, "!dept add FB 20 Finanzen")
    assert shown_name(chair_device.user_id) in refused.body  # it names who may do it

    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    start, end = (f"{d:%d.%m.%Y}" for d in (today, today + timedelta(days=14)))
    away = await command(lead, room_id, f"!abwesend {start} - {end} Urlaub")
    assert start in away.body and end in away.body and shown_name(deputy_user.user_id) in away.body

    shown = await command(cdo, room_id, "!fb zeigen FB 61")
    assert shown_name(deputy_user.user_id) in shown.body.split("Heute ansprechbar")[-1]

    absences = await command(cdo, room_id, "!abwesenheiten")
    assert shown_name(lead.user_id) in absences.body
    assert shown_name(deputy_user.user_id) in absences.body

    mine = await command(lead, room_id, "!whoami")
    assert "FB 61" in mine.body
