"""Sends committed replies, oldest first, each room in order.

A row is marked sent only after the homeserver accepted it. Its transaction id is derived from
the row (id and creation time), so a resend after a crash is deduplicated by the homeserver, and
a reset database cannot reuse an old transaction id. A reply that fails is retried with backoff
while the other rooms' replies go on; after MAX_ATTEMPTS or MAX_AGE it is given up and logged.

A row with a file (``attachment``) is uploaded first (encrypted for an encrypted room), and the
event content with the file's address is saved before the event is sent: a retry sends that same
content under the same transaction id instead of uploading again.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from aiohttp import ClientError
from nio import (
    AsyncClient,
    EnableEncryptionBuilder,
    LocalProtocolError,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
    UploadResponse,
)
from sqlalchemy.engine import Engine

from board_bot.core import delivery
from board_bot.core.clock import Clock
from board_bot.core.db import unit_of_work
from board_bot.core.naming import Namer, plain_names
from board_bot.features.status_rounds import jobs as status_round_jobs
from board_bot.features.status_rounds import service as status_rounds
from board_bot.features.workshops import service as workshops

log = logging.getLogger(__name__)

# Errors that will not heal by retrying: the row is closed with its error.
PERMANENT_ERRORS = frozenset({"M_FORBIDDEN", "M_NOT_FOUND", "M_TOO_LARGE", "M_BAD_JSON"})
MAX_ATTEMPTS = 12
MAX_AGE = timedelta(hours=24)
# A reply to a room nio does not know (yet) waits this long for the room to appear in a sync.
UNKNOWN_ROOM_GRACE = timedelta(minutes=10)
RETRY_START = 1.0
RETRY_MAX = 300.0
RATE_LIMIT_WAIT_MAX = 60.0
# Rooms served side by side; each room's own replies still go out one after the other.
PARALLEL_ROOMS = 8


@dataclass(frozen=True)
class _Pending:
    id: int
    room_id: str
    content: dict[str, object]
    created_at: datetime


def _needs_upload(content: dict[str, object]) -> bool:
    return (
        content.get("msgtype") in ("m.file", "m.image")
        and "url" not in content
        and "file" not in content
    )


def transaction_id(outbox_id: int, created_at: datetime) -> str:
    return f"board-bot-{outbox_id}-{int(created_at.timestamp() * 1_000_000)}"


class OutboxSender:
    def __init__(
        self,
        client: AsyncClient,
        engine: Engine,
        clock: Clock,
        crypto_lock: asyncio.Lock,
        *,
        encrypt_direct_rooms: bool = False,
        direct_room_name: str = "Smart City Board",
        names: Callable[[str], Namer] | None = None,
    ) -> None:
        self.client = client
        self.engine = engine
        self.clock = clock
        self.crypto_lock = crypto_lock
        self.encrypt_direct_rooms = encrypt_direct_rooms
        self.direct_room_name = direct_room_name
        #: how people are named in a room (the bot's own notices about deliveries)
        self.names: Callable[[str], Namer] = names or (lambda room_id: plain_names)
        self._unknown_since: dict[str, float] = {}  # room id -> monotonic time first missed
        self._direct_users: dict[str, str] = {}  # room id -> the person ("" not a direct room)
        self._reinvited: set[str] = set()
        self._wake = asyncio.Event()
        self._retry_at: dict[int, float] = {}  # outbox id -> monotonic time of the next try
        self._failures: dict[int, int] = {}
        #: room id (a user id: a direct room being opened) -> the task sending its rows
        self._workers: dict[str, asyncio.Task[None]] = {}
        # Opening direct rooms has slots of its own, so that a reply in a room that exists
        # never waits behind the opening of two hundred direct rooms for a round's prompts.
        # So do the direct rooms: a round's prompts going out into hundreds of them leave the
        # slots of the board rooms free for replies.
        self._slots = asyncio.Semaphore(PARALLEL_ROOMS)
        self._direct_slots = asyncio.Semaphore(PARALLEL_ROOMS)
        self._openings = asyncio.Semaphore(PARALLEL_ROOMS)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        try:
            while True:
                self._wake.clear()
                try:
                    wait = await self._send_round()
                except Exception:  # the database, typically: try again soon
                    log.exception("sending replies failed; retrying in %.0f s", RETRY_START * 5)
                    wait = RETRY_START * 5
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
        finally:
            workers = list(self._workers.values())
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _send_round(self) -> float | None:
        """Hand what is due to the rooms' workers: each room's rows go out in order, one
        worker a room; rooms go out side by side (at most :data:`PARALLEL_ROOMS` sending, and as
        many direct rooms being opened), so that a round's prompts to many departments take as
        long as the homeserver needs, not the sum of their round trips. No room waits for
        another: a reply queued while two hundred direct rooms are being opened goes out at
        once. A room whose worker is busy is left to it (its rows are never sent twice); the
        worker wakes us when it is done. Returns seconds until a retry is due, or None when
        nothing waits for a retry."""
        rows = await asyncio.to_thread(self._load_pending)
        by_room: dict[str, list[_Pending]] = {}
        for row in rows:
            by_room.setdefault(row.room_id, []).append(row)
        for room_id, room_rows in by_room.items():
            worker = self._workers.get(room_id)
            if worker is not None and not worker.done():
                continue
            self._workers[room_id] = asyncio.create_task(
                self._drain(room_id, room_rows), name=f"outbox {room_id}"
            )
        waiting = {row.id for row in rows}
        due = [at for oid, at in self._retry_at.items() if oid in waiting]
        return max(0.0, min(due) - self.clock.monotonic()) if due else None

    async def _drain(self, room_id: str, rows: list[_Pending]) -> None:
        """Send a room's rows in order until one must wait (for a retry, a new room); then wake
        the loop for what came for the room meanwhile, if this worker got anywhere."""
        done = 0
        try:
            async with self._slots_for(room_id):
                for row in rows:
                    if not await self._send_due(row):
                        break  # the room waits; its later rows must not overtake
                    done += 1
        except asyncio.CancelledError:
            raise
        except Exception:  # the database, typically: this room tries again soon
            log.exception("sending to %s failed; retrying in %.0f s", room_id, RETRY_START * 5)
            if done < len(rows):
                self._retry_at[rows[done].id] = self.clock.monotonic() + RETRY_START * 5
        finally:
            if self._workers.get(room_id) is asyncio.current_task():
                del self._workers[room_id]
        if done:
            self.wake()

    def _slots_for(self, room_id: str) -> asyncio.Semaphore:
        if room_id.startswith("@"):
            return self._openings
        return self._direct_slots if self._direct_users.get(room_id) else self._slots

    async def _send_due(self, row: _Pending) -> bool:
        """One row if it is due; False when its room must wait (for a retry, a new room)."""
        if self._retry_at.get(row.id, 0.0) > self.clock.monotonic():
            return False
        if row.room_id.startswith("@"):
            # A direct message: open (or find) the room with that person first; the rows for
            # them move to it, and go out once nio has synced the new room.
            await self._open_direct_room(row)
            return False
        if row.room_id not in self.client.rooms:
            # Joined (or created) a moment ago: nio knows the room after the next sync, which
            # wakes us. Given up only when it stays unknown for a while.
            first = self._unknown_since.setdefault(row.room_id, self.clock.monotonic())
            if self.clock.monotonic() - first > UNKNOWN_ROOM_GRACE.total_seconds():
                await asyncio.to_thread(self._close, row.id, "not in this room")
            return False
        person = await self._direct_person(row.room_id)
        if person is not None and person not in self.client.rooms[row.room_id].users:
            # A direct room we just opened may show up in a sync half made (Synapse writes the
            # invite after the room), and a person may have left an older one. The room key
            # must be shared with them, so the message waits until nio knows them in the room
            # (invited again, if they left).
            return await self._await_person(row, person)
        self._unknown_since.pop(row.room_id, None)
        self._reinvited.discard(row.room_id)
        return await self._send(row)

    async def _direct_person(self, room_id: str) -> str | None:
        """The person a direct room is for, if it is one of the bot's direct rooms."""
        if room_id not in self._direct_users:
            person = await asyncio.to_thread(self._direct_room_person, room_id)
            self._direct_users[room_id] = person or ""
        return self._direct_users[room_id] or None

    async def _await_person(self, row: _Pending, person: str) -> bool:
        first = self._unknown_since.setdefault(row.room_id, self.clock.monotonic())
        just_made = self.clock.monotonic() - first < 30
        if row.room_id not in self._reinvited and not just_made:
            self._reinvited.add(row.room_id)
            try:
                await self.client.room_invite(row.room_id, person)
                log.info("invited %s again to their direct room %s", person, row.room_id)
            except (ClientError, OSError, TimeoutError):
                pass  # tried again when the row is given up or on restart
        if self.clock.monotonic() - first > UNKNOWN_ROOM_GRACE.total_seconds():
            await asyncio.to_thread(
                self._close, row.id, f"{person} is not in the direct room {row.room_id}"
            )
            self._unknown_since.pop(row.room_id, None)
            return True
        return False

    async def _send(self, row: _Pending) -> bool:
        """One reply; False when it must wait for a retry."""
        if _needs_upload(row.content):
            uploaded = await self._upload(row)
            if uploaded == "retry":
                return False
            if uploaded == "closed":
                return True  # the file cannot be uploaded, ever
            assert isinstance(uploaded, dict)
            row = _Pending(row.id, row.room_id, uploaded, row.created_at)
        try:
            async with self.crypto_lock:
                await self._prepare_encryption(row.room_id)
                response = await self.client.room_send(
                    row.room_id,
                    "m.room.message",
                    row.content,
                    tx_id=transaction_id(row.id, row.created_at),
                    ignore_unverified_devices=True,
                )
        except LocalProtocolError as exc:
            await asyncio.to_thread(self._close, row.id, str(exc))
            return True
        except (ClientError, OSError, TimeoutError) as exc:
            return await self._retry_later(row, f"{type(exc).__name__}", None)
        if isinstance(response, RoomSendResponse):
            self._retry_at.pop(row.id, None)
            self._failures.pop(row.id, None)
            await asyncio.to_thread(self._sent, row.id, response.event_id)
            return True
        code = getattr(response, "status_code", None)
        error = f"{code}: {getattr(response, 'message', '')}"
        if code in PERMANENT_ERRORS:
            await asyncio.to_thread(self._close, row.id, error)
            return True
        retry_ms = getattr(response, "retry_after_ms", None) if code == "M_LIMIT_EXCEEDED" else None
        return await self._retry_later(row, error, retry_ms)

    async def _open_direct_room(self, row: _Pending) -> bool:
        """Move the rows addressed to a user id to the bot's direct room with them, creating the
        room (the person invited) when there is none. False when it must wait for a retry."""
        user_id = row.room_id
        room_id = await asyncio.to_thread(self._known_direct_room, user_id)
        if room_id is None:
            # Created before a crash that came before we wrote it down: reuse it.
            room_id = self._unrecorded_direct_room(user_id)
        if room_id is None:
            initial_state = []
            if self.encrypt_direct_rooms:
                initial_state.append(EnableEncryptionBuilder().as_dict())
            try:
                response = await self.client.room_create(
                    is_direct=True,
                    invite=[user_id],
                    name=self.direct_room_name,
                    preset=RoomPreset.trusted_private_chat,
                    initial_state=initial_state,
                )
            except (ClientError, OSError, TimeoutError) as exc:
                return await self._retry_later(row, f"room_create: {type(exc).__name__}", None)
            if not isinstance(response, RoomCreateResponse):
                code = getattr(response, "status_code", None)
                error = f"room_create: {code}: {getattr(response, 'message', '')}"
                if code in PERMANENT_ERRORS:
                    await asyncio.to_thread(self._close, row.id, error)
                    return True
                return await self._retry_later(row, error, None)
            room_id = response.room_id
            log.info("opened a direct room %s with %s", room_id, user_id)
        await asyncio.to_thread(self._retarget, user_id, room_id)
        self._direct_users[room_id] = user_id
        self.wake()
        return True

    def _unrecorded_direct_room(self, user_id: str) -> str | None:
        for room in self.client.rooms.values():
            if (
                room.name == self.direct_room_name
                and user_id in room.users
                and len(room.users) == 2
                and self.client.user_id in room.users
            ):
                return str(room.room_id)
        return None

    async def _upload(self, row: _Pending) -> dict[str, object] | Literal["closed", "retry"]:
        """Upload the row's file: the content to send, or what became of the row."""
        data = await asyncio.to_thread(self._attachment, row.id)
        if data is None:
            await asyncio.to_thread(self._close, row.id, "the file to send is missing")
            return "closed"
        room = self.client.rooms.get(row.room_id)
        encrypt = bool(room is not None and room.encrypted)
        info = dict(row.content.get("info") or {})  # type: ignore[call-overload]
        mimetype = str(info.get("mimetype", "application/octet-stream"))
        try:
            response, keys = await self.client.upload(
                io.BytesIO(data),
                content_type=mimetype,
                filename=str(row.content.get("filename") or row.content.get("body", "file")),
                encrypt=encrypt,
                filesize=len(data),
            )
        except (ClientError, OSError, TimeoutError) as exc:
            closed = await self._retry_later(row, f"upload: {type(exc).__name__}", None)
            return "closed" if closed else "retry"
        if not isinstance(response, UploadResponse):
            code = getattr(response, "status_code", None)
            error = f"upload: {code}: {getattr(response, 'message', '')}"
            if code in PERMANENT_ERRORS:
                await asyncio.to_thread(self._close, row.id, error)
                return "closed"
            retry_ms = getattr(response, "retry_after_ms", None)
            closed = await self._retry_later(
                row, error, retry_ms if code == "M_LIMIT_EXCEEDED" else None
            )
            return "closed" if closed else "retry"
        content = dict(row.content)
        if encrypt and keys is not None:
            content["file"] = {"url": response.content_uri, **keys}
        else:
            content["url"] = response.content_uri
        await asyncio.to_thread(self._set_content, row.id, content)
        return content

    async def _prepare_encryption(self, room_id: str) -> None:
        """Make sure every member's devices are known, so that nio shares the room key with all
        of them (nio silently skips devices whose keys it has not fetched)."""
        room = self.client.rooms.get(room_id)
        if room is None or not room.encrypted:
            return
        if not room.members_synced:
            await self.client.joined_members(room_id)
        if self.client.should_query_keys:
            await self.client.keys_query()

    async def _retry_later(self, row: _Pending, error: str, retry_ms: int | None) -> bool:
        failures = self._failures.get(row.id, 0) + 1
        self._failures[row.id] = failures
        too_old = self.clock.now() - row.created_at > MAX_AGE
        if failures >= MAX_ATTEMPTS or too_old:
            await asyncio.to_thread(self._close, row.id, f"gave up after {failures} tries: {error}")
            self._retry_at.pop(row.id, None)
            self._failures.pop(row.id, None)
            return True
        if retry_ms:
            wait = min(retry_ms / 1000, RATE_LIMIT_WAIT_MAX)
        else:
            wait = min(RETRY_START * 2 ** (failures - 1), RETRY_MAX)
        self._retry_at[row.id] = self.clock.monotonic() + wait
        await asyncio.to_thread(self._note_failure, row.id, error)
        log.warning("reply %s not sent (%s); retrying in %.0f s", row.id, error, wait)
        return False

    # --- database, in worker threads -----------------------------------------------------------

    def _load_pending(self) -> list[_Pending]:
        with unit_of_work(self.engine) as session:
            return [
                _Pending(row.id, row.room_id, row.content, row.created_at)
                for row in delivery.pending(session, limit=500)
                if row.id is not None
            ]

    def _direct_room_person(self, room_id: str) -> str | None:
        with unit_of_work(self.engine) as session:
            return status_rounds.direct_room_person(session, room_id)

    def _known_direct_room(self, user_id: str) -> str | None:
        with unit_of_work(self.engine) as session:
            return status_rounds.direct_room(session, user_id)

    def _retarget(self, user_id: str, room_id: str) -> None:
        """Remember the direct room and move the person's waiting rows (and prompts) to it."""
        with unit_of_work(self.engine) as session:
            status_rounds.remember_direct_room(session, user_id, room_id, self.clock.now())
            delivery.retarget(session, user_id, room_id)
            status_rounds.retarget_prompts(session, user_id, room_id)

    def _attachment(self, outbox_id: int) -> bytes | None:
        with unit_of_work(self.engine) as session:
            return delivery.attachment(session, outbox_id)

    def _set_content(self, outbox_id: int, content: dict[str, object]) -> None:
        with unit_of_work(self.engine) as session:
            delivery.set_content(session, outbox_id, content)

    def _sent(self, outbox_id: int, event_id: str) -> None:
        with unit_of_work(self.engine) as session:
            room_id = delivery.mark_sent(
                session, outbox_id, event_id=event_id, now=self.clock.now()
            )
            if room_id is not None:
                status_rounds.prompt_sent(session, outbox_id, room_id, event_id)
                workshops.message_sent(session, outbox_id, event_id, room_id)

    def _note_failure(self, outbox_id: int, error: str) -> None:
        with unit_of_work(self.engine) as session:
            delivery.mark_attempt_failed(
                session, outbox_id, error=error, give_up=False, now=self.clock.now()
            )

    def _close(self, outbox_id: int, error: str) -> None:
        with unit_of_work(self.engine) as session:
            now = self.clock.now()
            delivery.mark_attempt_failed(session, outbox_id, error=error, give_up=True, now=now)
            # A round's prompt that cannot be delivered is told to the board's admins.
            told = status_round_jobs.note_undeliverable(
                session, outbox_id, names=self.names, now=now
            )
        log.error("reply %s could not be delivered and was given up: %s", outbox_id, error)
        if told is not None:
            self.wake()  # the notice to the board room
