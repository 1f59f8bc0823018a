"""A token bucket per user: one user's flood does not slow the others.

The buckets run on the time each command was sent (the homeserver's timestamp), not on when the
bot gets to it: commands written one a minute while the bot was down arrive together after a
restart, and are no flood."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_TRACKED_USERS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class RateLimiter:
    def __init__(self, *, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, sent_at: datetime) -> tuple[bool, bool]:
        """(allowed, warn) for a command ``key`` sent at ``sent_at``: warn is true once per run
        of refusals, so a flood gets one notice."""
        now = sent_at.timestamp()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED_USERS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(tokens=self.burst, updated=now)
        # (A command may come before one sent earlier: time does not run back for the bucket.)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
        bucket.updated = max(bucket.updated, now)
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
