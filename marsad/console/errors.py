"""The console's errors, and the HTTP answer to each.

    MarsadError (kernel)          400  the user's input, one line
    ├── ConfigError (kernel)      422  ``{"detail", "errors": [ErrorInfo...]}``
    │   └── RuleTextError              every problem the engine found in a text
    ├── NotFound                  404  no such rule, article or silence
    │   └── UnknownVersion             no such version of a rule or of the entities
    ├── VersionConflict           409  ``{"detail", "current_version"}``
    ├── StackUnavailable (kernel) 503
    └── PublishError (kernel)     503  saved, but the rules topic did not acknowledge
    redis.RedisError              503

Nothing the user sends becomes a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kernel.errors import ConfigError, MarsadError, PublishError, StackUnavailable


class NotFound(MarsadError):
    """A rule, article or silence that does not exist."""


class UnknownVersion(NotFound):
    """A version number that a rule's or the entities' history does not hold."""


class VersionConflict(MarsadError):
    """The caller edited an older version than the current one."""

    def __init__(self, target: str, expected: int | None, current: int) -> None:
        self.target, self.expected, self.current = target, expected, current
        super().__init__(
            f"{target} changed meanwhile: you edited version {expected}, the current version is "
            f"{current}; reload and apply your change again"
        )


@dataclass(frozen=True)
class ErrorInfo:
    """One problem of a rules or entities text, as the page shows it."""

    path: str | None
    line: int | None
    reason: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def error_message(path: str | None, line: int | None, reason: str) -> str:
    # The format of ConfigError and of the engine's issues: "file:line: reason".
    if path and line:
        return f"{path}:{line}: {reason}"
    return f"{path}: {reason}" if path else reason


class RuleTextError(ConfigError):
    """Every problem the engine found, each naming the console's file, line and reason."""

    def __init__(self, errors: list[ErrorInfo]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.reason, path=first.path, line=first.line)
        self.args = ("\n".join(e.message for e in self.errors),)

    def __str__(self) -> str:
        return "\n".join(e.message for e in self.errors)


def error_infos(
    exc: ConfigError, rename: Callable[[str], str] | None = None, root: str | None = None
) -> list[ErrorInfo]:
    """The problems of ``exc`` (all of them, when the engine collected several); ``rename``
    maps a file to the console's name of it, and ``root`` is cut from file names quoted in
    a reason ("first defined at …")."""
    if isinstance(exc, RuleTextError):
        return list(exc.errors)
    issues = getattr(exc, "issues", None) or [exc]
    out = []
    for issue in issues:
        path = rename(issue.path) if rename is not None and issue.path else issue.path
        reason = issue.reason.replace(f"{root}/", "") if root else issue.reason
        out.append(
            ErrorInfo(path=path, line=issue.line, reason=reason, message=error_message(path, issue.line, reason))
        )
    return out


# --- HTTP answers ----------------------------------------------------------------------
async def invalid_text(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConfigError)
    errors = error_infos(exc)
    return JSONResponse({"detail": str(exc), "errors": [e.as_dict() for e in errors]}, status_code=422)


async def conflict(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, VersionConflict)
    return JSONResponse({"detail": str(exc), "current_version": exc.current}, status_code=409)


async def not_found(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=404)


async def unavailable(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503)


async def redis_down(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": f"Redis unavailable: {exc}"}, status_code=503)


async def user_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=400)


def add_error_handlers(app: FastAPI) -> None:
    """Register the answers above; the most specific class of an error decides."""
    app.add_exception_handler(ConfigError, invalid_text)
    app.add_exception_handler(VersionConflict, conflict)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(StackUnavailable, unavailable)
    app.add_exception_handler(PublishError, unavailable)
    app.add_exception_handler(redis.RedisError, redis_down)
    app.add_exception_handler(MarsadError, user_error)
