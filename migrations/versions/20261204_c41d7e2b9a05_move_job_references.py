"""Stored scheduler jobs follow the job functions to their new module

The job functions moved from ``board_bot.rounds`` to ``board_bot.scheduler.jobs`` when the code
was sorted into feature packages. APScheduler stores each job's function as an import path inside
the pickled job state and deletes, at start-up, every job whose path no longer resolves; this
revision rewrites the stored paths, so a prompt planned before the upgrade still fires.

Revision ID: c41d7e2b9a05
Revises: efd657eec42a
Create Date: 2026-12-04 16:30:00.000000
"""

import pickle
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c41d7e2b9a05"
down_revision: str | None = "efd657eec42a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOB_TABLE = "apscheduler_jobs"  # APScheduler's table, created by its job store, not by us
OLD = "board_bot.rounds:"
NEW = "board_bot.scheduler.jobs:"


def _move(old: str, new: str) -> None:
    bind = op.get_bind()
    if JOB_TABLE not in sa.inspect(bind).get_table_names():
        return  # the scheduler never ran on this database
    jobs = sa.table(JOB_TABLE, sa.column("id", sa.Unicode), sa.column("job_state", sa.LargeBinary))
    for job_id, blob in bind.execute(sa.select(jobs.c.id, jobs.c.job_state)).all():
        try:
            state = pickle.loads(blob)
        except Exception:  # a job APScheduler itself could not load: it will drop it
            continue
        func = state.get("func")
        if isinstance(func, str) and func.startswith(old):
            state["func"] = new + func[len(old) :]
            bind.execute(
                jobs.update()
                .where(jobs.c.id == job_id)
                .values(job_state=pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
            )


def upgrade() -> None:
    _move(OLD, NEW)


def downgrade() -> None:
    _move(NEW, OLD)
