"""A log line repeated many times a second (Kafka away) is logged once per interval, with
the count of the copies left out."""

from __future__ import annotations

import io
import logging

from kernel.log_limits import RepeatedLineLimiter, limit_repeated_lines


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _logger(name: str, interval_s: float, clock: Clock) -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RepeatedLineLimiter(interval_s, clock))
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    return logger, out


def test_identical_errors_become_one_line_per_interval_with_a_count() -> None:
    clock = Clock()
    logger, out = _logger("test.limits.errors", 10.0, clock)
    for step in range(1000):  # 100 lines a second for 10 s
        clock.now = step / 100
        logger.error("Unable connect to %s: %s", "127.0.0.1:19092", "refused")
    clock.now = 10.5
    logger.error("Unable connect to %s: %s", "127.0.0.1:19092", "refused")
    lines = out.getvalue().splitlines()
    assert lines == [
        "Unable connect to 127.0.0.1:19092: refused",
        "Unable connect to 127.0.0.1:19092: refused (repeated 999 more times in the last 10s)",
    ]


def test_different_lines_and_info_lines_are_not_held_back() -> None:
    clock = Clock()
    logger, out = _logger("test.limits.mixed", 10.0, clock)
    logger.setLevel(logging.INFO)
    logger.error("broker 1 down")
    logger.error("broker 2 down")
    for _ in range(3):
        logger.info("polled")
    logger.error("broker 1 down")
    assert out.getvalue().splitlines() == ["broker 1 down", "broker 2 down", "polled", "polled", "polled"]


def test_installed_once_on_each_handler() -> None:
    logger = logging.getLogger("test.limits.install")
    logger.handlers[:] = [logging.StreamHandler(io.StringIO()), logging.StreamHandler(io.StringIO())]
    limit_repeated_lines(logger, 5.0)
    limit_repeated_lines(logger, 5.0)
    assert [len(h.filters) for h in logger.handlers] == [1, 1]
