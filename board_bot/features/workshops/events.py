"""Chat events of the workshops that are not commands: a reaction to an option's message votes
for it, one to an invitation answers it (👍 yes, 👎 no, 🤷 maybe), in the board room or in the
direct message the invitation came in; a removed reaction takes the vote or answer back."""

from __future__ import annotations

from board_bot.core.events import (
    EventContext,
    EventHandlers,
    IncomingReaction,
    IncomingRedaction,
    Outcome,
)
from board_bot.features.boards import service as boards
from board_bot.features.workshops import service as wss
from board_bot.features.workshops.posting import queue_tally_edit
from board_bot.models import Board

_YES = ("👍", "✅", "✔", "☑", "👌", "🙋", "🙌", "+1")
_NO = ("👎", "❌", "✖", "🚫", "⛔", "-1")
_MAYBE = ("🤷", "❓", "❔", "🤔")


def reaction_meaning(key: str) -> str | None:
    """yes / no / maybe for a reaction's key (skin tones and variation selectors ignored)."""
    bare = "".join(ch for ch in key if not ("\U0001f3fb" <= ch <= "\U0001f3ff" or ch == "\ufe0f"))
    for meaning, keys in (("yes", _YES), ("no", _NO), ("maybe", _MAYBE)):
        if bare.startswith(keys):
            return meaning
    return None


def on_reaction(ctx: EventContext, reaction: IncomingReaction) -> Outcome | None:
    """A reaction in a board room to an option's message (a vote, unless it says no) or to an
    invitation (an answer), or in a direct room to the invitation sent there; None when it is
    none of these (or the workshop no longer takes it)."""
    session, now, sender = ctx.session, ctx.now, reaction.sender
    meaning = reaction_meaning(reaction.key)
    board = boards.for_room(session, reaction.room_id)
    if board is None:  # a direct room: an answer to the invitation sent there, if any
        invited = wss.direct_invitation_for_event(session, reaction.reacts_to, reaction.room_id)
        if invited is None or meaning is None or invited.status != wss.CONFIRMED:
            return None
        wss.rsvp(session, invited, sender, meaning, now=now, reaction_event_id=reaction.event_id)
        return Outcome("workshop_rsvp")
    found = wss.option_for_event(session, reaction.reacts_to)
    if found is not None:
        ws, option = found
        if ws.board_id != board.id or ws.status != wss.PLANNING or meaning == "no":
            return None
        if not wss.vote_by_reaction(session, option, sender, reaction.event_id, now):
            return None
        name = ctx.names(board.room_id)
        return Outcome(
            "workshop_vote",
            queue_tally_edit(session, ws, board, board.language, name=name, now=now),
        )
    invited = wss.invitation_for_event(session, reaction.reacts_to)
    if invited is None or invited.board_id != board.id or meaning is None:
        return None
    if invited.status != wss.CONFIRMED:
        return None
    wss.rsvp(session, invited, sender, meaning, now=now, reaction_event_id=reaction.event_id)
    return Outcome("workshop_rsvp")


def on_redaction(ctx: EventContext, redaction: IncomingRedaction) -> Outcome | None:
    """A removed reaction: its vote or answer is taken back; the tally is edited."""
    ws = wss.take_back_reaction(
        ctx.session,
        redaction.redacts,
        room_id=redaction.room_id,
        sender=redaction.sender,
        moderator=redaction.may_redact_others,
    )
    if ws is None or ws.status != wss.PLANNING:
        return None
    board = ctx.session.get(Board, ws.board_id)
    if board is None:
        return None
    ids = queue_tally_edit(
        ctx.session, ws, board, board.language, name=ctx.names(board.room_id), now=ctx.now
    )
    return Outcome("redaction", ids)


HANDLERS = EventHandlers(reaction=on_reaction, redaction=on_redaction)
