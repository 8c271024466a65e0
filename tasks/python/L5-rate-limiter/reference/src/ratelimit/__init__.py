"""A token-bucket rate limiter on an injected nanosecond clock."""

from collections.abc import Callable
from fractions import Fraction


class RateLimiter:
    """`rate` tokens every `per_ns` nanoseconds, at most `burst` banked; exact rational arithmetic."""

    def __init__(self, rate: int, per_ns: int, burst: int, clock: Callable[[], int]) -> None:
        if rate < 1 or per_ns < 1 or burst < 1:
            raise ValueError("rate, per_ns and burst must be at least 1")
        self._rate = Fraction(rate, per_ns)  # tokens per nanosecond
        self._burst = burst
        self._clock = clock
        self._tokens = Fraction(burst)  # starts full
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        # A clock that steps back adds nothing and takes nothing; time counts again from the latest
        # reading, so the same interval is never credited twice.
        if now > self._last:
            self._tokens = min(Fraction(self._burst), self._tokens + (now - self._last) * self._rate)
            self._last = now

    def _check(self, n: int) -> None:
        if n < 1 or n > self._burst:
            raise ValueError(f"n must be between 1 and the burst ({self._burst}), got {n}")

    def try_acquire(self, n: int = 1) -> bool:
        self._check(n)
        self._refill()
        if self._tokens < n:
            return False  # all or nothing: a refused request consumes no tokens
        self._tokens -= n
        return True

    def wait_time(self, n: int = 1) -> int:
        self._check(n)
        self._refill()
        missing = n - self._tokens
        if missing <= 0:
            return 0
        wait = missing / self._rate
        return -(-wait.numerator // wait.denominator)  # rounded up: after it, n tokens are there
