"""The real bot process against a real Synapse, driven by a separate matrix-nio client."""

from __future__ import annotations

import json
import signal
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from nio import RoomMemberEvent, RoomMessageNotice

from board_bot.dev.devserver import LocalSynapse, RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import (
    REPLY_WAIT,
    board_room,
    command,
    register,
    replies_to,
    reply_to,
)
from tests.e2e.synapse_fixture import ClientFactory, UserFactory

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_help_is_answered(
    bot: BotProcess, chair_device: RegisteredUser, make_client: ClientFactory, encrypted: bool
) -> None:
    cdo = await make_client(chair_device)
    room_id = await board_room(cdo, bot, encrypted=encrypted)

    reply = await command(cdo, room_id, "!help")

    assert reply.sender == bot.bot.user_id
    assert reply.decrypted is encrypted
    assert "Hilfe zum Smart City Board Bot" in reply.body
    assert "!hilfe <Befehl>" in reply.body
    content = reply.source["content"]
    assert content["msgtype"] == "m.notice"
    assert content["m.mentions"] == {}
    assert "<code>!hilfe &lt;Befehl&gt;</code>" in content["formatted_body"]


async def test_greeting_then_board_set_up_in_german(
    bot: BotProcess, chair_device: RegisteredUser, make_client: ClientFactory
) -> None:
    cdo = await make_client(chair_device)
    room_id = await board_room(cdo, bot, encrypted=False)
    greeting = await cdo.wait_for(
        lambda e: isinstance(e, RoomMessageNotice) and "hilfe" in e.body, REPLY_WAIT,
        room_id=room_id,
    )  # fmt: skip
    assert greeting.sender == bot.bot.user_id

    before = await command(cdo, room_id, "!board show")
    assert "noch kein Smart City Board eingerichtet" in before.body

    created = await command(cdo, room_id, '!board init "Smart City Board Norderstedt"')
    assert "Board-Raum von **Smart City Board Norderstedt**" in created.body

    shown = await command(cdo, room_id, "!gremium zeigen")
    assert "Zeitzone: Europe/Berlin" in shown.body


async def test_non_admin_cannot_set_up_a_board(
    bot: BotProcess,
    chair_device: RegisteredUser,
    make_user: UserFactory,
    make_client: ClientFactory,
) -> None:
    lead_user = make_user("lead")
    cdo = await make_client(chair_device)
    lead = await make_client(lead_user)
    room_id = await board_room(cdo, bot, encrypted=False, invite=[lead.user_id])
    await lead.join(room_id)

    reply = await command(lead, room_id, "!board init Schattenboard")
    assert "nur der Board-Vorsitz (CDO)" in reply.body
    still_none = await command(lead, room_id, "!board show")
    assert "noch kein Smart City Board" in still_none.body


async def test_html_and_room_mentions_are_inert(
    bot: BotProcess,
    chair_device: RegisteredUser,
    make_user: UserFactory,
    make_client: ClientFactory,
    synapse: LocalSynapse,
) -> None:
    member_user = make_user("member")
    cdo = await make_client(chair_device)
    member = await make_client(member_user)
    room_id = await board_room(cdo, bot, encrypted=False, invite=[member.user_id])
    await member.join(room_id)
    await cdo.wait_for_membership(room_id, member.user_id, "join")

    name = (
        "<script>alert(1)</script><img src=x onerror=alert(1)> @room "
        f"[Bürgerbüro](javascript:alert(1)) [Ping](https://matrix.to/#/{member.user_id}) "
        + "["
        * 40
    )
    reply = await command(cdo, room_id, f"!board init {name}")

    content = reply.source["content"]
    html = content["formatted_body"]
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;" in html
    assert content["m.mentions"] == {}
    assert "@room" not in reply.body  # neutralised with a word joiner
    assert "@\u2060room" in reply.body
    assert "javascript:alert(1)" in reply.body  # shown as text, not as a link

    # Nobody was pinged: the member has no highlighted notification from the bot.
    notes = _notifications(synapse, member_user)
    assert not [
        n
        for n in notes
        if n["event"]["sender"] == bot.bot.user_id
        and any(isinstance(a, dict) and a.get("set_tweak") == "highlight" for a in n["actions"])
    ]


