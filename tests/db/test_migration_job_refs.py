"""Jobs stored by APScheduler before the feature packages keep working after the upgrade: the
migration rewrites their function paths (on SQLite and PostgreSQL), and the downgrade restores
them."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import sqlalchemy as sa
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.triggers.date import DateTrigger
from sqlalchemy.engine import Engine

from board_bot.core import migrate
from board_bot.scheduler import jobs

BEFORE = "efd657eec42a"  # the last revision before the move
WHEN = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def stored_state(engine: Engine, job_id: str) -> dict[str, object]:
    with engine.connect() as conn:
        blob = conn.execute(
            sa.text("SELECT job_state FROM apscheduler_jobs WHERE id = :id"), {"id": job_id}
        ).scalar_one()
    state: dict[str, object] = pickle.loads(blob)
    return state


def store_old_job(engine: Engine, job_id: str, func: str, args: list[object]) -> None:
    """A job as the previous release stored it: its function under ``board_bot.rounds``."""
    store = SQLAlchemyJobStore(engine=engine)
    store.start(None, "default")  # creates the table
    state = {
        "version": 1,
        "id": job_id,
        "func": func,
        "trigger": DateTrigger(run_date=WHEN),
        "executor": "default",
        "args": tuple(args),
        "kwargs": {},
        "name": func.rsplit(":", 1)[1],
        "misfire_grace_time": 21600,
        "coalesce": True,
        "max_instances": 1,
        "next_run_time": WHEN,
    }
    with engine.begin() as conn:
        conn.execute(
            store.jobs_t.insert().values(
                id=job_id,
                next_run_time=WHEN.timestamp(),
                job_state=pickle.dumps(state, pickle.HIGHEST_PROTOCOL),
            )
        )


def test_stored_jobs_follow_the_move(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine, BEFORE)
    store_old_job(bare_engine, "status-prompt-1", "board_bot.rounds:scheduled_prompt", [1, "W"])
    store_old_job(bare_engine, "status-reconcile", "board_bot.rounds:reconcile_all", [])
    store_old_job(bare_engine, "someone-else", "tests.db.elsewhere:job", [])  # not ours

    migrate.upgrade(bare_engine)
    assert stored_state(bare_engine, "someone-else")["func"] == "tests.db.elsewhere:job"

    store = SQLAlchemyJobStore(engine=bare_engine)
    store.start(None, "default")
    loaded = {job.id: job for job in store.get_all_jobs()}  # drops what does not resolve
    assert loaded["status-prompt-1"].func is jobs.scheduled_prompt
    assert loaded["status-prompt-1"].args == (1, "W")
    assert loaded["status-reconcile"].func is jobs.reconcile_all

    migrate.downgrade(bare_engine, BEFORE)
    assert stored_state(bare_engine, "status-prompt-1")["func"] == (
        "board_bot.rounds:scheduled_prompt"
    )


def test_no_job_table_no_trouble(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine)
    assert "apscheduler_jobs" not in sa.inspect(bare_engine).get_table_names()
