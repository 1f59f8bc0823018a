"""The summary on the clock: posted to the board room after each round's deadline, once per
round (across restarts too)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from board_bot.core import delivery
from board_bot.core.jobs import Run
from board_bot.core.naming import Namer
from board_bot.core.render import message_contents
from board_bot.features.status_rounds import service as sr
from board_bot.features.summaries import service as summaries
from board_bot.features.summaries.messages import chart, chart_filename, render
from board_bot.models import Board, HandledEvent

#: A summary not posted at its round's deadline (the bot was down) is posted this late at most.
SUMMARY_LATE_MAX = timedelta(days=6)


def post_summary(
    session: Session, board: Board, period: str, *, name: Namer, now: datetime
) -> bool:
    """Post the summary of the round of ``period`` to the board room, and a copy to the board's
    summary thread and summary room if it has them, once per round (across restarts too); the
    round's state is kept for the next summary's trends. False when it was posted before or there
    is no such round."""
    assert board.id is not None
    key = f"summary:{board.id}:{period}"
    rnd = sr.find_round(session, board.id, period)
    if rnd is None or session.get(HandledEvent, key) is not None:
        return False
    delivery.mark_handled(session, event_id=key, room_id=board.room_id, outcome="summary", now=now)
    sr.take_snapshot(session, rnd, now=now)
    data = summaries.build(session, board, now=now, rnd=rnd)
    text = render(board.language, data, name=name)
    drawn = chart(session, data, board.language, with_now=False)
    places: list[tuple[str, str | None]] = [(board.room_id, None)]
    if board.summary_thread:
        places.append((board.room_id, board.summary_thread))
    if board.summary_room and board.summary_room != board.room_id:
        places.append((board.summary_room, None))
    for room_id, thread in places:
        delivery.enqueue(
            session,
            room_id=room_id,
            contents=message_contents(text, thread_root=thread),
            now=now,
        )
        if drawn is not None:
            delivery.enqueue_file(
                session,
                room_id=room_id,
                thread_root=thread,
                filename=chart_filename(data),
                mimetype="image/png",
                data=drawn.png,
                now=now,
                msgtype="m.image",
                description=drawn.alt,
                info={"w": drawn.width, "h": drawn.height},
            )
    return True


def summary_posted(session: Session, board_id: int, period: str) -> bool:
    return session.get(HandledEvent, f"summary:{board_id}:{period}") is not None


def plan_summary(
    session: Session, board: Board, *, name: Namer, prefix: str, now: datetime
) -> list[Run]:
    """The open round's summary at its deadline; one whose deadline passed while the bot was
    down is posted now, within :data:`SUMMARY_LATE_MAX`."""
    assert board.id is not None
    rnd = sr.open_round(session, board.id) if sr.is_enabled(session, board) else None
    if rnd is None or summary_posted(session, board.id, rnd.period):
        return []
    if rnd.deadline_at > now:
        return [Run(rnd.deadline_at, (rnd.period,))]
    if now - rnd.deadline_at <= SUMMARY_LATE_MAX:
        post_summary(session, board, rnd.period, name=name, now=now)
    return []
