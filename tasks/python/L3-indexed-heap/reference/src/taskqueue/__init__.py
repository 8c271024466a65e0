"""A priority queue of keyed entries whose priorities can change."""

from collections.abc import Hashable


class IndexedHeap:
    """A binary min-heap of [priority, seq, key] entries plus each key's position in it."""

    def __init__(self) -> None:
        self._heap: list[list] = []
        self._pos: dict[Hashable, int] = {}
        self._seq = 0

    def _less(self, i: int, j: int) -> bool:
        a, b = self._heap[i], self._heap[j]
        return (a[0], a[1]) < (b[0], b[1])

    def _swap(self, i: int, j: int) -> None:
        h = self._heap
        h[i], h[j] = h[j], h[i]
        self._pos[h[i][2]] = i
        self._pos[h[j][2]] = j

    def _up(self, i: int) -> None:
        while i and self._less(i, (i - 1) // 2):
            self._swap(i, (i - 1) // 2)
            i = (i - 1) // 2

    def _down(self, i: int) -> None:
        n = len(self._heap)
        while True:
            smallest = i
            for child in (2 * i + 1, 2 * i + 2):
                if child < n and self._less(child, smallest):
                    smallest = child
            if smallest == i:
                return
            self._swap(i, smallest)
            i = smallest

    def push(self, key: Hashable, priority: float) -> None:
        if key in self._pos:
            raise ValueError(f"key {key!r} is already queued")
        self._heap.append([priority, self._seq, key])
        self._seq += 1
        self._pos[key] = len(self._heap) - 1
        self._up(len(self._heap) - 1)

    def _take(self, i: int) -> list:
        last = len(self._heap) - 1
        if i != last:
            self._swap(i, last)
        entry = self._heap.pop()
        del self._pos[entry[2]]
        if i < len(self._heap):
            self._down(i)
            self._up(i)
        return entry

    def pop(self) -> tuple[Hashable, float]:
        if not self._heap:
            raise IndexError("pop from an empty IndexedHeap")
        entry = self._take(0)
        return entry[2], entry[0]

    def peek(self) -> tuple[Hashable, float]:
        if not self._heap:
            raise IndexError("peek at an empty IndexedHeap")
        return self._heap[0][2], self._heap[0][0]

    def update(self, key: Hashable, priority: float) -> None:
        i = self._pos[key]  # KeyError for an unknown key
        self._heap[i][0] = priority  # the entry keeps its sequence number: its place among ties
        self._down(i)
        self._up(i)

    def remove(self, key: Hashable) -> float:
        return self._take(self._pos[key])[0]

    def priority(self, key: Hashable) -> float:
        return self._heap[self._pos[key]][0]

    def __len__(self) -> int:
        return len(self._heap)

    def __contains__(self, key: object) -> bool:
        return key in self._pos
