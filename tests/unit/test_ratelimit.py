"""The per-user token bucket, driven by the commands' send times (catalogue item 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from board_bot.core import ratelimit
from board_bot.core.clock import FixedClock
from board_bot.core.ratelimit import RateLimiter

ERIKA = "@erika:stadt.example"
MAX = "@max:stadt.example"


def limiter(*, per_minute: int = 60, burst: int = 3) -> tuple[RateLimiter, FixedClock]:
    clock = FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    return RateLimiter(per_minute=per_minute, burst=burst), clock


def test_burst_is_allowed_then_refused_with_one_warning() -> None:
    rl, clock = limiter(burst=3)
    results = [rl.take(ERIKA, clock.now()) for _ in range(6)]
    assert results == [
        (True, False),
        (True, False),
        (True, False),
        (False, True),
        (False, False),
        (False, False),
    ]


def test_tokens_refill_over_time() -> None:
    rl, clock = limiter(per_minute=60, burst=3)
    for _ in range(3):
        rl.take(ERIKA, clock.now())
    assert rl.take(ERIKA, clock.now()) == (False, True)
    clock.advance(timedelta(milliseconds=999))
    assert rl.take(ERIKA, clock.now()) == (False, False)
    clock.advance(timedelta(milliseconds=1))  # one token per second at 60 per minute
    assert rl.take(ERIKA, clock.now()) == (True, False)
    assert rl.take(ERIKA, clock.now()) == (False, True)  # a new run of refusals warns again


def test_refill_stops_at_the_burst() -> None:
    rl, clock = limiter(per_minute=60, burst=3)
    rl.take(ERIKA, clock.now())
    clock.advance(timedelta(hours=1))
    assert [rl.take(ERIKA, clock.now())[0] for _ in range(4)] == [True, True, True, False]


@pytest.mark.parametrize(("per_minute", "seconds_per_token"), [(20, 3), (6, 10), (120, 0.5)])
def test_refill_rate_follows_the_config(per_minute: int, seconds_per_token: float) -> None:
    rl, clock = limiter(per_minute=per_minute, burst=1)
    assert rl.take(ERIKA, clock.now())[0]
    clock.advance(timedelta(seconds=seconds_per_token * 0.9))
    assert not rl.take(ERIKA, clock.now())[0]
    clock.advance(timedelta(seconds=seconds_per_token * 0.1))
    assert rl.take(ERIKA, clock.now())[0]


def test_one_users_flood_does_not_affect_another() -> None:
    rl, clock = limiter(burst=3)
    flood = [rl.take(ERIKA, clock.now()) for _ in range(1000)]
    assert sum(allowed for allowed, _ in flood) == 3
    assert sum(warn for _, warn in flood) == 1
    assert [rl.take(MAX, clock.now()) for _ in range(3)] == [(True, False)] * 3


def test_forgetting_full_buckets_keeps_flooders(monkeypatch: pytest.MonkeyPatch) -> None:
    """When too many users are tracked, only buckets that carry no state are dropped."""
    rl, clock = limiter(per_minute=60, burst=2)
    for _ in range(5):
        rl.take(ERIKA, clock.now())  # Erika floods: empty bucket
    for i in range(50):
        rl.take(f"@user{i}:stadt.example", clock.now())  # one command each
    clock.advance(timedelta(seconds=1))  # the others are full again, Erika is not
    monkeypatch.setattr(ratelimit, "MAX_TRACKED_USERS", 51)
    assert rl.take(MAX, clock.now()) == (True, False)
    assert set(rl._buckets) == {ERIKA, MAX}
    assert rl.take(ERIKA, clock.now()) == (True, False)
    assert rl.take(ERIKA, clock.now()) == (False, True)


def test_fixed_clock() -> None:
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    clock = FixedClock(start)
    mono = clock.monotonic()
    clock.advance(timedelta(minutes=90))
    assert clock.now() == start + timedelta(minutes=90)
    assert clock.monotonic() == mono + 5400
    assert clock.now().tzinfo is UTC
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 3, 29, 0, 30))  # naive on purpose


def test_the_bucket_runs_on_send_times_not_on_arrival() -> None:
    """Commands written one a minute during a downtime and handled together after it are no
    flood; time does not run back for one sent before the last."""
    rl, clock = limiter(per_minute=20, burst=10)
    written = [clock.now() + timedelta(minutes=n) for n in range(15)]
    assert all(rl.take(ERIKA, at)[0] for at in written)  # all handled at the same moment
    assert rl.take(MAX, clock.now()) == (True, False)
    late = [rl.take(MAX, clock.now() - timedelta(minutes=n))[0] for n in range(1, 12)]
    assert late == [True] * 9 + [False, False]  # no refill from the past
