"""Parsing duration strings such as "1h30m" into nanoseconds."""

import re

_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek small letter mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}

# One component: ASCII digits with an optional fraction (at least one digit in all), then a unit.
_COMPONENT = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([^0-9.]+)")


def parse_duration(text: str) -> int:
    """The duration `text` denotes, in whole nanoseconds (fractions below 1 ns truncated toward zero)."""
    if not isinstance(text, str):
        raise TypeError("parse_duration expects a str")
    body = text
    sign = 1
    if body[:1] in ("+", "-"):
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return 0
    if not body:
        raise ValueError(f"invalid duration {text!r}")
    total = 0
    pos = 0
    while pos < len(body):
        match = _COMPONENT.match(body, pos)
        if not match:
            raise ValueError(f"invalid duration {text!r}")
        number, unit = match.group(1), match.group(2)
        scale = _UNITS.get(unit)
        if scale is None:
            raise ValueError(f"unknown unit {unit!r} in duration {text!r}")
        whole, _, frac = number.partition(".")
        # Exact integer arithmetic: the fraction is digits / 10**len(digits), truncated to whole ns.
        value = int(whole or "0") * scale
        if frac:
            value += int(frac) * scale // 10 ** len(frac)
        total += value
        pos = match.end()
    return sign * total
