"""The demo board's sample portfolio: work packages a German city's Smart City Board would have.

Created through the same services as the chat commands, once (only when the board has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from board_bot.core.config import DEFAULT_HANDLUNGSFELDER
from board_bot.features.departments import service as departments
from board_bot.features.work_packages import service as work_packages
from board_bot.models import Board, WorkPackage

ACTOR = "import:demo"


@dataclass(frozen=True)
class Sample:
    title: str
    dept: str
    leitlinie: int
    handlungsfeld: str
    responsible: str  # localpart
    due_in_days: int
    status: str = "planned"
    progress: int = 0
    light: str = "green"
    reason: str | None = None
    contributors: tuple[str, ...] = ()
    milestones: tuple[tuple[str, int], ...] = ()  # title, days from today
    waits_for: tuple[int, ...] = ()  # indexes into SAMPLES
    funding: tuple[str, int] | None = None  # programme, application deadline in days
    description: str = ""
    #: the text for the public portfolio page; a sample with one is marked public
    public: str = ""


SAMPLES = (
    Sample(
        "Digitaler Bauantrag (OZG)", "FB 61", 3, "Verwaltung", "fb61-leitung", 90,
        status="in_progress", progress=40, light="yellow",
        reason="Schnittstelle zum Landesportal verzögert sich", contributors=("FB 13",),
        milestones=(("Pilot mit fünf Architekturbüros", 30), ("Regelbetrieb", 90)),
        description="Bauanträge vollständig online, mit Anbindung an das Landesportal.",
        public="Bauanträge können künftig vollständig online gestellt und verfolgt werden. "
        "Erst testen fünf Architekturbüros das Verfahren, dann steht es allen offen.",
    ),
    Sample(
        "Open-Data-Portal der Stadt", "FB 13", 2, "Gesellschaftlicher Diskurs", "amt13-leitung",
        60, status="in_progress", progress=60, contributors=("FB 61", "FB 68"),
        milestones=(("Erste 20 Datensätze veröffentlicht", 14),),
        public="Die Stadt stellt ihre Daten offen und maschinenlesbar bereit: Haushalt, "
        "Verkehr, Umwelt und Stadtplanung, frei nutzbar unter einer offenen Lizenz.",
    ),
    Sample(
        "Verkehrsdatenplattform mit Zählstellen", "FB 68", 3, "Mobilität", "fb68-leitung", 120,
        status="in_progress", progress=25, light="red", reason="Förderbescheid steht noch aus",
        funding=("Modellprojekte Smart Cities", 20),
        public="Zählstellen an den Hauptachsen messen den Rad- und Autoverkehr; die Daten "
        "helfen, Ampeln und Radwege besser zu planen.",
    ),
    Sample(
        "WLAN an allen Schulen", "FB 40", 3, "Bildung", "fb40-leitung", 45,
        status="in_progress", progress=70, contributors=("FB 20",),
        milestones=(("Netztechnik vergeben", -12), ("Grundschulen angeschlossen", 10)),
        public="Alle städtischen Schulen erhalten ein leistungsfähiges WLAN für den "
        "Unterricht mit digitalen Medien.",
    ),
    Sample(
        "E-Rechnung im Rechnungseingang", "FB 20", 3, "Verwaltung", "fb20-leitung", 150,
    ),
    Sample(
        "Beteiligungsplattform Stadtentwicklung", "FB 61", 2, "Gesellschaftlicher Diskurs",
        "fb61-vertretung", 200, waits_for=(1,),
        public="Eine Online-Plattform, auf der Bürgerinnen und Bürger Planungen der Stadt "
        "kommentieren und eigene Ideen einbringen.",
    ),
    Sample(
        "Digitalisierungsstrategie fortschreiben", "FB 13", 1, "Verwaltung", "cdo", -20,
        status="done", progress=100,
    ),
    Sample(
        "Smarte Parkraumbewirtschaftung", "FB 68", 3, "Mobilität", "fb68-vertretung", -10,
        status="blocked", progress=10, light="red",
        reason="wartet auf die Verkehrsdatenplattform", waits_for=(2,),
    ),
)  # fmt: skip


def seed_work_packages(
    session: Session, *, board: Board, server_name: str, now: datetime, today: date
) -> int:
    """Create the sample packages unless the board has some; returns how many were made."""
    assert board.id is not None
    if session.exec(select(WorkPackage.id).where(WorkPackage.board_id == board.id)).first():
        return 0
    made: list[WorkPackage] = []
    for sample in SAMPLES:
        owner = departments.find(session, board.id, sample.dept)
        wp = work_packages.create(
            session,
            board=board,
            title=sample.title,
            owner=owner,
            actor=ACTOR,
            now=now,
            leitlinie=sample.leitlinie,
            handlungsfeld=sample.handlungsfeld,
            handlungsfelder=DEFAULT_HANDLUNGSFELDER,
            responsible=f"@{sample.responsible}:{server_name}",
            start_date=today - timedelta(days=30),
            due_date=today + timedelta(days=sample.due_in_days),
        )
        changes: dict[str, Any] = {}
        if sample.description:
            changes["description"] = sample.description
        if sample.public:
            changes["public"] = True
            changes["public_description"] = sample.public
        if sample.light != "green":
            changes["traffic_light"] = sample.light
            changes["traffic_reason"] = sample.reason
        if sample.funding:
            changes["funding_programme"] = sample.funding[0]
            changes["funding_deadline"] = today + timedelta(days=sample.funding[1])
        if sample.status not in ("planned", "done"):
            changes["status"] = sample.status
            changes["progress"] = sample.progress
        if changes:
            work_packages.update(session, wp, actor=ACTOR, now=now, **changes)
        if sample.contributors:
            work_packages.set_contributors(
                session,
                wp,
                [departments.find(session, board.id, c) for c in sample.contributors],
                actor=ACTOR,
                now=now,
            )
        for title, days in sample.milestones:
            work_packages.add_milestone(
                session, wp, title, today + timedelta(days=days), actor=ACTOR, now=now
            )
        if sample.status == "done":
            work_packages.close(session, wp, "done", actor=ACTOR, now=now)
        made.append(wp)
    for sample, wp in zip(SAMPLES, made, strict=True):
        for index in sample.waits_for:
            work_packages.depend(session, wp, made[index], actor=ACTOR, now=now)
    return len(made)
