"""The demo board's status rounds: eight past rounds with their kept states (so that the
summary shows trends and its chart a history), and this week's round running: three have
answered (package lines with a blocker and escalations, a deputy standing in, free text), two
have not, so that ``!status``, ``!status erinnern``, ``!update`` and ``!wp show`` have
something to show. The running round goes through the same services as the chat; the history
is written directly (it has no prompts). Once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from board_bot.core.naming import Namer
from board_bot.features.departments import service as departments
from board_bot.features.status_rounds import jobs as status_jobs
from board_bot.features.status_rounds import schedule as rs
from board_bot.features.status_rounds import service as sr
from board_bot.models import Board, RoundSnapshot, StatusRound, WorkPackage

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


# The Leitlinien's colours in the past eight weeks (oldest first): the chart and the trends have
# a history to show. "=" keeps a package's colour as it is today.
HISTORY = {
    1: "gggggyy=",
    2: "ggyyyyg=",
    3: "yyyrrry=",
    4: "gggggggg",
}


def seed_history(session: Session, board: Board, *, now: datetime) -> None:
    """Eight closed past rounds with their kept states (no prompts: they are history)."""
    assert board.id is not None
    schedule = sr.schedule_of(session, board)
    packages = list(session.exec(select(WorkPackage).where(WorkPackage.board_id == board.id)))
    # Since when each package has had its light and status, as the history tells: the first
    # of the latest weeks that showed them as they are now.
    light_since: dict[int, datetime] = {}
    status_since: dict[int, datetime] = {}
    for weeks_ago in range(8, 0, -1):
        at = now - timedelta(weeks=weeks_ago)
        rnd = StatusRound(
            board_id=board.id,
            period=rs.period_of(schedule, sr.local_day(board, at)),
            prompt_at=at,
            reminders_at=[],
            deadline_at=at + timedelta(days=2),
            started_at=at,
            started_by=ACTOR,
            closed_at=at + timedelta(days=7),
            closed_by=ACTOR,
            snapshot_at=at + timedelta(days=2),
        )
        session.add(rnd)
        session.flush()
        assert rnd.id is not None
        for wp in packages:
            assert wp.id is not None
            colour = HISTORY.get(wp.leitlinie or 0, "=" * 8)[8 - weeks_ago]
            light = {"g": "green", "y": "yellow", "r": "red"}.get(colour, wp.traffic_light)
            status = "in_progress" if wp.status in ("done", "discarded") else wp.status
            session.add(
                RoundSnapshot(
                    round_id=rnd.id,
                    work_package_id=wp.id,
                    leitlinie=wp.leitlinie,
                    traffic_light=light,
                    status=status,
                    progress=max(0, wp.progress - 5 * weeks_ago),
                )
            )
            for since, now_value, then in (
                (light_since, wp.traffic_light, light),
                (status_since, wp.status, status),
            ):
                if then == now_value:
                    since.setdefault(wp.id, at)
                else:
                    since.pop(wp.id, None)  # another value since: the run starts later
    for wp in packages:
        assert wp.id is not None
        wp.light_since = light_since.get(wp.id, wp.light_since)
        wp.status_since = status_since.get(wp.id, wp.status_since)
        session.add(wp)
    session.flush()


def seed_status_round(
    session: Session, board: Board, *, server_name: str, name: Namer, now: datetime
) -> bool:
    """Start this week's round with its prompts (the bot sends them as direct messages) and
    record the sample answers; False when the board has had a round already."""
    assert board.id is not None
    if sr.latest_round(session, board.id) is not None:
        return False
    seed_history(session, board, now=now)
    times = sr.manual_times(sr.schedule_of(session, board), now)
    started = sr.start_round(session, board, times, started_by=ACTOR, now=now)
    if started is None:
        return False
    status_jobs.queue_prompts(session, board, started, name=name, now=now)
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
