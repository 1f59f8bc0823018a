"""A small chat console for the demo: one Matrix user typing into one room from the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import textwrap
import threading
from collections.abc import Callable

from nio import (
    AsyncClient,
    AsyncClientConfig,
    MatrixRoom,
    RoomMessageNotice,
    RoomMessageText,
    RoomSendResponse,
)

PROMPT = "> "
# After the input ends (piped input), wait this long for the bot's last replies.
DRAIN_SECONDS = 15.0


class ChatConsole:
    def __init__(
        self,
        homeserver: str,
        user_id: str,
        device_id: str,
        access_token: str,
        room_id: str,
        *,
        write: Callable[[str], None] | None = None,
    ) -> None:
        self.room_id = room_id
        self.user_id = user_id
        self.client = AsyncClient(
            homeserver,
            user_id,
            device_id=device_id,
            config=AsyncClientConfig(encryption_enabled=False, max_timeouts=3),
        )
        self.client.access_token = access_token
        self.write = write or self._print
        self._awaiting: set[str] = set()
        self._answered = asyncio.Event()

    @staticmethod
    def _print(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    async def _on_message(
        self, room: MatrixRoom, event: RoomMessageText | RoomMessageNotice
    ) -> None:
        if room.room_id != self.room_id or event.sender == self.user_id:
            return
        name = room.user_name(event.sender) or event.sender
        text = event.body.replace("**", "").replace("`", "")  # Markdown marks, for the terminal
        self.write(f"\r{name}:\n{textwrap.indent(text, '    ')}\n{PROMPT}")
        relates = event.source.get("content", {}).get("m.relates_to", {})
        self._awaiting.discard(relates.get("m.in_reply_to", {}).get("event_id", ""))
        if not self._awaiting:
            self._answered.set()

    def _start_reader(self, queue: asyncio.Queue[str | None]) -> None:
        """Read stdin in a daemon thread, so that Ctrl+C or the end of the demo never waits for
        a line that is not coming."""
        loop = asyncio.get_running_loop()

        def read() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            loop.call_soon_threadsafe(queue.put_nowait, None)

        threading.Thread(target=read, name="console-stdin", daemon=True).start()

    async def run(self) -> None:
        """Sync in the background, read lines from stdin, send them; /quit or EOF ends it."""
        await self.client.sync(timeout=0, full_state=True)  # history before now is not shown
        self.client.add_event_callback(self._on_message, (RoomMessageText, RoomMessageNotice))
        sync = asyncio.create_task(self.client.sync_forever(timeout=30_000))
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._start_reader(queue)
        try:
            self.write(PROMPT)
            while (line := await queue.get()) is not None:
                line = line.strip()
                if line in ("/quit", "/exit", "/q"):
                    return
                if line:
                    response = await self.client.room_send(
                        self.room_id, "m.room.message", {"msgtype": "m.text", "body": line}
                    )
                    if isinstance(response, RoomSendResponse):
                        self._awaiting.add(response.event_id)
                        self._answered.clear()
                self.write(PROMPT)
            if self._awaiting:  # piped input ended: let the answers arrive
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._answered.wait(), DRAIN_SECONDS)
            self.write("\n")
        finally:
            sync.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sync
            await self.client.close()
