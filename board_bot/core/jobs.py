"""A planned run of a scheduled job, as a feature's planner returns it (the scheduler in
``board_bot.scheduler.jobs`` turns it into an APScheduler job)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Run:
    """One run: when, and its arguments after the board's id (ids and short strings only: they
    are pickled into the job store)."""

    at: datetime
    args: tuple[Any, ...] = ()
