"""Every job the scheduler is given by import path exists: a job stored in the database whose
function was renamed would fail only when it fires, days later."""

from __future__ import annotations

import importlib
import inspect
import re

from board_bot.scheduler import jobs, runner


def test_every_job_reference_resolves() -> None:
    source = inspect.getsource(jobs) + inspect.getsource(runner)
    refs = set(re.findall(r'"(board_bot\.[a-z_.]+:[a-z_]+)"', source))
    assert len(refs) >= 5, refs
    for ref in refs:
        module, _, name = ref.partition(":")
        assert callable(getattr(importlib.import_module(module), name, None)), ref


def test_the_list_of_jobs_is_the_one_place_a_job_is_declared() -> None:
    """Every kind once; a kind's ids never catch another board's jobs; and a new kind without an
    import path of its own is stored as the generic run_job with its kind."""
    from dataclasses import replace
    from datetime import UTC, datetime
    from typing import Any

    from board_bot.core.jobs import Run

    kinds = [spec.kind for spec in jobs.JOBS]
    assert len(kinds) == len(set(kinds))
    at = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    for spec in jobs.JOBS:
        run = Run(at, ("2026-W50", 2) if spec.kind != "workshop-reminder" else (7, "day"))
        assert spec.owns(1, spec.job_id(1, run))
        assert not spec.owns(11, spec.job_id(1, run))
        assert not spec.owns(1, spec.job_id(11, run))

    added: list[tuple[str, list[Any], str]] = []

    class Recorder:
        def get_jobs(self) -> list[Any]:
            return []

        def add_job(self, func: str, trigger: str, **kw: Any) -> None:
            added.append((func, kw["args"], kw["id"]))

    new_kind = replace(jobs.BY_KIND["summary"], kind="new", id_template="new-{board}", func=None)
    original = jobs.JOBS
    jobs.JOBS = (new_kind,)
    try:
        jobs.apply_plan(Recorder(), jobs.Plan(3, {"new": [Run(at, ("x",))]}))
    finally:
        jobs.JOBS = original
    assert added == [("board_bot.scheduler.jobs:run_job", ["new", 3, "x"], "new-3")]
