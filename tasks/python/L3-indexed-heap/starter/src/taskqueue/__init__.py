"""A priority queue of keyed entries whose priorities can change."""

from collections.abc import Hashable


class IndexedHeap:
    def __init__(self) -> None:
        raise NotImplementedError

    def push(self, key: Hashable, priority: float) -> None:
        raise NotImplementedError

    def pop(self) -> tuple[Hashable, float]:
        raise NotImplementedError

    def peek(self) -> tuple[Hashable, float]:
        raise NotImplementedError

    def update(self, key: Hashable, priority: float) -> None:
        raise NotImplementedError

    def remove(self, key: Hashable) -> float:
        raise NotImplementedError

    def priority(self, key: Hashable) -> float:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __contains__(self, key: object) -> bool:
        raise NotImplementedError
