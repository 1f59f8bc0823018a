"""Matrix identifiers as distinct types, with the one validator for user ids."""

from __future__ import annotations

import re
from typing import NewType

UserId = NewType("UserId", str)
RoomId = NewType("RoomId", str)
EventId = NewType("EventId", str)

# Localpart per the spec (historical ids allow a little more; we accept what Synapse issues today
# plus upper case, which older servers handed out). Server name: host name or IP, optional port.
_LOCALPART = r"[a-zA-Z0-9._=\-/+]+"
_IPV6 = r"\[[0-9a-fA-F:.]+\]"
_PORT = r"(?::\d{1,5})?"
_USER_ID = re.compile(rf"^@(?P<localpart>{_LOCALPART}):(?P<server>[a-zA-Z0-9.\-]+|{_IPV6}){_PORT}$")
_SERVER_NAME = re.compile(rf"^([a-zA-Z0-9.\-]+|{_IPV6}){_PORT}$")
#: A user id inside a text ("assigned to @erika:stadt.de."): not inside a word or another id,
#: and the host name's labels do not take the full stop of a sentence.
USER_ID_IN_TEXT = re.compile(
    rf"(?<![\w@])@{_LOCALPART}:(?:[a-zA-Z0-9\-]+(?:\.[a-zA-Z0-9\-]+)*|{_IPV6}){_PORT}"
)


def is_user_id(text: str) -> bool:
    return len(text) <= 255 and _USER_ID.fullmatch(text) is not None


def is_server_name(text: str) -> bool:
    return len(text) <= 255 and _SERVER_NAME.fullmatch(text) is not None


def server_of(user_id: str) -> str:
    """The server name part of a user id (everything after the first colon)."""
    return user_id.split(":", 1)[1] if ":" in user_id else ""