def _notifications(synapse: LocalSynapse, user: RegisteredUser) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{synapse.url}/_matrix/client/v3/notifications",
        headers={"Authorization": f"Bearer {user.access_token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return list(json.load(response)["notifications"])


async def test_oversized_and_unknown_commands_get_clear_answers(
    bot: BotProcess, chair_device: RegisteredUser, make_client: ClientFactory
) -> None:
    cdo = await make_client(chair_device)
    room_id = await board_room(cdo, bot, encrypted=False)

    # Synapse itself refuses events over 64 KiB; the bot refuses commands over 8 KiB.
    big = await command(cdo, room_id, "!help " + "x" * 20_000)
    assert "zu lang" in big.body and "8.192" in big.body

    unknown = await command(cdo, room_id, "!hlep")
    assert "Unbekannter Befehl" in unknown.body and "`!help`" in unknown.body

    about = await command(cdo, room_id, "!about")
    assert "SQLite" in about.body and "Verschlüsselung: an" in about.body


async def test_invite_from_a_stranger_is_refused(
    bot: BotProcess, make_user: UserFactory, make_client: ClientFactory
) -> None:
    stranger = await make_client(make_user("stranger"))
    room_id = await stranger.create_room(encrypted=False, invite=[bot.bot.user_id])

    await stranger.wait_for_membership(room_id, bot.bot.user_id, "leave", REPLY_WAIT)
    leave = [
        e
        for e in stranger.events_in(room_id)
        if isinstance(e, RoomMemberEvent) and e.state_key == bot.bot.user_id
    ][-1]
    assert leave.membership == "leave"
    assert "freigegebenen" in leave.content.get("reason", "")


async def test_restart_answers_each_command_once(
    synapse: LocalSynapse,
    chair: RegisteredUser,
    chair_device: RegisteredUser,
    make_client: ClientFactory,
    tmp_path: Path,
) -> None:
    bot = BotProcess(
        synapse,
        register(synapse, "restart-bot"),
        admin=chair.user_id,
        allowed_inviters=["localhost"],
        workdir=tmp_path,
    )
    bot.start()
    try:
        cdo = await make_client(chair_device)
        room_id = await board_room(cdo, bot, encrypted=True)
        first = await cdo.send_text(room_id, "!help")
        await cdo.wait_for(reply_to(first), REPLY_WAIT, room_id=room_id)

        assert bot.stop(signal.SIGTERM) == 0, bot.log()[-3000:]
        while_down = await cdo.send_text(room_id, "!about")

        bot.start()
        await cdo.wait_for(reply_to(while_down), REPLY_WAIT, room_id=room_id)
        # The bot handles events in order: once this is answered, any duplicate would be there.
        last = await cdo.send_text(room_id, "!hilfe board")
        await cdo.wait_for(reply_to(last), REPLY_WAIT, room_id=room_id)

        for event_id in (first, while_down, last):
            assert len(replies_to(cdo, room_id, event_id)) == 1, event_id

        # A hard crash (SIGKILL) loses nothing either.
        bot.stop(signal.SIGKILL)
        after_crash = await cdo.send_text(room_id, "!about")
        bot.start()
        await cdo.wait_for(reply_to(after_crash), REPLY_WAIT, room_id=room_id)
        final = await cdo.send_text(room_id, "!help")
        await cdo.wait_for(reply_to(final), REPLY_WAIT, room_id=room_id)
        for event_id in (first, while_down, last, after_crash, final):
            assert len(replies_to(cdo, room_id, event_id)) == 1, event_id
    finally:
        bot.stop()


async def test_commands_from_before_the_bot_joined_are_not_carried_out(
    bot: BotProcess, chair_device: RegisteredUser, make_client: ClientFactory
) -> None:
    cdo = await make_client(chair_device)
    room_id = await cdo.create_room(encrypted=False, invite=[])
    early = await cdo.send_text(room_id, "!board init Vor dem Beitritt")
    await cdo.client.room_invite(room_id, bot.bot.user_id)
    await cdo.wait_for_membership(room_id, bot.bot.user_id, "join", REPLY_WAIT)

    shown = await command(cdo, room_id, "!board show")
    assert "noch kein Smart City Board" in shown.body
    assert replies_to(cdo, room_id, early) == []


async def test_edits_notices_and_chatter_are_not_commands(
    bot: BotProcess, chair_device: RegisteredUser, make_client: ClientFactory
) -> None:
    cdo = await make_client(chair_device)
    room_id = await board_room(cdo, bot, encrypted=False)
    typo = await cdo.send_text(room_id, "!hlep")
    await cdo.wait_for(reply_to(typo), REPLY_WAIT, room_id=room_id)

    # An edit of the command (m.replace), another bot's m.notice, and plain chat: no replies.
    edit = await cdo.client.room_send(
        room_id,
        "m.room.message",
        {
            "msgtype": "m.text",
            "body": "* !help",
            "m.new_content": {"msgtype": "m.text", "body": "!help"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": typo},
        },
    )
    notice = await cdo.send_text(room_id, "!help", notice=True)
    chatter = await cdo.send_text(room_id, "Guten Morgen zusammen, !help kommt gleich")
    last = await cdo.send_text(room_id, "!about")
    await cdo.wait_for(reply_to(last), REPLY_WAIT, room_id=room_id)  # handled in order
    for event_id in (edit.event_id, notice, chatter):
        assert replies_to(cdo, room_id, event_id) == []
    assert len(replies_to(cdo, room_id, typo)) == 1
