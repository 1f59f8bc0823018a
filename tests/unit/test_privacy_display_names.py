"""``board-bot privacy erase`` asks the homeserver for the person's display names: a homeserver
that stops answering in the middle of the rooms is unreachable, not a shorter list (a partial
list would leave the other names in the texts)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from nio import ProfileGetDisplayNameResponse, RoomGetStateEventResponse

from board_bot.matrix import privacy

ERIKA = "@erika:kiel.de"


class FakeClient:
    """Answers the profile and the first room, then the connection breaks."""

    def __init__(self, rooms_answered: int) -> None:
        self.rooms_answered = rooms_answered
        self.closed = False

    async def get_displayname(self, user_id: str) -> Any:
        return ProfileGetDisplayNameResponse("Erika Mustermann")

    async def room_get_state_event(self, room: str, kind: str, key: str) -> Any:
        if self.rooms_answered == 0:
            raise ConnectionResetError("gone")
        self.rooms_answered -= 1
        return RoomGetStateEventResponse({"displayname": f"Erika in {room}"}, kind, key, room)

    async def close(self) -> None:
        self.closed = True


def names(client: FakeClient, rooms: list[str]) -> list[str]:
    config = SimpleNamespace(matrix=SimpleNamespace(homeserver="https://matrix.kiel.de"))
    return asyncio.run(privacy.display_names(config, ERIKA, rooms))  # type: ignore[arg-type]


def test_all_rooms_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    client = FakeClient(rooms_answered=2)
    monkeypatch.setattr(privacy, "_client", lambda _config: client)
    assert names(client, ["!a:kiel.de", "!b:kiel.de"]) == [
        "Erika Mustermann",
        "Erika in !a:kiel.de",
        "Erika in !b:kiel.de",
    ]
    assert client.closed


def test_a_room_loop_broken_off_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    client = FakeClient(rooms_answered=1)
    monkeypatch.setattr(privacy, "_client", lambda _config: client)
    with pytest.raises(privacy.Unreachable) as broken:
        names(client, ["!a:kiel.de", "!b:kiel.de", "!c:kiel.de"])
    assert "stopped answering" in str(broken.value)
    assert broken.value.found == ["Erika Mustermann", "Erika in !a:kiel.de"]
    assert client.closed
