"""The app's side of the hot standby (issue 15): a process whose lock connection breaks stops
its bot at once and stands by; it starts the bot again once it holds the lock again. The Matrix
side is a stand-in here (``tests/e2e/test_standby.py`` runs the real thing): only when the bot
runs matters."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from board_bot.app import build_app
from board_bot.core import instance
from board_bot.core.clock import SystemClock
from board_bot.core.config import load_config
from board_bot.core.db import make_engine
from tests.db.test_startup import GOOD, write


class StandInBot:
    """Runs until cancelled; counts its starts and how many run."""

    started = 0
    running = 0

    def __init__(self, **_: Any) -> None:
        pass

    async def run(self) -> None:
        StandInBot.started += 1
        StandInBot.running += 1
        try:
            await asyncio.Event().wait()
        finally:
            StandInBot.running -= 1


async def until(check: Callable[[], bool], what: str) -> None:
    for _ in range(300):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"still not: {what}")


async def test_a_broken_lock_connection_stops_the_bot_until_the_lock_is_held_again(
    bare_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if bare_engine.dialect.name != "postgresql":
        pytest.skip("a file lock cannot be lost while its process lives")
    monkeypatch.setenv("TEST_PASSWORD", "secret-password")
    monkeypatch.setattr("board_bot.matrix.runner.MatrixBot", StandInBot)
    for name, seconds in (("STANDBY_POLL", 0.1), ("CHECK_EVERY", 0.1), ("FENCE", 0.3)):
        monkeypatch.setattr(instance, name, seconds)
    StandInBot.started = StandInBot.running = 0
    tries = [0]
    try_acquire = instance.InstanceLock.try_acquire

    def counted(lock: instance.InstanceLock) -> bool:
        tries[0] += 1
        return try_acquire(lock)

    monkeypatch.setattr(instance.InstanceLock, "try_acquire", counted)
    url = bare_engine.url.render_as_string(hide_password=False)
    app = build_app(load_config(write(tmp_path, GOOD.format(url=url))), SystemClock())
    other = make_engine(url)
    rival = instance.InstanceLock(other, tmp_path)
    task = asyncio.create_task(app.run(handle_signals=False))
    try:
        await until(lambda: StandInBot.running == 1, "the bot runs")
        assert not app.metrics.standby

        # The database drops the connection that holds the lock; another process is quicker.
        with other.connect() as conn:
            pid = conn.exec_driver_sql(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            ).scalar()
            conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid or 0)}, 10000)")
        await until(lambda: try_acquire(rival), "the rival holds the lock")
        await until(lambda: StandInBot.running == 0, "the bot stopped")
        await until(lambda: app.metrics.standby, "it stands by")
        asked = tries[0]
        await until(lambda: tries[0] >= asked + 3, "it tried again")  # the rival holds it
        assert StandInBot.started == 1 and app.metrics.standby

        rival.release()  # the rival stops: this process takes over again
        await until(lambda: StandInBot.running == 1, "the bot runs again")
        assert StandInBot.started == 2 and not app.metrics.standby
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        rival.release()
        other.dispose()
