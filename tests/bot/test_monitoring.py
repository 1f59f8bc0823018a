"""The monitoring port in the bot tier (issue 15): the real server on an ephemeral port, the
dispatcher counting real commands into the app's own registry, the readiness checks judged with
a FixedClock, and the counters the scheduler and the outbox feed."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import Session, col, select

from board_bot.core import metrics as metrics_module
from board_bot.core import monitoring
from board_bot.core.clock import FixedClock
from board_bot.core.db import make_engine
from board_bot.core.metrics import Metrics
from board_bot.matrix.outbox import OutboxSender
from board_bot.models import OutboxMessage, StatusPrompt
from board_bot.scheduler import jobs as scheduler_jobs
from board_bot.scheduler import runner as scheduler_runner
from tests.bot.conftest import USER, BotHarness
from tests.bot.test_status_rounds import open_direct_rooms, round_city


async def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    """One request as a monitoring client makes it: status, headers, body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = raw.decode().partition("\r\n\r\n")
    status_line, *header_lines = head.split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, body


def metrics_of(bot: BotHarness) -> Metrics:
    assert bot.dispatcher.metrics is not None
    return bot.dispatcher.metrics


def sample(text: str, name: str, **labels: str) -> float | None:
    """One sample's value in Prometheus' text format."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = "^" + re.escape(name + (f"{{{wanted}}}" if labels else "")) + r" (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else None


@pytest.fixture
async def served(bot: BotHarness) -> AsyncIterator[tuple[BotHarness, int]]:
    server = await monitoring.start(metrics_of(bot), "127.0.0.1", 0)
    assert server.port > 0
    yield bot, server.port
    await server.close()


async def test_healthz_answers_while_the_process_lives(served: tuple[BotHarness, int]) -> None:
    _, port = served
    status, headers, body = await get(port, "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    assert headers["Content-Length"] == str(len(body))


async def test_not_ready_before_the_first_sync(served: tuple[BotHarness, int]) -> None:
    _, port = served
    status, _, body = await get(port, "/readyz")
    assert status == 503
    answer = json.loads(body)
    assert answer["status"] == "not ready"
    assert answer["checks"] == {"database": "ok", "sync": "failed", "scheduler": "failed"}
    assert answer["failed"]["sync"] == "no successful sync yet"
    assert answer["failed"]["scheduler"] == "the scheduler has not started"


@pytest.mark.parametrize("lease", ["held", "standby"])
async def test_ready_after_a_sync_with_the_scheduler_leading_or_standing_by(
    served: tuple[BotHarness, int], lease: Any
) -> None:
    bot, port = served
    metrics_of(bot).synced()
    metrics_of(bot).lease(lease)
    status, _, body = await get(port, "/readyz")
    assert status == 200, body
    answer = json.loads(body)
    assert answer == {
        "status": "ready",
        "role": "active",
        "checks": {"database": "ok", "sync": "ok", "scheduler": "ok"},
        "failed": {},
    }


async def test_a_standby_is_ready_without_syncing_and_says_so(
    served: tuple[BotHarness, int],
) -> None:
    """A hot standby syncs nothing and runs no scheduler (another process is the active bot):
    ready as long as its database answers, and marked as the standby."""
    bot, port = served
    metrics = metrics_of(bot)
    assert (await get(port, "/readyz"))[0] == 503  # not synced, no scheduler
    metrics.standby = True
    status, _, body = await get(port, "/readyz")
    assert status == 200, body
    assert json.loads(body)["role"] == "standby"
    assert "board_bot_active 0.0" in (await get(port, "/metrics"))[2]
    metrics.standby = False  # it took over: judged as the active bot again
    assert (await get(port, "/readyz"))[0] == 503
    assert "board_bot_active 1.0" in (await get(port, "/metrics"))[2]


async def test_a_sync_older_than_two_minutes_is_not_ready(
    served: tuple[BotHarness, int],
) -> None:
    bot, port = served
    metrics = metrics_of(bot)
    metrics.synced()
    bot.clock.advance(timedelta(minutes=1, seconds=59))
    metrics.lease("held")
    assert (await get(port, "/readyz"))[0] == 200
    bot.clock.advance(timedelta(seconds=2))
    metrics.lease("held")
    status, _, body = await get(port, "/readyz")
    assert status == 503
    assert json.loads(body)["failed"] == {"sync": "last successful sync 121 s ago"}


async def test_a_failed_or_silent_scheduler_is_not_ready(served: tuple[BotHarness, int]) -> None:
    bot, port = served
    metrics = metrics_of(bot)
    metrics.lease("failed")
    metrics.synced()
    status, _, body = await get(port, "/readyz")
    assert status == 503
    assert json.loads(body)["failed"] == {
        "scheduler": "the scheduler failed and waits to start again"
    }
    metrics.lease("standby")
    bot.clock.advance(timedelta(minutes=3))  # no word from the scheduler since
    metrics.synced()
    status, _, body = await get(port, "/readyz")
    assert status == 503
    assert json.loads(body)["failed"] == {
        "scheduler": "the scheduler lease was last checked 180 s ago"
    }


async def test_an_unreachable_database_is_not_ready(tmp_path: Path, clock: FixedClock) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'board.db'}")
    (tmp_path / "missing").rmdir()  # make_engine created it; the database cannot be opened now
    metrics = Metrics(clock, engine)
    metrics.synced()
    metrics.lease("held")
    server = await monitoring.start(metrics, "127.0.0.1", 0)
    try:
        status, _, body = await get(server.port, "/readyz")
        assert status == 503
        assert json.loads(body)["failed"] == {"database": "unreachable (OperationalError)"}
        # The metrics still answer; the outbox gauges are left out while it is away.
        status, _, text = await get(server.port, "/metrics")
        assert status == 200
        assert sample(text, "board_bot_outbox_backlog") is None
        assert sample(text, "board_bot_sync_lag_seconds") == 0.0
    finally:
        await server.close()
        engine.dispose()


async def test_metrics_count_commands_by_group_and_outcome(
    served: tuple[BotHarness, int],
) -> None:
    bot, port = served
    bot.reply("!board init Smart City Board Musterstadt")
    bot.reply("!hilfe")
    bot.reply("!help wp")
    bot.reply("!ap liste")
    bot.reply("!gibtsnicht")
    bot.reply("!board init Noch eins", sender=USER)  # not an admin: refused
    status, headers, text = await get(port, "/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=")
    counted = {
        ("board", "ok"): 1.0,
        ("help", "ok"): 2.0,
        ("wp", "ok"): 1.0,
        ("unknown", "unknown"): 1.0,
        ("board", "refused"): 1.0,
    }
    for (group, outcome), value in counted.items():
        assert sample(text, "board_bot_commands_total", group=group, outcome=outcome) == value
    assert sample(text, "board_bot_command_duration_seconds_count", group="help") == 2.0
    # Nothing the user typed becomes a label.
    assert "gibtsnicht" not in text and "Musterstadt" not in text
    # Every reply waits in the outbox (the harness sends nothing); the oldest for 90 s.
    bot.clock.advance(timedelta(seconds=90))
    _, _, text = await get(port, "/metrics")
    assert sample(text, "board_bot_outbox_backlog") == 6.0
    assert sample(text, "board_bot_outbox_oldest_age_seconds") == 90.0
    assert sample(text, "board_bot_sync_lag_seconds") is not None  # NaN: no sync yet
    metrics_of(bot).synced()
    bot.clock.advance(timedelta(seconds=7))
    _, _, text = await get(port, "/metrics")
    assert sample(text, "board_bot_sync_lag_seconds") == 7.0


async def test_other_paths_and_methods_are_refused(served: tuple[BotHarness, int]) -> None:
    _, port = served
    assert (await get(port, "/"))[0] == 404
    assert (await get(port, "/metrics/../admin"))[0] == 404
    assert (await get(port, "/healthz", method="POST"))[0] == 405
    status, _, body = await get(port, "/healthz", method="HEAD")
    assert (status, body) == (200, "")
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"nonsense\r\n\r\n")
    await writer.drain()
    assert (await asyncio.wait_for(reader.read(), 10)).startswith(b"HTTP/1.1 400 ")
    writer.close()


def test_two_apps_keep_their_own_counts(bot_factory: Callable[..., BotHarness]) -> None:
    first, second = bot_factory(), bot_factory()
    first.reply("!hilfe")
    text = metrics_of(second).render().decode()
    assert sample(text, "board_bot_commands_total", group="help", outcome="ok") is None
    text = metrics_of(first).render().decode()
    assert sample(text, "board_bot_commands_total", group="help", outcome="ok") == 1.0


def test_scheduler_jobs_are_counted_run_failed_and_missed(bot: BotHarness) -> None:
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED

    metrics = metrics_of(bot)
    context = scheduler_jobs.JobContext(
        engine=bot.engine, clock=bot.clock, prefix="!", wake=lambda: None, metrics=metrics
    )
    scheduler_jobs.install(context)
    try:
        for code in (EVENT_JOB_EXECUTED, EVENT_JOB_EXECUTED, EVENT_JOB_ERROR, EVENT_JOB_MISSED):
            scheduler_runner._job_event(
                SimpleNamespace(
                    code=code,
                    job_id="status-prompt-1",
                    exception=RuntimeError("x") if code == EVENT_JOB_ERROR else None,
                    scheduled_run_time=bot.clock.now(),
                )
            )
    finally:
        scheduler_jobs.install(None)
    text = metrics.render().decode()
    assert sample(text, "board_bot_scheduler_jobs_run_total", result="ok") == 2.0
    assert sample(text, "board_bot_scheduler_jobs_run_total", result="error") == 1.0
    assert sample(text, "board_bot_scheduler_jobs_missed_total") == 1.0


def test_the_scheduler_reports_its_lease(bot: BotHarness) -> None:
    metrics = metrics_of(bot)
    context = scheduler_jobs.JobContext(
        engine=bot.engine, clock=bot.clock, prefix="!", wake=lambda: None, metrics=metrics
    )
    assert scheduler_runner._try_lease(context, "other-host:1:abc")  # another process leads
    assert not scheduler_runner._try_lease(context, "this-host:2:def")
    scheduler_runner._report(context, "standby")
    assert metrics.scheduler_check().ok and metrics.scheduler_check().detail == "standby"
    assert sample(metrics.render().decode(), "board_bot_scheduler_leader") == 0.0
    scheduler_runner._report(context, "held")
    assert sample(metrics.render().decode(), "board_bot_scheduler_leader") == 1.0


def test_prompts_sent_are_counted_when_the_homeserver_took_them(
    bot_factory: Callable[..., BotHarness],
) -> None:
    city = round_city(bot_factory)
    metrics = metrics_of(city)
    city.reply("!status run-now")
    open_direct_rooms(city)
    sender = OutboxSender(None, city.engine, city.clock, asyncio.Lock())  # type: ignore[arg-type]
    with Session(city.engine) as session:
        prompt_rows = set(session.exec(select(StatusPrompt.outbox_id)).all())
        rows = session.exec(
            select(OutboxMessage.id).where(col(OutboxMessage.sent_at).is_(None))
        ).all()
    assert len(prompt_rows) == 3
    metrics_module.install(metrics)
    try:
        for number, row_id in enumerate(rows):
            assert row_id is not None
            sender._sent(row_id, f"$sent{number}:example.org")
    finally:
        metrics_module.install(None)
    metrics_module.prompts_sent()  # nothing installed: not counted anywhere
    text = metrics.render().decode()
    assert sample(text, "board_bot_prompts_sent_total") == 3.0
    # (Undeliverable prompts: tests/db/test_status_scheduler.py gives them up in the outbox.)
    assert sample(text, "board_bot_prompts_undeliverable_total") == 0.0
    assert sample(text, "board_bot_outbox_backlog") == 0.0


def test_a_database_error_does_not_carry_what_people_wrote(bot: BotHarness) -> None:
    """A failed statement is logged with its traceback: its text must not quote the values
    (a status answer, a title), only the statement."""
    import sqlalchemy as sa

    secret = "Fachbereich 61 hat Ärger mit dem Bauamt"
    with bot.engine.begin() as conn, pytest.raises(sa.exc.StatementError) as caught:
        conn.execute(sa.text("SELECT * FROM no_such_table WHERE x = :x"), {"x": secret})
    assert secret not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)


def write_config(tmp_path: Path, monitoring_table: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@board-bot:example.org"
password = "test-password-not-secret"
[bot]
admins = ["@cdo:example.org"]
[storage]
data_dir = "{tmp_path / "data"}"
[encryption]
pickle_key = "a-test-pickle-key-0123456789"
{monitoring_table}
""",
        encoding="utf-8",
    )
    return path


