import pytest

from ratelimit import RateLimiter

SECOND = 1_000_000_000


class FakeClock:
    def __init__(self, now=1_000):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, ns):
        self.now += ns


def limiter(rate=1, per_ns=SECOND, burst=1, start=1_000):
    clock = FakeClock(start)
    return RateLimiter(rate, per_ns, burst, clock), clock


def test_starts_with_a_full_bucket():
    rl, _ = limiter(rate=1, burst=5)
    assert [rl.try_acquire() for _ in range(6)] == [True] * 5 + [False]


def test_tokens_refill_at_the_stated_rate():
    rl, clock = limiter(rate=2, per_ns=SECOND, burst=2)
    assert rl.try_acquire(2)
    clock.advance(SECOND // 2 - 1)
    assert not rl.try_acquire()
    clock.advance(1)
    assert rl.try_acquire()
    assert not rl.try_acquire()


def test_fractional_refill_is_carried_not_lost():
    rl, clock = limiter(rate=1, per_ns=3, burst=1)
    assert rl.try_acquire()
    for _ in range(2):
        clock.advance(1)
        assert not rl.try_acquire()
    clock.advance(1)
    assert rl.try_acquire()


def test_no_drift_over_many_small_steps():
    rl, clock = limiter(rate=1, per_ns=10, burst=1)
    got = 0
    for _ in range(20_000):
        clock.advance(1)
        got += rl.try_acquire()
    assert got == 2_000


def test_idle_time_does_not_bank_more_than_the_burst():
    rl, clock = limiter(rate=1, per_ns=SECOND, burst=3)
    clock.advance(3600 * SECOND)
    assert [rl.try_acquire() for _ in range(4)] == [True, True, True, False]


def test_a_refused_request_consumes_nothing():
    rl, clock = limiter(rate=1, per_ns=SECOND, burst=4)
    assert rl.try_acquire(3)
    assert not rl.try_acquire(2)
    assert rl.try_acquire(1)
    clock.advance(2 * SECOND)
    assert rl.try_acquire(2)


def test_wait_time_is_zero_when_tokens_are_there():
    rl, _ = limiter(rate=1, burst=2)
    assert rl.wait_time(2) == 0
    assert rl.try_acquire(2)


def test_wait_time_is_exact_and_rounded_up():
    rl, clock = limiter(rate=3, per_ns=10, burst=3)
    assert rl.try_acquire(3)
    assert rl.wait_time(1) == 4  # 10/3 ns, rounded up
    assert rl.wait_time(3) == 10
    clock.advance(4)
    assert rl.try_acquire()
    assert rl.wait_time(1) == 3  # 0.2 token left after 4 ns: 0.8 more takes 8/3 ns, rounded up
    clock.advance(rl.wait_time(2))
    assert rl.try_acquire(2)


def test_wait_time_does_not_consume():
    rl, clock = limiter(rate=1, per_ns=SECOND, burst=1)
    assert rl.try_acquire()
    for _ in range(3):
        assert rl.wait_time() == SECOND
    clock.advance(SECOND)
    assert rl.wait_time() == 0
    assert rl.try_acquire()


def test_a_clock_stepping_back_neither_adds_nor_removes_tokens():
    rl, clock = limiter(rate=1, per_ns=SECOND, burst=2)
    assert rl.try_acquire()
    clock.advance(-10 * SECOND)
    assert rl.try_acquire()
    assert not rl.try_acquire()
    clock.advance(10 * SECOND)  # back where it was: that time was already counted
    assert not rl.try_acquire()
    clock.advance(SECOND)
    assert rl.try_acquire()


def test_requests_larger_than_the_burst_are_errors():
    rl, _ = limiter(burst=3)
    for n in (0, -1, 4):
        with pytest.raises(ValueError):
            rl.try_acquire(n)
        with pytest.raises(ValueError):
            rl.wait_time(n)
    assert rl.try_acquire(3)


def test_invalid_configuration_is_rejected():
    for args in ((0, SECOND, 1), (1, 0, 1), (1, SECOND, 0)):
        with pytest.raises(ValueError):
            RateLimiter(*args, FakeClock())


def test_huge_rates_and_times_stay_exact():
    rl, clock = limiter(rate=10**12, per_ns=7, burst=10**15, start=2**62)
    assert rl.try_acquire(10**15)
    clock.advance(7 * 10**3)
    assert rl.try_acquire(10**15)
    assert not rl.try_acquire(1)
    assert rl.wait_time(10**12) == 7
