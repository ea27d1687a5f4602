"""One line per interval for a log line that repeats: while Kafka is down its clients
report the same refused connection many times a second (5,772 identical ERROR lines in
54 s were measured), which buries everything else in the log.

The first occurrence of a line is logged; identical lines (same logger, level and text)
within ``interval_s`` of it are counted, not logged; the first one after the interval is
logged with how many were left out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

MAX_TRACKED = 1000  # distinct lines remembered; beyond that the oldest are forgotten


class RepeatedLineLimiter(logging.Filter):
    """A handler filter that lets each distinct WARNING-or-worse line through once per
    ``interval_s`` and appends the count of the copies it held back."""

    def __init__(self, interval_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval_s = interval_s
        self.clock = clock
        # (logger, level, text) -> [when last let through, copies held back since]
        self._lines: dict[tuple[str, int, str], list[float]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, record.getMessage())
        now = self.clock()
        seen = self._lines.get(key)
        if seen is not None and now - seen[0] < self.interval_s:
            seen[1] += 1
            return False
        if seen is None:
            if len(self._lines) >= MAX_TRACKED:
                self._lines.pop(next(iter(self._lines)))
        elif seen[1]:
            # Formatted once here, so the suffix cannot clash with the record's own args.
            record.msg = f"{key[2]} (repeated {seen[1]:.0f} more times in the last {now - seen[0]:.0f}s)"
            record.args = None
        self._lines[key] = [now, 0]
        return True


def limit_repeated_lines(logger: logging.Logger, interval_s: float) -> None:
    """Put a ``RepeatedLineLimiter`` on each of ``logger``'s handlers (once): every line that
    reaches them, from any library, is limited."""
    for handler in logger.handlers:
        if not any(isinstance(f, RepeatedLineLimiter) for f in handler.filters):
            handler.addFilter(RepeatedLineLimiter(interval_s))
