"""Smoke tests for the Synapse fixtures and the e2e TestClient."""

from __future__ import annotations

import pytest

from tests.e2e.synapse_fixture import ClientFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]


async def _alice_says_hello_to_bob(
    make_user: UserFactory, make_client: ClientFactory, *, encrypted: bool
) -> None:
    alice = await make_client(make_user("alice"))
    bob = await make_client(make_user("bob"))

    room_id = await alice.create_room(encrypted=encrypted, invite=[bob.user_id])
    assert await bob.wait_for_invite(room_id) == room_id
    await bob.join(room_id)
    await alice.wait_for_membership(room_id, bob.user_id, "join")

    event_id = await alice.send_text(room_id, "hello")

    message = await bob.wait_for_text(room_id, "hello")
    assert message.event_id == event_id
    assert message.sender == alice.user_id
    assert bob.client.rooms[room_id].encrypted is encrypted
    # In an encrypted room the event really went over the wire encrypted.
    assert message.decrypted is encrypted


async def test_encrypted_room_message_is_decrypted(
    make_user: UserFactory, make_client: ClientFactory
) -> None:
    await _alice_says_hello_to_bob(make_user, make_client, encrypted=True)


async def test_plain_room_message(make_user: UserFactory, make_client: ClientFactory) -> None:
    await _alice_says_hello_to_bob(make_user, make_client, encrypted=False)
