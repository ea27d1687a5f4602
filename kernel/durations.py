"""Durations as operators write them in feeds.yaml, channels.yaml, rules and on the command line."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")


def parse_duration(value: str | int | float, *, positive: bool = False) -> float:
    """Seconds in ``value``: a number (seconds) or units such as ``500ms``, ``5s``, ``2h``,
    ``1h30m``; with ``positive``, zero is refused too. Raises ValueError with the reason."""
    seconds = _seconds(value)
    if not math.isfinite(seconds):
        raise ValueError(f"a duration must be a finite number, got {value!r}")
    if positive and seconds == 0:
        raise ValueError(f"a duration must be positive, got {value!r}")
    return seconds


def _seconds(value: str | int | float) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 5s or 2h, got {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"a duration cannot be negative: {value!r}")
        return float(value)
    text = str(value).strip().lower().replace(" ", "")
    if not text:
        raise ValueError("empty duration")
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if number < 0:
            raise ValueError(f"a duration cannot be negative: {value!r}")
        return number
    pos, total = 0, 0.0
    for part in _PART.finditer(text):
        if part.start() != pos:
            break
        total += float(part.group(1)) * _UNIT_SECONDS[part.group(2)]
        pos = part.end()
    if pos != len(text) or pos == 0:
        raise ValueError(f"expected a duration such as 500ms, 5s, 2h or 1h30m, got {value!r}")
    return total


def parse_since(value: str, now: float) -> float:
    """Unix time meant by ``--since``: a duration back from ``now`` (``2h``) or an ISO 8601
    time (``2026-11-20T08:00:00Z``; without a zone it is UTC)."""
    try:
        return now - parse_duration(value)
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"expected a duration (2h) or an ISO 8601 time, got {value!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def iso_utc(ts: float) -> str:
    """Unix seconds as ISO 8601 UTC with milliseconds, e.g. 2026-11-20T08:10:00.123Z."""
    return datetime.fromtimestamp(ts, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
