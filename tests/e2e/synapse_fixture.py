"""Pytest fixtures for end-to-end tests against a real, local Synapse.

Import them into a conftest with ``from tests.e2e.synapse_fixture import *``.

* ``synapse`` (session): a :class:`LocalSynapse` on a free port in a temp dir.
* ``make_user`` (function): ``make_user(prefix="user", *, admin=False)`` registers a
  fresh user with a unique localpart and returns its :class:`RegisteredUser`.
* ``make_client`` (function, async): ``await make_client(user)`` returns a syncing,
  encryption-enabled :class:`TestClient`; all clients are closed at teardown.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Protocol

import pytest
import pytest_asyncio

from board_bot.dev.devserver import LocalSynapse, RegisteredUser
from tests.e2e.client import TestClient

__all__ = [
    "ClientFactory",
    "TestClient",
    "UserFactory",
    "make_client",
    "make_user",
    "synapse",
]


class UserFactory(Protocol):
    def __call__(self, prefix: str = "user", *, admin: bool = False) -> RegisteredUser: ...


class ClientFactory(Protocol):
    async def __call__(self, user: RegisteredUser) -> TestClient: ...


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSynapse]:
    server = LocalSynapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_user(synapse: LocalSynapse) -> UserFactory:
    def factory(prefix: str = "user", *, admin: bool = False) -> RegisteredUser:
        localpart = f"{prefix.lower()}-{uuid.uuid4().hex[:10]}"
        return synapse.register_user(localpart, f"pw-{uuid.uuid4().hex}", admin=admin)

    return factory


@pytest_asyncio.fixture
async def make_client(
    synapse: LocalSynapse, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[ClientFactory]:
    clients: list[TestClient] = []

    async def factory(user: RegisteredUser) -> TestClient:
        store_dir = tmp_path_factory.mktemp("nio-store")
        client = await TestClient.create(synapse.url, user, store_dir)
        clients.append(client)
        return client

    yield factory
    for client in reversed(clients):
        await client.close()
