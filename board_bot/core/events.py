"""Chat events that are not commands, as the Matrix side hands them over, and the handlers that
features register for them (``board_bot.chat.events``).

A handler gets the session of the event's unit of work and returns an :class:`Outcome` when the
event was its business (it has queued its replies in the outbox itself), or ``None`` so that the
next handler may look at it. The dispatcher records the event as handled with the outcome, in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from board_bot.core.naming import Namer, plain_names


@dataclass(frozen=True)
class IncomingMessage:
    """A text message from a room, as the Matrix side hands it over."""

    event_id: str
    room_id: str
    sender: str
    body: str
    sent_at: datetime
    #: the event this message replies to (``m.in_reply_to``), if any
    reply_to: str | None = None
    #: for an edit (``m.replace``): the event it replaces; ``body`` is the new text
    replaces: str | None = None
    #: the root of the thread the message was written in (``m.thread``); the reply goes there too
    thread_root: str | None = None

    def replied_to(self) -> set[str]:
        """The events the message answers: the one it replies to, and the root of its thread."""
        return {e for e in (self.reply_to, self.thread_root) if e is not None}


@dataclass(frozen=True)
class IncomingReaction:
    """Someone reacted to an event (``m.reaction``)."""

    event_id: str
    room_id: str
    sender: str
    reacts_to: str
    key: str


@dataclass(frozen=True)
class IncomingRedaction:
    """Someone removed an event (``m.room.redaction``)."""

    event_id: str
    room_id: str
    sender: str
    redacts: str
    #: the room's power levels let the sender redact other people's events
    may_redact_others: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a handler made of an event: the outcome recorded for it, and the outbox rows it
    queued (sent right after the commit)."""

    outcome: str
    outbox_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class EventContext:
    """What a handler gets besides the event."""

    session: Session
    now: datetime
    #: the deployment's language, for rooms without a board
    default_language: str
    #: how people are named in a message to a room (room id -> namer)
    names: Callable[[str], Namer] = lambda room_id: plain_names


MessageHandler = Callable[[EventContext, IncomingMessage], Outcome | None]
ReactionHandler = Callable[[EventContext, IncomingReaction], Outcome | None]
RedactionHandler = Callable[[EventContext, IncomingRedaction], Outcome | None]


@dataclass(frozen=True)
class EventHandlers:
    """One feature's handlers for chat events that are not commands."""

    #: a message that is not a command (an answer to a prompt, say)
    message: MessageHandler | None = None
    #: an edit (``m.replace``) of an earlier message
    edit: MessageHandler | None = None
    reaction: ReactionHandler | None = None
    redaction: RedactionHandler | None = None
