"""Shared pieces of the end-to-end tests: bot fixtures and bounded waits for replies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from nio import Event, RoomMessageNotice

from board_bot.dev.devserver import LocalSynapse, RegisteredUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient

REPLY_WAIT = 20.0


def shown_name(user_id: str) -> str:
    """How the bot names a user registered here: Synapse gives a new account its local part as
    display name, and the bot names people by their display name alone."""
    return user_id[1:].split(":", 1)[0]


def register(synapse: LocalSynapse, prefix: str) -> RegisteredUser:
    return synapse.register_user(f"{prefix}-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex}")


@pytest.fixture(scope="module")
def chair(synapse: LocalSynapse) -> RegisteredUser:
    return register(synapse, "cdo")


@pytest.fixture
def chair_device(synapse: LocalSynapse, chair: RegisteredUser) -> RegisteredUser:
    """The chair on a new device: each test client needs its own device and crypto store."""
    return synapse.login(chair.user_id[1:].split(":")[0], chair.password)


@pytest.fixture(scope="module")
def bot(
    synapse: LocalSynapse, chair: RegisteredUser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    process = BotProcess(
        synapse,
        register(synapse, "board-bot"),
        admin=chair.user_id,
        allowed_inviters=[chair.user_id],
        workdir=tmp_path_factory.mktemp("bot"),
    )
    process.start()
    yield process
    process.stop()


def reply_to(event_id: str) -> Any:
    def match(event: Event) -> bool:
        relates = event.source.get("content", {}).get("m.relates_to", {})
        return relates.get("m.in_reply_to", {}).get("event_id") == event_id

    return match


def replies_to(client: TestClient, room_id: str, event_id: str) -> list[Event]:
    return [e for e in client.events_in(room_id) if reply_to(event_id)(e)]


async def command(client: TestClient, room_id: str, text: str) -> RoomMessageNotice:
    """Send a command and wait for the bot's reply to it."""
    event_id = await client.send_text(room_id, text)
    event = await client.wait_for(reply_to(event_id), REPLY_WAIT, room_id=room_id, what=text)
    assert isinstance(event, RoomMessageNotice), event
    return event


async def board_room(
    client: TestClient, bot: BotProcess, *, encrypted: bool, invite: list[str] = ()
) -> str:
    room_id = await client.create_room(encrypted=encrypted, invite=[bot.bot.user_id, *invite])
    try:
        await client.wait_for_membership(room_id, bot.bot.user_id, "join", REPLY_WAIT)
    except TimeoutError as exc:
        raise AssertionError(f"bot did not join; its log:\n{bot.log()[-3000:]}") from exc
    return room_id
