"""A small chat console for the demo: one Matrix user typing into one room from the terminal.

A terminal shows no pictures: every file and image the bot posts is saved under ``files_dir``
and its path printed, to be opened with a browser, an image viewer or a PDF reader."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

from nio import (
    AsyncClient,
    AsyncClientConfig,
    DownloadError,
    MatrixRoom,
    RoomMessageFile,
    RoomMessageImage,
    RoomMessageNotice,
    RoomMessageText,
    RoomSendResponse,
)

PROMPT = "> "
# After the input ends (piped input), wait this long for the bot's last replies.
DRAIN_SECONDS = 15.0
# … and until nothing has come for this long: the files a reply announces follow it.
QUIET_SECONDS = 3.0


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
        files_dir: Path | None = None,
    ) -> None:
        self.room_id = room_id
        self.files_dir = files_dir
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
        self._activity = asyncio.Event()  # set whenever a message or file is shown

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
        self._activity.set()
        relates = event.source.get("content", {}).get("m.relates_to", {})
        self._awaiting.discard(relates.get("m.in_reply_to", {}).get("event_id", ""))
        if not self._awaiting:
            self._answered.set()

    async def _on_file(self, room: MatrixRoom, event: RoomMessageFile | RoomMessageImage) -> None:
        """Save a file or image the bot posted and say where; an image's alt text is shown."""
        if room.room_id != self.room_id or event.sender == self.user_id:
            return
        name = room.user_name(event.sender) or event.sender
        content = event.source.get("content", {})
        filename = _safe_name(str(content.get("filename") or event.body or "datei"))
        where = "(nicht gespeichert)"
        if self.files_dir is not None:
            got = await self.client.download(mxc=event.url)
            if isinstance(got, DownloadError):
                where = f"(nicht geladen: {got.message})"
            else:
                self.files_dir.mkdir(parents=True, exist_ok=True)
                path = _free_path(self.files_dir / filename)
                path.write_bytes(got.body)
                where = str(path)
        about = f"\n    {event.body}" if isinstance(event, RoomMessageImage) else ""
        self.write(f"\r{name}:\n    📎 {filename} → {where}{about}\n{PROMPT}")
        self._activity.set()

    async def _drain(self) -> None:
        """Until every command is answered and then nothing came for QUIET_SECONDS."""
        await self._answered.wait()
        while True:
            self._activity.clear()
            try:
                await asyncio.wait_for(self._activity.wait(), QUIET_SECONDS)
            except TimeoutError:
                return

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
        self.client.add_event_callback(self._on_file, (RoomMessageFile, RoomMessageImage))
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
            if self._awaiting:  # piped input ended: let the answers (and their files) arrive
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._drain(), DRAIN_SECONDS)
            self.write("\n")
        finally:
            sync.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sync
            await self.client.close()


def _safe_name(name: str) -> str:
    """A file name the bot gave, without directories or characters a file system refuses."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".")
    cleaned = "".join(c if c.isalnum() or c in "-_. " else "_" for c in base)[:120]
    return cleaned or "datei"


def _free_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext`` … when a file of that name is there."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
