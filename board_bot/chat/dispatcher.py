"""One command, start to end, without Matrix: dedupe, limits, authorise, run, reply via outbox.

``Dispatcher.handle`` runs in one database transaction: the command's effect, the record that its
event was handled, and the outbox rows of the reply commit together or not at all. It is
synchronous (the Matrix side runs it in a worker thread) and never does network I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from board_bot.chat import framework
from board_bot.chat.framework import Registry, Runtime, UnknownCommand
from board_bot.core import delivery
from board_bot.core.clock import Clock
from board_bot.core.config import Config
from board_bot.core.db import database_down, unit_of_work
from board_bot.core.errors import BotError, UsageError
from board_bot.core.events import (
    EventContext,
    EventHandlers,
    IncomingMessage,
    IncomingReaction,
    IncomingRedaction,
    Outcome,
)
from board_bot.core.i18n import t
from board_bot.core.metrics import Metrics
from board_bot.core.naming import Namer, named, namer
from board_bot.core.ratelimit import RateLimiter
from board_bot.core.render import Safe
from board_bot.features.boards import service as boards
from board_bot.features.people import service as people
from board_bot.models import Board

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        *,
        config: Config,
        engine: Engine,
        clock: Clock,
        registry: Registry,
        runtime: Runtime,
        handlers: Sequence[EventHandlers] = (),
        metrics: Metrics | None = None,
    ) -> None:
        self.config = config
        self.engine = engine
        self.clock = clock
        self.registry = registry
        self.runtime = runtime
        #: the features' handlers for chat events that are not commands, asked in this order
        self.handlers = tuple(handlers)
        #: commands by group and outcome, and their duration (none: not counted)
        self.metrics = metrics
        self.limiter = RateLimiter(
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
        started = self.clock.monotonic()
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
        self._count(msg.body, handled.outcome, self.clock.monotonic() - started)
        for callback in after:
            try:
                callback()
            except Exception:
                log.exception("a command's follow-up failed")
        return ids

    # --- chat events that are not commands ------------------------------------------------------

    def _route(
        self,
        event_id: str,
        room_id: str,
        pick: Callable[[EventHandlers], Callable[[EventContext, Any], Outcome | None] | None],
        event: object,
        *,
        unclaimed: str | None = None,
    ) -> list[int]:
        """Offer an event to the features' handlers, in order, in one unit of work; the first
        that takes it decides the outcome. An event nobody takes is recorded as ``unclaimed``
        (edits and redactions, so that they are looked at once) or not at all."""
        now = self.clock.now()
        with unit_of_work(self.engine) as session:
            if delivery.is_handled(session, event_id):
                return []
            ctx = EventContext(
                session=session,
                now=now,
                default_language=self.config.bot.language,
                names=self._names,
            )
            for handlers in self.handlers:
                handler = pick(handlers)
                done = handler(ctx, event) if handler is not None else None
                if done is not None:
                    delivery.mark_handled(
                        session, event_id=event_id, room_id=room_id, outcome=done.outcome, now=now
                    )
                    return done.outbox_ids
            if unclaimed is not None:
                delivery.mark_handled(
                    session, event_id=event_id, room_id=room_id, outcome=unclaimed, now=now
                )
            return []

    def _names(self, room_id: str) -> Namer:
        """How people are named in a message to ``room_id``."""
        return namer(room_id, self.runtime.display_name, self.runtime.room_members)

    def _answer(self, msg: IncomingMessage) -> list[int]:
        """A message that is not a command: an answer to a status prompt, or chat."""
        return self._route(msg.event_id, msg.room_id, lambda h: h.message, msg)

    def _edit(self, msg: IncomingMessage) -> list[int]:
        """An edit: of a status answer it replaces what it said; edits of anything else are
        ignored (a command is sent anew, not edited)."""
        return self._route(msg.event_id, msg.room_id, lambda h: h.edit, msg, unclaimed="edit")

    def reacted(self, reaction: IncomingReaction) -> list[int]:
        """A reaction: a vote for a workshop option, or an answer to an invitation. Anything
        else is left alone."""
        return self._route(reaction.event_id, reaction.room_id, lambda h: h.reaction, reaction)

    def redacted(self, redaction: IncomingRedaction) -> list[int]:
        """A redaction: of a status answer it removes the answer; of a reaction, its vote or
        answer."""
        return self._route(
            redaction.event_id,
            redaction.room_id,
            lambda h: h.redaction,
            redaction,
            unclaimed="redaction",
        )

    def greet(self, room_id: str) -> list[int]:
        """The greeting after joining a room: once per room, ever (deduplicated like an event)."""
        prefix = Safe(self.config.bot.command_prefix)
        text = t(self.config.bot.language, "greeting", prefix=prefix)
        return self._record(f"joined:{room_id}", room_id, "greeted", text, reply_to=None)

    def give_up(self, msg: IncomingMessage) -> list[int]:
        """Record an event that failed again and again, and apologise for it."""
        text = t(self.config.bot.language, "error.internal")
        ids = self._record(
            msg.event_id,
            msg.room_id,
            "failed",
            text,
            reply_to=msg.event_id,
            thread=msg.thread_root,
        )
        if ids and self.is_command(msg.body):
            self._count(msg.body, "failed", 0.0)
        return ids

    def command_group(self, body: str) -> str:
        """The metrics' name for a command's group: the registry's name of the group or
        top-level command its first word names (in any language), else ``unknown``. Never a
        word the user typed, so that the metrics carry no user text."""
        words = body[len(self.config.bot.command_prefix) :].split(maxsplit=1)
        word = words[0].lower() if words else ""
        group = self.registry.groups.get(word)
        if group is not None:
            return group.name
        command = self.registry.top.get(word)
        return command.name if command is not None else "unknown"

    def _count(self, body: str, outcome: str, seconds: float) -> None:
        if self.metrics is not None:
            self.metrics.command(self.command_group(body), outcome, seconds)

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
        return delivery.reply(session, room_id, reply, reply_to=reply_to, now=now, thread=thread)

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
        # By when it was sent for what was written before the bot started (a backlog after a
        # downtime is no flood); by now for the rest: a sender's homeserver sets the timestamp,
        # and one that lies (in the future, or spaced out) must not get around the limit.
        sent = msg.sent_at if msg.sent_at < self.runtime.started_at else now
        allowed, warn = self.limiter.take(msg.sender, min(sent, now))
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
            lines = [t(lang, exc.key, **named(exc.params, ctx.name))]
            if exc.usage:
                lines.append(t(lang, "usage.line", usage=Safe(f"`{exc.usage}`")))
            return "usage", "\n\n".join(lines), [], [], []
        except BotError as exc:
            return "refused", t(lang, exc.key, **named(exc.params, ctx.name)), [], [], []
        except Exception as exc:
            if database_down(exc):
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
