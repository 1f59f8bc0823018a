"""Whether a room is encrypted, as the bot knows it (``Runtime.room_encrypted``): from the room
state nio keeps; not known for a room it has not seen, and in the bot tier (issue 16: the
personal data file goes only into an encrypted room)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from nio import MatrixRoom

from board_bot.chat.framework import Runtime
from board_bot.matrix.runner import MatrixBot
from tests.unit.support import NOW


def test_the_runner_reads_it_from_the_room_state() -> None:
    encrypted, plain = MatrixRoom("!enc:x.de", "@bot:x.de"), MatrixRoom("!plain:x.de", "@bot:x.de")
    encrypted.encrypted = True
    bot = cast(Any, SimpleNamespace(client=SimpleNamespace(rooms={
        "!enc:x.de": encrypted, "!plain:x.de": plain,
    })))  # fmt: skip
    assert MatrixBot._room_encrypted(bot, "!enc:x.de") is True
    assert MatrixBot._room_encrypted(bot, "!plain:x.de") is False
    assert MatrixBot._room_encrypted(bot, "!unknown:x.de") is None


def test_without_the_matrix_side_it_is_not_known() -> None:
    runtime = Runtime(version="0", started_at=NOW, database="sqlite", encryption=True)
    assert runtime.room_encrypted("!dm:x.de") is None
