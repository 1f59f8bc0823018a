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
from board_bot.core import i18n, migrate
from board_bot.core.clock import Clock
from board_bot.core.config import Config
from board_bot.core.db import backend_name, make_engine
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


@dataclass
class App:
    config: Config
    clock: Clock
    engine: Engine
    runtime: Runtime
    dispatcher: Dispatcher

    def prepare_database(self) -> None:
        """Fail fast when the database is unreachable; then bring the schema to head."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except OperationalError as exc:
            url = self.engine.url.render_as_string(hide_password=True)
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(f"cannot reach the database {url}: {reason}") from exc
        migrate.upgrade(self.engine)

    async def run(self, *, handle_signals: bool = True) -> None:
        """Run the bot until SIGINT/SIGTERM (or until cancelled)."""
        from board_bot.matrix.runner import MatrixBot  # the only import of the nio adapter

        await asyncio.to_thread(self.prepare_database)
        bot = MatrixBot(
            config=self.config,
            engine=self.engine,
            dispatcher=self.dispatcher,
            clock=self.clock,
            runtime=self.runtime,
        )
        settle_heap()
        task = asyncio.create_task(bot.run(), name="matrix")
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
            self.engine.dispose()


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
    runtime = Runtime(
        version=__version__,
        started_at=clock.now(),
        database=backend_name(engine),
        encryption=config.encryption.enabled,
        handlungsfelder=config.bot.handlungsfelder,
    )
    dispatcher = Dispatcher(
        config=config,
        engine=engine,
        clock=clock,
        registry=build_registry(),
        runtime=runtime,
        handlers=EVENT_HANDLERS,
    )
    return App(config=config, clock=clock, engine=engine, runtime=runtime, dispatcher=dispatcher)
