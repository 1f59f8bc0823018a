"""Sends committed replies. The outbox row id is the transaction id, so a resend after a crash is
deduplicated by the homeserver; a row is marked sent only after the homeserver accepted it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from nio import AsyncClient, LocalProtocolError, RoomSendResponse
from sqlalchemy.engine import Engine

from board_bot.clock import Clock
from board_bot.db import unit_of_work
from board_bot.services import delivery

log = logging.getLogger(__name__)

# Errors that will not heal by retrying: the row is closed with its error.
PERMANENT_ERRORS = frozenset({"M_FORBIDDEN", "M_NOT_FOUND", "M_TOO_LARGE", "M_BAD_JSON"})
# A reply to a room nio does not know (yet) waits this long for the room to appear in a sync.
UNKNOWN_ROOM_GRACE = timedelta(minutes=10)


def transaction_id(outbox_id: int) -> str:
    return f"board-bot-outbox-{outbox_id}"


class OutboxSender:
    def __init__(self, client: AsyncClient, engine: Engine, clock: Clock) -> None:
        self.client = client
        self.engine = engine
        self.clock = clock
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        #: awaited before each send, e.g. to fetch device keys of an encrypted room's members
        self.before_send: Callable[[str], Awaitable[None]] | None = None

    def wake(self) -> None:
        self._idle.clear()
        self._wake.set()

    async def wait_idle(self, timeout: float) -> None:  # noqa: ASYNC109
        self.wake()
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def run(self) -> None:
        delay = 1.0
        while True:
            self._wake.clear()
            try:
                progressed = await self._send_pending()
                delay = 1.0
            except Exception:
                log.exception("sending replies failed; retrying in %.0f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 300.0)
                continue
            if progressed:
                continue
            self._idle.set()
            await self._wake.wait()

    async def _send_pending(self) -> bool:
        """Send what is pending, in order. False when nothing could be sent."""
        rows = await asyncio.to_thread(self._load_pending)
        progressed = False
        for outbox_id, room_id, content, created_at in rows:
            if room_id not in self.client.rooms:
                # Joined a moment ago: nio knows the room after the next sync, which wakes us.
                if self.clock.now() - created_at > UNKNOWN_ROOM_GRACE:
                    await asyncio.to_thread(self._failed, outbox_id, "not in this room", True)
                continue
            progressed = True
            try:
                if self.before_send is not None:
                    await self.before_send(room_id)
                response = await self.client.room_send(
                    room_id,
                    "m.room.message",
                    content,
                    tx_id=transaction_id(outbox_id),
                    ignore_unverified_devices=True,
                )
            except LocalProtocolError as exc:  # e.g. a room we are no longer in
                await asyncio.to_thread(self._failed, outbox_id, str(exc), True)
                continue
            if isinstance(response, RoomSendResponse):
                await asyncio.to_thread(self._sent, outbox_id, response.event_id)
            else:
                code = getattr(response, "status_code", None)
                permanent = code in PERMANENT_ERRORS
                await asyncio.to_thread(
                    self._failed,
                    outbox_id,
                    f"{code}: {getattr(response, 'message', '')}",
                    permanent,
                )
                if not permanent:
                    raise RuntimeError(f"homeserver refused a reply ({code})")
        return progressed

    def _load_pending(self) -> list[tuple[int, str, dict[str, object], datetime]]:
        with unit_of_work(self.engine) as session:
            return [
                (row.id, row.room_id, row.content, row.created_at)
                for row in delivery.pending(session)
                if row.id is not None
            ]

    def _sent(self, outbox_id: int, event_id: str) -> None:
        with unit_of_work(self.engine) as session:
            delivery.mark_sent(session, outbox_id, event_id=event_id, now=self.clock.now())

    def _failed(self, outbox_id: int, error: str, permanent: bool) -> None:
        with unit_of_work(self.engine) as session:
            delivery.mark_attempt_failed(
                session, outbox_id, error=error, give_up=permanent, now=self.clock.now()
            )
        if permanent:
            log.error("reply %s could not be delivered and was given up: %s", outbox_id, error)
        else:
            log.warning("reply %s not sent yet (%s); will retry", outbox_id, error)
