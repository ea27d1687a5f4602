"""When to restart a child that exited: exponential backoff, forgiven after a stable run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RestartBackoff:
    """Delays of 1 s, 2 s, 4 s … up to ``max_s`` between restarts of one child. A child
    that ran ``stable_s`` before exiting starts over at ``initial_s``: one crash a day is
    restarted at once, a crash loop does not spin the machine."""

    initial_s: float = 1.0
    max_s: float = 60.0
    multiplier: float = 2.0
    stable_s: float = 60.0
    failures: int = 0

    def next_delay(self, ran_for_s: float) -> float:
        """Seconds to wait before restarting a child that exited after ``ran_for_s``."""
        if ran_for_s >= self.stable_s:
            self.failures = 0
        delay = min(self.max_s, self.initial_s * self.multiplier**self.failures)
        self.failures += 1
        return delay
