"""Issue 15, backup and restore against a real Synapse: a bot answers in an encrypted room, is
stopped and backed up; its data directory is lost (and, on PostgreSQL, its database: the restore
goes into a fresh one); ``board-bot restore`` brings it back into an empty data directory, and
the restored bot, on the same device with the same keys, decrypts and answers: the command
written while it was down (encrypted with the room key it had before the backup) and a new one,
about a work package that only the restored database knows."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from board_bot.dev.devserver import LocalSynapse, RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import REPLY_WAIT, board_room, command, register, replies_to, reply_to
from tests.e2e.synapse_fixture import ClientFactory
from tests.pg_databases import fresh_database, require_pg_tools

pytestmark = [pytest.mark.e2e]


async def board_bot(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """``board-bot <args> --config <the bot's config>``, as the operator runs it."""
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "board_bot", *args, "--config", str(bot.config_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TEST_BOT_PASSWORD": bot.bot.password},
        check=False,
    )


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
async def test_a_restored_bot_decrypts_and_answers_in_an_encrypted_room(
    backend: str,
    synapse: LocalSynapse,
    chair: RegisteredUser,
    chair_device: RegisteredUser,
    make_client: ClientFactory,
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        if backend == "postgresql":
            require_pg_tools()
            first_url = stack.enter_context(fresh_database())
            restored_url = stack.enter_context(fresh_database())
        else:
            first_url = restored_url = ""  # the default: board.db in the data directory
        bot_user = register(synapse, "backup-bot")

        def bot_in(name: str, database_url: str) -> BotProcess:
            (tmp_path / name).mkdir()
            return BotProcess(
                synapse,
                bot_user,
                admin=chair.user_id,
                allowed_inviters=["localhost"],
                workdir=tmp_path / name,
                database_url=database_url,
            )

        first, restored = bot_in("first", first_url), bot_in("restored", restored_url)
        first.start()
        try:
            cdo = await make_client(chair_device)
            room_id = await board_room(cdo, first, encrypted=True)
            await command(cdo, room_id, "!board init Smart City Board Sicherungsstadt")
            await command(cdo, room_id, "!fb anlegen FB 61 Stadtplanung")
            created = await command(cdo, room_id, "!wp add Digitale Bauakte --dept FB 61")
            assert "WP-1" in created.body, created.body
            assert first.stop() == 0, first.log()[-3000:]
        finally:
            first.stop()
        device_id = json.loads((first.workdir / "data" / "credentials.json").read_text())[
            "device_id"
        ]
        # Written while the bot is down, encrypted with the room key the bot got before.
        while_down = await cdo.send_text(room_id, "!about")

        backup_dir = tmp_path / "backup"
        done = await board_bot(first, "backup", "--to", str(backup_dir))
        assert done.returncode == 0, done.stderr
        assert "backup written to" in done.stdout
        shutil.move(first.workdir / "data", tmp_path / "lost")  # the disk is gone

        done = await board_bot(restored, "restore", "--from", str(backup_dir))
        assert done.returncode == 0, done.stderr
        assert "restored the backup" in done.stdout and "warning" not in done.stderr
        restored.start()
        try:
            await cdo.wait_for(reply_to(while_down), REPLY_WAIT * 2, room_id=room_id)
            shown = await command(cdo, room_id, "!wp show WP-1")
            assert "Digitale Bauakte" in shown.body, shown.body
            assert len(replies_to(cdo, room_id, while_down)) == 1
        except TimeoutError as exc:
            raise AssertionError(f"restored bot's log:\n{restored.log()[-4000:]}") from exc
        finally:
            restored.stop()
        log = restored.log()
        assert f"restored login of {bot_user.user_id}, device {device_id}" in log, log[-3000:]
        assert "logged in as" not in log  # the same device, with its keys: no new login
        assert "could not decrypt" not in log
