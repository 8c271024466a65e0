import random
import time

import pytest

from taskqueue import IndexedHeap


def drain(h):
    out = []
    while len(h):
        out.append(h.pop())
    return out


def test_pops_in_priority_order():
    h = IndexedHeap()
    for key, p in [("c", 3), ("a", 1), ("d", 4), ("b", 2)]:
        h.push(key, p)
    assert h.peek() == ("a", 1)
    assert drain(h) == [("a", 1), ("b", 2), ("c", 3), ("d", 4)]


def test_ties_pop_in_insertion_order():
    h = IndexedHeap()
    for key in ["z", "y", "x", "w", "v", "u", "t"]:
        h.push(key, 5)
    h.push("first", 1)
    assert [k for k, _ in drain(h)] == ["first", "z", "y", "x", "w", "v", "u", "t"]


def test_update_moves_an_entry_both_ways():
    h = IndexedHeap()
    for i in range(10):
        h.push(i, i)
    h.update(9, -1)
    h.update(0, 100)
    assert h.priority(9) == -1
    assert [k for k, _ in drain(h)] == [9, 1, 2, 3, 4, 5, 6, 7, 8, 0]


def test_an_updated_entry_keeps_its_place_among_ties():
    h = IndexedHeap()
    h.push("early", 9)
    h.push("b", 5)
    h.push("c", 5)
    h.update("early", 5)
    assert [k for k, _ in drain(h)] == ["early", "b", "c"]


def test_remove_returns_the_priority_and_keeps_order():
    h = IndexedHeap()
    for i in range(20):
        h.push(f"k{i}", (i * 7) % 20)
    assert h.remove("k3") == 1
    assert h.remove("k0") == 0
    rest = drain(h)
    assert [p for _, p in rest] == sorted(p for _, p in rest)
    assert len(rest) == 18


def test_len_and_contains_follow_pushes_pops_and_removals():
    h = IndexedHeap()
    h.push("a", 1)
    h.push("b", 2)
    h.push("c", 3)
    h.remove("b")
    assert len(h) == 2 and "b" not in h and "a" in h
    h.pop()
    assert len(h) == 1 and "a" not in h and "c" in h
    h.push("b", 0)
    assert h.peek() == ("b", 0) and len(h) == 2


def test_a_key_can_be_queued_again_after_it_left():
    h = IndexedHeap()
    h.push("a", 1)
    h.pop()
    h.push("a", 2)
    h.push("b", 1)
    h.remove("b")
    h.push("b", 3)
    assert drain(h) == [("a", 2), ("b", 3)]


def test_pushing_a_queued_key_is_an_error():
    h = IndexedHeap()
    h.push("a", 1)
    with pytest.raises(ValueError):
        h.push("a", 0)
    assert drain(h) == [("a", 1)]


def test_unknown_keys_raise_key_error():
    h = IndexedHeap()
    h.push("a", 1)
    for op in (lambda: h.update("x", 1), lambda: h.remove("x"), lambda: h.priority("x")):
        with pytest.raises(KeyError):
            op()
    assert len(h) == 1


def test_an_empty_queue_raises_index_error():
    h = IndexedHeap()
    with pytest.raises(IndexError):
        h.pop()
    with pytest.raises(IndexError):
        h.peek()


def test_matches_a_simple_model_under_random_operations():
    rng = random.Random(1234)
    h = IndexedHeap()
    model = {}  # key -> (priority, seq)
    seq = 0
    for _ in range(5000):
        op = rng.random()
        if op < 0.4 or not model:
            key = rng.randrange(300)
            if key in model:
                continue
            p = rng.randrange(50)
            h.push(key, p)
            model[key] = (p, seq)
            seq += 1
        elif op < 0.6:
            key = min(model, key=lambda k: model[k])
            assert h.pop() == (key, model.pop(key)[0])
        elif op < 0.8:
            key = rng.choice(list(model))
            p = rng.randrange(50)
            h.update(key, p)
            model[key] = (p, model[key][1])
        else:
            key = rng.choice(list(model))
            assert h.remove(key) == model.pop(key)[0]
        assert len(h) == len(model)


def test_large_workloads_take_logarithmic_time_per_operation():
    # About 1.5 s on a slow machine in O(log n) per operation; a linear update or remove needs minutes,
    # so the test stops at the limit instead of waiting for it.
    n, limit = 100_000, 10.0
    h = IndexedHeap()
    start = time.perf_counter()

    def check(i):
        if i % 1000 == 0 and time.perf_counter() - start > limit:
            pytest.fail(f"over {limit:.0f} s after {i} operations of a phase: not O(log n) per operation")

    for i in range(n):
        h.push(i, (i * 7919) % n)
        check(i)
    for i in range(0, n, 2):
        h.update(i, -i)
        check(i)
    for i in range(1, n, 4):
        h.remove(i)
        check(i - 1)
    popped = [h.pop()[1] for _ in range(1000)]
    assert popped == sorted(popped)
