"""Catalogue items 2 and 6: a 502 with an HTML body, and 429s, between the bot and Synapse."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from board_bot.dev.devserver import LocalSynapse, RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.faulty_proxy import FaultyProxy, bad_gateway, fail_next, rate_limited
from tests.e2e.helpers import REPLY_WAIT, board_room, command, reply_to
from tests.e2e.synapse_fixture import ClientFactory

pytestmark = [pytest.mark.e2e]


@pytest_asyncio.fixture
async def proxy(synapse: LocalSynapse) -> AsyncIterator[FaultyProxy]:
    proxy = FaultyProxy(synapse.url)
    await proxy.start()
    yield proxy
    await proxy.stop()


@pytest.fixture
def chair(synapse: LocalSynapse) -> RegisteredUser:
    return synapse.register_user(f"cdo-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex)


@pytest.fixture
def proxied_bot(
    synapse: LocalSynapse, proxy: FaultyProxy, chair: RegisteredUser, tmp_path: Path
) -> Iterator[BotProcess]:
    bot_user = synapse.register_user(f"bot-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex)
    process = BotProcess(
        synapse,
        bot_user,
        admin=chair.user_id,
        allowed_inviters=["localhost"],
        workdir=tmp_path,
        homeserver=proxy.url,
    )
    process.start()
    yield process
    process.stop()


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


async def test_bad_gateway_with_html_is_retried_with_backoff(
    proxied_bot: BotProcess, proxy: FaultyProxy, chair: RegisteredUser, make_client: ClientFactory
) -> None:
    cdo = await make_client(chair)
    room_id = await board_room(cdo, proxied_bot, encrypted=False)
    await command(cdo, room_id, "!help")

    proxy.faults.append(fail_next("/sync", 2, bad_gateway))
    reply = await command(cdo, room_id, "!about")  # ends the long-poll; the next syncs fail
    later = await command(cdo, room_id, "!board show")

    assert "Smart City Board Bot" in reply.body and "noch kein" in later.body
    failed = [t for t, _, status in proxy.requests("/sync") if status == 502]
    assert len(failed) == 2
    # Backoff, not a hot loop: about 1 s between the failing syncs, then 2 s.
    assert all(gap >= 0.7 for gap in gaps(failed)), gaps(failed)
    assert proxied_bot.proc is not None and proxied_bot.proc.poll() is None


async def test_rate_limited_sync_waits_as_told(
    proxied_bot: BotProcess, proxy: FaultyProxy, chair: RegisteredUser, make_client: ClientFactory
) -> None:
    cdo = await make_client(chair)
    room_id = await board_room(cdo, proxied_bot, encrypted=False)
    await command(cdo, room_id, "!help")

    proxy.faults.append(fail_next("/sync", 1, lambda: rate_limited(1500)))
    await command(cdo, room_id, "!about")
    await command(cdo, room_id, "!board show")

    syncs = proxy.requests("/sync")
    limited = [i for i, (_, _, status) in enumerate(syncs) if status == 429]
    assert len(limited) == 1
    waited = syncs[limited[0] + 1][0] - syncs[limited[0]][0]
    assert 1.3 <= waited <= 10, waited


async def test_a_rate_limited_reply_does_not_hold_up_other_rooms(
    proxied_bot: BotProcess, proxy: FaultyProxy, chair: RegisteredUser, make_client: ClientFactory
) -> None:
    cdo = await make_client(chair)
    slow_room = await board_room(cdo, proxied_bot, encrypted=False)
    fast_room = await board_room(cdo, proxied_bot, encrypted=False)
    await command(cdo, slow_room, "!help")
    await command(cdo, fast_room, "!help")

    # Only a Retry-After header, no retry_after_ms: the bot falls back to its own backoff.
    proxy.faults.append(
        fail_next(f"/rooms/{slow_room}/send/", 1, lambda: rate_limited(None, retry_after_header=2))
    )
    slow = await cdo.send_text(slow_room, "!about")
    fast = await cdo.send_text(fast_room, "!about")
    fast_reply = await cdo.wait_for(reply_to(fast), REPLY_WAIT, room_id=fast_room)
    slow_reply = await cdo.wait_for(reply_to(slow), REPLY_WAIT, room_id=slow_room)

    assert fast_reply.server_timestamp <= slow_reply.server_timestamp
    sends = proxy.requests(f"/rooms/{slow_room}/send/")
    assert [status for _, _, status in sends][-2:] == [429, 200]
    assert sends[-1][0] - sends[-2][0] >= 0.7  # waited before trying again
