"""Parsing duration strings such as "1h30m" into nanoseconds."""


def parse_duration(text: str) -> int:
    raise NotImplementedError
