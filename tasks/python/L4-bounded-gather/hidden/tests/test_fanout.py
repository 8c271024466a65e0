import asyncio

import pytest

from fanout import run_all


def run(coro):
    return asyncio.run(coro)


def test_results_come_back_in_input_order():
    async def job(i):
        await asyncio.sleep(0.01 * (5 - i))
        return i * 10

    assert run(run_all([lambda i=i: job(i) for i in range(5)], limit=5)) == [0, 10, 20, 30, 40]


def test_never_more_than_limit_jobs_run_at_once():
    state = {"now": 0, "max": 0}

    async def job():
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
        await asyncio.sleep(0.005)
        state["now"] -= 1

    run(run_all([job] * 20, limit=3))
    assert state["max"] == 3


def test_jobs_start_in_input_order():
    started = []

    def make(i):
        async def job():
            started.append(i)
            await asyncio.sleep(0.001 * (i % 3))
        return job

    run(run_all([make(i) for i in range(12)], limit=4))
    assert started == list(range(12))


def test_a_slot_is_reused_as_soon_as_its_job_finishes():
    async def main():
        release = asyncio.Event()
        done = []

        async def slow():
            await release.wait()
            return "slow"

        def quick(i):
            async def job():
                await asyncio.sleep(0)
                done.append(i)
                return i
            return job

        runner = asyncio.create_task(run_all([slow] + [quick(i) for i in range(6)], limit=2))
        for _ in range(100):
            if len(done) == 6:
                break
            await asyncio.sleep(0.001)
        assert done == list(range(6)), "quick jobs must not wait for the slow one"
        release.set()
        return await runner

    assert run(main()) == ["slow", 0, 1, 2, 3, 4, 5]


def test_a_job_past_its_timeout_is_cancelled_and_raises_timeout_error():
    seen = []

    async def hangs():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise

    with pytest.raises(TimeoutError):
        run(run_all([hangs], limit=1, timeout=0.05))
    assert seen == ["cancelled"]


def test_the_timeout_applies_to_each_job_not_to_the_whole_run():
    async def job():
        await asyncio.sleep(0.04)
        return 1

    assert run(run_all([job] * 4, limit=1, timeout=0.1)) == [1, 1, 1, 1]


def test_the_first_failure_cancels_running_jobs_and_starts_no_more():
    events = []

    async def fails():
        await asyncio.sleep(0.01)
        raise KeyError("boom")

    async def slow():
        try:
            await asyncio.sleep(1)
            events.append("slow finished")
        except asyncio.CancelledError:
            events.append("slow cancelled")
            raise

    def later():
        async def job():
            events.append("later started")
        return job

    with pytest.raises(KeyError):
        run(run_all([slow, fails, later(), later()], limit=2))
    assert events == ["slow cancelled"]


def test_the_error_raised_is_the_jobs_own_exception():
    err = ValueError("the original")

    async def fails():
        raise err

    async def fine():
        return 1

    with pytest.raises(ValueError) as caught:
        run(run_all([fine, fails, fine], limit=3))
    assert caught.value is err


def test_cancelling_the_run_cancels_its_jobs_and_waits_for_them():
    async def main():
        events = []

        async def job():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                await asyncio.sleep(0.01)  # cleanup that takes a moment
                events.append("cleaned up")
                raise

        runner = asyncio.create_task(run_all([job] * 3, limit=2))
        await asyncio.sleep(0.02)
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner
        assert events == ["cleaned up", "cleaned up"]
        return [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]

    assert run(main()) == []


def test_no_job_is_left_running_after_a_failure():
    async def main():
        async def fails():
            raise RuntimeError("x")

        async def slow():
            await asyncio.sleep(1)

        with pytest.raises(RuntimeError):
            await run_all([slow, slow, fails], limit=3)
        return [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]

    assert run(main()) == []


def test_empty_input_and_invalid_limit():
    assert run(run_all([], limit=2)) == []
    with pytest.raises(ValueError):
        run(run_all([], limit=0))
