"""Running many async jobs with bounded concurrency."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any


async def run_all(
    jobs: Sequence[Callable[[], Awaitable[Any]]], *, limit: int, timeout: float | None = None
) -> list[Any]:
    """Runs `jobs` at most `limit` at a time; results in input order; the first failure cancels the rest."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results: list[Any] = [None] * len(jobs)
    queue = iter(enumerate(jobs))  # shared by the workers: jobs start in input order

    async def worker() -> None:
        for index, job in queue:
            results[index] = await asyncio.wait_for(job(), timeout) if timeout is not None else await job()

    workers = [asyncio.create_task(worker()) for _ in range(min(limit, len(jobs)))]
    if not workers:
        return results
    try:
        done, pending = await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
    except asyncio.CancelledError:
        await _cancel(workers)
        raise
    failed = [t for t in workers if t in done and not t.cancelled() and t.exception() is not None]
    if failed:
        await _cancel(pending)
        raise failed[0].exception()  # type: ignore[misc]
    return results


async def _cancel(tasks) -> None:
    for task in tasks:
        task.cancel()
    # Wait until every cancelled job has finished its cleanup: nothing is left running behind us.
    await asyncio.gather(*tasks, return_exceptions=True)
