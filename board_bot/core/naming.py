"""How a person is named in a message: one definition for every text the bot writes.

A person is named by their display name (``Erika Musterfrau``), cleaned and escaped; the Matrix
id follows in brackets only where the name alone could mislead: when another member of the room
goes by the same name, or the name looks like an id. Someone whose display name is not known is
named ``erika (@erika:stadt.example)``: never by a bare id. Commands name people through their
context (``ctx.name``), the scheduler's jobs through a :func:`namer` for the board room.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from board_bot.core.render import Safe, escape, strip_control
from board_bot.models import Board

# A display name is shown at most this long.
MAX_DISPLAY_NAME = 60

#: user id -> how the person is named
Namer = Callable[[str], Safe]
#: (room id, user id) -> the user's display name there, if known. Shown, never trusted.
NameLookup = Callable[[str, str], str | None]
#: room id -> the room's members, or None when the room is not known
MemberLookup = Callable[[str], frozenset[str] | None]
#: (room id, user id) -> whether they joined the room (False: invited only, or not in it), or
#: None when the room is not known
JoinedLookup = Callable[[str, str], bool | None]


def unknown_name(room_id: str, user_id: str) -> str | None:
    """No display names known (the bot tier's tests, a command-line tool)."""
    return None


def no_members(room_id: str) -> frozenset[str] | None:
    return None


def not_known(room_id: str, user_id: str) -> bool | None:
    """Whether someone joined a room: not known (the bot tier's tests, a command-line tool)."""
    return None


def clean_name(display_name: str | None) -> str:
    """A display name fit for one line and at most :data:`MAX_DISPLAY_NAME` long."""
    return strip_control(display_name)[:MAX_DISPLAY_NAME].strip() if display_name else ""


def localpart(user_id: str) -> str:
    """``erika`` of ``@erika:stadt.example``."""
    return user_id[1:].split(":", 1)[0] if user_id.startswith("@") else user_id


def person_name(user_id: str, display_name: str | None, *, ambiguous: bool = False) -> Safe:
    """The person as shown: the display name alone, unless it is ``ambiguous`` (someone else
    in the room has it too) or looks like a Matrix id, then with the id; without a display name
    the id's local part, with the id."""
    if not user_id.startswith("@"):  # not a person: an import or the schedule ("import:demo")
        return escape(user_id)
    name = clean_name(display_name)
    if not name or name == user_id:
        return Safe(f"{escape(localpart(user_id))} ({escape(user_id)})")
    if ambiguous or name.startswith("@") or ":" in name:
        return Safe(f"{escape(name)} ({escape(user_id)})")
    return escape(name)


def namer(room_id: str, lookup: NameLookup, members: MemberLookup = no_members) -> Namer:
    """How people are named in a message to ``room_id``: by the names the room knows, the id
    added where a name is not unique there."""
    room: tuple[frozenset[str], Counter[str]] | None = None  # its members and their names

    def name(user_id: str) -> Safe:
        nonlocal room
        shown = clean_name(lookup(room_id, user_id))
        if not shown:
            return person_name(user_id, None)
        if room is None:  # counted once per message
            present = members(room_id) or frozenset()
            room = present, Counter(clean_name(lookup(room_id, m)).casefold() for m in present)
        present, taken = room
        others = taken[shown.casefold()] - (1 if user_id in present else 0)
        return person_name(user_id, shown, ambiguous=others > 0)

    return name


#: Naming without display names (tests, the command line).
plain_names: Namer = namer("", unknown_name)


def people_list(name: Namer, user_ids: Iterable[str]) -> Safe:
    """People separated by commas, or a dash for nobody."""
    return Safe(", ".join(name(u) for u in user_ids) or "–")


@dataclass(frozen=True)
class Person:
    """A person in the parameters of a message raised where the reader is not known (an error of
    a service): named for the reader when the message is worded (:func:`named`)."""

    user_id: str


@dataclass(frozen=True)
class People:
    """Several people in the parameters of a message, named like :class:`Person`, with commas."""

    user_ids: tuple[str, ...]


def named(params: dict[str, Any], name: Namer) -> dict[str, Any]:
    """``params`` with every :class:`Person` and :class:`People` named by ``name``."""
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, Person):
            out[key] = name(value.user_id)
        elif isinstance(value, People):
            out[key] = people_list(name, value.user_ids)
    return out


class Reader(Protocol):
    """Whom a text is written for: their language, board and command prefix, and how people are
    named for them. A command's context is one."""

    @property
    def lang(self) -> str: ...

    @property
    def board(self) -> Board | None: ...

    @property
    def prefix(self) -> str: ...

    def name(self, user_id: str) -> Safe: ...
