"""Catalogue item 24: aware datetimes round-trip unchanged and come back aware in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core.db import unit_of_work
from board_bot.models import Board, HandledEvent

BERLIN = ZoneInfo("Europe/Berlin")

MOMENTS = [
    pytest.param(datetime(2026, 11, 26, 14, 8, 0, tzinfo=UTC), id="utc"),
    pytest.param(datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=BERLIN), id="berlin-summer"),
    pytest.param(datetime(2026, 1, 15, 23, 59, 59, 999999, tzinfo=BERLIN), id="berlin-winter"),
    pytest.param(datetime(2026, 3, 29, 3, 0, 0, 1, tzinfo=BERLIN), id="berlin-after-dst-start"),
    pytest.param(
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN), id="berlin-repeated-hour-fold1"
    ),
    pytest.param(
        datetime(2026, 5, 5, 5, 5, 5, 500000, tzinfo=timezone(timedelta(hours=-9, minutes=-30))),
        id="fixed-offset",
    ),
]


def store_board(engine: Engine, created_at: datetime, archived_at: datetime | None = None) -> int:
    with unit_of_work(engine) as session:
        board = Board(
            room_id="!room:example.org",
            name="Smart City Board",
            language="de",
            timezone="Europe/Berlin",
            created_by="@alice:example.org",
            created_at=created_at,
            archived_at=archived_at,
        )
        session.add(board)
        session.flush()
        assert board.id is not None
        return board.id


def load_board(engine: Engine, board_id: int) -> Board:
    with Session(engine) as session:  # a fresh session: no identity-map copy of what we wrote
        board = session.get(Board, board_id)
        assert board is not None
        return board


@pytest.mark.parametrize("moment", MOMENTS)
def test_aware_datetime_round_trips_as_utc(engine: Engine, moment: datetime) -> None:
    board_id = store_board(engine, moment)

    loaded = load_board(engine, board_id).created_at

    # The same instant. (Compared in UTC: PEP 495 makes an inter-zone ``==`` False for a time in
    # the repeated hour, whatever the instant.)
    assert loaded == moment.astimezone(UTC)
    assert loaded.timestamp() == moment.timestamp()
    assert loaded.tzinfo is not None
    assert loaded.utcoffset() == timedelta(0)
    assert loaded.tzinfo == UTC
    # Unchanged to the microsecond, as UTC wall time.
    assert loaded.replace(tzinfo=None) == moment.astimezone(UTC).replace(tzinfo=None)
    assert loaded.microsecond == moment.microsecond


def test_none_stays_none(engine: Engine) -> None:
    board_id = store_board(engine, datetime(2026, 1, 1, tzinfo=UTC), archived_at=None)
    assert load_board(engine, board_id).archived_at is None


def test_comparisons_in_sql_use_the_instant(engine: Engine) -> None:
    """A bound parameter in another zone compares as the same instant (SQLite stores UTC text)."""
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    with unit_of_work(engine) as session:
        for i, minutes in enumerate([-61, -1, 0, 1, 61]):
            session.add(
                HandledEvent(
                    event_id=f"$e{i}",
                    room_id="!r:example.org",
                    outcome="ok",
                    handled_at=summer + timedelta(minutes=minutes),
                )
            )

    # 14:00 in Berlin (CEST, UTC+2) is 12:00 UTC.
    cutoff = datetime(2026, 7, 1, 14, 0, tzinfo=BERLIN)
    with Session(engine) as session:
        earlier = session.exec(
            select(HandledEvent.event_id)
            .where(col(HandledEvent.handled_at) < cutoff)
            .order_by(col(HandledEvent.handled_at))
        ).all()
        at_or_after = session.exec(
            select(sa.func.count())
            .select_from(HandledEvent)
            .where(col(HandledEvent.handled_at) >= cutoff)
        ).one()
    assert earlier == ["$e0", "$e1"]
    assert at_or_after == 3


def test_naive_datetime_is_refused(engine: Engine) -> None:
    naive = datetime(2026, 7, 1, 12, 0)
    with pytest.raises((ValueError, sa.exc.StatementError), match="naive datetime"):
        store_board(engine, naive)
    with Session(engine) as session:
        assert session.exec(select(sa.func.count()).select_from(Board)).one() == 0


def test_naive_datetime_is_refused_in_a_where_clause(engine: Engine) -> None:
    with (
        Session(engine) as session,
        pytest.raises((ValueError, sa.exc.StatementError), match="naive datetime"),
    ):
        session.exec(
            select(HandledEvent).where(col(HandledEvent.handled_at) < datetime(2026, 1, 1))
        ).all()
