"""The bot against trouble on its own homeserver: a restart of Synapse (catalogue 1), a revoked
token (23), a long downtime of the bot, a crash between sending and marking sent (4)."""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
import sqlalchemy as sa

from board_bot.dev.devserver import LocalSynapse, RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient
from tests.e2e.helpers import REPLY_WAIT, board_room, command, replies_to, reply_to

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def own_synapse(tmp_path: Path) -> Iterator[LocalSynapse]:
    """A homeserver of this test's own, so that it can be stopped without harming others."""
    server = LocalSynapse(tmp_path / "synapse")
    server.start()
    yield server
    server.stop()


CHAIR_PASSWORD = "pw-cdo-1234"


@dataclass
class Setup:
    bot: BotProcess
    cdo: TestClient
    chair: RegisteredUser


@pytest_asyncio.fixture
async def setup(own_synapse: LocalSynapse, tmp_path: Path) -> AsyncIterator[Setup]:
    """The chair's client and a running bot on this test's own homeserver."""
    chair = own_synapse.register_user(f"cdo-{uuid.uuid4().hex[:6]}", CHAIR_PASSWORD)
    bot_user = own_synapse.register_user(f"bot-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex)
    bot = BotProcess(
        own_synapse, bot_user, admin=chair.user_id, allowed_inviters=["localhost"], workdir=tmp_path
    )
    bot.start()
    state = Setup(bot, await TestClient.create(own_synapse.url, chair, tmp_path / "store"), chair)
    try:
        yield state
    finally:
        await state.cdo.close()
        bot.stop()


async def test_bot_survives_a_homeserver_restart(
    setup: Setup, own_synapse: LocalSynapse, tmp_path: Path
) -> None:
    bot, cdo = setup.bot, setup.cdo
    room_id = await board_room(cdo, bot, encrypted=False)
    await command(cdo, room_id, "!help")
    await cdo.close()

    own_synapse.stop()  # kills the bot's long-poll sync mid-flight
    own_synapse.start()

    device = own_synapse.login(setup.chair.user_id[1:].split(":")[0], CHAIR_PASSWORD)
    setup.cdo = cdo = await TestClient.create(own_synapse.url, device, tmp_path / "store2")
    reply = await command(cdo, room_id, "!about")
    assert "Smart City Board Bot" in reply.body
    assert bot.proc is not None and bot.proc.poll() is None, "the bot must keep running"
    log = bot.log()
    assert "sync failed" in log or "sync answered" in log, log[-2000:]


async def test_revoked_token_stops_the_bot_with_a_clear_message(
    setup: Setup, own_synapse: LocalSynapse, tmp_path: Path
) -> None:
    bot, cdo = setup.bot, setup.cdo
    room_id = await board_room(cdo, bot, encrypted=False)
    await command(cdo, room_id, "!help")

    creds_file = tmp_path / "data" / "credentials.json"
    creds = json.loads(creds_file.read_text())
    assert creds_file.stat().st_mode & 0o077 == 0
    request = urllib.request.Request(
        f"{own_synapse.url}/_matrix/client/v3/logout",
        data=b"{}",
        method="POST",
        headers={"Authorization": f"Bearer {creds['access_token']}"},
    )
    await asyncio.to_thread(lambda: urllib.request.urlopen(request, timeout=10).close())
    await cdo.send_text(room_id, "wake up the long-poll")  # ends the bot's current sync

    assert bot.proc is not None
    assert bot.proc.wait(timeout=REPLY_WAIT + 40) == 4
    log = bot.log()
    assert "M_UNKNOWN_TOKEN" in log and "credentials.json" in log
    assert creds["access_token"] not in log  # no tokens in logs


async def test_a_long_downtime_loses_no_command(setup: Setup) -> None:
    """More events than one sync's timeline holds arrive while the bot is down: the commands
    among them are still answered (fetched page by page), each once."""
    bot, cdo = setup.bot, setup.cdo
    room_id = await board_room(cdo, bot, encrypted=False)
    await command(cdo, room_id, "!help")
    bot.stop()

    early = await cdo.send_text(room_id, "!about")
    for i in range(150):
        await cdo.send_text(room_id, f"Zwischenruf {i}")
    late = await cdo.send_text(room_id, "!board show")

    bot.start()
    await cdo.wait_for(reply_to(late), REPLY_WAIT, room_id=room_id)
    await cdo.wait_for(reply_to(early), REPLY_WAIT, room_id=room_id)
    for event_id in (early, late):
        assert len(replies_to(cdo, room_id, event_id)) == 1


async def test_a_reply_committed_but_not_marked_sent_is_not_sent_twice(
    setup: Setup, tmp_path: Path
) -> None:
    """Catalogue item 4: the bot crashed after sending a reply but before marking it sent. On
    restart it sends the row again with the same transaction id; the homeserver deduplicates it."""
    bot, cdo = setup.bot, setup.cdo
    room_id = await board_room(cdo, bot, encrypted=True)
    asked = await cdo.send_text(room_id, "!about")
    await cdo.wait_for(reply_to(asked), REPLY_WAIT, room_id=room_id)
    bot.stop()

    database = sa.create_engine(f"sqlite:///{tmp_path / 'data' / 'board.db'}")
    with database.begin() as conn:
        forgotten = conn.execute(
            sa.text("UPDATE outbox SET sent_at = NULL, event_id = NULL WHERE sent_at IS NOT NULL")
        ).rowcount
    database.dispose()
    assert forgotten >= 2  # the greeting and the reply

    bot.start()
    last = await cdo.send_text(room_id, "!help")
    await cdo.wait_for(reply_to(last), REPLY_WAIT, room_id=room_id)
    assert len(replies_to(cdo, room_id, asked)) == 1
    mentions_help = [e for e in cdo.events_in(room_id) if "hilfe" in getattr(e, "body", "")]
    assert len([e for e in mentions_help if e.sender == bot.bot.user_id]) == 2  # greeting, help
