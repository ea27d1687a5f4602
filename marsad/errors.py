"""Errors that reach users as one clear line (file, line, reason), never as a traceback."""

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
