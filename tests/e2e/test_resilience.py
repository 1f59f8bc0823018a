"""Catalogue items 1 and 23: the homeserver goes away and comes back; the token is revoked."""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from board_bot.devserver import LocalSynapse
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient
from tests.e2e.test_bot import REPLY_WAIT, board_room, command, replies_to, reply_to

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def own_synapse(tmp_path: Path) -> Iterator[LocalSynapse]:
    """A homeserver of this test's own, so that it can be stopped without harming others."""
    server = LocalSynapse(tmp_path / "synapse")
    server.start()
    yield server
    server.stop()


def _bot(synapse: LocalSynapse, admin: str, workdir: Path) -> BotProcess:
    bot_user = synapse.register_user(f"bot-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex)
    return BotProcess(
        synapse, bot_user, admin=admin, allowed_inviters=["localhost"], workdir=workdir
    )


async def test_bot_survives_a_homeserver_restart(own_synapse: LocalSynapse, tmp_path: Path) -> None:
    chair = own_synapse.register_user(f"cdo-{uuid.uuid4().hex[:6]}", "pw-cdo-1234")
    bot = _bot(own_synapse, chair.user_id, tmp_path)
    bot.start()
    cdo = await TestClient.create(own_synapse.url, chair, tmp_path / "store1")
    try:
        room_id = await board_room(cdo, bot, encrypted=False)
        await command(cdo, room_id, "!help")
        await cdo.close()

        own_synapse.stop()  # kills the bot's long-poll sync mid-flight
        own_synapse.start()

        chair2 = own_synapse.login(chair.user_id[1:].split(":")[0], "pw-cdo-1234")
        cdo = await TestClient.create(own_synapse.url, chair2, tmp_path / "store2")
        reply = await command(cdo, room_id, "!about")
        assert "Smart City Board Bot" in reply.body
        assert bot.proc is not None and bot.proc.poll() is None, "the bot must keep running"
        log = bot.log()
        assert "sync failed" in log or "sync answered" in log, log[-2000:]
    finally:
        await cdo.close()
        bot.stop()


async def test_revoked_token_stops_the_bot_with_a_clear_message(
    own_synapse: LocalSynapse, tmp_path: Path
) -> None:
    chair = own_synapse.register_user(f"cdo-{uuid.uuid4().hex[:6]}", "pw-cdo-1234")
    bot = _bot(own_synapse, chair.user_id, tmp_path)
    bot.start()
    cdo = await TestClient.create(own_synapse.url, chair, tmp_path / "store")
    try:
        room_id = await board_room(cdo, bot, encrypted=False)
        await command(cdo, room_id, "!help")

        creds = json.loads((tmp_path / "data" / "credentials.json").read_text())
        assert (tmp_path / "data" / "credentials.json").stat().st_mode & 0o077 == 0
        request = urllib.request.Request(
            f"{own_synapse.url}/_matrix/client/v3/logout",
            data=b"{}",
            method="POST",
            headers={"Authorization": f"Bearer {creds['access_token']}"},
        )
        await asyncio.to_thread(lambda: urllib.request.urlopen(request, timeout=10).close())
        await cdo.send_text(room_id, "wake up the long-poll")  # ends the bot's current sync

        assert bot.proc is not None
        code = bot.proc.wait(timeout=REPLY_WAIT + 40)
        assert code == 4
        log = bot.log()
        assert "M_UNKNOWN_TOKEN" in log and "credentials.json" in log
        assert creds["access_token"] not in log  # no tokens in logs
    finally:
        await cdo.close()
        bot.stop()


async def test_a_long_downtime_loses_no_command(own_synapse: LocalSynapse, tmp_path: Path) -> None:
    """More events than one sync's timeline holds arrive while the bot is down: the commands
    among them are still answered (fetched page by page), each once."""
    chair = own_synapse.register_user(f"cdo-{uuid.uuid4().hex[:6]}", "pw-cdo-1234")
    bot = _bot(own_synapse, chair.user_id, tmp_path)
    bot.start()
    cdo = await TestClient.create(own_synapse.url, chair, tmp_path / "store")
    try:
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
    finally:
        await cdo.close()
        bot.stop()


async def test_a_reply_committed_but_not_marked_sent_is_not_sent_twice(
    own_synapse: LocalSynapse, tmp_path: Path
) -> None:
    """Catalogue item 4: the bot crashed after sending a reply but before marking it sent. On
    restart it sends the row again with the same transaction id; the homeserver deduplicates it."""
    chair = own_synapse.register_user(f"cdo-{uuid.uuid4().hex[:6]}", "pw-cdo-1234")
    bot = _bot(own_synapse, chair.user_id, tmp_path)
    bot.start()
    cdo = await TestClient.create(own_synapse.url, chair, tmp_path / "store")
    try:
        room_id = await board_room(cdo, bot, encrypted=True)
        asked = await cdo.send_text(room_id, "!about")
        await cdo.wait_for(reply_to(asked), REPLY_WAIT, room_id=room_id)
        bot.stop()

        database = sa.create_engine(f"sqlite:///{tmp_path / 'data' / 'board.db'}")
        with database.begin() as conn:
            forgotten = conn.execute(
                sa.text(
                    "UPDATE outbox SET sent_at = NULL, event_id = NULL WHERE sent_at IS NOT NULL"
                )
            ).rowcount
        database.dispose()
        assert forgotten >= 2  # the greeting and the reply

        bot.start()
        last = await cdo.send_text(room_id, "!help")
        await cdo.wait_for(reply_to(last), REPLY_WAIT, room_id=room_id)
        assert len(replies_to(cdo, room_id, asked)) == 1
        greetings = [e for e in cdo.events_in(room_id) if "hilfe" in getattr(e, "body", "")]
        assert len([g for g in greetings if g.sender == bot.bot.user_id]) == 2  # greeting, help
    finally:
        await cdo.close()
        bot.stop()
