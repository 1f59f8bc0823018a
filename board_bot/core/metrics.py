"""What the bot counts for an operator: Prometheus metrics and the facts ``/readyz`` judges.

One :class:`Metrics` per app, with a registry of its own (never prometheus_client's global one),
so that tests can build several apps side by side. The app hands it to the dispatcher, the sync
loop and the scheduler; code that has no app at hand (the status rounds' work, called from jobs
and the outbox) counts through the module functions :func:`prompts_sent` and
:func:`prompts_undeliverable`, which reach the installed instance (nothing is counted when none
is installed, as in most tests).

Nothing here carries a message body, a user id or a room id: labels are command group names and
fixed outcome words only, so that the number of series stays small and the metrics hold no
personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine

from board_bot.core import delivery
from board_bot.core.clock import Clock
from board_bot.core.db import read_only

log = logging.getLogger(__name__)

#: ``/readyz`` wants a successful sync at most this long ago.
SYNC_MAX_AGE = timedelta(minutes=2)
#: A lease state the scheduler has not confirmed for this long counts as stale (its task hangs
#: or died): a little more than the lease's lifetime, which the holder renews every 30 s.
LEASE_STATE_MAX_AGE = timedelta(seconds=120)

LeaseState = Literal["held", "standby", "failed"]

COMMAND_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class Check:
    """One of ``/readyz``'s checks: whether it passed, and why not."""

    name: str
    ok: bool
    detail: str = ""


class Metrics:
    """The bot's counters and gauges, and the state that readiness is judged by."""

    def __init__(self, clock: Clock, engine: Engine | None = None) -> None:
        self.clock = clock
        self.engine = engine
        self.registry = CollectorRegistry(auto_describe=True)
        self.last_sync: datetime | None = None
        self.lease_state: LeaseState | None = None
        self.lease_checked: datetime | None = None
        #: another process on the database is the active bot; this one waits (a hot standby)
        self.standby = False
        self.commands = Counter(
            "board_bot_commands",
            "Commands handled, by command group and outcome",
            ["group", "outcome"],
            registry=self.registry,
        )
        self.command_seconds = Histogram(
            "board_bot_command_duration_seconds",
            "Time to handle one command (parse, run, commit), by command group",
            ["group"],
            buckets=COMMAND_BUCKETS,
            registry=self.registry,
        )
        self.jobs_run = Counter(
            "board_bot_scheduler_jobs_run",
            "Scheduled jobs that ran, by result (ok or error)",
            ["result"],
            registry=self.registry,
        )
        self.jobs_missed = Counter(
            "board_bot_scheduler_jobs_missed",
            "Scheduled jobs that missed their time (the bot was down or busy)",
            registry=self.registry,
        )
        self.prompts_sent = Counter(
            "board_bot_prompts_sent",
            "Status prompts the homeserver accepted",
            registry=self.registry,
        )
        self.prompts_undeliverable = Counter(
            "board_bot_prompts_undeliverable",
            "Status prompts given up because they could not be delivered",
            registry=self.registry,
        )
        self.sync_lag = Gauge(
            "board_bot_sync_lag_seconds",
            "Seconds since the last successful sync with the homeserver (NaN: none yet)",
            registry=self.registry,
        )
        self.sync_lag.set_function(self._sync_lag)
        self.scheduler_leader = Gauge(
            "board_bot_scheduler_leader",
            "1 while this process holds the scheduler lease, else 0",
            registry=self.registry,
        )
        self.scheduler_leader.set_function(lambda: 1.0 if self.lease_state == "held" else 0.0)
        self.active = Gauge(
            "board_bot_active",
            "1 while this process is the active bot, 0 while it stands by for another",
            registry=self.registry,
        )
        self.active.set_function(lambda: 0.0 if self.standby else 1.0)
        if engine is not None:
            self.registry.register(_OutboxCollector(engine, clock))

    # --- what the parts report -------------------------------------------------------------

    def command(self, group: str, outcome: str, seconds: float) -> None:
        self.commands.labels(group=group, outcome=outcome).inc()
        self.command_seconds.labels(group=group).observe(max(seconds, 0.0))

    def synced(self) -> None:
        """A sync batch was handled and its token saved."""
        self.last_sync = self.clock.now()

    def lease(self, state: LeaseState) -> None:
        """The scheduler took or renewed the lease (held), found another holder's (standby),
        or failed and waits to start again (failed)."""
        self.lease_state = state
        self.lease_checked = self.clock.now()

    def job_run(self, *, ok: bool) -> None:
        self.jobs_run.labels(result="ok" if ok else "error").inc()

    def job_missed(self) -> None:
        self.jobs_missed.inc()

    # --- what is read ------------------------------------------------------------------------

    def _sync_lag(self) -> float:
        if self.last_sync is None:
            return float("nan")
        return max((self.clock.now() - self.last_sync).total_seconds(), 0.0)

    def render(self) -> bytes:
        """The metrics in Prometheus' text format (reads the database: call it in a thread)."""
        return generate_latest(self.registry)

    def sync_check(self) -> Check:
        if self.standby:  # it syncs nothing while another process is the active bot
            return Check("sync", True, "standing by")
        if self.last_sync is None:
            return Check("sync", False, "no successful sync yet")
        age = self.clock.now() - self.last_sync
        if age > SYNC_MAX_AGE:
            return Check("sync", False, f"last successful sync {age.total_seconds():.0f} s ago")
        return Check("sync", True)

    def scheduler_check(self) -> Check:
        if self.standby:
            return Check("scheduler", True, "standing by")
        state, checked = self.lease_state, self.lease_checked
        if state is None or checked is None:
            return Check("scheduler", False, "the scheduler has not started")
        age = self.clock.now() - checked
        if age > LEASE_STATE_MAX_AGE:
            return Check(
                "scheduler",
                False,
                f"the scheduler lease was last checked {age.total_seconds():.0f} s ago",
            )
        if state == "failed":
            return Check("scheduler", False, "the scheduler failed and waits to start again")
        return Check("scheduler", True, state)

    def database_check(self) -> Check:
        """``SELECT 1`` (blocking: call it in a thread, with a timeout)."""
        if self.engine is None:
            return Check("database", False, "no database")
        try:
            # A bare DBAPI cursor: no transaction of ours (on SQLite every unit of work begins
            # IMMEDIATE, which would take the write lock for a probe).
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute("SELECT 1")
                cursor.fetchone()
                cursor.close()
            finally:
                connection.close()
        except Exception as exc:
            return Check("database", False, f"unreachable ({type(exc).__name__})")
        return Check("database", True)


