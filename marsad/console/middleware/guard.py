"""The console's door: the token and the role first, then the body, capped.

Everything is decided before the application reads a byte of the body, so that a caller
without a token cannot make the API read, hold or parse anything: no token or an unknown,
revoked or expired one → 401; a role too weak for the route → 403 (each logged, naming
the route and the token's name, never the token); a body over ``max_body_bytes`` → 413.
The body, once read within the cap, is handed to the application as it came.
"""

from __future__ import annotations

import logging

import redis
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marsad.console.auth import Principal, TokenStore, Unauthenticated, bearer_token
from marsad.console.dependencies import PRINCIPAL_STATE_KEY, ConsoleState, role_refusal
from marsad.console.errors import redis_unavailable
from marsad.console.middleware.access import RouteAccess, RouteTable

log = logging.getLogger(__name__)


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


class Guard:
    def __init__(self, app: ASGIApp, *, table: RouteTable, max_body_bytes: int) -> None:
        self.app = app
        self.table = table
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        access = self.table.find(scope)
        if access is not None and access.role is not None:
            principal = await self.admit(scope, access, send)
            if principal is None:
                return
            scope.setdefault("state", {})[PRINCIPAL_STATE_KEY] = principal
        body = await self.read_body(scope, receive, send)
        if body is None:
            return
        await self.app(scope, replay(body, receive), send)

    async def admit(self, scope: Scope, access: RouteAccess, send: Send) -> Principal | None:
        """The caller when its token holds the route's role; else the refusal is sent."""
        assert access.role is not None
        tokens: TokenStore = console_state(scope).tokens
        token = bearer_token(Headers(scope=scope).get("authorization"))
        try:
            principal = await run_in_threadpool(tokens.check, token)
        except Unauthenticated as exc:
            self.refuse(scope, access, 401, str(exc))
            await JSONResponse({"detail": str(exc)}, 401, headers={"WWW-Authenticate": "Bearer"})(scope, empty, send)
            return None
        except redis.RedisError as exc:
            await JSONResponse({"detail": redis_unavailable(exc)}, 503)(scope, empty, send)
            return None
        if principal.role < access.role:
            detail = role_refusal(principal.role, access.role)
            self.refuse(scope, access, 403, f"token {principal.name!r}: {detail}")
            await JSONResponse({"detail": detail}, 403)(scope, empty, send)
            return None
        return principal

    @staticmethod
    def refuse(scope: Scope, access: RouteAccess, status: int, reason: str) -> None:
        log.warning(
            "refused %d %s %s from %s: %s", status, scope["method"], access.template, client_address(scope), reason
        )

    async def read_body(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole body when within the cap; else the 413 (or 400) is sent and None returned."""
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await JSONResponse({"detail": "invalid Content-Length"}, 400)(scope, empty, send)
                return None
            if int(declared) > self.max_body_bytes:
                await self.too_large(scope, send)
                return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self.too_large(scope, send)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def too_large(self, scope: Scope, send: Send) -> None:
        detail = f"the request body is larger than {self.max_body_bytes:,} bytes"
        await JSONResponse({"detail": detail}, 413)(scope, empty, send)


def console_state(scope: Scope) -> ConsoleState:
    state: ConsoleState = scope["app"].state.console_state
    return state


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body read already, then whatever comes next (a
    disconnect, which streaming answers wait for)."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive_again() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return receive_again


async def empty() -> Message:
    # Our own answers never read the body.
    return {"type": "http.request", "body": b"", "more_body": False}
