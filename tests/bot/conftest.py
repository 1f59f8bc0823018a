"""The bot tier: the whole dispatcher in-process, SQLite in ``tmp_path``, a FixedClock, no Matrix.

``bot.handle("!hilfe")`` feeds one message to the dispatcher, exactly as the Matrix side would, and
returns the Markdown bodies of the outbox rows that this message produced (read back from the
database, so that what is tested is what would be sent). ``bot.contents(...)`` gives the full
Matrix contents of those rows, for ``m.mentions``, ``formatted_body`` and ``m.relates_to``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from board_bot.app import build_app
from board_bot.chat.dispatcher import Dispatcher
from board_bot.core import migrate
from board_bot.core.clock import FixedClock
from board_bot.core.config import Config, parse_config
from board_bot.core.events import IncomingMessage
from board_bot.models import OutboxMessage

ADMIN = "@cdo:example.org"
USER = "@erika:example.org"
ROOM = "!board:example.org"
OTHER_ROOM = "!other:example.org"
START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday, 09:00 in Europe/Berlin


# Tables that change on every handled message; everything else is the board's domain state.
BOOKKEEPING_TABLES = frozenset({"handled_event", "outbox", "sync_state", "alembic_version"})


def make_config(
    tmp_path: Path,
    *,
    encryption: bool = True,
    oparl: dict[str, Any] | None = None,
    publish: dict[str, Any] | None = None,
    **bot: Any,
) -> Config:
    """A valid configuration; ``bot`` settings go into ``[bot]``, ``oparl`` is ``[oparl]``,
    ``publish`` is ``[publish]``."""
    return parse_config(
        {
            **({"oparl": oparl} if oparl is not None else {}),
            **({"publish": publish} if publish is not None else {}),
            "matrix": {
                "homeserver": "https://matrix.example.org",
                "user_id": "@board-bot:example.org",
                "password": "test-password-not-secret",
            },
            "bot": {"admins": [ADMIN], **bot},
            "storage": {"data_dir": str(tmp_path / "data")},
            "encryption": {"enabled": encryption, "pickle_key": "a-test-pickle-key-0123456789"},
        },
        base_dir=tmp_path,
        env={},
    )


@dataclass
class BotHarness:
    """A dispatcher with its database and clock; errbot's ``exec_command``, for our bot."""

    dispatcher: Dispatcher
    clock: FixedClock
    engine: Engine
    config: Config
    last_ids: list[int] = field(default_factory=list)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def message(
        self,
        text: str,
        *,
        sender: str = ADMIN,
        room: str = ROOM,
        event_id: str | None = None,
        sent_at: datetime | None = None,
        thread: str | None = None,
    ) -> IncomingMessage:
        return IncomingMessage(
            event_id=event_id or f"$event{next(self._counter)}:example.org",
            room_id=room,
            sender=sender,
            body=text,
            sent_at=self.clock.now() if sent_at is None else sent_at,
            thread_root=thread,
        )

    def handle(
        self,
        text: str,
        *,
        sender: str = ADMIN,
        room: str = ROOM,
        event_id: str | None = None,
        sent_at: datetime | None = None,
        thread: str | None = None,
    ) -> list[str]:
        """Handle one message (in the thread of ``thread``, if given); the Markdown bodies of the
        replies it queued."""
        msg = self.message(
            text, sender=sender, room=room, event_id=event_id, sent_at=sent_at, thread=thread
        )
        self.last_ids = self.dispatcher.handle(msg)
        return [c["body"] for c in self.contents(self.last_ids)]

    def posted(self, text: str, **kwargs: Any) -> list[str]:
        """Handle one message; the bodies of everything it queued, the reply and what the
        command posted after it (its follow-ups), in order, to any room."""
        with Session(self.engine) as session:
            before = session.exec(select(sa.func.max(OutboxMessage.id))).one() or 0
        self.handle(text, **kwargs)
        with Session(self.engine) as session:
            ids = session.exec(select(OutboxMessage.id).where(col(OutboxMessage.id) > before)).all()
        self.last_ids = sorted(i for i in ids if i is not None)
        return [c["body"] for c in self.contents(self.last_ids)]

    def reply(self, text: str, **kwargs: Any) -> str:
        """Handle one message that must be answered with exactly one reply; that reply's body."""
        bodies = self.handle(text, **kwargs)
        assert len(bodies) == 1, bodies
        return bodies[0]

    def contents(self, ids: list[int] | None = None) -> list[dict[str, Any]]:
        """The full Matrix contents of outbox rows (default: those of the last ``handle``)."""
        ids = self.last_ids if ids is None else ids
        if not ids:
            return []
        with Session(self.engine) as session:
            rows = session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.id).in_(ids))
                .order_by(col(OutboxMessage.id))
            ).all()
            return [dict(row.content) for row in rows]

    def rows(self, model: type[SQLModel]) -> list[Any]:
        """Every row of a table, detached, for checks on what changed."""
        with Session(self.engine, expire_on_commit=False) as session:
            rows = list(session.exec(select(model)).all())
            session.expunge_all()
            return rows

    def count(self, model: type[SQLModel]) -> int:
        with Session(self.engine) as session:
            return session.exec(select(sa.func.count()).select_from(model)).one()

    def domain_state(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every domain table (boards, audit, ...): what a refused command must not
        change. Read from the schema, so that tables added later are covered too."""
        state: dict[str, list[tuple[Any, ...]]] = {}
        with self.engine.connect() as conn:
            for name in sorted(sa.inspect(conn).get_table_names()):
                if name not in BOOKKEEPING_TABLES:
                    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
                    state[name] = [tuple(r) for r in conn.execute(sa.select(table)).all()]
        return state


def make_harness(config: Config, clock: FixedClock) -> BotHarness:
    app = build_app(config, clock)
    migrate.upgrade(app.engine)  # alembic owns the schema: never create_all
    return BotHarness(dispatcher=app.dispatcher, clock=clock, engine=app.engine, config=config)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def bot(config: Config, clock: FixedClock) -> Iterator[BotHarness]:
    harness = make_harness(config, clock)
    yield harness
    harness.engine.dispose()


@pytest.fixture
def bot_factory(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[..., BotHarness]]:
    """Bots with other settings: ``bot_factory(language="en", encryption=False)``."""
    made: list[BotHarness] = []

    def make(**settings: Any) -> BotHarness:
        harness = make_harness(make_config(tmp_path / f"bot{len(made)}", **settings), clock)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.engine.dispose()


@pytest.fixture
def board_bot(bot: BotHarness) -> BotHarness:
    """A bot whose room ``ROOM`` already has a board."""
    bot.reply("!board init Smart City Board Musterstadt")
    return bot