class _OutboxCollector(Collector):
    """The outbox's backlog and the age of its oldest unsent message, read at each scrape."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(self._families(None, None))

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            with read_only(self.engine) as session:  # a scrape takes no write lock
                count, oldest = delivery.backlog(session)
        except Exception as exc:
            log.warning("metrics: cannot read the outbox (%s)", type(exc).__name__)
            return iter(())
        age = (self.clock.now() - oldest).total_seconds() if oldest is not None else 0.0
        return iter(self._families(count, max(age, 0.0)))

    @staticmethod
    def _families(count: int | None, age: float | None) -> list[GaugeMetricFamily]:
        """The two gauges; without values (for describe) they name themselves only."""
        return [
            GaugeMetricFamily(
                "board_bot_outbox_backlog", "Messages in the outbox not sent yet", value=count
            ),
            GaugeMetricFamily(
                "board_bot_outbox_oldest_age_seconds",
                "Age of the oldest message in the outbox not sent yet (0: none waits)",
                value=age,
            ),
        ]


# --- for code without the app at hand -----------------------------------------------------------

_installed: Metrics | None = None


def install(metrics: Metrics | None) -> None:
    """Make ``metrics`` the one that :func:`prompts_sent` and :func:`prompts_undeliverable`
    count into (the app does, while it runs); None stops counting."""
    global _installed
    _installed = metrics


def current() -> Metrics | None:
    return _installed


def prompts_sent(count: int = 1) -> None:
    """Count status prompts that the homeserver accepted."""
    if _installed is not None and count > 0:
        _installed.prompts_sent.inc(count)


def prompts_undeliverable(count: int = 1) -> None:
    """Count status prompts given up as undeliverable (the person never joined the direct
    room, say): the status rounds call this once per prompt given up."""
    if _installed is not None and count > 0:
        _installed.prompts_undeliverable.inc(count)
