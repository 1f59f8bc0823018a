"""The database away while a command waits (issue 15): the command sent during a PostgreSQL
outage is carried out once the database is back, once, with no apology and nothing lost. The
bot sees the connection that held its active lock break, stops its bot and stands by
(:mod:`instance`), and takes the lock again when the database answers.

The race behind the bug of issue 15 (the database back just as an event was being given up)
cannot be timed from outside; ``tests/unit/test_give_up.py`` pins it down."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from board_bot.dev.devserver import LocalSynapse
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient
from tests.e2e.helpers import REPLY_WAIT, board_room, command, replies_to, reply_to
from tests.e2e.tcp_proxy import TcpProxy
from tests.pg_databases import fresh_database

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


async def test_a_command_sent_while_the_database_is_down_is_carried_out_once_it_is_back(
    synapse: LocalSynapse, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    chair = synapse.register_user(f"cdo-{tag}", f"pw-{uuid.uuid4().hex}")
    bot_user = synapse.register_user(f"bot-{tag}", uuid.uuid4().hex)
    with fresh_database() as url:
        target = make_url(url)
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
        await proxy.start()
        via_proxy = target.set(host="127.0.0.1", port=proxy.port)
        bot = BotProcess(
            synapse,
            bot_user,
            admin=chair.user_id,
            allowed_inviters=[chair.user_id],
            workdir=tmp_path,
            database_url=via_proxy.render_as_string(hide_password=False),
        )
        bot.start()
        cdo = await TestClient.create(synapse.url, chair, tmp_path / "store-cdo")
        try:
            # Encrypted: the bot, started again in the same process, still decrypts.
            room_id = await board_room(cdo, bot, encrypted=True)
            await command(cdo, room_id, "!board init Smart City Board Musterstadt")

            await proxy.cut()
            sent = await cdo.send_text(room_id, "!fb anlegen FB 61 Stadtplanung")
            # The bot notices: it stops and stands by while the database cannot be reached ...
            for _ in range(40 * 10):
                log = bot.log()
                if "the active lock is lost" in log and "standing by: the database" in log:
                    break
                await asyncio.sleep(0.1)
            assert "standing by: the database cannot be reached" in bot.log(), bot.log()[-3000:]
            assert bot.proc is not None and bot.proc.poll() is None  # it keeps running
            assert replies_to(cdo, room_id, sent) == []
            await proxy.start()  # ... and the database is back
            try:
                reply = await cdo.wait_for(reply_to(sent), REPLY_WAIT + 20, room_id=room_id)
            except TimeoutError as exc:
                raise AssertionError(f"no reply; the bot's log:\n{bot.log()[-6000:]}") from exc
            assert "FB 61" in reply.body and "Entschuldigung" not in reply.body  # type: ignore[attr-defined]
            # The listing was handled after the command: a doubled reply would have come first.
            listing = await command(cdo, room_id, "!fb liste")
            assert "FB 61" in listing.body
            assert len(replies_to(cdo, room_id, sent)) == 1
            assert not any(
                "Entschuldigung" in getattr(e, "body", "") for e in cdo.events_in(room_id)
            )
        finally:
            await cdo.close()
            bot.stop()
            await proxy.cut()
