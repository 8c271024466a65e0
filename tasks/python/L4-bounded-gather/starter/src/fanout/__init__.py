"""Running many async jobs with bounded concurrency."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any


async def run_all(
    jobs: Sequence[Callable[[], Awaitable[Any]]], *, limit: int, timeout: float | None = None
) -> list[Any]:
    raise NotImplementedError
