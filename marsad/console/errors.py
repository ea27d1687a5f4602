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
    RequestValidationError        422  ``{"detail": [{"loc", "msg", "type"}...]}``
    JSON nested too deeply        422  (FastAPI would say 400)

Nothing the user sends becomes a 500, and no answer echoes what was sent: a request that
does not fit the schema is answered with where (``loc``) and why (``msg``), never the value,
and every message is cut to MAX_DETAIL_CHARS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from kernel.errors import ConfigError, MarsadError, PublishError, StackUnavailable

# An error message quotes at most this much (a key of a draft, a file name): enough to
# find it, never a body sent back.
MAX_DETAIL_CHARS = 1000
# Keys of the request are names of fields, except in free mappings (silence matchers):
# quoted that long at most.
MAX_LOC_CHARS = 64


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
def clip(text: str, limit: int = MAX_DETAIL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def redis_unavailable(exc: BaseException) -> str:
    return clip(f"Redis unavailable: {exc}")


def invalid_field(error: dict[str, Any]) -> dict[str, Any]:
    """One schema error as where and why: pydantic's ``input`` (the value) and ``ctx``
    (which may quote it) are left out."""
    loc = [clip(part, MAX_LOC_CHARS) if isinstance(part, str) else part for part in error.get("loc", ())]
    return {"loc": loc, "msg": clip(str(error.get("msg", ""))), "type": str(error.get("type", ""))}


async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": [invalid_field(e) for e in exc.errors()]}, status_code=422)


async def http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's answer, except for a JSON body nested beyond what the parser recurses into,
    which FastAPI calls a 400 "error parsing the body": that is an invalid request."""
    assert isinstance(exc, HTTPException)
    if isinstance(exc.__cause__, RecursionError):
        error = {"loc": ["body"], "msg": "the JSON is nested too deeply", "type": "json_too_deep"}
        return JSONResponse({"detail": [error]}, status_code=422)
    return await http_exception_handler(request, exc)


async def invalid_text(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConfigError)
    errors = [clipped(e) for e in error_infos(exc)]
    return JSONResponse({"detail": clip(str(exc)), "errors": [e.as_dict() for e in errors]}, status_code=422)


def clipped(info: ErrorInfo) -> ErrorInfo:
    return ErrorInfo(
        path=None if info.path is None else clip(info.path),
        line=info.line,
        reason=clip(info.reason),
        message=clip(info.message),
    )


async def conflict(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, VersionConflict)
    return JSONResponse({"detail": clip(str(exc)), "current_version": exc.current}, status_code=409)


async def not_found(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": clip(str(exc))}, status_code=404)


async def unavailable(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": clip(str(exc))}, status_code=503)


async def redis_down(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": redis_unavailable(exc)}, status_code=503)


async def user_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": clip(str(exc))}, status_code=400)


def add_error_handlers(app: FastAPI) -> None:
    """Register the answers above; the most specific class of an error decides."""
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(ConfigError, invalid_text)
    app.add_exception_handler(VersionConflict, conflict)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(StackUnavailable, unavailable)
    app.add_exception_handler(PublishError, unavailable)
    app.add_exception_handler(redis.RedisError, redis_down)
    app.add_exception_handler(MarsadError, user_error)
