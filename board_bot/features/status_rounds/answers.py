"""Status answers as they arrive: a message in a direct room or a department room, an edit of
one, a redaction, or ``!update``. Finds the prompt the message answers, records it through
the status round service and words the confirmation (this feature's ``messages``)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from board_bot.core.errors import BotError
from board_bot.core.render import Safe
from board_bot.features.status_rounds import messages
from board_bot.features.status_rounds import service as sr
from board_bot.features.status_rounds.parser import parse_answer
from board_bot.models import (
    Board,
    Department,
    StatusPrompt,
    StatusRound,
    WorkPackage,
)


def choose(session: Session, prompts: list[StatusPrompt], text: str) -> StatusPrompt:
    """The prompt a message answers when the sender may answer several: the one whose
    department owns the packages the message names."""
    if len(prompts) == 1:
        return prompts[0]
    numbers = [item.number for item in parse_answer(text).items]
    owners: set[int] = set()
    if numbers:
        rounds = {p.round_id for p in prompts}
        boards = {
            r.board_id
            for r in session.exec(select(StatusRound).where(col(StatusRound.id).in_(rounds)))
        }
        owners = {
            wp.owner_department_id
            for wp in session.exec(
                select(WorkPackage).where(
                    col(WorkPackage.board_id).in_(boards), col(WorkPackage.number).in_(numbers)
                )
            )
        }
    matches = [p for p in prompts if p.department_id in owners]
    if len(matches) == 1:
        return matches[0]
    codes = [
        d.code
        for d in session.exec(
            select(Department).where(col(Department.id).in_([p.department_id for p in prompts]))
        )
    ]
    raise BotError("status.update.ambiguous", depts=", ".join(sorted(codes)))


def record(
    session: Session,
    prompts: list[StatusPrompt],
    *,
    event_id: str,
    room_id: str,
    sender: str,
    text: str,
    now: datetime,
    sent_at: datetime | None = None,
) -> tuple[str, str]:
    """Record an answer (sent at ``sent_at``, default now); the confirmation (Markdown) and its
    language."""
    prompt = choose(session, prompts, text)
    recorded = sr.record_answer(
        session,
        prompt,
        event_id=event_id,
        room_id=room_id,
        sender=sender,
        text=text,
        now=now,
        sent_at=sent_at,
    )
    return _confirm(session, recorded)


def _confirm(session: Session, recorded: sr.Recorded) -> tuple[str, str]:
    rnd = session.get(StatusRound, recorded.prompt.round_id)
    assert rnd is not None
    board = session.get(Board, rnd.board_id)
    lang = board.language if board else "de"
    return messages.confirmation(lang, recorded, rnd), lang


def edit(
    session: Session, original: str, *, sender: str, text: str, now: datetime
) -> tuple[str, str] | None:
    recorded = sr.edit_answer(session, original, sender=sender, text=text, now=now)
    return _confirm(session, recorded) if recorded is not None else None


def answer_by_command(
    session: Session,
    *,
    sender: str,
    room_id: str,
    board_id: int | None,
    event_id: str | None,
    report: str,
    prefix: str,
    now: datetime,
) -> str:
    """``!update ...``: the sender's report, to the prompt it belongs to."""
    prompts = sr.prompts_for_sender(session, sender)
    if not prompts:
        if board_id is not None and sr.open_round(session, board_id) is not None:
            raise BotError("status.update.not_lead")
        raise BotError("status.update.no_round", prefix=Safe(prefix))
    # The command's own event is the answer's event: an edit of the command is not taken (the
    # dispatcher leaves edits of commands alone), a redaction removes the answer.
    text, _lang = record(
        session,
        prompts,
        event_id=event_id or f"update:{sender}:{now.isoformat()}",
        room_id=room_id,
        sender=sender,
        text=report,
        now=now,
    )
    return text
