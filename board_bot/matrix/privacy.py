"""The homeserver's part of ``board-bot privacy erase``: a person's display names (their
profile, and per room in the boards' rooms) and the redaction of the bot's own messages that
named them. A short-lived client with the bot's stored login: no sync, no crypto store, no new
login (a password login would make a new device)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ProfileGetDisplayNameResponse,
    RoomGetStateEventResponse,
    RoomRedactResponse,
)

from board_bot.core.config import Config
from board_bot.matrix.session import LoginFailed, load_credentials

# A 429 with a longer wait than this counts as "not redacted" (the admin can run it again).
MAX_RETRY_WAIT = 30.0
MAX_RETRIES = 3  # per message
_CONNECTION = (ClientError, OSError, TimeoutError)


class Unreachable(Exception):
    """The homeserver cannot be asked: not reachable, or no login to ask it with, or it broke
    off in the middle (``found``: the display names it gave until then)."""

    def __init__(self, message: str, found: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.found = list(found)


@dataclass
class Redactions:
    done: int = 0
    #: (room, event, why) of the messages not redacted
    failed: list[tuple[str, str, str]] = field(default_factory=list)


def _client(config: Config) -> AsyncClient:
    try:
        creds = load_credentials(config)
    except LoginFailed as exc:
        raise Unreachable(str(exc)) from exc
    if creds is not None:
        user_id, device_id, token = creds.user_id, creds.device_id, creds.access_token
    elif config.matrix.access_token:
        user_id, device_id, token = config.matrix.user_id, "", config.matrix.access_token
    else:
        path = config.storage.data_dir
        raise Unreachable(f"no stored login in {path} (has the bot ever logged in?)")
    client = AsyncClient(
        config.matrix.homeserver,
        user_id,
        config=AsyncClientConfig(
            encryption_enabled=False,  # redactions and profiles are not encrypted
            store_sync_tokens=False,
            max_timeouts=1,
            max_limit_exceeded=0,
            request_timeout=15,
        ),
    )
    # restore_login() without loading a crypto store: this client never syncs nor encrypts.
    client.user_id, client.device_id, client.access_token = user_id, device_id, token
    return client


def _refused(response: object) -> str:
    return (
        f"{getattr(response, 'status_code', None) or 'error'}: {getattr(response, 'message', '')}"
    )


async def display_names(config: Config, user_id: str, rooms: Iterable[str]) -> list[str]:
    """The display names ``user_id`` goes by: their profile's, and their own in ``rooms``
    (only those the homeserver shows the bot). Raises :class:`Unreachable`, also when the
    homeserver stops answering after some of the rooms: a partial list is not the list."""
    client = _client(config)
    names: list[str] = []
    try:
        try:
            profile = await client.get_displayname(user_id)
        except _CONNECTION as exc:
            raise Unreachable(f"{config.matrix.homeserver}: {type(exc).__name__}: {exc}") from exc
        if getattr(profile, "status_code", None) == "M_UNKNOWN_TOKEN":
            raise Unreachable(f"{config.matrix.homeserver} refused the stored login")
        if isinstance(profile, ProfileGetDisplayNameResponse) and profile.displayname:
            names.append(profile.displayname)
        for room in rooms:
            try:
                state = await client.room_get_state_event(room, "m.room.member", user_id)
            except _CONNECTION as exc:
                raise Unreachable(
                    f"{config.matrix.homeserver} stopped answering while the rooms were asked: "
                    f"{type(exc).__name__}: {exc}",
                    dict.fromkeys(names),
                ) from exc
            if isinstance(state, RoomGetStateEventResponse):
                shown = state.content.get("displayname")
                if isinstance(shown, str) and shown:
                    names.append(shown)
    finally:
        await client.close()
    return list(dict.fromkeys(names))


async def redact(config: Config, events: Iterable[tuple[str, str]]) -> Redactions:
    """Redact the bot's own ``events`` (room, event id), where the homeserver allows it; the
    others are counted with the reason. Raises :class:`Unreachable` when there is no login."""
    client = _client(config)
    result = Redactions()
    pending = list(events)
    retries = 0
    try:
        while pending:
            room, event = pending[0]
            try:
                response = await client.room_redact(room, event)
            except _CONNECTION as exc:
                why = f"homeserver not reachable ({type(exc).__name__})"
                result.failed += [(r, e, why) for r, e in pending]
                break
            wait = getattr(response, "retry_after_ms", None)
            if (
                getattr(response, "status_code", None) == "M_LIMIT_EXCEEDED"
                and wait is not None
                and wait / 1000 <= MAX_RETRY_WAIT
                and retries < MAX_RETRIES
            ):
                retries += 1
                await asyncio.sleep(wait / 1000)  # the homeserver asked for it: then again
                continue
            pending.pop(0)
            retries = 0
            if isinstance(response, RoomRedactResponse):
                result.done += 1
            else:
                result.failed.append((room, event, _refused(response)))
    finally:
        await client.close()
    return result
