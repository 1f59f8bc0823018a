"""A reply is not held up by a round's prompts (issue 15, found by ``bench/fanout.py``): while
the bot opens the direct rooms for 80 prompts, a command in the board room is answered before
the last of those rooms exists. (Before, a reply queued after the openings had begun waited for
all of them: at 500 prompts, about two minutes.)"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from board_bot.dev.devserver import LocalSynapse
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient
from tests.e2e.helpers import REPLY_WAIT, board_room, command

pytestmark = [pytest.mark.e2e]

LEADS = 80


async def test_a_command_is_answered_while_the_direct_rooms_for_the_prompts_are_opened(
    synapse: LocalSynapse, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    chair = synapse.register_user(f"cdo-{tag}", f"pw-{uuid.uuid4().hex}")
    bot_user = synapse.register_user(f"bot-{tag}", uuid.uuid4().hex)
    leads = [synapse.register_user(f"lead{i:02d}-{tag}", f"pw-{tag}-{i}") for i in range(LEADS)]
    bot = BotProcess(
        synapse, bot_user, admin=chair.user_id, allowed_inviters=[chair.user_id], workdir=tmp_path
    )
    bot.start()
    cdo = await TestClient.create(synapse.url, chair, tmp_path / "store-cdo")
    try:
        room_id = await board_room(cdo, bot, encrypted=False)
        await command(cdo, room_id, "!board init Smart City Board Musterstadt")
        org = tmp_path / "org.csv"
        rows = [f"FB {i + 1};Fachbereich {i + 1};{lead.user_id}" for i, lead in enumerate(leads)]
        org.write_text("code;name;lead\n" + "\n".join(rows) + "\n", encoding="utf-8")
        imported = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "board_bot", "import", "people", str(org), "--board", room_id,
            "--config", str(bot.config_path),
            env={**os.environ, "TEST_BOT_PASSWORD": bot_user.password},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=tmp_path,
        )  # fmt: skip
        output, _ = await imported.communicate()
        assert imported.returncode == 0, output.decode()

        started = await command(cdo, room_id, "!status run-now")
        assert f"{LEADS} Fachbereiche werden abgefragt" in started.body
        overview = await command(cdo, room_id, "!status")  # during the openings
        answered = datetime.fromtimestamp(overview.server_timestamp / 1000, UTC)

        database = sqlite3.connect(tmp_path / "data" / "board.db")
        try:
            for _ in range(int(REPLY_WAIT * 20)):  # every prompt's direct room was opened
                (opened,) = database.execute("SELECT count(*) FROM direct_room").fetchone()
                if opened == LEADS:
                    break
                await asyncio.sleep(0.1)
            times = [
                datetime.fromisoformat(at).replace(tzinfo=UTC)
                for (at,) in database.execute("SELECT created_at FROM direct_room")
            ]
        finally:
            database.close()
        assert len(times) == LEADS
        before = sum(1 for at in times if at < answered)
        assert before < LEADS, f"the reply waited for all {LEADS} direct rooms"
    finally:
        await cdo.close()
        bot.stop()
