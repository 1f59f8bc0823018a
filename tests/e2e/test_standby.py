"""A hot standby (issue 15): two bot processes with the same config and PostgreSQL database.
One is active, the other syncs nothing and waits; when the active one is killed mid-stream,
the standby takes over, and no command is lost or carried out twice."""

from __future__ import annotations

import asyncio
import re
import signal
import time
import uuid
from pathlib import Path

import pytest

from board_bot.dev.devserver import LocalSynapse
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient
from tests.e2e.helpers import REPLY_WAIT, board_room, command, replies_to, reply_to
from tests.e2e.test_monitoring import fetch, free_port
from tests.pg_databases import fresh_database

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

#: How long the standby may take to answer after the active process died (the issue's limit):
#: its tries of the lock come every 5 s, it waits the fence (5 s), then it logs in, syncs and
#: answers what waited.
TAKEOVER_WAIT = 30.0


async def wait_for_log(bot: BotProcess, text: str, seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        if text in bot.log():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} not in the log:\n{bot.log()[-3000:]}")


async def test_the_standby_takes_over_when_the_active_bot_is_killed(
    synapse: LocalSynapse, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    chair = synapse.register_user(f"cdo-{tag}", f"pw-{uuid.uuid4().hex}")
    bot_user = synapse.register_user(f"bot-{tag}", uuid.uuid4().hex)
    data_dir = tmp_path / "data"  # the same config: the same data directory and database
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
    with fresh_database() as url:
        active, standby = (
            BotProcess(
                synapse,
                bot_user,
                admin=chair.user_id,
                allowed_inviters=[chair.user_id],
                workdir=(tmp_path / name),
                database_url=url,
                data_dir=data_dir,
            )
            for name in ("first", "second")
        )
        ports = {}
        for bot in (active, standby):
            ports[bot] = free_port()
            with bot.config_path.open("a", encoding="utf-8") as config:
                config.write(f"\n[monitoring]\nport = {ports[bot]}\n")
        active.start()
        cdo = await TestClient.create(synapse.url, chair, tmp_path / "store-cdo")
        try:
            room_id = await board_room(cdo, active, encrypted=True)
            await command(cdo, room_id, "!board init Smart City Board Musterstadt")
            standby.start()
            await wait_for_log(standby, "standing by", REPLY_WAIT)
            assert "logged in" not in standby.log().lower()  # it neither logs in nor syncs
            # Ready as what it is: a standby (a load balancer or the operator can tell).
            status, body = fetch(ports[standby], "/readyz")
            assert status == 200 and '"role": "standby"' in body, body
            assert "board_bot_active 0.0" in fetch(ports[standby], "/metrics")[1]
            assert "board_bot_active 1.0" in fetch(ports[active], "/metrics")[1]

            sent: list[str] = []
            for number in range(1, 4):
                reply = await command(cdo, room_id, f"!fb anlegen FB {number} Amt {number}")
                assert f"FB {number}" in reply.body
            # Killed right after a command was sent: it may or may not have been handled.
            sent.append(await cdo.send_text(room_id, "!fb anlegen FB 4 Amt 4"))
            active.stop(signal.SIGKILL)
            killed = time.monotonic()
            for number in range(5, 8):
                sent.append(await cdo.send_text(room_id, f"!fb anlegen FB {number} Amt {number}"))
            first = await cdo.wait_for(
                reply_to(sent[0]), TAKEOVER_WAIT, room_id=room_id, what="the standby's reply"
            )
            print(f"the standby answered {time.monotonic() - killed:.1f} s after the kill")
            assert "FB 4" in first.body  # type: ignore[attr-defined]
            for event_id in sent[1:]:
                await cdo.wait_for(reply_to(event_id), REPLY_WAIT, room_id=room_id)
            assert "this process is now the active bot" in standby.log()
            assert "board_bot_active 1.0" in fetch(ports[standby], "/metrics")[1]

            # Each department once, each command answered once.
            listing = await command(cdo, room_id, "!fb liste")
            for number in range(1, 8):
                assert len(re.findall(rf"\bFB {number}\b", listing.body)) == 1, listing.body
            # The listing was handled after everything sent before it: a doubled reply came first.
            for event_id in sent:
                assert len(replies_to(cdo, room_id, event_id)) == 1, event_id
        finally:
            await cdo.close()
            active.stop()
            standby.stop()
