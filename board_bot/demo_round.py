"""The demo board's status round: this week's round is running, three departments have
answered (package lines with a blocker and escalations, a deputy standing in, free text), two
have not, so that ``!status``, ``!status erinnern``, ``!update`` and ``!wp show`` have
something to show. Created through the same services as the chat, once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from board_bot import rounds
from board_bot.models import Board
from board_bot.services import departments
from board_bot.services import status_rounds as sr

ACTOR = "import:demo"

# Department code -> (who answers: localpart, the answer as a lead would type it)
ANSWERS = {
    "FB 13": (
        "amt13-leitung",
        "WP-2 grün 65% Datensätze zu Haushalt und Verkehr veröffentlicht\n"
        "WP-7 gelb 80% Entwurf liegt beim Verwaltungsvorstand\n"
        "Entscheidung nötig: Beschluss der Strategie im Hauptausschuss",
    ),
    "FB 20": (
        "fb20-vertretung",  # the lead is away this week: the deputy answers
        "WP-5 gelb 30% Anbindung an das Finanzverfahren wartet auf FB 13\n"
        "An die Oberbürgermeisterin: Mittel für den Regelbetrieb 2027 im Haushalt sichern",
    ),
    "FB 40": (
        "fb40-leitung",
        "Die Ausleuchtung an den Grundschulen ist abgeschlossen, die weiterführenden Schulen "
        "folgen im Januar.",
    ),
}


def seed_status_round(session: Session, board: Board, *, server_name: str, now: datetime) -> bool:
    """Start this week's round with its prompts (the bot sends them as direct messages) and
    record the sample answers; False when the board has had a round already."""
    assert board.id is not None
    if sr.latest_round(session, board.id) is not None:
        return False
    times = sr.manual_times(sr.schedule_of(session, board), now)
    started = sr.start_round(session, board, times, started_by=ACTOR, now=now)
    if started is None:
        return False
    rounds.queue_prompts(session, board, started, now=now)
    by_code = {d.id: d.code for d in departments.active(session, board.id)}
    for planned in started.prompts:
        sample = ANSWERS.get(by_code.get(planned.prompt.department_id, ""))
        if sample is None:
            continue
        localpart, text = sample
        sr.record_answer(
            session,
            planned.prompt,
            event_id=f"demo:{board.id}:{planned.department.code}",
            room_id=planned.prompt.room_id or board.room_id,
            sender=f"@{localpart}:{server_name}",
            text=text,
            now=now,
        )
    return True
