"""How long a status round takes to prompt 200 departments, against what the homeserver needs.

On a local Synapse (rate limits off, as in the tests) the bot runs as its own process with a
board of N departments, each with its own lead (imported with ``board-bot import people``).
``!status run-now`` queues a prompt per department; each goes to the lead's direct room, which
the bot first opens (an encrypted room with an invite). Measured from the command to the last
prompt the homeserver accepted (the outbox rows' ``sent_at``).

The floor is a minimal nio client on the same homeserver doing the same protocol work without
the bot: open N direct rooms (encrypted, with an invite), wait for each to appear in a sync,
and send one encrypted message into each, eight at a time. Prints:

    figure fanout_<N>_bot_seconds <s> s
    figure fanout_<N>_homeserver_floor_seconds <s> s
    figure fanout_<N>_bot_over_floor <ratio> x

Usage: python bench/fanout.py [--departments N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nio import (  # noqa: E402
    AsyncClient,
    AsyncClientConfig,
    EnableEncryptionBuilder,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
)

from board_bot.dev.devserver import LocalSynapse, RegisteredUser  # noqa: E402
from tests.e2e.bot_process import BotProcess  # noqa: E402
from tests.e2e.client import TestClient  # noqa: E402
from tests.e2e.helpers import board_room, command  # noqa: E402

PARALLEL = 8


def register_leads(synapse: LocalSynapse, count: int) -> list[RegisteredUser]:
    tag = uuid.uuid4().hex[:6]
    return [synapse.register_user(f"lead{i:03d}-{tag}", f"pw-{tag}-{i}") for i in range(count)]


async def bot_fanout(synapse: LocalSynapse, workdir: Path, leads: list[RegisteredUser]) -> float:
    tag = uuid.uuid4().hex[:6]
    chair = synapse.register_user(f"cdo-{tag}", f"pw-{uuid.uuid4().hex}")
    bot_user = synapse.register_user(f"bot-{tag}", uuid.uuid4().hex)
    bot = BotProcess(
        synapse, bot_user, admin=chair.user_id, allowed_inviters=[chair.user_id], workdir=workdir
    )
    bot.start()
    cdo = await TestClient.create(synapse.url, chair, workdir / "store-cdo")
    try:
        room_id = await board_room(cdo, bot, encrypted=False)
        await command(cdo, room_id, "!board init Fan-out")
        rows = ["code;name;lead"] + [
            f"FB {i + 1};Fachbereich {i + 1};{lead.user_id}" for i, lead in enumerate(leads)
        ]
        csv_file = workdir / "org.csv"
        csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
        imported = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "board_bot", "import", "people", str(csv_file),
            "--board", room_id, "--config", str(bot.config_path),
            stdout=asyncio.subprocess.DEVNULL,
            env={**os.environ, "TEST_BOT_PASSWORD": bot_user.password},
        )  # fmt: skip
        assert await imported.wait() == 0, "the import failed"
        database = sqlite3.connect(workdir / "data" / "board.db")
        start = time.perf_counter()
        reply = await command(cdo, room_id, "!status run-now")
        assert f"{len(leads)} Fachbereiche" in reply.body, reply.body
        while True:
            sent, total = database.execute(
                "SELECT COUNT(sent_at), COUNT(*) FROM outbox o JOIN status_prompt p "
                "ON p.outbox_id = o.id"
            ).fetchone()
            if total == len(leads) and sent == total:
                break
            if time.perf_counter() - start > 600:
                raise TimeoutError(f"only {sent} of {total} prompts sent after 600 s")
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        failed = database.execute(
            "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL AND event_id IS NULL"
        ).fetchone()[0]
        assert failed == 0, f"{failed} prompts were given up"
        database.close()
        return elapsed
    except BaseException:
        print("# the bot's log ends with:\n" + "\n".join(bot.log().splitlines()[-40:]), flush=True)
        raise
    finally:
        await cdo.close()
        bot.stop()


async def floor_fanout(synapse: LocalSynapse, workdir: Path, leads: list[RegisteredUser]) -> float:
    """The same protocol work by a bare nio client, eight rooms at a time."""
    tag = uuid.uuid4().hex[:6]
    user = synapse.register_user(f"floor-{tag}", f"pw-{uuid.uuid4().hex}")
    client = AsyncClient(
        synapse.url,
        user.user_id,
        device_id=user.device_id,
        store_path=str(workdir),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
    )
    client.restore_login(user.user_id, user.device_id, user.access_token)
    await client.keys_upload()
    await client.sync(timeout=0, full_state=True)
    syncing = True

    async def sync_loop() -> None:
        while syncing:
            await client.sync(timeout=1000)

    loop_task = asyncio.create_task(sync_loop())
    slots = asyncio.Semaphore(PARALLEL)
    lock = asyncio.Lock()

    async def one(lead: RegisteredUser) -> None:
        async with slots:
            created = await client.room_create(
                is_direct=True,
                invite=[lead.user_id],
                name="Smart City Board",
                preset=RoomPreset.trusted_private_chat,
                initial_state=[EnableEncryptionBuilder().as_dict()],
            )
            assert isinstance(created, RoomCreateResponse), created
            # nio fills client.rooms from the sync loop; poll it as the bot waits for a sync.
            while lead.user_id not in getattr(client.rooms.get(created.room_id), "users", {}):  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            async with lock:
                sent = await client.room_send(
                    created.room_id,
                    "m.room.message",
                    {"msgtype": "m.text", "body": "Statusabfrage"},
                    ignore_unverified_devices=True,
                )
            assert isinstance(sent, RoomSendResponse), sent

    start = time.perf_counter()
    try:
        await asyncio.gather(*(one(lead) for lead in leads))
        return time.perf_counter() - start
    finally:
        syncing = False
        await loop_task
        await client.close()


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        base = Path(tmp)
        synapse = LocalSynapse(base / "synapse")
        synapse.start()
        try:
            print(f"# registering {count} leads", flush=True)
            leads = register_leads(synapse, count)
            floor_leads = register_leads(synapse, count)
            (base / "bot").mkdir()
            (base / "floor").mkdir()
            bot_seconds = await bot_fanout(synapse, base / "bot", leads)
            floor_seconds = await floor_fanout(synapse, base / "floor", floor_leads)
        finally:
            synapse.stop()
    print(f"figure fanout_{count}_bot_seconds {bot_seconds:.1f} s")
    print(f"figure fanout_{count}_homeserver_floor_seconds {floor_seconds:.1f} s")
    print(f"figure fanout_{count}_bot_over_floor {bot_seconds / floor_seconds:.2f} x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--departments", type=int, default=200)
    asyncio.run(main(parser.parse_args().departments))
