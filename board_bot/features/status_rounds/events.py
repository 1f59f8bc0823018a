"""Chat events of the status rounds that are not commands: an answer to a prompt (in the
sender's direct room, or in a department room), an edit of an answer, and a redaction of one."""

from __future__ import annotations

import logging

from board_bot.core import delivery
from board_bot.core.db import database_down
from board_bot.core.errors import BotError
from board_bot.core.events import (
    EventContext,
    EventHandlers,
    IncomingMessage,
    IncomingRedaction,
    Outcome,
)
from board_bot.core.i18n import t
from board_bot.core.naming import named
from board_bot.features.status_rounds import answers
from board_bot.features.status_rounds import service as sr
from board_bot.features.status_rounds.parser import parse_answer
from board_bot.models import Board, StatusPrompt, StatusRound

log = logging.getLogger(__name__)


def on_message(ctx: EventContext, msg: IncomingMessage) -> Outcome | None:
    """A message that may answer a status prompt: in the sender's direct room, or in a
    department room (as a reply to the prompt, or with package lines). Anything else is chat and
    is left alone."""
    if not msg.body.strip():
        return None
    session, now = ctx.session, ctx.now
    at = min(msg.sent_at, now)
    prompts = sr.answerable_prompts(session, room_id=msg.room_id, sender=msg.sender, at=at)
    if not prompts:
        return _not_for_you(ctx, msg)
    if sr.direct_room(session, msg.sender) != msg.room_id:
        # In a shared room only a reply to the prompt, or package lines, are answers; a reply to
        # anything else is conversation.
        to_prompt = [p for p in prompts if p.event_id in msg.replied_to()]
        if to_prompt:
            prompts = to_prompt
        elif not parse_answer(msg.body).items:
            return None
    # Answers are not rate-limited: only the departments' contacts can give them, and a dropped
    # answer would be lost (the event is not seen again).
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
                sent_at=at,
            )
    except BotError as exc:
        text = t(ctx.default_language, exc.key, **named(exc.params, ctx.names(msg.room_id)))
    except Exception as exc:
        if database_down(exc):
            raise
        log.exception("a status answer could not be recorded")
        text = t(ctx.default_language, "error.internal")
    ids = delivery.reply(
        session, msg.room_id, text, reply_to=msg.event_id, now=now, thread=msg.thread_root
    )
    return Outcome("answer", ids)


def _not_for_you(ctx: EventContext, msg: IncomingMessage) -> Outcome | None:
    """Package lines, or a reply to the prompt, in a department room from someone who does not
    answer for the department: say so, instead of keeping silent."""
    at = min(msg.sent_at, ctx.now)
    prompts = sr.room_prompts(ctx.session, room_id=msg.room_id, sender=msg.sender, at=at)
    if not prompts:
        return None
    # Only an explicit reply: chat in a thread under the prompt is not meant as an answer.
    replied = any(msg.reply_to and p.event_id == msg.reply_to for p in prompts)
    if not replied and not parse_answer(msg.body).items:
        return None  # conversation
    lang = _board_language(ctx, prompts[0].id or 0)
    text = t(lang, "status.update.not_lead")
    ids = delivery.reply(
        ctx.session, msg.room_id, text, reply_to=msg.event_id, now=ctx.now, thread=msg.thread_root
    )
    return Outcome("not_lead", ids)


def on_edit(ctx: EventContext, msg: IncomingMessage) -> Outcome | None:
    """An edit of a status answer replaces what it said."""
    assert msg.replaces is not None
    done = answers.edit(ctx.session, msg.replaces, sender=msg.sender, text=msg.body, now=ctx.now)
    if done is None:
        return None
    text, _ = done
    return Outcome(
        "edit", delivery.reply(ctx.session, msg.room_id, text, reply_to=msg.replaces, now=ctx.now)
    )


def on_redaction(ctx: EventContext, redaction: IncomingRedaction) -> Outcome | None:
    """A redacted status answer is removed from its round (by its author or a moderator)."""
    answer = sr.remove_answer(
        ctx.session,
        redaction.redacts,
        room_id=redaction.room_id,
        sender=redaction.sender,
        moderator=redaction.may_redact_others,
        now=ctx.now,
    )
    if answer is None:
        return None
    text = t(_board_language(ctx, answer.prompt_id), "status.removed")
    ids = delivery.reply(ctx.session, redaction.room_id, text, reply_to=None, now=ctx.now)
    return Outcome("redaction", ids)


def _board_language(ctx: EventContext, prompt_id: int) -> str:
    """The language of the board a prompt belongs to."""
    prompt = ctx.session.get(StatusPrompt, prompt_id)
    rnd = ctx.session.get(StatusRound, prompt.round_id) if prompt else None
    board = ctx.session.get(Board, rnd.board_id) if rnd else None
    return board.language if board else ctx.default_language


HANDLERS = EventHandlers(message=on_message, edit=on_edit, redaction=on_redaction)
