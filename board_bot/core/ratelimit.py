"""A token bucket per user: one user's flood does not slow the others."""

from __future__ import annotations

from dataclasses import dataclass

from board_bot.core.clock import Clock

MAX_TRACKED_USERS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class RateLimiter:
    def __init__(self, clock: Clock, *, per_minute: int, burst: int) -> None:
        self.clock = clock
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str) -> tuple[bool, bool]:
        """(allowed, warn): warn is true once per run of refusals, so a flood gets one notice."""
        now = self.clock.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED_USERS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(tokens=self.burst, updated=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return True, False
        warn = not bucket.warned
        bucket.warned = True
        return False, warn

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely: they carry no state."""
        for key in [
            k
            for k, b in self._buckets.items()
            if b.tokens + (now - b.updated) * self.rate >= self.burst
        ]:
            del self._buckets[key]
