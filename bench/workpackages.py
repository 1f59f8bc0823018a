"""Bot time of ``!wp list`` (and ``!wp show``) on a large board, on SQLite and PostgreSQL.

Builds the data set of issue 4 ("Speed"): one board, 50 departments, 2,000 work packages (varied
Leitlinie, Handlungsfeld, status, traffic light, due dates around today, responsible people,
contributors, ~1,500 dependencies without cycles, milestones, links) and 20,000 audit entries,
once in a temporary SQLite file and once in a fresh temporary PostgreSQL database (created and
dropped here; skipped with a note when the server cannot be reached).

"Bot time" of one ``!wp list``: a fresh Session runs ``work_packages.list_packages`` for the
first page (25 rows) plus what the command adds (the owners' codes, ``waits_for_open`` for the
page), and the page is rendered to Markdown by the feature's own renderer (the one the command
calls) and through ``board_bot.core.render.message_contents``. Every case runs ``--rounds``
times after two warm-up runs; the figures are the median and the 95th percentile:

    figure wp_list_<backend>_<case>_median <ms> ms
    figure wp_list_<backend>_<case>_p95 <ms> ms
    figure wp_list_<backend>_worst_p95 <ms> ms
    figure wp_details_<backend>_median <ms> ms
    figure wp_export_<backend>_median <ms> ms   (and the two files' sizes in KiB)
    figure wp_list_postgresql_worst_median_cold <ms> ms   (before ANALYZE)

Usage: python bench/workpackages.py [--rounds N] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from board_bot.core import migrate  # noqa: E402
from board_bot.core.db import make_engine  # noqa: E402
from board_bot.core.naming import plain_names  # noqa: E402
from board_bot.core.render import Safe, message_contents  # noqa: E402
from board_bot.features.departments import service as departments  # noqa: E402
from board_bot.features.departments.service import code_key  # noqa: E402
from board_bot.features.status_rounds import service as status_rounds  # noqa: E402
from board_bot.features.work_packages import exchange as wp_exchange  # noqa: E402
from board_bot.features.work_packages import messages as wp_messages  # noqa: E402
from board_bot.features.work_packages import service as wps  # noqa: E402
from board_bot.features.work_packages.service import WpFilter  # noqa: E402
from board_bot.models import (  # noqa: E402
    AuditEntry,
    Board,
    Department,
    Dependency,
    Membership,
    Milestone,
    WorkPackage,
    WorkPackageDepartment,
    WorkPackageLink,
)

POSTGRES_ADMIN_URL = os.environ.get(
    "BOARD_BOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PAGE = 25
N_DEPARTMENTS = 50
N_PACKAGES = 2_000
N_DEPENDENCIES = 1_500
N_AUDIT = 20_000
N_PEOPLE = 150
SEED = 4

TODAY = datetime.now(UTC).date()
NOW = datetime.now(UTC).replace(microsecond=0)

HANDLUNGSFELDER = (
    "Mobilität",
    "Bildung",
    "Verwaltung",
    "Umwelt und Klima",
    "Gesundheit",
    "Energie",
    "Wirtschaft",
    "Stadtentwicklung",
)
DEPARTMENT_NAMES = (
    "Hauptamt", "Personal", "Organisation und IT", "Finanzen", "Steuern", "Recht", "Ordnung",
    "Feuerwehr", "Bürgerservice", "Schule", "Kultur", "Sport", "Jugend", "Soziales",
    "Gesundheit", "Umwelt", "Stadtplanung", "Vermessung", "Bauaufsicht", "Hochbau", "Tiefbau",
    "Verkehr", "Grünflächen", "Wirtschaftsförderung", "Tourismus", "Abfallwirtschaft",
)  # fmt: skip
TOPICS = (
    "Digitale Bauakte", "Open-Data-Portal", "Smarte Parkraumsteuerung", "Bürgerkonto",
    "E-Akte", "LoRaWAN-Sensornetz", "Schul-WLAN", "Digitaler Zwilling", "Onlinezugangsgesetz",
    "Ratsinformationssystem", "Mängelmelder", "Verkehrsdatenplattform", "Hitzeaktionsplan",
    "Baumkataster", "Energiemonitoring", "Terminvergabe online", "Sharing-Stationen",
    "Leerstandsmanagement", "Bürgerbeteiligung online", "Ampelvorrangschaltung",
)  # fmt: skip
STEPS = (
    "Konzept", "Ausschreibung", "Pilot", "Rollout", "Evaluation", "Schnittstelle",
    "Datenschutzprüfung", "Schulung", "Betrieb", "Phase 2",
)  # fmt: skip
STATUS_WEIGHTS = {"planned": 25, "in_progress": 40, "blocked": 8, "done": 20, "discarded": 7}
LIGHT_WEIGHTS = {"green": 60, "yellow": 25, "red": 15}
REASONS = ("Lieferverzug", "Personalengpass", "Förderbescheid fehlt", "Abstimmung mit Datenschutz")

# --- data set -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSet:
    board_id: int
    departments: list[dict[str, Any]]
    packages: list[dict[str, Any]]
    contributors: list[dict[str, Any]]
    dependencies: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    links: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    audit: list[dict[str, Any]]


def person(i: int) -> str:
    return f"@person{i:03d}:kiel.de"


def build_data() -> DataSet:
    rng = random.Random(SEED)
    board_id = 1
    departments = [
        {
            "id": i,
            "board_id": board_id,
            "code": f"FB {10 + i}",
            "code_key": code_key(f"FB {10 + i}"),
            "name": DEPARTMENT_NAMES[i % len(DEPARTMENT_NAMES)]
            + ("" if i < len(DEPARTMENT_NAMES) else f" {i}"),
            "room_id": None,
            "created_at": NOW - timedelta(days=400),
            "archived_at": None,
        }
        for i in range(1, N_DEPARTMENTS + 1)
    ]
    memberships: list[dict[str, Any]] = []

    def member(user: str, role: str, dept: int | None) -> None:
        memberships.append(
            {
                "id": len(memberships) + 1,
                "board_id": board_id,
                "department_id": dept,
                "user_id": user,
                "role": role,
                "created_at": NOW - timedelta(days=400),
                "ended_at": None,
            }
        )

    member("@cdo:kiel.de", "admin", None)
    people_dept = {i: rng.randint(1, N_DEPARTMENTS) for i in range(N_PEOPLE)}
    for i, dept in people_dept.items():
        role = "lead" if i < N_DEPARTMENTS else ("deputy" if i < 2 * N_DEPARTMENTS else "member")
        member(person(i), role, i + 1 if i < N_DEPARTMENTS else dept)
    # A few people carry many packages, most carry a handful (as on a real board).
    person_weights = [1 / (1 + i) ** 0.7 for i in range(N_PEOPLE)]

    packages: list[dict[str, Any]] = []
    contributors: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for n in range(1, N_PACKAGES + 1):
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        light = rng.choices(list(LIGHT_WEIGHTS), list(LIGHT_WEIGHTS.values()))[0]
        due = None if rng.random() < 0.05 else TODAY + timedelta(days=rng.randint(-200, 400))
        start = (due or TODAY) - timedelta(days=rng.randint(30, 400))
        owner = rng.randint(1, N_DEPARTMENTS)
        progress = {
            "planned": rng.randint(0, 10),
            "done": 100,
        }.get(status, rng.randint(5, 95))
        funded = rng.random() < 0.2
        deadline = TODAY + timedelta(days=rng.randint(10, 200)) if funded else None
        created = NOW - timedelta(days=rng.randint(1, 365))
        packages.append(
            {
                "id": n,
                "board_id": board_id,
                "number": n,
                "title": f"{rng.choice(TOPICS)}: {rng.choice(STEPS)} ({n})",
                "description": "Ziel: schneller, digitaler, bürgernäher. " * rng.randint(1, 8),
                "leitlinie": None if rng.random() < 0.03 else rng.randint(1, 4),
                "handlungsfeld": None if rng.random() < 0.05 else rng.choice(HANDLUNGSFELDER),
                "owner_department_id": owner,
                "responsible": None
                if rng.random() < 0.1
                else person(rng.choices(range(N_PEOPLE), person_weights)[0]),
                "status": status,
                "traffic_light": light,
                "traffic_reason": None if light == "green" else rng.choice(REASONS),
                "progress": progress,
                "start_date": start,
                "due_date": due,
                "funding_programme": "Modellprojekte Smart Cities" if funded else None,
                "funding_deadline": deadline,
                "created_by": "@cdo:kiel.de",
                "created_at": created,
                "updated_at": created + timedelta(days=rng.randint(0, 30)),
            }
        )
        row = packages[-1]  # status and light set somewhere between creation and last change
        row["status_since"] = row["light_since"] = (
            row["created_at"] + (row["updated_at"] - row["created_at"]) / 2
        )
        others = rng.sample([d for d in range(1, N_DEPARTMENTS + 1) if d != owner], k=3)
        for dept in others[: rng.choices((0, 1, 2, 3), (40, 35, 17, 8))[0]]:
            contributors.append({"work_package_id": n, "department_id": dept})
        for m in range(rng.choices((0, 1, 2, 3, 4), (20, 25, 25, 20, 10))[0]):
            on = start + timedelta(days=rng.randint(0, 400))
            done = on < TODAY and rng.random() < 0.7
            milestones.append(
                {
                    "id": len(milestones) + 1,
                    "work_package_id": n,
                    "title": f"{rng.choice(STEPS)} abgeschlossen ({m + 1})",
                    "due_on": on,
                    "done_at": NOW - timedelta(days=1) if done else None,
                    "created_at": created,
                }
            )
        for k in range(rng.choices((0, 1, 2), (50, 35, 15))[0]):
            links.append(
                {
                    "id": len(links) + 1,
                    "work_package_id": n,
                    "url": f"https://wiki.kiel.de/wp/{n}/{k}",
                    "title": "Projektseite" if k == 0 else "Ticket",
                    "created_at": created,
                }
            )

    # No cycles: a package only ever waits for one with a lower number; mostly a near one, so
    # that chains form, sometimes any earlier one (across departments).
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < N_DEPENDENCIES:
        waiter = rng.randint(2, N_PACKAGES)
        if rng.random() < 0.7:
            target = max(1, waiter - rng.randint(1, 20))
        else:
            target = rng.randint(1, waiter - 1)
        pairs.add((waiter, target))
    dependencies = [
        {"work_package_id": w, "depends_on_id": d, "created_at": NOW - timedelta(days=30)}
        for w, d in sorted(pairs)
    ]

    audit: list[dict[str, Any]] = []
    for wp in packages:
        audit.append(
            {
                "board_id": board_id,
                "actor": "@cdo:kiel.de",
                "action": "create",
                "entity": "work_package",
                "entity_id": str(wp["id"]),
                "before": None,
                "after": {"title": wp["title"], "status": "planned"},
                "at": wp["created_at"],
            }
        )
    actions = ("update", "update", "update", "milestone.add", "depend", "link.add", "close")
    while len(audit) < N_AUDIT:
        wp = rng.choice(packages)
        audit.append(
            {
                "board_id": board_id,
                "actor": wp["responsible"] or "@cdo:kiel.de",
                "action": rng.choice(actions),
                "entity": "work_package",
                "entity_id": str(wp["id"]),
                "before": {"progress": max(0, wp["progress"] - 10)},
                "after": {"progress": wp["progress"], "traffic_light": wp["traffic_light"]},
                "at": wp["created_at"] + timedelta(minutes=rng.randint(1, 60 * 24 * 300)),
            }
        )
    audit.sort(key=lambda e: e["at"])
    for i, entry in enumerate(audit, start=1):
        entry["id"] = i
    return DataSet(
        board_id, departments, packages, contributors, dependencies, milestones, links,
        memberships, audit,
    )  # fmt: skip


def table(model: type[SQLModel]) -> sa.Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


def load(engine: Engine, data: DataSet) -> None:
    """Core bulk inserts into a migrated, empty database (explicit ids; nothing is inserted
    afterwards, so the PostgreSQL sequences need no adjustment)."""
    with engine.begin() as conn:
        conn.execute(
            sa.insert(table(Board)),
            [
                {
                    "id": data.board_id,
                    "room_id": "!bench:kiel.de",
                    "name": "Smart City Board Kiel",
                    "language": "de",
                    "timezone": "Europe/Berlin",
                    "bundesland": "SH",
                    "created_by": "@cdo:kiel.de",
                    "created_at": NOW - timedelta(days=400),
                    "archived_at": None,
                }
            ],
        )
        for model, rows in (
            (Department, data.departments),
            (Membership, data.memberships),
            (WorkPackage, data.packages),
            (WorkPackageDepartment, data.contributors),
            (Dependency, data.dependencies),
            (Milestone, data.milestones),
            (WorkPackageLink, data.links),
            (AuditEntry, data.audit),
        ):
            conn.execute(sa.insert(table(model)), rows)


# --- what is measured ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchReader:
    """Whom the page is written for, as a command's context would say (the renderer's Reader)."""

    lang: str = "de"
    board: Board | None = None
    prefix: str = "!"

    def name(self, user_id: str) -> Safe:
        return plain_names(user_id)


READER = BenchReader()


def render_list(
    rows: list[WorkPackage], total: int, owners: dict[int, str], waiting: set[int]
) -> list[dict[str, Any]]:
    """The page as ``!wp list`` renders it (the feature's own renderer), as message contents."""
    lines = wp_messages.list_page(READER, rows, total, owners, waiting, TODAY)
    return message_contents("\n".join(lines), reply_to="$bench-event")


def query_page(
    engine: Engine, board_id: int, f: WpFilter, sort: str
) -> tuple[list[WorkPackage], int, dict[int, str], set[int]]:
    """The database part of one ``!wp list``, as the command does it: the first page and the
    total, the board's department codes, and which rows wait for an open package."""
    with Session(engine) as session:
        rows, total = wps.list_packages(
            session, board_id, f, today=TODAY, sort=sort, limit=PAGE, offset=0
        )
        owners = departments.codes(session, board_id, {wp.owner_department_id for wp in rows})
        waiting = wps.waits_for_open(session, [wp.id for wp in rows if wp.id is not None])
    return rows, total, owners, waiting


def wp_list(engine: Engine, board_id: int, f: WpFilter, sort: str) -> int:
    """One ``!wp list``: returns the number of message contents (so nothing is optimised away)."""
    rows, total, owners, waiting = query_page(engine, board_id, f, sort)
    return len(render_list(rows, total, owners, waiting))


def wp_export(engine: Engine, board_id: int, sizes: list[int]) -> int:
    """One ``!wp export``: both files built from the database (the upload is not timed)."""
    with Session(engine) as session:
        board = session.get(Board, board_id)
        assert board is not None
        records = wp_exchange.load(session, board_id)
        files = [wp_exchange.to_csv("de", records), wp_exchange.to_json(board, records, NOW)]
    sizes[:] = [len(f) for f in files]
    return sum(sizes)


def wp_show(engine: Engine, board_id: int, number: int) -> int:
    """One ``!wp show``: the package in full with its last status lines, as the command
    renders it."""
    with Session(engine) as session:
        package = wps.get(session, board_id, number)
        d = wps.details(session, package)
        reports = status_rounds.status_lines(session, package, limit=3)
        if reports:
            text = wp_messages.show(READER, d, [], reports=reports)
        else:
            text = wp_messages.show(READER, d, wps.status_history(session, package, limit=3))
    return len(message_contents(text, reply_to="$bench-event"))


@dataclass(frozen=True)
class Case:
    name: str
    filter: WpFilter
    sort: str


def cases(data: DataSet) -> list[Case]:
    """Every filter of the issue, each with a sort (every sort appears)."""
    owners_and_contributors = Counter(wp["owner_department_id"] for wp in data.packages)
    owners_and_contributors.update(c["department_id"] for c in data.contributors)
    busiest_dept = owners_and_contributors.most_common(1)[0][0]
    busiest_person = Counter(
        wp["responsible"] for wp in data.packages if wp["responsible"]
    ).most_common(1)[0][0]
    return [
        Case("none", WpFilter(), "due"),
        Case("none_by_number", WpFilter(), "number"),
        Case("none_by_status", WpFilter(), "status"),
        Case("none_by_traffic", WpFilter(), "traffic"),
        Case("none_by_progress", WpFilter(), "progress"),
        Case("department", WpFilter(department_id=busiest_dept), "due"),
        Case("leitlinie", WpFilter(leitlinie=2), "traffic"),
        Case("handlungsfeld", WpFilter(handlungsfeld="Mobilität"), "status"),
        Case("status", WpFilter(statuses=frozenset({"in_progress"})), "progress"),
        Case("traffic_light", WpFilter(traffic_light="red"), "due"),
        Case("overdue", WpFilter(overdue=True), "due"),
        Case("due_14_days", WpFilter(due_within_days=14), "due"),
        Case("blocked", WpFilter(blocked=True), "number"),
        Case("responsible", WpFilter(responsible=busiest_person), "due"),
        Case(
            "combined",  # Leitlinie 2, active, yellow: a page of its own (about 60 match)
            WpFilter(
                leitlinie=2, statuses=frozenset({"in_progress", "blocked"}), traffic_light="yellow"
            ),
            "progress",
        ),
        Case("closed_included", WpFilter(include_closed=True), "number"),
    ]


def timed(fn: Callable[[], object], rounds: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def measure_backend(
    backend: str, engine: Engine, data: DataSet, rounds: int
) -> list[tuple[str, float, str]]:
    figures: list[tuple[str, float, str]] = []
    worst: tuple[float, str] = (0.0, "")
    worst_median: tuple[float, str] = (0.0, "")
    for case in cases(data):
        times = timed(partial(wp_list, engine, data.board_id, case.filter, case.sort), rounds)
        median, high = statistics.median(times), p95(times)
        figures.append((f"wp_list_{backend}_{case.name}_median", median, "ms"))
        figures.append((f"wp_list_{backend}_{case.name}_p95", high, "ms"))
        rows, total, owners, waiting = query_page(engine, data.board_id, case.filter, case.sort)
        render = statistics.median(timed(partial(render_list, rows, total, owners, waiting), 10))
        print(
            f"# {backend} {case.name} (sort {case.sort}): {total} match, {len(rows)} shown, "
            f"rendering {render:.1f} ms of the {median:.1f} ms median",
            flush=True,
        )
        worst = max(worst, (high, case.name))
        worst_median = max(worst_median, (median, case.name))
    figures.append((f"wp_list_{backend}_worst_median", worst_median[0], "ms"))
    figures.append((f"wp_list_{backend}_worst_p95", worst[0], "ms"))
    print(f"# {backend}: slowest median {worst_median[1]}, slowest p95 {worst[1]}", flush=True)
    # The package with the most dependencies and milestones: the fullest "!wp show".
    links = Counter(d["work_package_id"] for d in data.dependencies)
    links.update(d["depends_on_id"] for d in data.dependencies)
    links.update(m["work_package_id"] for m in data.milestones)
    number = links.most_common(1)[0][0]
    times = timed(partial(wp_show, engine, data.board_id, number), rounds)
    figures.append((f"wp_details_{backend}_median", statistics.median(times), "ms"))
    figures.append((f"wp_details_{backend}_p95", p95(times), "ms"))
    # "!wp export": every package with everything around it, as CSV and JSON (fewer rounds:
    # it reads the whole portfolio).
    sizes: list[int] = []
    times = timed(partial(wp_export, engine, data.board_id, sizes), max(3, rounds // 10))
    figures.append((f"wp_export_{backend}_median", statistics.median(times), "ms"))
    figures.append((f"wp_export_{backend}_csv_size", sizes[0] / 1024, "KiB"))
    figures.append((f"wp_export_{backend}_json_size", sizes[1] / 1024, "KiB"))
    return figures


# --- backends -----------------------------------------------------------------------------------


def report(figures: list[tuple[str, float, str]]) -> None:
    for name, value, unit in figures:
        print(f"figure {name} {value:.1f} {unit}", flush=True)


def build(url: str, data: DataSet) -> tuple[Engine, float]:
    engine = make_engine(url)
    start = time.perf_counter()
    migrate.upgrade(engine)
    if engine.dialect.name == "postgresql":
        # No autovacuum: it could ANALYZE the fresh tables in the background and spoil "cold".
        with engine.begin() as conn:
            for table in sa.inspect(conn).get_table_names():
                conn.execute(sa.text(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)'))
    load(engine, data)
    return engine, time.perf_counter() - start


def run_sqlite(data: DataSet, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine, seconds = build(f"sqlite:///{tmp}/board.db", data)
        print(f"# sqlite: schema and data set built in {seconds:.1f} s", flush=True)
        try:
            # No ANALYZE on SQLite: the bot never runs it, so this is what a board gets.
            report(measure_backend("sqlite", engine, data, rounds))
        finally:
            engine.dispose()


def run_postgresql(data: DataSet, rounds: int, admin_url: str) -> None:
    admin = sa.create_engine(
        admin_url,
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
        connect_args={"connect_timeout": 3},
    )
    name = f"board_bot_bench_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        shown = make_url(admin_url).render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"# postgresql: skipped, not reachable at {shown}: {reason}", flush=True)
        return
    engine: Engine | None = None
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        engine, seconds = build(url, data)
        print(f"# postgresql: schema and data set built in {seconds:.1f} s", flush=True)
        # Cold: freshly loaded, no statistics yet (the planner guesses from table sizes), as a
        # board right after a big import would be until autovacuum analyses the tables.
        cold: list[tuple[float, str]] = []
        for case in cases(data):
            times = timed(
                partial(wp_list, engine, data.board_id, case.filter, case.sort),
                5,
                warmup=1,
            )
            cold.append((statistics.median(times), case.name))
        slowest = max(cold)
        print(f"# postgresql cold: slowest case {slowest[1]}", flush=True)
        report([("wp_list_postgresql_worst_median_cold", slowest[0], "ms")])
        # ANALYZE after loading: what autovacuum does by itself soon after a large change.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
        report(measure_backend("postgresql", engine, data, rounds))
    finally:
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--postgres-url", default=POSTGRES_ADMIN_URL)
    args = parser.parse_args()
    started = time.perf_counter()
    data = build_data()
    print(
        f"# data set: {len(data.departments)} departments, {len(data.packages)} work packages, "
        f"{len(data.contributors)} contributions, {len(data.dependencies)} dependencies, "
        f"{len(data.milestones)} milestones, {len(data.links)} links, "
        f"{len(data.audit)} audit entries; today {TODAY.isoformat()}",
        flush=True,
    )
    run_sqlite(data, args.rounds)
    run_postgresql(data, args.rounds, args.postgres_url)
    print(f"# total run time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
