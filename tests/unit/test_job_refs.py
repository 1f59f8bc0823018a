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
