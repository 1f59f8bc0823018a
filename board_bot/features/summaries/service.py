"""What a board summary says (issue 6), as data: the wording is ``commands``' business.

Decisions worth knowing:

* A Leitlinie's traffic light comes from its open packages: red when at least a fifth of them
  are red, yellow when at least a fifth are red or yellow, else green; a Leitlinie without open
  packages has none. The reason shown is the worst package's (red before yellow, the one due
  soonest first).
* Trends compare with the snapshot of the previous round (``round_snapshot``): the state of
  every package when that round's summary was made. The status rounds' ``take_snapshot``
  writes a round's snapshot once; a summary for a round compares the round's own snapshot (or,
  for the running round, the live state) with the one before.
* "Blocked" is a package with status blocked, or one that waits for an open package; "since" is
  when its status was set to blocked (``status_since``), or when the dependency was added,
  whichever came first.
* A light's age ("seit 3 Wochen gelb") is the day it was set (``light_since``); in a past
  week's summary, the first of the consecutive kept rounds up to that week that showed it.
* Packages are read as plain rows (:class:`Package`), not ORM objects, and only the packages in
  view: a board has thousands, and the time to build a summary should grow with their number and
  nothing more (``bench/summary.py``). A live summary reads the open packages only. What a
  section lists beyond the open packages (what changed, what was closed, what is blocked) the
  database counts, orders and cuts to the first :data:`SHOWN`; only a few dozen ids (the
  packages shown) ever go to it as parameters, the view's conditions go as a subquery.
* The statements are built once per shape of the view (one department's? one Leitlinie's? a
  kept round's?) and kept, with the values as parameters: building a statement with SQLAlchemy
  costs about as much as the database takes to answer it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from board_bot.core.db import in_few, in_int_list
from board_bot.features.status_rounds import service as sr
from board_bot.features.work_packages import service as wps
from board_bot.models import (
    Board,
    Department,
    Dependency,
    Milestone,
    RoundSnapshot,
    StatusAnswer,
    StatusFlag,
    StatusPrompt,
    StatusRound,
    WorkPackage,
    WorkPackageDepartment,
)
from board_bot.models import Decision as RegisterEntry

LIGHT_ORDER = {"green": 0, "yellow": 1, "red": 2}
SHARE = 0.2  # a fifth of the open packages decides the Leitlinie's colour
MILESTONE_DAYS = 14
SHOWN = 15  # packages a section lists; the rest is counted
STALLED_ROUNDS = 3  # a green package whose progress has not moved for this many rounds
AGE_ROUNDS = 26  # kept rounds read back for a light's age (half a year of weekly rounds)


class Package(NamedTuple):
    """What a summary shows of a work package."""

    id: int
    number: int
    title: str
    leitlinie: int | None
    owner_department_id: int
    status: str
    traffic_light: str
    traffic_reason: str | None
    progress: int
    due_date: date | None


class PackageState(NamedTuple):
    """A package's state in a round (a tuple: thousands of them, and the garbage collector
    leaves tuples of plain values alone)."""

    leitlinie: int | None
    traffic_light: str
    status: str
    progress: int


@dataclass(frozen=True)
class LeitlinieLight:
    leitlinie: int | None  # None: packages not filed under a Leitlinie yet
    light: str | None  # None: no open packages
    counts: dict[str, int]  # green / yellow / red among the open packages
    trend: str  # "up" (better), "down" (worse), "same", "new" (no earlier round)
    reason: str | None  # the worst package's reason, with its code
    packages: list[Package]  # the open packages, worst first


@dataclass(frozen=True)
class Decision:
    department: str
    text: str
    audience: str  # board or mayor
    package: str | None  # "WP-12" when the text names one
    since: date  # the day the department first asked for it (the same text or package)


class Doubt(NamedTuple):
    """Why a green light is in doubt: ``due`` (the due date passed), ``milestone`` (one past
    its day and not done), ``stalled`` (progress unmoved for :data:`STALLED_ROUNDS` rounds).
    (Tuples: a big board has hundreds.)"""

    kind: str
    due: date | None = None
    title: str | None = None
    progress: int | None = None


class Watermelon(NamedTuple):
    """A package reported green that is not: „grün, aber …“."""

    wp: Package
    reasons: list[Doubt]


class Due(NamedTuple):
    """A milestone not done yet."""

    work_package_id: int
    title: str
    due_on: date


@dataclass(frozen=True)
class Change:
    wp: Package
    before: PackageState | None  # None: new since the last round
    after: PackageState


@dataclass(frozen=True)
class Blocked:
    wp: Package
    since: date
    waits_for: list[Package]


@dataclass(frozen=True)
class Silent:
    code: str  # the department's
    name: str
    contact: str | None
    covering_for: str | None


@dataclass(frozen=True)
class UpcomingWorkshop:
    number: int
    title: str
    departments: list[str]  # codes
    starts_at: datetime | None  # None: the slot is still being voted on
    voters: int
    yes: int


@dataclass
class SummaryData:
    board: Board
    round: StatusRound | None
    today: date
    leitlinien: list[LeitlinieLight]
    totals: dict[str, int]  # on track (green), at risk (yellow), off track (red)
    decisions: list[Decision] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)  # the first SHOWN, by number
    changed_count: int = 0
    closed: list[Package] = field(default_factory=list)  # the first SHOWN, by number
    closed_count: int = 0
    blocked: list[Blocked] = field(default_factory=list)  # the first SHOWN, longest first
    blocked_count: int = 0  # how many are blocked
    overdue: list[Package] = field(default_factory=list)
    milestones: list[tuple[Package, Due]] = field(default_factory=list)
    silent: list[Silent] = field(default_factory=list)
    owners: dict[int, str] = field(default_factory=dict)  # department id -> code
    workshops: list[UpcomingWorkshop] = field(default_factory=list)  # the next ones, soonest first
    #: the department a department's summary is for (its packages and those it contributes to)
    department_id: int | None = None
    #: what the changes are compared with: a date (``seit``), else the last kept round
    since: date | None = None
    #: the kept round that trends and changes compare with (None: there is none yet)
    previous: StatusRound | None = None
    #: since when the packages shown have had their traffic light (where the kept rounds tell)
    light_since: dict[int, date] = field(default_factory=dict)
    #: green packages whose milestones slipped, whose due date passed or whose progress stalled
    watermelons: list[Watermelon] = field(default_factory=list)
    #: the board's decisions that went to the council as a paper (Vorlage) and are not yet
    #: implemented, newest first: the first SHOWN (the board's summary only)
    council: list[RegisterEntry] = field(default_factory=list)
    council_count: int = 0


def _as_kept(wp: Package, state: PackageState) -> Package:
    """``wp`` with the state a round kept of it (the round kept no reason: the present one only
    where the light is still the same)."""
    return wp._replace(
        leitlinie=state.leitlinie,
        traffic_light=state.traffic_light,
        traffic_reason=wp.traffic_reason if state.traffic_light == wp.traffic_light else None,
        status=state.status,
        progress=state.progress,
    )


_WP = WorkPackage.__table__  # type: ignore[attr-defined]
_WPD = WorkPackageDepartment.__table__  # type: ignore[attr-defined]
_SNAPSHOT = RoundSnapshot.__table__  # type: ignore[attr-defined]
_ROUND = StatusRound.__table__  # type: ignore[attr-defined]
_PACKAGE_COLUMNS = [_WP.c[name] for name in Package._fields]


@dataclass(frozen=True)
class _View:
    """The packages a summary looks at: the shape of the conditions on ``work_package`` (one
    department's? one Leitlinie's?) and their values, bound at each run of the statements
    built for the shape (:func:`_in_view`)."""

    department: bool
    leitlinie: bool
    params: dict[str, int]

    @property
    def shape(self) -> tuple[bool, bool]:
        return self.department, self.leitlinie


def _view(board_id: int, department_id: int | None, leitlinie: int | None) -> _View:
    params = {"board_id": board_id}
    if department_id is not None:
        params["department_id"] = department_id
    if leitlinie is not None:
        params["leitlinie"] = leitlinie
    return _View(department_id is not None, leitlinie is not None, params)


@cache
def _in_view(department: bool, leitlinie: bool) -> tuple[sa.ColumnElement[bool], ...]:
    """The conditions on ``work_package`` for the packages in view, the values as parameters
    ``board_id``, ``department_id`` (its packages and those it contributes to), ``leitlinie``."""
    conditions = [_WP.c.board_id == sa.bindparam("board_id")]
    if department:
        contributing = sa.select(_WPD.c.work_package_id).where(
            _WPD.c.department_id == sa.bindparam("department_id")
        )
        conditions.append(
            sa.or_(
                _WP.c.owner_department_id == sa.bindparam("department_id"),
                _WP.c.id.in_(contributing.scalar_subquery()),
            )
        )
    if leitlinie:
        conditions.append(_WP.c.leitlinie == sa.bindparam("leitlinie"))
    return tuple(conditions)


@cache
def _packages_query(shape: tuple[bool, bool], only_open: bool) -> sa.Select[Any]:
    query = sa.select(*_PACKAGE_COLUMNS).where(*_in_view(*shape))
    return query.where(_WP.c.status.not_in(wps.CLOSED)) if only_open else query


def _packages(session: Session, view: _View, *, only_open: bool) -> list[Package]:
    rows = session.connection().execute(_packages_query(view.shape, only_open), view.params)
    return list(map(Package._make, rows.all()))  # one fetch, not a call per row


def leitlinie_light(lights: Sequence[str]) -> str | None:
    """The colour of a group of open packages (see the module's decisions)."""
    if not lights:
        return None
    counts = Counter(lights)
    if counts["red"] >= SHARE * len(lights):
        return "red"
    if counts["red"] + counts["yellow"] >= SHARE * len(lights):
        return "yellow"
    return "green"


def light_history(
    session: Session, board_id: int, limit: int = 12
) -> list[tuple[StatusRound, dict[int, str | None]]]:
    """The Leitlinien's traffic lights in the newest ``limit`` rounds that were kept, oldest
    first (one query for the rounds, one counting their open packages by light)."""
    rounds = list(
        session.exec(
            select(StatusRound)
            .where(StatusRound.board_id == board_id)
            .where(col(StatusRound.id).in_(select(RoundSnapshot.round_id).distinct()))
            .order_by(col(StatusRound.started_at).desc(), col(StatusRound.id).desc())
            .limit(limit)
        )
    )[::-1]
    counts: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    if rounds:
        rows = session.exec(
            select(
                RoundSnapshot.round_id,
                RoundSnapshot.leitlinie,
                RoundSnapshot.traffic_light,
                sa.func.count(),
            )
            .where(col(RoundSnapshot.round_id).in_([r.id for r in rounds]))
            .where(col(RoundSnapshot.status).not_in(wps.CLOSED))
            .group_by(
                col(RoundSnapshot.round_id),
                col(RoundSnapshot.leitlinie),
                col(RoundSnapshot.traffic_light),
            )
        )
        for round_id, leitlinie, light, number in rows:
            if leitlinie is not None:
                counts[round_id][leitlinie] += [light] * int(number)
    return [
        (r, {ll: leitlinie_light(counts[r.id or 0].get(ll, [])) for ll in (1, 2, 3, 4)})
        for r in rounds
    ]


def snapshot_of(session: Session, round_id: int) -> dict[int, PackageState]:
    """The kept states of a round (plain rows, not ORM objects: thousands of them)."""
    table = RoundSnapshot.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(
        sa.select(
            table.c.work_package_id,
            table.c.leitlinie,
            table.c.traffic_light,
            table.c.status,
            table.c.progress,
        ).where(table.c.round_id == round_id)
    )
    return {wp_id: PackageState(ll, light, status, pr) for wp_id, ll, light, status, pr in rows}


def _first_round_since(session: Session, board: Board, since: date) -> StatusRound | None:
    """The first kept round that started on or after ``since`` (the board's calendar)."""
    from zoneinfo import ZoneInfo

    start = datetime.combine(since, datetime.min.time(), ZoneInfo(board.timezone))
    return session.exec(
        select(StatusRound)
        .where(StatusRound.board_id == board.id, col(StatusRound.snapshot_at).is_not(None))
        .where(StatusRound.started_at >= start)
        .order_by(col(StatusRound.started_at), col(StatusRound.id))
    ).first()


@cache
def _numbers_query(shape: tuple[bool, bool]) -> sa.Select[Any]:
    return sa.select(_WP.c.number).where(*_in_view(*shape))


def build(
    session: Session,
    board: Board,
    *,
    now: datetime,
    rnd: StatusRound | None = None,
    department_id: int | None = None,
    leitlinie: int | None = None,
    since: date | None = None,
) -> SummaryData:
    """The summary of ``rnd`` as it was kept when the round closed; by default the state now,
    compared with the last kept round, with the decisions and missing reports of the open (or
    newest) round. Optionally only one department's packages (owned or contributed to) or one
    Leitlinie's. About a dozen queries, whatever the board's size."""
    assert board.id is not None
    today = sr.local_day(board, now)
    live = rnd is None  # the state now, against the last kept round
    if rnd is None:
        # One query for the open round and the kept ones: it is one of the newest.
        recent = _recent_rounds(session, board)
        kept_rounds = [r for r in recent if r.snapshot_at is not None][:AGE_ROUNDS]
        rnd = (
            next((r for r in recent if r.closed_at is None), None)
            or sr.open_round(session, board.id)
            or sr.latest_round(session, board.id)
        )
    else:
        kept_rounds = _kept_rounds(session, board, rnd)
    session.flush()  # the rows are read past the ORM: it must have written what it holds
    view = _view(board.id, department_id, leitlinie)
    kept = {} if live or rnd is None or rnd.id is None else snapshot_of(session, rnd.id)
    # Shown as they are now: the open packages (the closed ones are counted by ``_changes``).
    packages = _packages(session, view, only_open=not kept)
    if not live and kept and rnd is not None:
        # A past round's summary: the packages as they were kept when it closed, and its day.
        packages = [_as_kept(wp, kept[wp.id]) for wp in packages if wp.id in kept]
        today = sr.local_day(board, rnd.closed_at or rnd.deadline_at)
    by_id = {wp.id: wp for wp in packages}
    open_ = [wp for wp in packages if wp.status not in wps.CLOSED]

    previous = (
        _first_round_since(session, board, since)
        if since is not None
        else next(
            (r for r in kept_rounds if live or rnd is None or r.started_at < rnd.started_at),
            None,
        )
    )
    kept_id = rnd.id if kept and rnd is not None else None  # None: the packages as they are now
    departments = {
        dept_id: (code, name)
        for dept_id, code, name in session.connection().execute(
            _DEPARTMENTS_QUERY, {"board_id": board.id}
        )
    }
    data = SummaryData(
        board=board,
        round=rnd,
        today=today,
        leitlinien=[],
        totals={k: sum(1 for wp in open_ if wp.traffic_light == k) for k in LIGHT_ORDER},
        owners={dept_id: code for dept_id, (code, _) in departments.items()},
        department_id=department_id,
        since=since,
        previous=previous,
    )
    changes = _changes(session, view, kept_id, previous.id) if previous and previous.id else None
    if changes is not None:
        data.changed, data.changed_count = changes.changed, changes.changed_count
        data.closed, data.closed_count = changes.closed, changes.closed_count
    data.leitlinien = _leitlinien(open_, changes.earlier if changes is not None else None)
    if rnd is not None and rnd.id is not None:
        data.decisions = _decisions(session, board, rnd, data.owners, department_id)
        data.silent = _silent(session, rnd, departments, department_id)
    if leitlinie is not None:
        # One Leitlinie: its own line, and the decisions about its packages.
        data.leitlinien = [ll for ll in data.leitlinien if ll.leitlinie == leitlinie]
        numbers = session.connection().execute(_numbers_query(view.shape), view.params)
        codes = {wps.code(number) for (number,) in numbers}  # the closed ones too
        data.decisions = [d for d in data.decisions if d.package in codes]
    data.blocked, data.blocked_count = _blocked(session, board, view, by_id, kept_id)
    if department_id is None and leitlinie is None:
        data.council, data.council_count = _council(session, board)
    data.overdue = sorted(
        (wp for wp in open_ if wp.due_date is not None and wp.due_date < today),
        key=lambda wp: (wp.due_date, wp.number),
    )
    open_ids = {wp.id for wp in open_}
    milestones = _milestones(session, view, today)
    data.milestones = [
        (by_id[m.work_package_id], m)
        for m in milestones
        if m.due_on >= today and m.work_package_id in open_ids
    ]
    late = [m for m in milestones if m.due_on < today]
    data.watermelons = _watermelons(
        session, view, open_, today, kept_rounds, late, past=bool(kept_id)
    )
    shown = [wp for ll in data.leitlinien for wp in ll.packages[:SHOWN]]
    shown += [w.wp for w in data.watermelons[:SHOWN]]
    if kept and rnd is not None:  # a past round's: as the packages and the kept rounds tell
        data.light_since = _light_since(session, board, shown, kept_rounds, rnd)
    else:
        data.light_since = _light_set(session, board, shown)
    if department_id is None and leitlinie is None:
        data.workshops = _workshops(session, board, now)
    return data


class _Compare:
    """The packages in view as shown (now, or as the round ``kept_id`` kept them) beside their
    state in the round ``previous_id``: the statements behind trends and "what changed", so
    that the database compares, counts and cuts, and a board with thousands of packages sends
    a few dozen rows. Built once per shape (:func:`_comparison`)."""

    def __init__(self, shape: tuple[bool, bool], kept: bool) -> None:
        self.conditions = _in_view(*shape)
        self.was = _SNAPSHOT.alias("was")
        source: sa.FromClause = _WP
        now: sa.FromClause = _WP
        if kept:
            now = _SNAPSHOT.alias("kept")
            on = sa.and_(
                now.c.work_package_id == _WP.c.id, now.c.round_id == sa.bindparam("kept_id")
            )
            source = _WP.join(now, on)
        self.now = [now.c[name] for name in PackageState._fields]
        self.kept = kept
        self.source = source
        self.on = sa.and_(
            self.was.c.work_package_id == _WP.c.id,
            self.was.c.round_id == sa.bindparam("previous_id"),
        )
        was, light, status, progress = self.was, self.now[1], self.now[2], self.now[3]
        closed = sa.and_(
            was.c.work_package_id.is_not(None),
            status.in_(wps.CLOSED),
            was.c.status.not_in(wps.CLOSED),
        )
        changed = sa.or_(
            was.c.work_package_id.is_(None),
            sa.and_(
                sa.or_(status.not_in(wps.CLOSED), was.c.status.in_(wps.CLOSED)),
                sa.or_(
                    was.c.traffic_light != light,
                    was.c.status != status,
                    was.c.progress != progress,
                ),
            ),
        )
        joined = source.outerjoin(was, self.on)
        was_open = sa.and_(
            was.c.work_package_id.is_not(None), was.c.status.not_in(wps.CLOSED)
        ).label("was_open")
        # Whether the round compared with kept anything at all (a board's first round may have
        # kept no package): if not, there is nothing to compare with.
        other = _SNAPSHOT.alias("any_kept")
        kept_any = (
            sa.select(other.c.round_id)
            .where(other.c.round_id == sa.bindparam("previous_id"))
            .exists()
            .label("kept_any")
        )
        self.groups = (
            sa.select(
                was_open,
                was.c.leitlinie,
                was.c.traffic_light,
                sa.func.count(),
                sa.func.count(sa.case((changed, 1))),
                sa.func.count(sa.case((closed, 1))),
                kept_any,
            )
            .select_from(joined)
            .where(*self.conditions)
            .group_by(was_open, was.c.leitlinie, was.c.traffic_light)
        )
        self.changed = (
            sa.select(
                *_PACKAGE_COLUMNS,
                *self.now,
                was.c.work_package_id,
                *(was.c[name] for name in PackageState._fields),
            )
            .select_from(joined)
            .where(*self.conditions, changed)
            .order_by(_WP.c.number)
            .limit(SHOWN)
        )
        self.closed = (
            sa.select(*_PACKAGE_COLUMNS, *self.now)
            .select_from(joined)
            .where(*self.conditions, closed)
            .order_by(_WP.c.number)
            .limit(SHOWN)
        )

    def package(self, row: Sequence[object]) -> tuple[Package, PackageState]:
        """A row of :data:`_PACKAGE_COLUMNS` and the state shown: the package as shown."""
        width = len(Package._fields)
        wp = Package(*row[:width])  # type: ignore[arg-type]
        state = PackageState(*row[width : width + len(PackageState._fields)])  # type: ignore[arg-type]
        return (_as_kept(wp, state) if self.kept else wp), state


@cache
def _comparison(shape: tuple[bool, bool], kept: bool) -> _Compare:
    return _Compare(shape, kept)


@dataclass
class _Changes:
    earlier: dict[int | None, list[str]] | None  # the lights then of the packages then open
    changed: list[Change]
    changed_count: int
    closed: list[Package]
    closed_count: int


def _changes(session: Session, view: _View, kept_id: int | None, previous_id: int) -> _Changes:
    """The packages in view in the round ``previous_id``: the lights of those then open, by
    Leitlinie (for the trends); the packages new since, or whose light, status or progress
    changed; and those closed since (not counted among the changed); of these two the first
    :data:`SHOWN` by number, and how many. Counted in one pass; the rows come in the order of
    the board's numbers, so the database stops after the first few. ``kept_id``: the round
    whose kept states are shown (None: the packages as they are now)."""
    compare = _comparison(view.shape, kept_id is not None)
    params = {**view.params, "previous_id": previous_id}
    if kept_id is not None:
        params["kept_id"] = kept_id
    earlier: dict[int | None, list[str]] = defaultdict(list)
    changed_count = closed_count = 0
    groups = session.connection().execute(compare.groups, params).all()
    if not any(row[-1] for row in groups):
        return _Changes(None, [], 0, [], 0)  # the round kept nothing: nothing to compare with
    for then_open, leitlinie, light_then, number, changes, closes, _ in groups:
        if then_open:
            earlier[leitlinie] += [light_then] * int(number)
        changed_count += int(changes)
        closed_count += int(closes)
    width = len(Package._fields) + len(PackageState._fields)
    found: list[Change] = []
    if changed_count:
        for row in session.connection().execute(compare.changed, params):
            wp, after = compare.package(row)
            before = PackageState(*row[width + 1 :]) if row[width] is not None else None
            found.append(Change(wp, before, after))
    gone: list[Package] = []
    if closed_count:
        rows = session.connection().execute(compare.closed, params)
        gone = [compare.package(row)[0] for row in rows]
    return _Changes(earlier, found, changed_count, gone, closed_count)


def _recent_rounds(session: Session, board: Board) -> list[StatusRound]:
    """The newest rounds that are open or kept, newest first: the open round and the newest
    :data:`AGE_ROUNDS` kept ones."""
    return list(
        session.exec(
            select(StatusRound)
            .where(StatusRound.board_id == board.id)
            .where(
                sa.or_(
                    col(StatusRound.closed_at).is_(None), col(StatusRound.snapshot_at).is_not(None)
                )
            )
            .order_by(col(StatusRound.started_at).desc(), col(StatusRound.id).desc())
            .limit(AGE_ROUNDS + 1)
        )
    )


def _kept_rounds(session: Session, board: Board, rnd: StatusRound) -> list[StatusRound]:
    """The newest :data:`AGE_ROUNDS` kept rounds up to ``rnd``, newest first."""
    return list(
        session.exec(
            select(StatusRound)
            .where(StatusRound.board_id == board.id, col(StatusRound.snapshot_at).is_not(None))
            .where(col(StatusRound.started_at) <= rnd.started_at)
            .order_by(col(StatusRound.started_at).desc(), col(StatusRound.id).desc())
            .limit(AGE_ROUNDS)
        )
    )


_NEWEST = _SNAPSHOT.alias("newest")
#: Per package (``ids``): its light in the ``newest`` of some kept ``rounds``, the newest of
#: those rounds that showed another light, and the first of them that showed it at all.
_LIGHT_RUNS_QUERY = (
    sa.select(
        _SNAPSHOT.c.work_package_id,
        _NEWEST.c.traffic_light,
        sa.func.max(
            sa.case((_SNAPSHOT.c.traffic_light != _NEWEST.c.traffic_light, _ROUND.c.started_at))
        ),
        sa.func.min(_ROUND.c.started_at),
    )
    .join(
        _NEWEST,
        sa.and_(
            _NEWEST.c.work_package_id == _SNAPSHOT.c.work_package_id,
            _NEWEST.c.round_id == sa.bindparam("newest"),
        ),
    )
    .join(_ROUND, _ROUND.c.id == _SNAPSHOT.c.round_id)
    .where(in_int_list(_SNAPSHOT.c.work_package_id, "ids"))
    .where(in_int_list(_NEWEST.c.work_package_id, "ids"))  # for the planner
    .where(in_int_list(_SNAPSHOT.c.round_id, "rounds"))
    .group_by(_SNAPSHOT.c.work_package_id, _NEWEST.c.traffic_light)
)
_LIGHT_SET_QUERY = sa.select(
    _WP.c.id, _WP.c.traffic_light, sa.func.coalesce(_WP.c.light_since, _WP.c.created_at)
).where(in_int_list(_WP.c.id, "ids"))


def _light_set(session: Session, board: Board, packages: list[Package]) -> dict[int, date]:
    """Since when each of ``packages`` (a few dozen) has had its light, as the packages keep
    it."""
    return {
        wp_id: sr.local_day(board, at) for wp_id, (_, at) in _lights_set(session, packages).items()
    }


def _lights_set(session: Session, packages: list[Package]) -> dict[int, tuple[str, datetime]]:
    """The light each of ``packages`` has now, and when it was set."""
    ids = sorted({wp.id for wp in packages})
    if not ids:
        return {}
    rows = session.connection().execute(_LIGHT_SET_QUERY, {"ids": ids})
    return {wp_id: (light, at) for wp_id, light, at in rows}


def _light_since(
    session: Session,
    board: Board,
    packages: list[Package],
    rounds: list[StatusRound],
    rnd: StatusRound,
) -> dict[int, date]:
    """Since when each of ``packages`` (a few dozen, as a past round kept them) had its light
    then: the day of the oldest of the consecutive kept ``rounds``, newest first, that show
    it. Packages without a kept round have no age. The database finds, per package, the
    newest of the rounds with another light than the newest one: a row per package."""
    ids = sorted({wp.id for wp in packages})
    if not ids or not rounds:
        return {}
    params = {"ids": ids, "rounds": [r.id for r in rounds], "newest": rounds[0].id}
    runs = {
        wp_id: (light, other_at, first_at)
        for wp_id, light, other_at, first_at in session.connection().execute(
            _LIGHT_RUNS_QUERY, params
        )
    }
    starts = sorted(r.started_at for r in rounds)
    found: dict[int, date] = {}
    # A light set before the round was kept, and not changed since, has its day as the
    # package keeps it (the same as the live summary says).
    kept_at = rnd.snapshot_at or rnd.closed_at or rnd.deadline_at
    kept_lights = {wp.id: wp.traffic_light for wp in packages}
    for wp_id, (light, at) in _lights_set(session, packages).items():
        if at <= kept_at and kept_lights.get(wp_id) == light:
            found[wp_id] = sr.local_day(board, at)
    for wp in packages:
        light, other_at, first_at = runs.get(wp.id, (None, None, None))
        if wp.id in found or light is None or light != wp.traffic_light:
            continue
        after = bisect_right(starts, other_at) if other_at is not None else 0
        since = first_at if other_at is None else starts[min(after, len(starts) - 1)]
        found[wp.id] = sr.local_day(board, since)
    return found


@cache
def _stalled_query(shape: tuple[bool, bool]) -> sa.Select[Any]:
    """The green packages in view being worked on whose progress was the same, and the light
    green, in each of the ``rounds`` (:data:`STALLED_ROUNDS` of them)."""
    working = sa.select(_WP.c.id).where(
        *_in_view(*shape), _WP.c.status == "in_progress", _WP.c.traffic_light == "green"
    )
    return (
        sa.select(_SNAPSHOT.c.work_package_id, sa.func.min(_SNAPSHOT.c.progress))
        .where(in_int_list(_SNAPSHOT.c.round_id, "rounds"))
        .where(_SNAPSHOT.c.work_package_id.in_(working.scalar_subquery()))
        .where(_SNAPSHOT.c.traffic_light == "green")
        .group_by(_SNAPSHOT.c.work_package_id)
        .having(sa.func.count() == STALLED_ROUNDS)
        .having(sa.func.min(_SNAPSHOT.c.progress) == sa.func.max(_SNAPSHOT.c.progress))
    )


def _watermelons(
    session: Session,
    view: _View,
    open_: list[Package],
    today: date,
    rounds: list[StatusRound],
    late: list[Due],
    *,
    past: bool,
) -> list[Watermelon]:
    """Green packages that are not: a milestone past its day and not done (``late``: those of
    the packages in view), the due date passed, or the progress unmoved (and the light green)
    in the last :data:`STALLED_ROUNDS` kept rounds while the package is being worked on. Worst
    first: most reasons, then by number."""
    green = {wp.id: wp for wp in open_ if wp.traffic_light == "green"}
    if not green:
        return []
    reasons: dict[int, list[Doubt]] = defaultdict(list)
    for wp in green.values():
        if wp.due_date is not None and wp.due_date < today:
            reasons[wp.id].append(Doubt("due", due=wp.due_date))
    for milestone in late:
        if milestone.work_package_id in green:
            reasons[milestone.work_package_id].append(
                Doubt("milestone", due=milestone.due_on, title=milestone.title)
            )
    # The rounds before the state shown: for a kept round's summary (``past``), the round
    # itself is the state shown, so the rounds before it.
    before = rounds[1:] if past else rounds
    if len(before) >= STALLED_ROUNDS:
        params = {**view.params, "rounds": [r.id for r in before[:STALLED_ROUNDS]]}
        rows = session.connection().execute(_stalled_query(view.shape), params)
        for wp_id, progress in rows:
            stalled = green.get(wp_id)
            if (
                stalled is not None
                and stalled.status == "in_progress"
                and stalled.progress == progress
            ):
                reasons[wp_id].append(Doubt("stalled", progress=progress))
    found = [Watermelon(green[wp_id], why) for wp_id, why in reasons.items()]
    found.sort(key=lambda w: (-len(w.reasons), w.wp.number))
    return found


WORKSHOPS_SHOWN = 5


def _workshops(session: Session, board: Board, now: datetime) -> list[UpcomingWorkshop]:
    """The next workshops: confirmed ones that have not ended, then those still voting."""
    from board_bot.features.workshops import service as wss

    assert board.id is not None
    upcoming, _ = wss.listing(session, board.id, now)
    found = []
    for ws in upcoming[:WORKSHOPS_SHOWN]:
        voters = wss.voter_count(session, ws) if ws.status == wss.PLANNING else 0
        found.append(
            UpcomingWorkshop(
                ws.number,
                ws.title,
                [d.code for d in wss.departments_of(session, ws)],
                ws.starts_at if ws.status == wss.CONFIRMED else None,
                voters,
                len(wss.rsvps(session, ws)["yes"]) if ws.status == wss.CONFIRMED else 0,
            )
        )
    return found


def _leitlinien(
    open_: list[Package], earlier: dict[int | None, list[str]] | None
) -> list[LeitlinieLight]:
    """``earlier``: the lights the open packages of each Leitlinie had in the round compared
    with (None: there is none)."""
    groups: dict[int | None, list[Package]] = defaultdict(list)
    for wp in open_:
        groups[wp.leitlinie].append(wp)
    result = []
    for leitlinie in (1, 2, 3, 4, None):
        members = groups.get(leitlinie, [])
        if leitlinie is None and not members:
            continue
        members.sort(
            key=lambda wp: (
                -LIGHT_ORDER.get(wp.traffic_light, 0),
                wp.due_date or date.max,
                wp.number,
            )
        )
        light = leitlinie_light([wp.traffic_light for wp in members])
        was = leitlinie_light(earlier.get(leitlinie, [])) if earlier is not None else None
        if earlier is None or was is None or light is None:
            trend = "new" if earlier is None else "same"
        elif LIGHT_ORDER[light] < LIGHT_ORDER[was]:
            trend = "up"
        elif LIGHT_ORDER[light] > LIGHT_ORDER[was]:
            trend = "down"
        else:
            trend = "same"
        worst = members[0] if members and members[0].traffic_light != "green" else None
        reason = f"{wps.code(worst)}: {worst.traffic_reason or worst.title}" if worst else None
        result.append(
            LeitlinieLight(
                leitlinie,
                light,
                {k: sum(1 for wp in members if wp.traffic_light == k) for k in LIGHT_ORDER},
                trend,
                reason,
                members,
            )
        )
    return result


_FLAG = StatusFlag.__table__  # type: ignore[attr-defined]
_ANSWER = StatusAnswer.__table__  # type: ignore[attr-defined]
_PROMPT = StatusPrompt.__table__  # type: ignore[attr-defined]
_ASKED = _FLAG.join(_ANSWER, _ANSWER.c.id == _FLAG.c.answer_id).join(
    _PROMPT, _PROMPT.c.id == _ANSWER.c.prompt_id
)
_ASKED_COLUMNS = (
    _PROMPT.c.department_id,
    _FLAG.c.audience,
    _FLAG.c.text,
    _FLAG.c.work_package_number,
)
#: The escalations of a round (``round_id``).
_ASKED_QUERY = (
    sa.select(*_ASKED_COLUMNS, _ANSWER.c.created_at)
    .select_from(_ASKED)
    .where(_FLAG.c.kind == "escalation", _ANSWER.c.removed_at.is_(None))
    .where(  # the round's few prompts, looked up in the answers' index
        in_few(
            _ANSWER.c.prompt_id,
            sa.select(_PROMPT.c.id).where(_PROMPT.c.round_id == sa.bindparam("round_id")),
        )
    )
    .order_by(_FLAG.c.id)
)
#: The first time some ``departments`` asked for each thing, in the rounds of a board up to one
#: (``started_at``): grouped by the database, a handful of rows however long the history.
_FIRST_ASKED_QUERY = (
    sa.select(*_ASKED_COLUMNS, sa.func.min(_ANSWER.c.created_at))
    .select_from(_ASKED.join(_ROUND, _ROUND.c.id == _PROMPT.c.round_id))
    .where(_ROUND.c.board_id == sa.bindparam("board_id"))
    .where(_ROUND.c.started_at <= sa.bindparam("started_at"))
    .where(_FLAG.c.kind == "escalation", _ANSWER.c.removed_at.is_(None))
    .where(  # the departments' prompts (one a round), looked up in the answers' index
        in_few(
            _ANSWER.c.prompt_id,
            sa.select(_PROMPT.c.id).where(in_int_list(_PROMPT.c.department_id, "departments")),
        )
    )
    .group_by(*_ASKED_COLUMNS)
)


def _decisions(
    session: Session,
    board: Board,
    rnd: StatusRound,
    owners: dict[int, str],
    department_id: int | None,
) -> list[Decision]:
    """The escalations of ``rnd``, the mayor's first, each with the day its department first
    asked for it (the same package, or the same words, in this or an earlier round)."""
    current = session.connection().execute(_ASKED_QUERY, {"round_id": rnd.id}).all()
    if department_id is not None:
        current = [row for row in current if row[0] == department_id]
    if not current:
        return []
    # The first time each department asked for each thing, in the rounds up to this one.
    first: dict[tuple[int, str, str], datetime] = {}
    params = {
        "board_id": board.id,
        "started_at": rnd.started_at,
        "departments": sorted({row[0] for row in current}),
    }
    for dept_id, audience, text, number, at in session.connection().execute(
        _FIRST_ASKED_QUERY, params
    ):
        for key in _decision_keys(dept_id, audience, text, number):
            first[key] = min(first.get(key, at), at)
    decisions = []
    for dept_id, audience, text, number, at in current:
        keys = _decision_keys(dept_id, audience, text, number)
        since = min((first[k] for k in keys if k in first), default=at)
        named = number if number is not None else named_package(text)
        decisions.append(
            Decision(
                owners.get(dept_id, "?"),
                text,
                audience or "board",
                wps.code(named) if named else None,
                sr.local_day(board, min(since, at)),
            )
        )
    return sorted(decisions, key=lambda d: d.audience != "mayor")


def _council(session: Session, board: Board) -> tuple[list[RegisterEntry], int]:
    """The decisions linked to a council paper and not yet implemented: the newest SHOWN, and
    how many there are."""
    linked = (
        col(RegisterEntry.board_id) == board.id,
        col(RegisterEntry.paper_id).is_not(None),
        col(RegisterEntry.status) != "implemented",
    )
    entries = session.exec(
        select(RegisterEntry).where(*linked).order_by(col(RegisterEntry.number).desc()).limit(SHOWN)
    ).all()
    if len(entries) < SHOWN:
        return list(entries), len(entries)
    count = session.exec(select(sa.func.count()).select_from(RegisterEntry).where(*linked)).one()
    return list(entries), count


def named_package(text: str) -> int | None:
    named = wps.mentioned(text)
    return named[0] if named else None


def _decision_keys(
    dept_id: int, audience: str | None, text: str, number: int | None
) -> list[tuple[int, str, str]]:
    """What makes two escalations one: the same department and audience, and the same words
    (case and spacing aside) or the same package."""
    audience = audience or "board"
    number = number if number is not None else named_package(text)
    words = (dept_id, audience, " ".join(text.casefold().split()))
    return [words, (dept_id, audience, f"#{number}")] if number else [words]


_DEPT = Department.__table__  # type: ignore[attr-defined]
_DEPARTMENTS_QUERY = sa.select(_DEPT.c.id, _DEPT.c.code, _DEPT.c.name).where(
    _DEPT.c.board_id == sa.bindparam("board_id")
)


def _silent(
    session: Session,
    rnd: StatusRound,
    depts: dict[int, tuple[str, str]],
    department_id: int | None,
) -> list[Silent]:
    """The departments of ``rnd`` that have not reported (``depts``: the board's codes and
    names)."""
    assert rnd.id is not None
    prompts = sr.prompts_of(session, rnd.id)
    silent = [
        Silent(*depts[p.department_id], p.contact, p.covering_for)
        for p in prompts
        if not sr.is_answered(p)  # as the reminders: an answer whose lines were all refused
        and p.department_id in depts
        and (department_id is None or p.department_id == department_id)
    ]
    from board_bot.features.departments import service as departments

    return sorted(silent, key=lambda s: departments.code_key(s.code))


_DEP = Dependency.__table__  # type: ignore[attr-defined]
_WAITED = _WP.alias("waited")


@cache
def _blocked_query(shape: tuple[bool, bool], kept: bool) -> sa.Select[Any]:
    """The blocked packages in view, longest blocked first (see :func:`_blocked`); ``kept``:
    by their status as the round ``kept_id`` kept it."""
    conditions = _in_view(*shape)
    packages: sa.FromClause = _WP
    status = _WP.c.status
    if kept:
        state = _SNAPSHOT.alias("kept")
        on = sa.and_(
            state.c.work_package_id == _WP.c.id, state.c.round_id == sa.bindparam("kept_id")
        )
        packages = _WP.join(state, on)
        status = state.c.status
    # When each package began to wait: its dependencies on open packages ...
    waiting = (
        sa.select(_WP.c.id, _WP.c.number, _DEP.c.created_at.label("at"))
        .select_from(_DEP)
        .join(packages, _WP.c.id == _DEP.c.work_package_id)
        .join(_WAITED, _WAITED.c.id == _DEP.c.depends_on_id)
        .where(*conditions, status.not_in(wps.CLOSED), _WAITED.c.status.not_in(wps.CLOSED))
    )
    # ... and, for a package with status blocked, since when it has been.
    halted = (
        sa.select(
            _WP.c.id,
            _WP.c.number,
            sa.func.coalesce(_WP.c.status_since, _WP.c.created_at).label("at"),
        )
        .select_from(packages)
        .where(*conditions, status == "blocked")
    )
    moments = sa.union_all(waiting, halted).subquery()
    since = (
        sa.select(moments.c.id, moments.c.number, sa.func.min(moments.c.at).label("at"))
        .group_by(moments.c.id, moments.c.number)
        .subquery()
    )
    shown = (
        sa.select(since, sa.func.count().over().label("total"))
        .order_by(since.c.at, since.c.number)
        .limit(SHOWN)
        .subquery()
    )
    # With the open packages each of them waits for (a row each, or one without).
    waited_open = sa.and_(_WAITED.c.id == _DEP.c.depends_on_id, _WAITED.c.status.not_in(wps.CLOSED))
    return (
        sa.select(shown.c.id, shown.c.at, shown.c.total, *(_WAITED.c[n] for n in Package._fields))
        .select_from(shown)
        .outerjoin(_DEP, _DEP.c.work_package_id == shown.c.id)
        .outerjoin(_WAITED, waited_open)
        .order_by(shown.c.at, shown.c.number, _WAITED.c.number)
    )


def _blocked(
    session: Session,
    board: Board,
    view: _View,
    by_id: dict[int, Package],
    kept_id: int | None,
) -> tuple[list[Blocked], int]:
    """The open packages in view that are blocked, longest blocked first: the first
    :data:`SHOWN` and how many there are, with what they wait for. Counted, ordered and cut by
    the database, so that a board with hundreds of them sends a few dozen rows (``by_id``: the
    packages as shown; ``kept_id``: the round whose kept states are shown, if any). A package
    in view may wait for one outside it."""
    params: dict[str, int] = dict(view.params)
    if kept_id is not None:
        params["kept_id"] = kept_id
    since: dict[int, date] = {}
    waits: dict[int, list[Package]] = defaultdict(list)
    total = 0
    for wp_id, at, count, *waited in session.connection().execute(
        _blocked_query(view.shape, kept_id is not None), params
    ):
        total = count
        since[wp_id] = sr.local_day(board, at)
        if waited[0] is not None:
            waits[wp_id].append(Package(*waited))
    shown = [Blocked(by_id[i], day, waits[i]) for i, day in since.items() if i in by_id]
    return shown, total


@cache
def _milestones_query(shape: tuple[bool, bool]) -> sa.Select[Any]:
    milestone = Milestone.__table__  # type: ignore[attr-defined]
    return (
        sa.select(milestone.c.work_package_id, milestone.c.title, milestone.c.due_on)
        .join(_WP, _WP.c.id == milestone.c.work_package_id)
        .where(*_in_view(*shape), _WP.c.status.not_in(wps.CLOSED))
        .where(milestone.c.done_at.is_(None), milestone.c.due_on <= sa.bindparam("until"))
        .where(sa.or_(milestone.c.due_on >= sa.bindparam("today"), _WP.c.traffic_light == "green"))
        .order_by(milestone.c.due_on, milestone.c.id)
    )


def _milestones(session: Session, view: _View, today: date) -> list[Due]:
    """The milestones not done of the open packages in view that are due in the next
    :data:`MILESTONE_DAYS` days, or are past their day while the package is green (a
    watermelon's reason), soonest first."""
    params = {**view.params, "today": today, "until": today + timedelta(days=MILESTONE_DAYS)}
    rows = session.connection().execute(_milestones_query(view.shape), params)
    return list(map(Due._make, rows.all()))
