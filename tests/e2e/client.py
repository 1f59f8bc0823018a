"""An async Matrix test client (matrix-nio) that records what it syncs.

``TestClient`` restores a login for a :class:`RegisteredUser`, enables end-to-end
encryption, and runs a background sync loop that appends every room timeline event
(decrypted where nio has the keys) to :attr:`TestClient.events`.  Tests then wait for
events or state with bounded waits that wake up on every sync - never fixed sleeps.
"""

# The bounded waits take a ``timeout`` argument on purpose (it is the API tests use).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    EnableEncryptionBuilder,
    Event,
    JoinedMembersResponse,
    JoinResponse,
    KeysQueryResponse,
    KeysUploadResponse,
    MatrixRoom,
    MegolmEvent,
    RoomCreateResponse,
    RoomEncryptedFile,
    RoomEncryptedImage,
    RoomMemberEvent,
    RoomMessage,
    RoomMessageFile,
    RoomSendResponse,
    SyncResponse,
)
from nio.crypto.attachments import decrypt_attachment

from board_bot.dev.devserver import RegisteredUser

__all__ = ["EventPredicate", "Membership", "TestClient", "thread_events"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
EventPredicate = Callable[[Event], bool]
Membership = Literal["invite", "join", "leave"]

SYNC_TIMEOUT_MS = 5_000
DEFAULT_WAIT = 10.0


def describe_event(event: Event) -> str:
    """A one-line summary for failure messages."""
    kind = type(event).__name__
    sender = getattr(event, "sender", "?")
    if isinstance(event, RoomMemberEvent):
        return f"{kind} {event.state_key} -> {event.membership} (by {sender})"
    if isinstance(event, MegolmEvent):
        return f"{kind} from {sender} NOT DECRYPTED (session {event.session_id})"
    if isinstance(event, RoomMessage):
        body = getattr(event, "body", "")
        return f"{kind} from {sender}: {body!r}"
    return f"{kind} from {sender}"


class TestClient:
    """A logged-in, syncing nio client for one user. Create with :meth:`create`."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, client: AsyncClient, user: RegisteredUser) -> None:
        self.client = client
        self.user = user
        #: every room timeline event seen, in sync order: (room_id, event)
        self.events: list[tuple[str, Event]] = []
        #: rooms this user has been invited to (seen in sync)
        self.invites: set[str] = set()
        self._invited_at: dict[str, int] = {}  # room id -> len(events) when the invite came
        self._changed = asyncio.Condition()
        self._key_lock = asyncio.Lock()
        self._sync_task: asyncio.Task[None] | None = None
        self._sync_error: BaseException | None = None
        self._syncs = 0

    @property
    def user_id(self) -> str:
        return self.user.user_id

    # -- lifecycle --------------------------------------------------------------------

    @classmethod
    async def create(cls, synapse_url: str, user: RegisteredUser, store_dir: Path) -> TestClient:
        """Restore the user's login, load the crypto store, upload keys and start syncing."""
        await asyncio.to_thread(store_dir.mkdir, parents=True, exist_ok=True)
        config = AsyncClientConfig(
            store_sync_tokens=False,
            encryption_enabled=True,
            max_timeouts=3,
            max_limit_exceeded=3,
        )
        client = AsyncClient(
            synapse_url,
            user.user_id,
            device_id=user.device_id,
            store_path=str(store_dir),
            config=config,
        )
        # restore_login() also loads the (sqlite) crypto store for this device.
        client.restore_login(user.user_id, user.device_id, user.access_token)
        self = cls(client, user)
        try:
            if client.should_upload_keys:
                response = await client.keys_upload()
                if not isinstance(response, KeysUploadResponse):
                    raise RuntimeError(f"{user.user_id}: key upload failed: {response}")
            await self._sync_once(timeout_ms=0, full_state=True)
        except BaseException:
            await client.close()
            raise
        self._sync_task = asyncio.create_task(self._sync_loop(), name=f"sync {user.user_id}")
        return self

    async def close(self) -> None:
        """Stop syncing and close the HTTP session. Never logs out (the device stays valid)."""
        task, self._sync_task = self._sync_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await task
                except Exception:
                    logger.exception("sync loop of %s had failed", self.user_id)
        await self.client.close()

    # -- sync -------------------------------------------------------------------------

    async def _sync_loop(self) -> None:
        try:
            while True:
                await self._sync_once(timeout_ms=SYNC_TIMEOUT_MS, full_state=False)
        except asyncio.CancelledError:
            raise
        except BaseException as error:
            self._sync_error = error
            async with self._changed:
                self._changed.notify_all()
            raise

    async def _sync_once(self, *, timeout_ms: int, full_state: bool) -> None:
        response = await self.client.sync(timeout=timeout_ms, full_state=full_state)
        if not isinstance(response, SyncResponse):
            raise RuntimeError(f"{self.user_id}: sync failed: {response}")
        # nio has already decrypted megolm events in place (when it had the keys).
        for room_id, joined in response.rooms.join.items():
            self.events.extend((room_id, event) for event in joined.timeline.events)
        for room_id, left in response.rooms.leave.items():
            self.events.extend((room_id, event) for event in left.timeline.events)
        for room_id in response.rooms.invite:
            self.invites.add(room_id)
            self._invited_at[room_id] = len(self.events)
        await self._maintain_keys()
        self._syncs += 1
        async with self._changed:
            self._changed.notify_all()

    async def _maintain_keys(self) -> None:
        """What ``sync_forever`` does between syncs: to-device, key upload/query/claim."""
        client = self.client
        async with self._key_lock:
            if client.outgoing_to_device_messages:
                await client.send_to_device_messages()
            if client.should_upload_keys:
                await client.keys_upload()
            if client.should_query_keys:
                await client.keys_query()
            if client.should_claim_keys:
                await client.keys_claim(client.get_users_for_key_claiming())

    # -- waiting ----------------------------------------------------------------------

    async def _wait_until(self, check: Callable[[], T | None], timeout: float, what: str) -> T:
        """Wait until ``check()`` returns non-None, re-checking after every sync."""
        found: list[T] = []

        def ready() -> bool:
            value = check()
            if value is not None:
                found.append(value)
                return True
            return self._sync_error is not None

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(ready)
        except TimeoutError:
            raise TimeoutError(
                f"{self.user_id}: gave up after {timeout:.1f}s waiting for {what}\n"
                f"{self._diagnostics()}"
            ) from None
        if found:
            return found[0]
        raise RuntimeError(
            f"{self.user_id}: sync loop died while waiting for {what}"
        ) from self._sync_error

    def _diagnostics(self, last: int = 15) -> str:
        lines = [f"  syncs so far: {self._syncs}, events seen: {len(self.events)}"]
        if self._sync_error is not None:
            lines.append(f"  sync loop error: {self._sync_error!r}")
        lines.append(f"  last {min(last, len(self.events))} events:")
        lines.extend(
            f"    [{room_id}] {describe_event(event)}" for room_id, event in self.events[-last:]
        )
        return "\n".join(lines)

    async def wait_for(
        self,
        predicate: EventPredicate,
        timeout: float = DEFAULT_WAIT,
        *,
        room_id: str | None = None,
        what: str | None = None,
    ) -> Event:
        """Return the first timeline event (already seen or future) matching ``predicate``."""

        def check() -> Event | None:
            for seen_room, event in self.events:
                if (room_id is None or seen_room == room_id) and predicate(event):
                    return event
            return None

        where = f" in {room_id}" if room_id else ""
        description = what or f"an event matching {getattr(predicate, '__name__', predicate)}"
        return await self._wait_until(check, timeout, description + where)

    async def wait_for_text(
        self, room_id: str, body: str, timeout: float = DEFAULT_WAIT
    ) -> RoomMessage:
        """Wait for a (decrypted) text or notice message with exactly this body."""

        def matches(event: Event) -> bool:
            return isinstance(event, RoomMessage) and getattr(event, "body", None) == body

        event = await self.wait_for(matches, timeout, room_id=room_id, what=f"message {body!r}")
        assert isinstance(event, RoomMessage)
        return event

    def _membership(self, room_id: str, user_id: str) -> str | None:
        """Current membership as far as this client knows (timeline, invites, nio state).

        nio does not process left rooms, so a recorded leave wins over nio's room state.
        """
        latest: str | None = None
        latest_index = -1
        for index, (seen_room, event) in enumerate(self.events):
            if (
                seen_room == room_id
                and isinstance(event, RoomMemberEvent)
                and event.state_key == user_id
            ):
                latest, latest_index = event.membership, index
        if user_id == self.user_id:
            invited_at = self._invited_at.get(room_id)
            if invited_at is not None and invited_at > latest_index:
                return "invite"
        if latest in ("leave", "ban"):
            return "leave"
        room: MatrixRoom | None = self.client.rooms.get(room_id)
        if room is not None and user_id in room.users:
            return "invite" if room.users[user_id].invited else "join"
        return latest

    async def wait_for_membership(
        self,
        room_id: str,
        user_id: str,
        membership: Membership,
        timeout: float = DEFAULT_WAIT,
    ) -> None:
        """Wait until ``user_id``'s membership in ``room_id`` is ``membership``."""

        def check() -> bool | None:
            return True if self._membership(room_id, user_id) == membership else None

        await self._wait_until(check, timeout, f"{user_id} to be {membership!r} in {room_id}")

    async def wait_for_invite(
        self, room_id: str | None = None, timeout: float = DEFAULT_WAIT
    ) -> str:
        """Wait for an invite (to ``room_id``, or to any room) and return the room id."""

        def check() -> str | None:
            if room_id is not None:
                return room_id if room_id in self.invites else None
            return next(iter(sorted(self.invites)), None)

        return await self._wait_until(check, timeout, f"an invite to {room_id or 'any room'}")

    async def _wait_for_room(self, room_id: str, timeout: float = DEFAULT_WAIT) -> MatrixRoom:
        def check() -> MatrixRoom | None:
            room: MatrixRoom | None = self.client.rooms.get(room_id)
            if room is None or self._membership(room_id, self.user_id) != "join":
                return None
            return room

        return await self._wait_until(check, timeout, f"having joined {room_id}")

    # -- actions ----------------------------------------------------------------------

    async def create_room(
        self, encrypted: bool, invite: list[str], *, name: str | None = None
    ) -> str:
        """Create a private room (optionally encrypted), wait until it is synced."""
        initial_state: list[dict[str, Any]] = []
        if encrypted:
            initial_state.append(EnableEncryptionBuilder().as_dict())
        response = await self.client.room_create(
            name=name, invite=invite, initial_state=initial_state
        )
        if not isinstance(response, RoomCreateResponse):
            raise RuntimeError(f"{self.user_id}: room creation failed: {response}")
        room_id: str = response.room_id

        def check() -> bool | None:
            room: MatrixRoom | None = self.client.rooms.get(room_id)
            if room is None or self._membership(room_id, self.user_id) != "join":
                return None
            return True if room.encrypted == encrypted else None

        await self._wait_until(check, DEFAULT_WAIT, f"new room {room_id} to be synced")
        return room_id

    async def join(self, room_id: str) -> None:
        """Join a room and wait until the join is synced."""
        response = await self.client.join(room_id)
        if not isinstance(response, JoinResponse):
            raise RuntimeError(f"{self.user_id}: joining {room_id} failed: {response}")
        await self._wait_for_room(room_id)

    async def send_text(
        self, room_id: str, body: str, *, notice: bool = False, thread_root: str | None = None
    ) -> str:
        """Send an ``m.text`` (or ``m.notice``) message, in the thread of ``thread_root`` if
        given (as Element does: the root as the fallback reply); encrypts in encrypted rooms."""
        room = await self._wait_for_room(room_id)
        if room.encrypted:
            # nio shares the megolm session only with devices it knows about and skips
            # the rest silently, so make sure members and their device keys are fresh.
            if not room.members_synced:
                members = await self.client.joined_members(room_id)
                if not isinstance(members, JoinedMembersResponse):
                    raise RuntimeError(f"{self.user_id}: joined_members failed: {members}")
            async with self._key_lock:
                if self.client.should_query_keys:
                    keys = await self.client.keys_query()
                    if not isinstance(keys, KeysQueryResponse):
                        raise RuntimeError(f"{self.user_id}: keys_query failed: {keys}")
        content: dict[str, Any] = {"msgtype": "m.notice" if notice else "m.text", "body": body}
        if thread_root is not None:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread_root},
            }
        response = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"{self.user_id}: sending to {room_id} failed: {response}")
        event_id: str = response.event_id
        return event_id

    async def send_reaction(self, room_id: str, event_id: str, key: str) -> str:
        """React to an event (``m.reaction``, an annotation), as Element does."""
        await self._wait_for_room(room_id)
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        response = await self.client.room_send(
            room_id, "m.reaction", content, ignore_unverified_devices=True
        )
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"{self.user_id}: reacting in {room_id} failed: {response}")
        reaction_id: str = response.event_id
        return reaction_id

    async def send_edit(self, room_id: str, original: str, body: str) -> str:
        """Edit an earlier message (``m.replace``), as Element does."""
        room = await self._wait_for_room(room_id)
        assert room is not None
        content = {
            "msgtype": "m.text",
            "body": f"* {body}",
            "m.new_content": {"msgtype": "m.text", "body": body},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original},
        }
        response = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"{self.user_id}: editing in {room_id} failed: {response}")
        event_id: str = response.event_id
        return event_id

    async def download(
        self, event: RoomMessageFile | RoomEncryptedFile | RoomEncryptedImage
    ) -> bytes:
        """A file event's bytes, fetched over the authenticated media API (Synapse refuses the
        old unauthenticated one for new media) and decrypted when the room is encrypted."""
        server, _, media_id = event.url.removeprefix("mxc://").partition("/")
        url = f"{self.client.homeserver}/_matrix/client/v1/media/download/{server}/{media_id}"
        headers = {"Authorization": f"Bearer {self.client.access_token}"}
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=30)) as response,
        ):
            if response.status != 200:
                raise RuntimeError(f"download of {event.url} failed: {response.status}")
            data = await response.read()
        if isinstance(event, RoomEncryptedFile | RoomEncryptedImage):
            return bytes(decrypt_attachment(data, event.key["k"], event.hashes["sha256"], event.iv))
        return data

    # -- inspection -------------------------------------------------------------------

    def events_in(self, room_id: str) -> list[Event]:
        """Timeline events seen so far in one room, in order."""
        return [event for seen_room, event in self.events if seen_room == room_id]


async def thread_events(client: TestClient, room_id: str, root: str) -> list[str]:
    """The ids of the events the homeserver counts as replies in the thread of ``root`` (it can
    only when their ``m.relates_to`` is not encrypted)."""
    path = f"/_matrix/client/v1/rooms/{quote(room_id)}/relations/{quote(root)}/m.thread"
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            client.client.homeserver + path,
            headers={"Authorization": f"Bearer {client.client.access_token}"},
        ) as response,
    ):
        response.raise_for_status()
        return [event["event_id"] for event in (await response.json())["chunk"]]
