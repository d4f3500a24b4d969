"""An in-memory token bucket per API key or client address.

Each caller may burst up to `per_minute` requests and then gets `per_minute / 60`
more per second. One process, one bucket table: behind several workers the limit
applies per worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from gremium.errors import RateLimited


class RateLimitExceeded(RateLimited):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenBucketLimiter:
    _MAX_BUCKETS = 10_000

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # id -> (tokens, last update)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def check(self, bucket_id: str) -> None:
        """Take one token for `bucket_id`, or raise RateLimitExceeded with a retry delay."""
        if not self.enabled:
            return
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(bucket_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[bucket_id] = (tokens, now)
                retry_after = max(1, math.ceil((1.0 - tokens) / self.rate))
                raise RateLimitExceeded(
                    f"rate limit of {int(self.capacity)} requests per minute reached; "
                    f"retry in {retry_after} s",
                    retry_after,
                )
            self._buckets[bucket_id] = (tokens - 1.0, now)
            if len(self._buckets) > self._MAX_BUCKETS:
                self._forget_full(now)

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold no information."""
        for bucket_id, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * self.rate >= self.capacity:
                del self._buckets[bucket_id]
