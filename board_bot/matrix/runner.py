"""The supervised sync loop: events in, dispatcher calls, sync token saved after handling."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from aiohttp import ClientError
from nio import (
    AsyncClient,
    InviteMemberEvent,
    JoinError,
    RoomMessageText,
    SyncResponse,
)
from sqlalchemy.engine import Engine

from board_bot.clock import Clock
from board_bot.config import Config
from board_bot.db import unit_of_work
from board_bot.dispatcher import Dispatcher, IncomingMessage
from board_bot.i18n import t
from board_bot.ids import server_of
from board_bot.matrix.outbox import OutboxSender
from board_bot.matrix.session import LoginFailed, log_in, make_client
from board_bot.render import Safe, message_contents
from board_bot.services import delivery
from commands.framework import Runtime

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
# Timeline events per room and sync; enough for a busy board room between two syncs.
SYNC_FILTER = {"room": {"timeline": {"limit": 100}}, "presence": {"not_types": ["*"]}}
BACKOFF_START = 1.0
BACKOFF_MAX = 300.0


class TokenRevoked(RuntimeError):
    """The homeserver no longer accepts our access token."""


class MatrixBot:
    def __init__(
        self,
        *,
        config: Config,
        engine: Engine,
        dispatcher: Dispatcher,
        clock: Clock,
        runtime: Runtime,
    ) -> None:
        self.config = config
        self.engine = engine
        self.dispatcher = dispatcher
        self.clock = clock
        self.runtime = runtime
        self.client: AsyncClient = make_client(config)
        self.sender = OutboxSender(self.client, engine, clock)
        self.crypto_lock = asyncio.Lock()
        self.sender.before_send = self._before_send
        self._account = config.matrix.user_id

    async def run(self) -> None:
        """Log in, then sync until cancelled. Raises TokenRevoked or LoginFailed to stop."""
        sender_task: asyncio.Task[None] | None = None
        try:
            await log_in(self.client, self.config)
            if self.client.should_upload_keys:
                await self.client.keys_upload()
            token = await asyncio.to_thread(self._load_token)
            first = True
            delay = BACKOFF_START
            while True:
                try:
                    response = await self.client.sync(
                        timeout=SYNC_TIMEOUT_MS,
                        since=token,
                        full_state=first,  # nio keeps no room state across restarts
                        sync_filter=SYNC_FILTER,
                    )
                except (ClientError, TimeoutError, OSError) as exc:
                    log.warning("sync failed (%s); retrying in %.0f s", type(exc).__name__, delay)
                    delay = await _backoff(delay)
                    continue
                if not isinstance(response, SyncResponse):
                    code = getattr(response, "status_code", None)
                    if code == "M_UNKNOWN_TOKEN":
                        raise TokenRevoked(
                            "the homeserver rejected the bot's access token (M_UNKNOWN_TOKEN); "
                            f"delete {self.config.storage.data_dir / 'credentials.json'} to log "
                            "in again with matrix.password, or set a new matrix.access_token"
                        )
                    log.warning("sync answered %s; retrying in %.0f s", code or "an error", delay)
                    delay = await _backoff(delay)
                    continue
                try:
                    await self._handle_sync(response, initial=token is None)
                except Exception:
                    # The token is not saved: the batch is fetched and handled again (handled
                    # events are skipped then). Typically the database is unreachable.
                    log.exception("handling a sync batch failed; retrying in %.0f s", delay)
                    delay = await _backoff(delay)
                    continue
                token = response.next_batch
                first = False
                delay = BACKOFF_START
                if sender_task is None:  # rooms are known now: pending replies can go out
                    sender_task = asyncio.create_task(self.sender.run(), name="outbox")
                self.sender.wake()  # replies to rooms joined in this batch can go out now
                await self._maintain_keys()
        finally:
            if sender_task is not None:
                sender_task.cancel()
                await asyncio.gather(sender_task, return_exceptions=True)
            await self.client.close()  # closes the HTTP session; never logout()

    # --- one batch ------------------------------------------------------------------------------

    async def _handle_sync(self, response: SyncResponse, *, initial: bool) -> None:
        for room_id, info in response.rooms.invite.items():
            await self._handle_invite(room_id, info.invite_state)
        for room_id, info in response.rooms.join.items():
            if initial:
                continue  # history from before the bot's first start is not a command
            for event in info.timeline.events:
                message = self._as_command(room_id, event)
                if message is None:
                    continue
                ids = await asyncio.to_thread(self.dispatcher.handle, message)
                if ids:
                    self.sender.wake()
        self.runtime.joined_rooms = len(self.client.rooms)
        await asyncio.to_thread(self._save_token, response.next_batch)

    def _as_command(self, room_id: str, event: Any) -> IncomingMessage | None:
        """A text message from someone else that starts with the prefix, or None."""
        if not isinstance(event, RoomMessageText) or event.sender == self._account:
            return None
        relates = event.source.get("content", {}).get("m.relates_to", {})
        if isinstance(relates, dict) and relates.get("rel_type") == "m.replace":
            return None  # edits are not commands; the user sends the command anew
        if not self.dispatcher.is_command(event.body):
            return None
        return IncomingMessage(
            event_id=event.event_id,
            room_id=room_id,
            sender=event.sender,
            body=event.body,
            sent_at=datetime.fromtimestamp(event.server_timestamp / 1000, UTC),
        )

    async def _handle_invite(self, room_id: str, invite_state: Iterable[Any]) -> None:
        """Act once per invited room, on our own membership event only."""
        inviter = next(
            (
                e.sender
                for e in invite_state
                if isinstance(e, InviteMemberEvent)
                and e.state_key == self._account
                and e.membership == "invite"
            ),
            None,
        )
        if inviter is None:
            return
        if self._may_invite(inviter):
            response = await self.client.join(room_id)
            if isinstance(response, JoinError):
                log.warning("joining %s failed: %s", room_id, response.message)
                return
            log.info("joined %s (invited by %s)", room_id, inviter)
            await asyncio.to_thread(self._greet, room_id)
            self.sender.wake()
        else:
            log.warning("refusing invite to %s from %s: not an allowed inviter", room_id, inviter)
            await self._leave(room_id, t(self.config.bot.language, "invite.refused"))

    def _may_invite(self, inviter: str) -> bool:
        allowed = self.config.bot.allowed_inviters
        return (
            inviter in allowed or server_of(inviter) in allowed or inviter in self.config.bot.admins
        )

    async def _leave(self, room_id: str, reason: str) -> None:
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/leave"
        try:
            response = await self.client.send(
                "POST",
                path,
                data=_json({"reason": reason}),
                headers={
                    "Authorization": f"Bearer {self.client.access_token}",
                    "Content-Type": "application/json",
                },
            )
            if response.status != 200:
                log.warning("leaving %s answered HTTP %s", room_id, response.status)
        except (ClientError, TimeoutError, OSError) as exc:
            log.warning("leaving %s failed: %s", room_id, exc)

    async def _before_send(self, room_id: str) -> None:
        """Make sure every member's devices are known, so that nio shares the room key with all
        of them (nio silently skips devices whose keys it has not fetched)."""
        room = self.client.rooms.get(room_id)
        if room is None or not room.encrypted:
            return
        async with self.crypto_lock:
            if not room.members_synced:
                await self.client.joined_members(room_id)
            if self.client.should_query_keys:
                await self.client.keys_query()

    async def _maintain_keys(self) -> None:
        try:
            async with self.crypto_lock:
                if self.client.should_upload_keys:
                    await self.client.keys_upload()
                if self.client.should_query_keys:
                    await self.client.keys_query()
                if self.client.should_claim_keys:
                    await self.client.keys_claim(self.client.get_users_for_key_claiming())
                await self.client.send_to_device_messages()
        except Exception:
            log.exception("key maintenance failed; trying again after the next sync")

    # --- database, run in worker threads ------------------------------------------------------

    def _load_token(self) -> str | None:
        with unit_of_work(self.engine) as session:
            return delivery.load_sync_token(session, self._account)

    def _save_token(self, token: str) -> None:
        with unit_of_work(self.engine) as session:
            delivery.save_sync_token(session, self._account, token, now=self.clock.now())

    def _greet(self, room_id: str) -> None:
        """One greeting per room, ever: deduplicated like an event."""
        key = f"joined:{room_id}"
        now = self.clock.now()
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, key):
                return
            delivery.mark_handled(
                session, event_id=key, room_id=room_id, outcome="greeted", now=now
            )
            prefix = Safe(self.config.bot.command_prefix)
            text = t(self.config.bot.language, "greeting", prefix=prefix)
            delivery.enqueue(session, room_id=room_id, contents=message_contents(text), now=now)


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data)


async def _backoff(delay: float) -> float:
    """Sleep ``delay`` (with jitter) and return the next, doubled up to BACKOFF_MAX."""
    await asyncio.sleep(delay * random.uniform(0.8, 1.2))
    return min(delay * 2, BACKOFF_MAX)


__all__ = ["LoginFailed", "MatrixBot", "TokenRevoked"]
