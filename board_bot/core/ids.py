"""Matrix identifiers as distinct types, with the one validator for user ids."""

from __future__ import annotations

import re
from typing import NewType

UserId = NewType("UserId", str)
RoomId = NewType("RoomId", str)
EventId = NewType("EventId", str)

# Localpart per the spec (historical ids allow a little more; we accept what Synapse issues today
# plus upper case, which older servers handed out). Server name: host name or IP, optional port.
_USER_ID = re.compile(
    r"^@(?P<localpart>[a-zA-Z0-9._=\-/+]+):(?P<server>[a-zA-Z0-9.\-]+|\[[0-9a-fA-F:.]+\])(:\d{1,5})?$"
)
_SERVER_NAME = re.compile(r"^([a-zA-Z0-9.\-]+|\[[0-9a-fA-F:.]+\])(:\d{1,5})?$")


def is_user_id(text: str) -> bool:
    return len(text) <= 255 and _USER_ID.fullmatch(text) is not None


def is_server_name(text: str) -> bool:
    return len(text) <= 255 and _SERVER_NAME.fullmatch(text) is not None


def server_of(user_id: str) -> str:
    """The server name part of a user id (everything after the first colon)."""
    return user_id.split(":", 1)[1] if ":" in user_id else ""
