"""What the public portfolio page shows of a board, read from the database: the packages marked
public (``!wp edit WP-1 öffentlich ja``), each with its public fields only.

Only these columns are read: number, title, public description, Leitlinie, Handlungsfeld, owner
department, status, progress, traffic light, dates, funding programme, milestones and the
council papers of the decisions that name the package (``WP-3`` in the decision's text). Never
the internal description, the light's reason, the budget, the responsible person, who created
or changed anything, or the status answers: what is not read cannot leak. A Matrix id typed
into a public text is replaced all the same (:func:`public_text`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from board_bot.core.config import PublishConfig
from board_bot.core.i18n import t
from board_bot.core.render import plain_text
from board_bot.features.council import papers
from board_bot.features.publishing import site
from board_bot.features.work_packages import service as wps
from board_bot.models import Board, Decision, Department, Milestone, WorkPackage

#: A Matrix user id inside a text („@alice:stadt.de“)
_MATRIX_ID = re.compile(r"@[A-Za-z0-9._=/+\-]+:[A-Za-z0-9.\-]+(?::\d+)?")


def public_text(text: str | None) -> str:
    """A text for the public page, a Matrix id in it replaced by „[Person]“."""
    if not text or "@" not in text:
        return text or ""
    return _MATRIX_ID.sub(plain_text(t(site.LANG, "publish.person")), text)


def snapshot(
    session: Session, board: Board, config: PublishConfig, *, now: datetime
) -> site.Portfolio:
    """The board's public portfolio as it stands, packages by number."""
    assert board.id is not None
    packages = session.exec(
        select(WorkPackage)
        .where(WorkPackage.board_id == board.id, col(WorkPackage.public).is_(True))
        .order_by(col(WorkPackage.number))
    ).all()
    ids = [wp.id for wp in packages if wp.id is not None]
    departments = {
        d.id: d
        for d in session.exec(select(Department).where(Department.board_id == board.id)).all()
    }
    milestones: dict[int, list[site.PublicMilestone]] = defaultdict(list)
    if ids:
        for m in session.exec(
            select(Milestone)
            .where(col(Milestone.work_package_id).in_(ids))
            .order_by(col(Milestone.due_on), col(Milestone.id))
        ).all():
            milestones[m.work_package_id].append(
                site.PublicMilestone(public_text(m.title), m.due_on, m.done_at is not None)
            )
    council = _papers(session, board, {wp.number for wp in packages})
    return site.Portfolio(
        board=board.name,
        published_at=now,
        packages=tuple(
            site.PublicPackage(
                key=wps.code(wp),
                title=public_text(wp.title),
                description=public_text(wp.public_description),
                leitlinie=wp.leitlinie,
                handlungsfeld=wp.handlungsfeld,
                department=_department(departments.get(wp.owner_department_id)),
                status=wp.status,
                progress=wp.progress,
                traffic_light=wp.traffic_light,
                start_date=wp.start_date,
                due_date=wp.due_date,
                funding_programme=public_text(wp.funding_programme) or None,
                milestones=tuple(milestones.get(wp.id or 0, ())),
                papers=tuple(council.get(wp.number, ())),
                updated_at=wp.updated_at,
            )
            for wp in packages
        ),
        licence=config.licence,
        attribution=config.attribution,
    )


def _department(dept: Department | None) -> str:
    return f"{dept.name} ({dept.code})" if dept is not None else "?"


def _papers(session: Session, board: Board, numbers: set[int]) -> dict[int, list[site.PublicPaper]]:
    """The council papers of the board's decisions, by the public packages they name."""
    found: dict[int, list[site.PublicPaper]] = defaultdict(list)
    if not numbers:
        return found
    decisions = session.exec(
        select(Decision)
        .where(Decision.board_id == board.id, col(Decision.paper_id).is_not(None))
        .order_by(col(Decision.number))
    ).all()
    for d in decisions:
        paper = site.PublicPaper(
            reference=d.paper_reference,
            name=d.paper_name,
            date=d.paper_date,
            web=d.paper_web,
            result=plain_text(papers.result_text("de", d)) or None,
        )
        for number in wps.mentioned(d.text):
            if number in numbers and paper not in found[number]:
                found[number].append(paper)
    return found


def folder(config: PublishConfig, board: Board) -> Path:
    """Where the board's site goes: a folder named after the board below ``[publish] dir``."""
    assert config.dir is not None
    return config.dir / slug(board.name)


def slug(name: str) -> str:
    """``smart-city-board-musterstadt`` for „Smart City Board Musterstadt“: lower-case ASCII
    letters, digits and hyphens (umlauts spelled out)."""
    text = name.casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")
    return text[:80].rstrip("-") or "board"


@dataclass(frozen=True)
class Named:
    """A public text that names a person of the board: the package, the field (its JSON name)
    and the name found."""

    key: str
    field: str
    name: str


def names_in(made: site.Portfolio, names: Iterable[str]) -> list[Named]:
    """Where the public texts name one of ``names`` (whole words, case aside): what the preview
    asks the board to look at before the page goes online. The names are the display names of
    the board's people and their last words (surnames) of four letters or more."""
    wanted: set[str] = set()
    for name in names:
        words = name.split()
        if len(name.strip()) >= 4:
            wanted.add(" ".join(words))
        if len(words) > 1 and len(words[-1]) >= 4:
            wanted.add(words[-1])
    if not wanted:
        return []
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    found: list[Named] = []
    for package in made.packages:
        texts = [
            ("title", package.title),
            ("description", package.description),
            ("funding_programme", package.funding_programme or ""),
            *(("milestones", m.title) for m in package.milestones),
        ]
        for field, text in texts:
            match = pattern.search(text)
            if match is not None and Named(package.key, field, match.group(1)) not in found:
                found.append(Named(package.key, field, match.group(1)))
    return found
