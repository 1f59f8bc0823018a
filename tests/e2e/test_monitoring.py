"""The monitoring port of the real bot process against a real Synapse (issue 15): /readyz turns
200 once the bot synced and its scheduler runs, /metrics counts a command typed in a room, and
the JSON log lines carry neither what people wrote nor the bot's access token."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from board_bot.dev.devserver import LocalSynapse, RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import board_room, command, register
from tests.e2e.synapse_fixture import ClientFactory

pytestmark = [pytest.mark.e2e]

READY_WAIT = 30.0  # seconds: log-in, first sync, the scheduler's lease


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def monitored_bot(
    synapse: LocalSynapse, chair: RegisteredUser, tmp_path: Path
) -> Iterator[tuple[BotProcess, int]]:
    port = free_port()
    process = BotProcess(
        synapse,
        register(synapse, "board-bot"),
        admin=chair.user_id,
        allowed_inviters=[chair.user_id],
        workdir=tmp_path,
    )
    with process.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[monitoring]\nport = {port}\n\n[logging]\nformat = "json"\n')
    process.start()
    yield process, port
    process.stop()


async def wait_ready(bot: BotProcess, port: int) -> dict[str, object]:
    """Poll /readyz until it answers 200, within READY_WAIT."""
    deadline = time.monotonic() + READY_WAIT
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        try:
            last = await asyncio.to_thread(fetch, port, "/readyz")
        except OSError:  # not listening yet
            last = (0, "")
        if last[0] == 200:
            return dict(json.loads(last[1]))
        await asyncio.sleep(0.2)
    raise AssertionError(f"/readyz never answered 200 (last {last}); log:\n{bot.log()[-3000:]}")


def metric(text: str, sample: str) -> float | None:
    found = re.search("^" + re.escape(sample) + r" (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else None


async def test_ready_and_counting_against_a_real_homeserver(
    monitored_bot: tuple[BotProcess, int],
    chair_device: RegisteredUser,
    make_client: ClientFactory,
) -> None:
    bot, port = monitored_bot
    ready = await wait_ready(bot, port)
    assert ready["checks"] == {"database": "ok", "sync": "ok", "scheduler": "ok"}
    assert (await asyncio.to_thread(fetch, port, "/healthz"))[0] == 200

    cdo = await make_client(chair_device)
    room_id = await board_room(cdo, bot, encrypted=False)
    reply = await command(cdo, room_id, "!help")
    assert "Hilfe zum Smart City Board Bot" in reply.body
    await command(cdo, room_id, "!zzgeheimwort")  # an unknown command, never in a log

    status, text = await asyncio.to_thread(fetch, port, "/metrics")
    assert status == 200
    assert metric(text, 'board_bot_commands_total{group="help",outcome="ok"}') == 1.0
    assert metric(text, 'board_bot_commands_total{group="unknown",outcome="unknown"}') == 1.0
    assert metric(text, "board_bot_scheduler_leader") == 1.0
    lag = metric(text, "board_bot_sync_lag_seconds")
    assert lag is not None and lag == lag  # a number, not NaN: it synced
    backlog = metric(text, "board_bot_outbox_backlog")
    assert backlog is not None and backlog >= 0
    assert "zzgeheimwort" not in text

    log = bot.log()
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(e["logger"] == "board_bot.core.monitoring" for e in entries), log[-2000:]
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    assert "zzgeheimwort" not in log and "Hilfe zum" not in log
    credentials = json.loads((bot.workdir / "data" / "credentials.json").read_text())
    assert credentials["access_token"] not in log
