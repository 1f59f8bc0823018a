"""One command, start to end, without Matrix: dedupe, limits, authorise, run, reply via outbox.

``Dispatcher.handle`` runs in one database transaction: the command's effect, the record that its
event was handled, and the outbox rows of the reply commit together or not at all. It is
synchronous (the Matrix side runs it in a worker thread) and never does network I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from board_bot.chat import framework
from board_bot.chat.framework import Registry, Runtime, UnknownCommand
from board_bot.core import delivery
from board_bot.core.clock import Clock
from board_bot.core.config import Config
from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError, UsageError
from board_bot.core.i18n import t
from board_bot.core.ratelimit import RateLimiter
from board_bot.core.render import Safe, message_contents
from board_bot.features.boards import service as boards
from board_bot.features.people import service as people
from board_bot.features.status_rounds import answers
from board_bot.features.status_rounds import service as status_rounds
from board_bot.features.status_rounds.parser import parse_answer
from board_bot.models import Board

log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class IncomingReaction:
    """Someone reacted to an event (``m.reaction``): a vote for a workshop option, or an answer
    to a workshop's invitation, when it reacts to one of those."""

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


def _replied_to(msg: IncomingMessage) -> set[str]:
    """The events a message answers: the one it replies to, and the root of its thread."""
    return {e for e in (msg.reply_to, msg.thread_root) if e is not None}


def _database_down(exc: Exception) -> bool:
    """The database is unreachable or busy: the event is retried later, not apologised for."""
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


