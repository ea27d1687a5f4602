"""Marsad's whole exception tree, in one module.

Every error Marsad raises on purpose is a ``MarsadError``: the command line prints it as one
clear line (file, line, reason) and exits with its ``exit_code``, never with a traceback.

    MarsadError
    ├── ConfigError        a configuration file is invalid (file:line: reason)
    ├── StackUnavailable   Kafka, Redis or another service cannot be reached
    ├── FetchError         a feed or page could not be fetched
    ├── FeedParseError     a fetched body holds no usable feed
    └── PublishError       Kafka did not acknowledge a publish
"""

from __future__ import annotations


class MarsadError(Exception):
    """An error caused by input or environment, reported to the user without a traceback."""

    exit_code = 1


class ConfigError(MarsadError):
    """A configuration file is invalid. ``str()`` names the file, line and reason."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path, self.line, self.reason = path, line, message
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class StackUnavailable(MarsadError):
    """Kafka, Redis or another service of the stack cannot be reached."""

    exit_code = 3


class FetchError(MarsadError):
    """A fetch that failed; ``kind`` is a bounded label for metrics and feed health."""

    def __init__(self, kind: str, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # timeout | too_large | redirects | http | rate_limited | connect | io | url | refused
        self.status = status
        self.retry_after = retry_after


class FeedParseError(MarsadError):
    """Nothing usable in a fetched body; the message says why."""


class PublishError(MarsadError):
    """Kafka did not acknowledge every message of a publish; those not acknowledged are not
    published (the producer gave up on them)."""
