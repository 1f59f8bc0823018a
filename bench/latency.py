"""Median time from a user's command to the bot's reply, on a real local Synapse.

Runs the bot as its own process (as in production) and, for comparison, a minimal echo client
(matrix-nio, no database, no command parsing) on the same homeserver, and prints:

    figure help_reply_median_plain <ms> ms
    figure help_reply_median_encrypted <ms> ms
    figure echo_reply_median_plain <ms> ms

Usage: python bench/latency.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nio import AsyncClient, AsyncClientConfig, MatrixRoom, RoomMessageText  # noqa: E402

from board_bot.dev.devserver import LocalSynapse, RegisteredUser  # noqa: E402
from tests.e2e.bot_process import BotProcess  # noqa: E402
from tests.e2e.client import TestClient  # noqa: E402
from tests.e2e.helpers import reply_to  # noqa: E402


async def echo_client(homeserver: str, user_id: str, device_id: str, token: str) -> None:
    """The floor: answer every m.text with an m.notice reply, nothing else."""
    client = AsyncClient(homeserver, user_id, device_id=device_id, config=AsyncClientConfig(
        encryption_enabled=False))  # fmt: skip
    client.access_token = token
    await client.sync(timeout=0, full_state=True)

    async def on_text(room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == user_id:
            return
        if room.room_id not in client.rooms:
            return
        await client.room_send(room.room_id, "m.room.message", {
            "msgtype": "m.notice", "body": event.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        })  # fmt: skip

    async def on_invite(room: MatrixRoom, event: object) -> None:
        await client.join(room.room_id)

    from nio import InviteMemberEvent

    client.add_event_callback(on_text, RoomMessageText)  # type: ignore[arg-type]
    client.add_event_callback(on_invite, InviteMemberEvent)  # type: ignore[arg-type]
    await client.sync_forever(timeout=30_000)


async def measure(client: TestClient, room_id: str, text: str, rounds: int) -> list[float]:
    times: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        event_id = await client.send_text(room_id, text)
        await client.wait_for(reply_to(event_id), 20.0, room_id=room_id)
        times.append((time.perf_counter() - start) * 1000)
    return times


async def room_with(client: TestClient, member: str, *, encrypted: bool) -> str:
    room_id = await client.create_room(encrypted=encrypted, invite=[member])
    await client.wait_for_membership(room_id, member, "join", 30.0)
    return room_id


def register(synapse: LocalSynapse, prefix: str) -> RegisteredUser:
    return synapse.register_user(f"{prefix}-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex)


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with LocalSynapse(tmp / "synapse") as synapse:
            user = register(synapse, "cdo")
            bot = BotProcess(
                synapse,
                register(synapse, "bot"),
                admin=user.user_id,
                allowed_inviters=["localhost"],
                workdir=tmp,
            )
            echo = register(synapse, "echo")
            echo_proc = subprocess.Popen(  # noqa: ASYNC220 (started once, before measuring)
                [sys.executable, __file__, "--echo", synapse.url, echo.user_id, echo.device_id,
                 echo.access_token],
            )  # fmt: skip
            bot.start()
            client = await TestClient.create(synapse.url, user, tmp / "store")
            try:
                results: dict[str, list[float]] = {}
                for encrypted in (False, True):
                    room_id = await room_with(client, bot.bot.user_id, encrypted=encrypted)
                    await measure(client, room_id, "!help", 3)  # warm-up: keys, caches
                    kind = "encrypted" if encrypted else "plain"
                    results[f"help_reply_median_{kind}"] = await measure(
                        client, room_id, "!help", rounds
                    )
                room_id = await room_with(client, echo.user_id, encrypted=False)
                await measure(client, room_id, "ping", 3)
                results["echo_reply_median_plain"] = await measure(client, room_id, "ping", rounds)
            finally:
                await client.close()
                bot.stop()
                echo_proc.terminate()
                echo_proc.wait(10)
    for name, values in results.items():
        print(f"figure {name} {statistics.median(values):.1f} ms")
    for name, values in results.items():
        q = statistics.quantiles(values, n=10)
        print(f"# {name}: n={len(values)} p10={q[0]:.1f} p90={q[-1]:.1f} max={max(values):.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--echo":
        asyncio.run(echo_client(*sys.argv[2:6]))
        sys.exit(0)
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    asyncio.run(main(parser.parse_args().rounds))
