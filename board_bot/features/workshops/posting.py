"""What the workshops post after a change: the options and the tally of a slot poll (the tally
edited in place as votes come), and the invitation, update or cancellation with its .ics file,
in the board room and by direct message."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from board_bot.core import delivery
from board_bot.core.i18n import N_, t
from board_bot.core.naming import Namer
from board_bot.core.render import Safe, edit_contents, message_contents, plain_text
from board_bot.features.workshops import ics
from board_bot.features.workshops import messages as r
from board_bot.features.workshops import service as wss
from board_bot.models import (
    Board,
    Department,
    Workshop,
    WorkshopDirectInvitation,
    WorkshopOption,
)

#: The notice of a moved and of a cancelled workshop.
NOTICE_KEYS = {
    "update": N_("workshop.update_notice"),
    "cancellation": N_("workshop.cancellation_notice"),
}


def queue_tally_edit(
    session: Session, ws: Workshop, board: Board, lang: str, *, name: Namer, now: datetime
) -> list[int]:
    """Edit the poll's tally message in place (once it has been sent); the outbox rows."""
    if ws.poll_event_id is None:
        return []
    rows = delivery.enqueue(
        session,
        room_id=board.room_id,
        contents=[edit_contents(r.tally(session, lang, ws, board, name), ws.poll_event_id)],
        now=now,
    )
    return [row.id for row in rows if row.id is not None]


def post_poll(
    session: Session,
    ws: Workshop,
    options: list[WorkshopOption],
    board: Board,
    lang: str,
    *,
    name: Namer,
    now: datetime,
) -> None:
    """Each option as a message of its own (to react to), then the tally, edited as votes come."""
    for option in options:
        [row] = delivery.enqueue(
            session,
            room_id=board.room_id,
            contents=message_contents(
                r.option_line(lang, ws, board, option.position, option.starts_at)
            ),
            now=now,
        )
        option.outbox_id = row.id
        session.add(option)
    [poll] = delivery.enqueue(
        session,
        room_id=board.room_id,
        contents=message_contents(r.tally(session, lang, ws, board, name)),
        now=now,
    )
    ws.poll_outbox_id = poll.id
    session.add(ws)


def post_calendar(
    session: Session,
    ws: Workshop,
    board: Board,
    depts: list[Department],
    *,
    kind: str,
    lang: str,
    prefix: str,
    now: datetime,
    direct: bool = True,
) -> None:
    """The invitation (``kind`` "invitation"), update or cancellation in the board room with its
    .ics file, mentioning the invited departments' acting contacts on the day of the workshop
    (the new day, after a new slot), and (``direct``) the same to each of them by direct
    message. An update or cancellation also goes to everyone who got the invitation by direct
    message before, so that no calendar keeps a stale entry."""
    if kind == "invitation":
        text = r.invitation(lang, ws, board, depts, prefix)
    else:
        assert ws.starts_at is not None
        text = t(
            lang,
            NOTICE_KEYS[kind],
            number=ws.number,
            title=r.title(ws),
            when=r.when(lang, ws.starts_at, board.timezone, ws.duration_minutes),
        )
    contacts = [c for _, c in wss.invitees(session, ws, board) if c]
    if kind != "invitation":
        contacts += wss.direct_invitees(session, ws)
    contacts = list(dict.fromkeys(contacts))
    description = t(
        lang,
        "workshop.ics_description",
        number=ws.number,
        title=ws.title,
        depts=r.codes(depts),
        board=board.name,
    )
    data = ics.calendar(
        wss.meeting(ws, board, description=plain_text(description), attendees=contacts),
        now=now,
        cancelled=kind == "cancellation",
    )
    [row] = delivery.enqueue(
        session,
        room_id=board.room_id,
        contents=message_contents(text, mentions=tuple(contacts)),
        now=now,
    )
    if kind == "invitation":
        ws.invitation_outbox_id = row.id
        session.add(ws)
    private = (
        t(
            lang,
            "workshop.invitation_direct",
            board=board.name,
            number=ws.number,
            prefix=Safe(prefix),
        )
        if kind == "invitation"
        else ""
    )
    for room in [board.room_id, *(contacts if direct else [])]:
        if room != board.room_id:
            body = f"{r.invitation_head(lang, ws, board, depts)}\n\n{private}" if private else text
            [sent] = delivery.enqueue(
                session, room_id=room, contents=message_contents(body), now=now
            )
            # Every direct message is remembered (an update or a cancellation too): its reader gets
            # the next change, and a reaction to it answers the invitation.
            if ws.id is not None and sent.id is not None:
                session.add(
                    WorkshopDirectInvitation(workshop_id=ws.id, user_id=room, outbox_id=sent.id)
                )
        delivery.enqueue_file(
            session, room_id=room, filename=r.ics_name(ws), mimetype=ics.MIME, data=data, now=now
        )
