"""build_app(config, clock): the only place where the parts are wired together."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from board_bot import __version__
from board_bot.chat.dispatcher import Dispatcher
from board_bot.chat.framework import Runtime
from board_bot.core import i18n, instance, metrics, migrate, monitoring
from board_bot.core.clock import Clock
from board_bot.core.config import Config
from board_bot.core.db import (
    backend_name,
    database_down,
    make_engine,
    unit_of_work,
    unreachable_message,
)
from board_bot.core.files import secure_data_dir
from board_bot.features.status_rounds import events as status_round_events
from board_bot.features.work_packages import vocabulary
from board_bot.features.workshops import events as workshop_events
from commands import build_registry

log = logging.getLogger(__name__)

#: The features' handlers for chat events that are not commands, asked in this order.
EVENT_HANDLERS = (status_round_events.HANDLERS, workshop_events.HANDLERS)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached at start-up."""


class MonitoringUnavailable(RuntimeError):
    """The monitoring port cannot be opened (in use, say)."""


@dataclass
class App:
    config: Config
    clock: Clock
    engine: Engine
    runtime: Runtime
    dispatcher: Dispatcher
    metrics: metrics.Metrics

    def prepare_database(self) -> None:
        """Fail fast when the database is unreachable; then bring the schema to head."""
        self.check_database()
        migrate.upgrade(self.engine)

    def check_database(self) -> None:
        """Raise :class:`DatabaseUnavailable` when the database cannot be reached."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except OperationalError as exc:
            raise DatabaseUnavailable(unreachable_message(self.engine, exc)) from exc

    async def run(self, *, handle_signals: bool = True) -> None:
        """Run the bot until SIGINT/SIGTERM (or until cancelled): at once, or, while another
        process on the same database is the active bot, as its standby (:mod:`instance`)."""
        server = await self.start_monitoring()  # /healthz answers while migrations run
        metrics.install(self.metrics)
        lock = instance.InstanceLock(self.engine, self.config.storage.data_dir)
        try:
            await asyncio.to_thread(self.check_database)
            task = asyncio.create_task(self._active(lock), name="active")
            loop = asyncio.get_running_loop()
            signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
            for sig in signals:
                loop.add_signal_handler(sig, task.cancel)
            try:
                await task
            except asyncio.CancelledError:
                log.info("stopped")
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                for sig in signals:
                    loop.remove_signal_handler(sig)
        finally:
            await asyncio.to_thread(lock.release)  # a standby takes over at once
            metrics.install(None)
            if server is not None:
                await server.close()
            self.engine.dispose()

    async def _active(self, lock: instance.InstanceLock) -> None:
        """Stand by until this process holds the active lock; then bring the schema to head and
        run the bot for as long as it holds the lock. When the connection that held it broke,
        stop the bot at once and stand by again (until this process takes the lock again, or
        for good, when another one took it)."""
        from board_bot.matrix.runner import MatrixBot  # the only import of the nio adapter

        while True:
            await self._stand_by(lock)
            await asyncio.to_thread(self._take_over)
            bot = MatrixBot(
                config=self.config,
                engine=self.engine,
                dispatcher=self.dispatcher,
                clock=self.clock,
                runtime=self.runtime,
                metrics=self.metrics,
            )
            settle_heap()
            running = asyncio.create_task(bot.run(), name="matrix")
            watching = asyncio.create_task(self._watch(lock), name="active-lock")
            try:
                done, _ = await asyncio.wait(
                    {running, watching}, return_when=asyncio.FIRST_COMPLETED
                )
                if running in done:
                    running.result()  # the error that ended the bot, if any
                    return
                log.warning("the active lock is lost: the bot stops and stands by")
            finally:
                for task in (running, watching):
                    task.cancel()
                await asyncio.gather(running, watching, return_exceptions=True)

    async def _stand_by(self, lock: instance.InstanceLock) -> None:
        """Wait until this process holds the active lock (at once, when nobody else does). A
        process that had to wait, or could not ask, waits :data:`instance.FENCE` longer: an
        active process whose lock connection broke has stopped by then."""
        waited = False
        while True:
            try:
                if await asyncio.to_thread(lock.try_acquire):
                    break
                if not waited:
                    log.info(
                        "another bot process is active on this database; standing by "
                        "(trying every %.0f s)",
                        instance.STANDBY_POLL,
                    )
            except Exception as exc:
                if not database_down(exc):
                    raise
                log.warning("standing by: the database cannot be reached: %s", exc)
            waited = True
            self.metrics.standby = True  # ready: as a standby
            await asyncio.sleep(instance.STANDBY_POLL)
        if waited:
            await asyncio.sleep(instance.FENCE)
            log.info("this process is now the active bot")
        self.metrics.standby = False

    def _take_over(self) -> None:
        """The active process's start: the schema to head, and the scheduler's lease freed of
        a holder that is gone (it held the active lock before this process, and stopped)."""
        from board_bot.scheduler import lease
        from board_bot.scheduler.runner import LEASE

        migrate.upgrade(self.engine)
        with unit_of_work(self.engine) as session:
            lease.clear(session, LEASE)

    async def _watch(self, lock: instance.InstanceLock) -> None:
        """Return when the active lock is lost (checked every :data:`instance.CHECK_EVERY`)."""
        while True:
            if not await asyncio.to_thread(lock.check):
                return
            await asyncio.sleep(instance.CHECK_EVERY)

    async def start_monitoring(self) -> monitoring.MonitoringServer | None:
        """The monitoring port, when ``[monitoring] port`` is set."""
        settings = self.config.monitoring
        if not settings.enabled:
            return None
        try:
            return await monitoring.start(self.metrics, settings.host, settings.port)
        except OSError as exc:
            raise MonitoringUnavailable(
                f"cannot open the monitoring port {settings.host}:{settings.port} "
                f"([monitoring] in the config): {exc.strerror or exc}"
            ) from exc


def settle_heap() -> None:
    """Leave what start-up loaded (the libraries: about 200,000 objects that live as long as the
    process) out of the garbage collector's full collections. Each of those walked all of it,
    about 0.1 s on a small server, in the middle of whatever command was running."""
    gc.collect()
    gc.freeze()


def build_app(config: Config, clock: Clock) -> App:
    secure_data_dir(config.storage.data_dir)  # before the database creates its files in it
    i18n.set_chair_title("de", config.bot.chair_title)
    i18n.set_chair_title("en", config.bot.chair_title_en)
    vocabulary.set_leitlinie_names("de", config.bot.leitlinien)
    vocabulary.set_leitlinie_names("en", config.bot.leitlinien_en)
    engine = make_engine(config.storage.database_url)
    counters = metrics.Metrics(clock, engine)
    runtime = Runtime(
        version=__version__,
        started_at=clock.now(),
        database=backend_name(engine),
        encryption=config.encryption.enabled,
        handlungsfelder=config.bot.handlungsfelder,
        oparl=config.oparl,
        publish=config.publish,
    )
    dispatcher = Dispatcher(
        config=config,
        engine=engine,
        clock=clock,
        registry=build_registry(),
        runtime=runtime,
        handlers=EVENT_HANDLERS,
        metrics=counters,
    )
    return App(
        config=config,
        clock=clock,
        engine=engine,
        runtime=runtime,
        dispatcher=dispatcher,
        metrics=counters,
    )
