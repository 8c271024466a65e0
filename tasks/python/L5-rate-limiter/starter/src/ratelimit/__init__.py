"""A token-bucket rate limiter on an injected nanosecond clock."""

from collections.abc import Callable


class RateLimiter:
    def __init__(self, rate: int, per_ns: int, burst: int, clock: Callable[[], int]) -> None:
        raise NotImplementedError

    def try_acquire(self, n: int = 1) -> bool:
        raise NotImplementedError

    def wait_time(self, n: int = 1) -> int:
        raise NotImplementedError
