"""How long the board summary takes to build (database and rendering, no chart), at 1×, 2× and 4×
the size of a large board.

1× is the board of ``bench/workpackages.py`` (2,000 work packages, 50 departments, 20,000
audit entries) with three years of weekly rounds: 150 rounds, each with a prompt per
department, and 100,000 per-package status lines from the answers (with a few escalations).
The last ``SNAPSHOT_ROUNDS`` rounds keep their snapshot of every package: the summary reads the
newest two, the chart twelve. Older snapshots only make the table longer, which its primary
key makes irrelevant for these reads, and would make loading the data set take minutes.
2× and 4× multiply the packages, dependencies, audit entries and status lines; rounds and
departments stay. All six databases are loaded first, the heap is settled as the bot settles it
after start-up (``board_bot.app.settle_heap``), and then the sizes are measured in turns, so that
a busy moment of the machine hits every size alike. Each figure is the median (and the fastest) of
the runs after two warm-ups, 41 by default (a busy moment of a shared machine spoils a few of
them, not the median); growth compares the medians (4.00 x would be exactly linear):

    figure summary_<backend>_<N>x_median <ms> ms
    figure summary_<backend>_<N>x_min <ms> ms
    figure summary_<backend>_growth_4x_over_1x <ratio> x

Usage: python bench/summary.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
import workpackages as wpb  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from board_bot.app import settle_heap  # noqa: E402
from board_bot.core.naming import plain_names  # noqa: E402
from board_bot.features.summaries import service as summaries  # noqa: E402
from board_bot.features.summaries.messages import render  # noqa: E402
from board_bot.models import (  # noqa: E402
    Board,
    RoundSnapshot,
    StatusAnswer,
    StatusFlag,
    StatusItem,
    StatusPrompt,
    StatusRound,
)

ROUNDS = 150
SCALES = (1, 2, 4)
SNAPSHOT_ROUNDS = 13
STATUS_LINES = 100_000
ANSWERED = 0.9  # the share of prompts answered
BASE = {"N_PACKAGES": 2_000, "N_DEPENDENCIES": 1_500, "N_AUDIT": 20_000}


def rounds_data(data: wpb.DataSet, scale: int) -> dict[type, list[dict[str, Any]]]:
    rng = random.Random(7 + scale)
    first_monday = wpb.NOW - timedelta(weeks=ROUNDS, days=wpb.NOW.weekday())
    rounds: list[dict[str, Any]] = []
    prompts: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    snapshots: list[dict[str, Any]] = []
    packages = data.packages
    by_dept: dict[int, list[dict[str, Any]]] = {}
    for wp in packages:
        by_dept.setdefault(wp["owner_department_id"], []).append(wp)
    lines_per_round = STATUS_LINES * scale // ROUNDS
    for n in range(ROUNDS):
        start = first_monday + timedelta(weeks=n, hours=8)
        round_id = n + 1
        year, week, _ = start.isocalendar()
        rounds.append(
            {
                "id": round_id,
                "board_id": data.board_id,
                "period": f"{year}-W{week:02d}",
                "prompt_at": start,
                "reminders_at": [],
                "deadline_at": start + timedelta(days=2, hours=3),
                "started_at": start,
                "started_by": "schedule",
                "late": False,
                "reminders_sent": 1,
                "closed_at": start + timedelta(days=7) if n < ROUNDS - 1 else None,
                "closed_by": "schedule" if n < ROUNDS - 1 else None,
                "snapshot_at": (
                    start + timedelta(days=2, hours=3) if n >= ROUNDS - SNAPSHOT_ROUNDS else None
                ),
            }
        )
        for wp in packages if n >= ROUNDS - SNAPSHOT_ROUNDS else ():
            snapshots.append(
                {
                    "round_id": round_id,
                    "work_package_id": wp["id"],
                    "leitlinie": wp["leitlinie"],
                    "traffic_light": rng.choice(("green", "green", "yellow", "red")),
                    "status": wp["status"],
                    "progress": min(100, n * 100 // ROUNDS),
                }
            )
        answered = 0
        for dept in data.departments:
            prompt_id = len(prompts) + 1
            prompts.append(
                {
                    "id": prompt_id,
                    "round_id": round_id,
                    "department_id": dept["id"],
                    "contact": f"@lead{dept['id']}:kiel.de",
                    "room_id": f"!dm{dept['id']}:kiel.de",
                    "created_at": start,
                    "reminders": 0,
                    "answered_at": start + timedelta(hours=5) if rng.random() < ANSWERED else None,
                }
            )
            if prompts[-1]["answered_at"] is None:
                continue
            answer_id = len(answers) + 1
            answers.append(
                {
                    "id": answer_id,
                    "prompt_id": prompt_id,
                    "event_id": f"$a{answer_id}",
                    "room_id": f"!dm{dept['id']}:kiel.de",
                    "sender": f"@lead{dept['id']}:kiel.de",
                    "kind": "lines",
                    "text": "WP-1 gelb 50%",
                    "late": False,
                    "created_at": start + timedelta(hours=5),
                }
            )
            if rng.random() < 0.05:
                flags.append(
                    {
                        "answer_id": answer_id,
                        "kind": "escalation",
                        "audience": rng.choice(("board", "mayor")),
                        "text": "Freigabe der Mittel für WP-12 im Hauptausschuss",
                    }
                )
            own = by_dept.get(dept["id"], [])
            share = round(lines_per_round / (len(data.departments) * ANSWERED))
            for wp in own[:share] if own else []:
                answered += 1
                items.append(
                    {
                        "answer_id": answer_id,
                        "work_package_id": wp["id"],
                        "traffic_light": rng.choice(("green", "yellow", "red")),
                        "progress": rng.randint(0, 100),
                        "status": wp["status"],
                        "note": "Ausschreibung läuft",
                        "unchanged": False,
                        "created_at": start + timedelta(hours=5),
                    }
                )
    return {
        StatusRound: rounds,
        StatusPrompt: prompts,
        StatusAnswer: answers,
        StatusItem: items,
        StatusFlag: flags,
        RoundSnapshot: snapshots,
    }


def load_rounds(engine: Engine, rows: dict[type, list[dict[str, Any]]]) -> None:
    with engine.begin() as conn:
        for model, values in rows.items():
            for chunk in range(0, len(values), 20_000):
                conn.execute(sa.insert(wpb.table(model)), values[chunk : chunk + 20_000])


def build_summary(engine: Engine, board_id: int) -> int:
    with Session(engine) as session:
        board = session.get(Board, board_id)
        assert board is not None
        data = summaries.build(session, board, now=wpb.NOW)
        return len(render("de", data, name=plain_names))


def scaled_data(scale: int) -> tuple[wpb.DataSet, dict[type, list[dict[str, Any]]]]:
    for name, value in BASE.items():
        setattr(wpb, name, value * scale)
    data = wpb.build_data()
    return data, rounds_data(data, scale)


@dataclass
class Target:
    """One data set in one database, ready to be measured."""

    backend: str
    scale: int
    engine: Engine
    board_id: int
    times: list[float] = field(default_factory=list)


def on_sqlite(
    data: wpb.DataSet, extra: dict[type, list[dict[str, Any]]], scale: int, stack: ExitStack
) -> Target:
    tmp = stack.enter_context(tempfile.TemporaryDirectory())
    engine, _ = wpb.build(f"sqlite:///{tmp}/board.db", data)
    stack.callback(engine.dispose)
    load_rounds(engine, extra)
    return Target("sqlite", scale, engine, data.board_id)


def on_postgresql(
    data: wpb.DataSet, extra: dict[type, list[dict[str, Any]]], scale: int, stack: ExitStack
) -> Target | None:
    admin = sa.create_engine(
        wpb.POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    stack.callback(admin.dispose)
    name = f"board_bot_bench_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        return None

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    stack.callback(drop)
    url = make_url(wpb.POSTGRES_ADMIN_URL).set(database=name)
    engine, _ = wpb.build(url.render_as_string(hide_password=False), data)
    stack.callback(engine.dispose)
    load_rounds(engine, extra)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))  # else autovacuum runs while we measure
    return Target("postgresql", scale, engine, data.board_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=41)
    args = parser.parse_args()
    with ExitStack() as stack:
        targets: list[Target] = []
        for scale in SCALES:
            started = time.perf_counter()
            data, extra = scaled_data(scale)
            print(
                f"# {scale}x: {len(data.packages)} packages, {len(extra[StatusRound])} rounds, "
                f"{len(extra[StatusItem])} status lines, {len(extra[RoundSnapshot])} snapshot rows",
                flush=True,
            )
            targets.append(on_sqlite(data, extra, scale, stack))
            pg = on_postgresql(data, extra, scale, stack)
            if pg is None:
                print("# postgresql: not reachable, skipped", flush=True)
            else:
                targets.append(pg)
            del data, extra  # the bot never holds its data set in memory: neither does the bench
            print(f"# {scale}x loaded in {time.perf_counter() - started:.0f} s", flush=True)
        settle_heap()  # as the bot does once it has started
        # Round-robin, so that a busy moment of the machine hits every size alike.
        for target in targets:
            for _ in range(2):  # warm-up
                build_summary(target.engine, target.board_id)
        for _ in range(args.runs):
            for target in targets:
                start = time.perf_counter()
                build_summary(target.engine, target.board_id)
                target.times.append((time.perf_counter() - start) * 1000)
    medians: dict[tuple[str, int], float] = {}
    for target in sorted(targets, key=lambda t: (t.scale, t.backend != "sqlite")):
        name = f"summary_{target.backend}_{target.scale}x"
        medians[target.backend, target.scale] = statistics.median(target.times)
        print(f"figure {name}_median {statistics.median(target.times):.1f} ms")
        print(f"figure {name}_min {min(target.times):.1f} ms")
        print("# runs: " + " ".join(f"{x:.0f}" for x in target.times))
    for backend in ("sqlite", "postgresql"):
        if (backend, 1) in medians and (backend, 4) in medians:
            growth = medians[backend, 4] / medians[backend, 1]
            print(f"figure summary_{backend}_growth_4x_over_1x {growth:.2f} x")


if __name__ == "__main__":
    main()
