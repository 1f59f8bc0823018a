"""The supervised sync loop: events in, dispatcher calls, sync token saved after handling."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from aiohttp import ClientError
from nio import (
    AsyncClient,
    InviteMemberEvent,
    JoinError,
    MegolmEvent,
    MessageDirection,
    ReactionEvent,
    RedactionEvent,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
)
from sqlalchemy.engine import Engine

from board_bot.chat.dispatcher import Dispatcher
from board_bot.chat.framework import Runtime
from board_bot.core import delivery
from board_bot.core.clock import Clock
from board_bot.core.config import Config
from board_bot.core.db import database_unreachable, unit_of_work
from board_bot.core.events import IncomingMessage, IncomingReaction, IncomingRedaction
from board_bot.core.i18n import t
from board_bot.core.ids import server_of
from board_bot.core.metrics import Metrics
from board_bot.core.naming import namer
from board_bot.matrix.outbox import OutboxSender
from board_bot.matrix.pills import command_text
from board_bot.matrix.session import LoginFailed, log_in, make_client
from board_bot.scheduler import jobs
from board_bot.scheduler.runner import run_scheduler

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
TIMELINE_LIMIT = 100
# Timeline events per room and sync; enough for a busy board room between two syncs. More than
# that (after a long downtime) is fetched page by page from /messages.
SYNC_FILTER = {
    "room": {"timeline": {"limit": TIMELINE_LIMIT}},
    "presence": {"not_types": ["*"]},
}
BACKFILL_MAX_PAGES = 20
BACKOFF_START = 1.0
BACKOFF_MAX = 300.0
# A 429 answer's retry_after_ms is honoured up to this many seconds.
RATE_LIMIT_WAIT_MAX = 60.0
# After this many failed attempts an event is given up: recorded, and answered with an apology.
MAX_EVENT_ATTEMPTS = 3

_TRANSIENT = (ClientError, TimeoutError, OSError)


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
        metrics: Metrics | None = None,
    ) -> None:
        self.config = config
        self.engine = engine
        self.dispatcher = dispatcher
        self.clock = clock
        self.runtime = runtime
        self.metrics = metrics
        self.client: AsyncClient = make_client(config)
        self.crypto_lock = asyncio.Lock()
        self.sender = OutboxSender(
            self.client,
            engine,
            clock,
            self.crypto_lock,
            encrypt_direct_rooms=config.encryption.enabled,
            names=lambda room_id: namer(room_id, self._display_name, self._room_members),
        )
        self._account = config.matrix.user_id
        self._attempts: dict[str, int] = {}
        runtime.display_name = self._display_name
        runtime.room_members = self._room_members
        runtime.joined = self._joined
        runtime.room_encrypted = self._room_encrypted

    async def run(self) -> None:
        """Log in, then sync until cancelled. Raises TokenRevoked or LoginFailed to stop."""
        sender_task: asyncio.Task[None] | None = None
        scheduler_task: asyncio.Task[None] | None = None
        try:
            await self._log_in()
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
                except _TRANSIENT as exc:
                    log.warning("sync failed (%s); retrying in %.0f s", type(exc).__name__, delay)
                    delay = await _backoff(delay)
                    continue
                if not isinstance(response, SyncResponse):
                    delay = await self._sync_error(response, delay)
                    continue
                try:
                    await self._handle_sync(response, since=token)
                except Exception:
                    # The token is not saved: the batch is fetched and handled again (handled
                    # events are skipped then). Typically the database is unreachable.
                    log.exception("handling a sync batch failed; retrying in %.0f s", delay)
                    delay = await _backoff(delay)
                    continue
                token = response.next_batch
                first = False
                if self.metrics is not None:
                    self.metrics.synced()
                delay = BACKOFF_START
                if sender_task is None:  # rooms are known now: pending replies can go out
                    sender_task = asyncio.create_task(self.sender.run(), name="outbox")
                    scheduler_task = asyncio.create_task(self._run_scheduler(), name="rounds")
                self.sender.wake()  # replies to rooms joined in this batch can go out now
                await self._maintain_keys()
        finally:
            for task in (scheduler_task, sender_task):
                if task is not None:
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
            await self.client.close()  # closes the HTTP session; never logout()

    async def _run_scheduler(self) -> None:
        """The status rounds' scheduler; its jobs wake the outbox when they queued prompts."""
        loop = asyncio.get_running_loop()
        context = jobs.JobContext(
            engine=self.engine,
            clock=self.clock,
            prefix=self.config.bot.command_prefix,
            wake=lambda: _call_soon(loop, self.sender.wake),
            display_name=self._display_name,
            room_members=self._room_members,
            joined=self._joined,
            metrics=self.metrics,
            retention=self.config.retention,
            oparl=self.config.oparl,
        )
        try:
            await run_scheduler(context, self.config.bot.timezone)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the status round scheduler stopped")
        finally:
            jobs.install(None)

    async def _log_in(self) -> None:
        """Log in (or restore the login), retrying while the homeserver is unreachable."""
        delay = BACKOFF_START
        while True:
            try:
                await log_in(self.client, self.config)
                if self.client.should_upload_keys:
                    await self.client.keys_upload()
                return
            except _TRANSIENT as exc:
                log.warning(
                    "homeserver %s unreachable (%s); retrying in %.0f s",
                    self.config.matrix.homeserver,
                    type(exc).__name__,
                    delay,
                )
                delay = await _backoff(delay)

    async def _sync_error(self, response: Any, delay: float) -> float:
        """Wait after a sync error answer; returns the next backoff delay."""
        code = getattr(response, "status_code", None)
        if code == "M_UNKNOWN_TOKEN":
            raise TokenRevoked(
                "the homeserver rejected the bot's access token (M_UNKNOWN_TOKEN); "
                f"delete {self.config.storage.data_dir / 'credentials.json'} to log "
                "in again with matrix.password, or set a new matrix.access_token"
            )
        retry_ms = getattr(response, "retry_after_ms", None)
        if code == "M_LIMIT_EXCEEDED" and retry_ms:
            wait = min(retry_ms / 1000, RATE_LIMIT_WAIT_MAX)
            log.warning("sync rate-limited by the homeserver; waiting %.1f s", wait)
            await asyncio.sleep(wait)
            return delay
        log.warning("sync answered %s; retrying in %.0f s", code or "an error", delay)
        return await _backoff(delay)

    # --- one batch ------------------------------------------------------------------------------

    async def _handle_sync(self, response: SyncResponse, *, since: str | None) -> None:
        for room_id, info in response.rooms.invite.items():
            await self._handle_invite(room_id, info.invite_state)
        if since is not None:  # on the very first start, history is not a command
            for room_id, info in response.rooms.join.items():
                events = list(info.timeline.events)
                joined_at = self._own_join(events)
                if joined_at is not None:
                    events = events[joined_at + 1 :]  # what came before we joined is not for us
                elif info.timeline.limited and info.timeline.prev_batch:
                    events = await self._backfill(room_id, info.timeline.prev_batch, since) + events
                for event in events:
                    await self._handle_event(room_id, event)
        self.runtime.joined_rooms = len(self.client.rooms)
        await asyncio.to_thread(self._save_token, response.next_batch)

    def _own_join(self, events: list[Any]) -> int | None:
        """Index of the bot's own join in a timeline, if it joined in this batch."""
        for index, event in enumerate(events):
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self._account
                and event.membership == "join"
                and event.prev_membership != "join"
            ):
                return index
        return None

    async def _backfill(self, room_id: str, prev_batch: str, since: str) -> list[Any]:
        """The events a limited timeline left out, oldest first, back to our last sync."""
        oldest_wanted = self.clock.now() - self.config.bot.max_command_age - timedelta(hours=1)
        pages: list[list[Any]] = []
        start: str | None = prev_batch
        for _ in range(BACKFILL_MAX_PAGES):
            response = await self.client.room_messages(
                room_id, start=start, end=since, direction=MessageDirection.back, limit=100
            )
            if not isinstance(response, RoomMessagesResponse) or not response.chunk:
                break
            pages.append(list(reversed(response.chunk)))
            oldest = response.chunk[-1]
            if _sent_at(oldest, self.clock) < oldest_wanted or not response.end:
                break
            start = response.end
        events = [event for page in reversed(pages) for event in page]
        log.info("fetched %d events that a limited sync left out in %s", len(events), room_id)
        return events

    async def _handle_event(self, room_id: str, event: Any) -> None:
        """One timeline event. Errors of one event do not stop the others, except an unreachable
        database, which aborts the batch so that it is fetched again."""
        if isinstance(event, MegolmEvent):
            log.warning("could not decrypt event %s in %s (no room key)", event.event_id, room_id)
            return
        if isinstance(event, ReactionEvent):
            if event.sender == self._account:
                return
            reaction = IncomingReaction(
                event_id=event.event_id,
                room_id=room_id,
                sender=event.sender,
                reacts_to=event.reacts_to,
                key=event.key,
            )
            # Errors propagate (the batch is fetched again): a vote must not be lost; but one
            # that fails again and again is given up, so that it cannot stall the sync.
            try:
                if await asyncio.to_thread(self.dispatcher.reacted, reaction):
                    self.sender.wake()
            except Exception as exc:
                if not self._give_up(event.event_id, exc):
                    raise
                log.exception("giving up reaction %s", event.event_id)
            self._attempts.pop(event.event_id, None)
            return
        if isinstance(event, RedactionEvent):
            redaction = self._as_redaction(room_id, event)
            if redaction is not None:
                # Errors propagate (the batch is fetched again), as for messages: a removal
                # that was asked for must not be lost.
                ids = await asyncio.to_thread(self.dispatcher.redacted, redaction)
                if ids:
                    self.sender.wake()
            return
        try:
            message = self._as_message(room_id, event)
        except Exception:
            log.exception("skipping a malformed event in %s", room_id)
            return
        if message is None:
            return
        try:
            ids = await asyncio.to_thread(self.dispatcher.handle, message)
        except Exception as exc:
            if not self._give_up(message.event_id, exc):
                raise
            log.exception("giving up event %s", message.event_id)
            ids = await asyncio.to_thread(self.dispatcher.give_up, message)
        self._attempts.pop(message.event_id, None)
        if ids:
            self.sender.wake()

    def _give_up(self, event_id: str, exc: Exception) -> bool:
        """Whether an event whose handling failed is given up (recorded, and a message answered
        with an apology): after :data:`MAX_EVENT_ATTEMPTS` failures of its own, never while the
        database cannot be reached. Until it can, the event is tried again (the batch is
        fetched again, with backoff), so that a command is carried out once it can be, and not
        apologised for because the database came back just as it was being given up. A
        statement that fails by itself (cancelled by the statement timeout, say) counts."""
        if database_unreachable(exc):
            return False  # no fault of the event's: not counted
        attempts = self._attempts.get(event_id, 0) + 1
        self._attempts[event_id] = attempts
        return attempts >= MAX_EVENT_ATTEMPTS

    def _as_message(self, room_id: str, event: Any) -> IncomingMessage | None:
        """A text message from someone else (a command, maybe a status answer, or an edit of
        one), or None."""
        if not isinstance(event, RoomMessageText) or event.sender == self._account:
            return None
        content = event.source.get("content", {})
        relates = content.get("m.relates_to", {})
        relates = relates if isinstance(relates, dict) else {}
        if relates.get("rel_type") == "m.replace":
            # An edit: commands are sent anew, but an edited status answer counts as edited.
            new = content.get("m.new_content", {})
            original = relates.get("event_id")
            if not isinstance(new, dict) or not isinstance(original, str):
                return None
            body = new.get("body")
            if not isinstance(body, str) or self.dispatcher.is_command(body):
                return None
            return IncomingMessage(
                event_id=event.event_id,
                room_id=room_id,
                sender=event.sender,
                body=body,
                sent_at=_sent_at(event, self.clock),
                replaces=original,
            )
        reply = relates.get("m.in_reply_to", {})
        reply_to = reply.get("event_id") if isinstance(reply, dict) else None
        thread_root = relates.get("event_id") if relates.get("rel_type") == "m.thread" else None
        if thread_root is not None and relates.get("is_falling_back") is True:
            reply_to = None  # only the thread's fallback for clients without threads
        body = event.body
        if self.dispatcher.is_command(event.body):
            text = command_text(event.body, event.formatted_body if event.format else None)
            body = text if self.dispatcher.is_command(text) else event.body
        elif reply_to is not None:
            body = _strip_reply_fallback(body)
        return IncomingMessage(
            event_id=event.event_id,
            room_id=room_id,
            sender=event.sender,
            body=body,
            sent_at=_sent_at(event, self.clock),
            reply_to=reply_to if isinstance(reply_to, str) else None,
            thread_root=thread_root if isinstance(thread_root, str) else None,
        )

    def _as_redaction(self, room_id: str, event: RedactionEvent) -> IncomingRedaction | None:
        if event.sender == self._account or not event.redacts:
            return None
        room = self.client.rooms.get(room_id)
        moderator = bool(room is not None and room.power_levels.can_user_redact(event.sender))
        return IncomingRedaction(
            event_id=event.event_id,
            room_id=room_id,
            sender=event.sender,
            redacts=event.redacts,
            may_redact_others=moderator,
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
            if await asyncio.to_thread(self.dispatcher.greet, room_id):
                self.sender.wake()
        else:
            log.warning("refusing invite to %s from %s: not an allowed inviter", room_id, inviter)
            await self._leave(room_id, t(self.config.bot.language, "invite.refused"))

    def _display_name(self, room_id: str, user_id: str) -> str | None:
        """The user's display name in ``room_id``; when they are not in it (a deputy named in
        a direct room, say), the name they have in another room the bot shares with them."""
        rooms = self.client.rooms
        room = rooms.get(room_id)
        user = room.users.get(user_id) if room else None
        if user is None:
            try:  # called from worker threads while the loop may add rooms
                user = next(
                    (r.users[user_id] for r in list(rooms.values()) if user_id in r.users), None
                )
            except RuntimeError:
                user = None
        return user.display_name if user and user.display_name else None

    def _room_members(self, room_id: str) -> frozenset[str] | None:
        room = self.client.rooms.get(room_id)
        if room is None:
            return None
        try:  # called from the dispatcher's thread while the loop may update the room
            return frozenset(room.users) | frozenset(room.invited_users)
        except RuntimeError:
            return None

    def _joined(self, room_id: str, user_id: str) -> bool | None:
        """Whether the user joined ``room_id`` (False: invited only, or not in it); None when
        the room is not known."""
        room = self.client.rooms.get(room_id)
        if room is None:
            return None
        try:  # called from the scheduler's thread while the loop may update the room
            return user_id in room.users and user_id not in room.invited_users
        except RuntimeError:
            return None

    def _room_encrypted(self, room_id: str) -> bool | None:
        """Whether ``room_id`` is encrypted (its state has ``m.room.encryption``); None when the
        room is not known."""
        room = self.client.rooms.get(room_id)
        return None if room is None else bool(room.encrypted)

    def _may_invite(self, inviter: str) -> bool:
        allowed = self.config.bot.allowed_inviters
        return (
            inviter in allowed or server_of(inviter) in allowed or inviter in self.config.bot.admins
        )

    async def _leave(self, room_id: str, reason: str) -> None:
        """Leave with a reason, which nio's room_leave cannot give."""
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/leave"
        headers = {
            "Authorization": f"Bearer {self.client.access_token}",
            "Content-Type": "application/json",
        }
        try:
            response = await self.client.send(
                "POST", path, data=json.dumps({"reason": reason}), headers=headers
            )
            async with response:
                if response.status != 200:
                    log.warning("leaving %s answered HTTP %s", room_id, response.status)
        except _TRANSIENT as exc:
            log.warning("leaving %s failed: %s", room_id, exc)

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


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    loop.call_soon_threadsafe(callback)


def _strip_reply_fallback(body: str) -> str:
    """A reply's body without the quoted ``> `` lines some clients still put before it."""
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _sent_at(event: Any, clock: Clock) -> datetime:
    """When the event was sent, by its server's clock; an impossible timestamp counts as now."""
    try:
        return datetime.fromtimestamp(int(event.server_timestamp) / 1000, UTC)
    except (ValueError, OverflowError, OSError, TypeError, AttributeError):
        return clock.now()


async def _backoff(delay: float) -> float:
    """Sleep ``delay`` (with jitter) and return the next, doubled up to BACKOFF_MAX."""
    await asyncio.sleep(delay * random.uniform(0.8, 1.2))
    return min(delay * 2, BACKOFF_MAX)


__all__ = ["LoginFailed", "MatrixBot", "TokenRevoked"]
