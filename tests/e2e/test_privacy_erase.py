"""Issue 16, item 3, against a real Synapse: ``board-bot privacy erase`` takes the person's
display name from the homeserver and redacts the bot's messages that named them; the bot's
other messages stay."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from nio import Event, RedactionEvent

from board_bot.dev.devserver import RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import REPLY_WAIT, board_room, command
from tests.e2e.synapse_fixture import ClientFactory, UserFactory

pytestmark = [pytest.mark.e2e]


async def test_erase_redacts_the_bots_messages_that_named_the_person(
    bot: BotProcess,
    chair_device: RegisteredUser,
    make_user: UserFactory,
    make_client: ClientFactory,
) -> None:
    person = await make_client(make_user("erika"))
    await person.client.set_displayname("Erika Mustermann")
    cdo = await make_client(chair_device)
    room_id = await board_room(cdo, bot, encrypted=True, invite=[person.user_id])
    await person.join(room_id)
    await command(cdo, room_id, "!board init Smart City Board Löschstadt")
    await command(cdo, room_id, "!dept add FB 61 Stadtplanung")
    assigned = await command(cdo, room_id, f"!role assign {person.user_id} leitung FB 61")
    removed = await command(cdo, room_id, f"!role remove {person.user_id} leitung FB 61")
    listing = await command(cdo, room_id, "!dept list")
    assert "Erika Mustermann" in assigned.body and "Erika Mustermann" in removed.body
    assert "Erika Mustermann" not in listing.body

    done = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "board_bot",
            "privacy",
            "erase",
            person.user_id,
            "--config",
            str(bot.config_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TEST_BOT_PASSWORD": bot.bot.password},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "display names from the homeserver: 1" in done.stdout, done.stdout + done.stderr
    assert "erased as 'Person 1'" in done.stdout
    assert "messages the bot sent that named them: 2, redacted 2" in done.stdout, done.stdout
    assert "Mustermann" not in done.stdout + done.stderr
    assert person.user_id not in done.stdout  # not next to the pseudonym: that would link them

    def redaction_of(event_id: str) -> Callable[[Event], bool]:
        def match(event: Event) -> bool:
            return isinstance(event, RedactionEvent) and event.redacts == event_id

        return match

    for reply in (assigned, removed):
        await cdo.wait_for(redaction_of(reply.event_id), REPLY_WAIT, room_id=room_id)
    assert not [
        e
        for e in cdo.events_in(room_id)
        if isinstance(e, RedactionEvent) and e.redacts == listing.event_id
    ]