async def test_the_healthcheck_command_asks_healthz(
    served: tuple[BotHarness, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from board_bot.cli import main

    _, port = served
    config = write_config(tmp_path, f"[monitoring]\nport = {port}\n")
    assert await asyncio.to_thread(main, ["healthcheck", "--config", str(config)]) == 0
    assert f"http://127.0.0.1:{port}/healthz OK" in capsys.readouterr().out


async def test_the_healthcheck_fails_without_a_server_or_a_port(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from board_bot.cli import main

    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    closed = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    config = write_config(tmp_path, f'[monitoring]\nport = {closed}\nhost = "0.0.0.0"\n')
    assert await asyncio.to_thread(main, ["healthcheck", "--config", str(config)]) == 1
    assert f"http://127.0.0.1:{closed}/healthz" in capsys.readouterr().err
    off = write_config(tmp_path, "")
    assert await asyncio.to_thread(main, ["healthcheck", "--config", str(off)]) == 1
    assert "the monitoring port is off" in capsys.readouterr().err


async def test_a_port_in_use_stops_the_start_with_a_clear_message(
    tmp_path: Path, clock: FixedClock
) -> None:
    from board_bot.app import MonitoringUnavailable, build_app
    from board_bot.core.config import load_config

    busy = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = busy.sockets[0].getsockname()[1]
    app = build_app(load_config(write_config(tmp_path, f"[monitoring]\nport = {port}\n")), clock)
    try:
        with pytest.raises(MonitoringUnavailable, match=f"monitoring port 127.0.0.1:{port}"):
            await app.run(handle_signals=False)
    finally:
        busy.close()
        await busy.wait_closed()
        app.engine.dispose()