class Dispatcher:
    def __init__(
        self,
        *,
        config: Config,
        engine: Engine,
        clock: Clock,
        registry: Registry,
        runtime: Runtime,
    ) -> None:
        self.config = config
        self.engine = engine
        self.clock = clock
        self.registry = registry
        self.runtime = runtime
        self.limiter = RateLimiter(
            clock,
            per_minute=config.bot.rate_limit_per_minute,
            burst=config.bot.rate_limit_burst,
        )

    def is_command(self, body: str) -> bool:
        prefix = self.config.bot.command_prefix
        return (
            body.startswith(prefix) and len(body) > len(prefix) and not body[len(prefix)].isspace()
        )

    def handle(self, msg: IncomingMessage) -> list[int]:
        """Handle one command message; returns the ids of the outbox rows to send.

        A message that is not a command, or whose event was handled before, does nothing.
        Database errors propagate, so that the caller retries the event later.
        """
        if msg.replaces is not None:
            return self._edit(msg)
        if not self.is_command(msg.body):
            return self._answer(msg)
        now = self.clock.now()
        after: list[Callable[[], None]] = []
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, msg.event_id):
                return []
            # Claim the event before the command runs: a second process that got the same event
            # waits on this row (and then finds it handled) instead of running the command too.
            handled = delivery.mark_handled(
                session, event_id=msg.event_id, room_id=msg.room_id, outcome="running", now=now
            )
            session.flush()
            board = boards.for_room(session, msg.room_id)
            lang = board.language if board else self.config.bot.language
            handled.outcome, reply, files, after, follow = self._reply(
                session, msg, board, lang, now
            )
            ids = self._enqueue(
                session, msg.room_id, reply, reply_to=msg.event_id, now=now, thread=msg.thread_root
            )
            for file in files:
                row = delivery.enqueue_file(
                    session,
                    room_id=msg.room_id,
                    filename=file.filename,
                    mimetype=file.mimetype,
                    data=file.data,
                    now=now,
                    msgtype=file.msgtype,
                    description=file.description,
                    info=file.info,
                    thread_root=msg.thread_root,
                    thread_fallback=msg.event_id,
                )
                if row.id is not None:
                    ids.append(row.id)
            for follow_up in follow:
                follow_up(session)
        for callback in after:
            try:
                callback()
            except Exception:
                log.exception("a command's follow-up failed")
        return ids

    # --- status answers (not commands) ----------------------------------------------------------

    def _answer(self, msg: IncomingMessage) -> list[int]:
        """A message that may answer a status prompt: in the sender's direct room, or in a
        department room (as a reply to the prompt, or with package lines). Anything else is
        chat and is left alone."""
        if not msg.body.strip():
            return []
        now = self.clock.now()
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, msg.event_id):
                return []
            prompts = status_rounds.answerable_prompts(
                session, room_id=msg.room_id, sender=msg.sender, at=min(msg.sent_at, now)
            )
            if not prompts:
                return self._not_for_you(session, msg, now)
            if not self._in_direct_room(session, msg):
                # In a shared room only a reply to the prompt, or package lines, are answers;
                # a reply to anything else is conversation.
                to_prompt = [p for p in prompts if p.event_id in _replied_to(msg)]
                if to_prompt:
                    prompts = to_prompt
                elif not parse_answer(msg.body).items:
                    return []
            # Answers are not rate-limited: only the departments' contacts can give them, and a
            # dropped answer would be lost (the event is not seen again).
            delivery.mark_handled(
                session, event_id=msg.event_id, room_id=msg.room_id, outcome="answer", now=now
            )
            text: str
            try:
                with session.begin_nested():
                    text, _ = answers.record(
                        session,
                        prompts,
                        event_id=msg.event_id,
                        room_id=msg.room_id,
                        sender=msg.sender,
                        text=msg.body,
                        now=now,
                        sent_at=min(msg.sent_at, now),
                    )
            except BotError as exc:
                text = t(self.config.bot.language, exc.key, **exc.params)
            except Exception as exc:
                if _database_down(exc):
                    raise
                log.exception("a status answer could not be recorded")
                text = t(self.config.bot.language, "error.internal")
            return self._enqueue(
                session, msg.room_id, text, reply_to=msg.event_id, now=now, thread=msg.thread_root
            )

    def _not_for_you(self, session: Session, msg: IncomingMessage, now: datetime) -> list[int]:
        """Package lines, or a reply to the prompt, in a department room from someone who does
        not answer for the department: say so, instead of keeping silent."""
        at = min(msg.sent_at, now)
        prompts = status_rounds.room_prompts(session, room_id=msg.room_id, sender=msg.sender, at=at)
        if not prompts:
            return []
        # Only an explicit reply: chat in a thread under the prompt is not meant as an answer.
        replied = any(msg.reply_to and p.event_id == msg.reply_to for p in prompts)
        if not replied and not parse_answer(msg.body).items:
            return []  # conversation
        delivery.mark_handled(
            session, event_id=msg.event_id, room_id=msg.room_id, outcome="not_lead", now=now
        )
        text = t(self._board_language(session, prompts[0].id or 0), "status.update.not_lead")
        return self._enqueue(
            session, msg.room_id, text, reply_to=msg.event_id, now=now, thread=msg.thread_root
        )

    @staticmethod
    def _in_direct_room(session: Session, msg: IncomingMessage) -> bool:
        return status_rounds.direct_room(session, msg.sender) == msg.room_id

    def _edit(self, msg: IncomingMessage) -> list[int]:
        """An edit of a status answer replaces what it said; edits of anything else are ignored
        (a command is sent anew, not edited)."""
        assert msg.replaces is not None
        now = self.clock.now()
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, msg.event_id):
                return []
            delivery.mark_handled(
                session, event_id=msg.event_id, room_id=msg.room_id, outcome="edit", now=now
            )
            done = answers.edit(session, msg.replaces, sender=msg.sender, text=msg.body, now=now)
            if done is None:
                return []
            text, _ = done
            return self._enqueue(session, msg.room_id, text, reply_to=msg.replaces, now=now)

    def reacted(self, reaction: IncomingReaction) -> list[int]:
        """A reaction to a workshop option's message votes for it; one to an invitation answers
        it (👍 yes, 👎 no, 🤷 maybe). Anything else is left alone; nothing is replied."""
        from commands.workshops import react

        now = self.clock.now()
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, reaction.event_id):
                return []
            done = react(
                session,
                room_id=reaction.room_id,
                sender=reaction.sender,
                reacts_to=reaction.reacts_to,
                key=reaction.key,
                event_id=reaction.event_id,
                now=now,
            )
            if done is None:
                return []
            outcome, ids = done
            delivery.mark_handled(
                session,
                event_id=reaction.event_id,
                room_id=reaction.room_id,
                outcome=outcome,
                now=now,
            )
            return ids

    def redacted(self, redaction: IncomingRedaction) -> list[int]:
        """A redacted status answer is removed from its round; a removed reaction takes its
        workshop vote or answer back."""
        now = self.clock.now()
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, redaction.event_id):
                return []
            delivery.mark_handled(
                session,
                event_id=redaction.event_id,
                room_id=redaction.room_id,
                outcome="redaction",
                now=now,
            )
            answer = status_rounds.remove_answer(
                session,
                redaction.redacts,
                room_id=redaction.room_id,
                sender=redaction.sender,
                moderator=redaction.may_redact_others,
                now=now,
            )
            if answer is None:
                from commands.workshops import take_back

                return take_back(
                    session,
                    redaction.redacts,
                    room_id=redaction.room_id,
                    sender=redaction.sender,
                    moderator=redaction.may_redact_others,
                    now=now,
                )
            board_lang = self._board_language(session, answer.prompt_id)
            text = t(board_lang, "status.removed")
            return self._enqueue(session, redaction.room_id, text, reply_to=None, now=now)

    def _board_language(self, session: Session, prompt_id: int) -> str:
        """The language of the board a prompt belongs to."""
        from board_bot.models import StatusPrompt, StatusRound

        prompt = session.get(StatusPrompt, prompt_id)
        rnd = session.get(StatusRound, prompt.round_id) if prompt else None
        board = session.get(Board, rnd.board_id) if rnd else None
        return board.language if board else self.config.bot.language

    def greet(self, room_id: str) -> list[int]:
        """The greeting after joining a room: once per room, ever (deduplicated like an event)."""
        prefix = Safe(self.config.bot.command_prefix)
        text = t(self.config.bot.language, "greeting", prefix=prefix)
        return self._record(f"joined:{room_id}", room_id, "greeted", text, reply_to=None)

    def give_up(self, msg: IncomingMessage) -> list[int]:
        """Record an event that failed again and again, and apologise for it."""
        text = t(self.config.bot.language, "error.internal")
        return self._record(
            msg.event_id,
            msg.room_id,
            "failed",
            text,
            reply_to=msg.event_id,
            thread=msg.thread_root,
        )

    def _record(
        self,
        key: str,
        room_id: str,
        outcome: str,
        reply: str,
        *,
        reply_to: str | None,
        thread: str | None = None,
    ) -> list[int]:
        now = self.clock.now()
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, key):
                return []
            delivery.mark_handled(session, event_id=key, room_id=room_id, outcome=outcome, now=now)
            return self._enqueue(session, room_id, reply, reply_to=reply_to, now=now, thread=thread)

    @staticmethod
    def _enqueue(
        session: Session,
        room_id: str,
        reply: str | None,
        *,
        reply_to: str | None,
        now: datetime,
        thread: str | None = None,
    ) -> list[int]:
        """Queue ``reply`` as a reply to ``reply_to``, in the thread of ``thread`` if given."""
        if reply is None:
            return []
        rows = delivery.enqueue(
            session,
            room_id=room_id,
            contents=message_contents(reply, reply_to=reply_to, thread_root=thread),
            now=now,
        )
        return [row.id for row in rows if row.id is not None]

    def _reply(
        self, session: Session, msg: IncomingMessage, board: Board | None, lang: str, now: datetime
    ) -> tuple[
        str,
        str | None,
        list[framework.Attachment],
        list[Callable[[], None]],
        list[Callable[[Session], object]],
    ]:
        """The outcome, the reply, the files to send after it, and what to call after the
        commit."""
        bot = self.config.bot
        # The rate limit comes first, so that a flood of oversized or stale messages gets one
        # notice, not one each.
        allowed, warn = self.limiter.take(msg.sender)
        if not allowed:
            return "rate_limited", t(lang, "error.rate_limited") if warn else None, [], [], []
        size = len(msg.body.encode())
        if size > bot.max_command_bytes:
            return (
                "too_long",
                t(lang, "error.too_long", size=size, limit=bot.max_command_bytes),
                [],
                [],
                [],
            )
        if now - msg.sent_at > bot.max_command_age:
            hours = int(bot.max_command_age.total_seconds() // 3600)
            return "too_old", t(lang, "error.too_old", hours=hours), [], [], []

        board_admins = tuple(people.admins(session, board.id)) if board and board.id else ()
        ctx = framework.Context(
            session=session,
            sender=msg.sender,  # type: ignore[arg-type]
            room_id=msg.room_id,  # type: ignore[arg-type]
            board=board,
            lang=lang,
            now=now,
            prefix=bot.command_prefix,
            is_admin=msg.sender in bot.admins or msg.sender in board_admins,
            admins=board_admins or bot.admins,
            config_admins=bot.admins,
            default_language=bot.language,
            default_timezone=bot.timezone,
            default_bundesland=bot.bundesland,
            runtime=self.runtime,
            registry=self.registry,
            event_id=msg.event_id,
            thread_root=msg.thread_root,
            text=msg.body[len(bot.command_prefix) :],
        )
        text = msg.body[len(bot.command_prefix) :]
        try:
            with session.begin_nested():
                reply = framework.run(ctx, text)
            return "ok", reply, ctx.attachments, ctx.after_commit, ctx.follow_ups
        except UnknownCommand as exc:
            return "unknown", self._unknown(exc, lang), [], [], []
        except UsageError as exc:
            lines = [t(lang, exc.key, **exc.params)]
            if exc.usage:
                lines.append(t(lang, "usage.line", usage=Safe(f"`{exc.usage}`")))
            return "usage", "\n\n".join(lines), [], [], []
        except BotError as exc:
            return "refused", t(lang, exc.key, **exc.params), [], [], []
        except Exception as exc:
            if _database_down(exc):
                raise  # the database is unreachable or busy: the caller retries the event
            # The traceback goes to the log; the user gets an apology, never the exception text.
            # Only the command word is logged: message bodies stay out of the logs.
            log.exception("command %r failed", text.split(maxsplit=1)[0][:40])
            return "error", t(lang, "error.internal"), [], [], []

    def _unknown(self, exc: UnknownCommand, lang: str) -> str:
        params = dict(exc.params)
        suggestions = params.pop("suggestions", [])
        parts = [t(lang, exc.key, **params)]
        if suggestions:
            # Our own command words: code spans, not escaped text.
            joined = Safe(
                (" oder " if lang == "de" else " or ").join(f"`{s}`" for s in suggestions)
            )
            parts.append(t(lang, "error.did_you_mean", suggestions=joined))
        parts.append(t(lang, "error.see_help", prefix=Safe(self.config.bot.command_prefix)))
        return " ".join(parts)
