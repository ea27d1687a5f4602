"""The console app without Redis or Kafka: tokens come from an in-memory stand-in, so that
what is decided before a route runs (token, role, body size, schema, headers) is tested
on its own."""

from __future__ import annotations

import dataclasses

from fastapi import FastAPI

from kernel.settings import Settings
from marsad.console.app import create_app
from marsad.console.auth import Principal, Role, Unauthenticated

TOKENS = {f"{role.name}-token": Principal(f"{role.name}-user", role) for role in Role}
EXPIRED_TOKEN = "expired-token"


class MemoryTokens:
    """What the guard asks of ``TokenStore``: ``check``."""

    def __init__(self) -> None:
        self.checked: list[str] = []

    def check(self, token: str) -> Principal:
        self.checked.append(token)
        if not token:
            raise Unauthenticated("a bearer token is required")
        if token == EXPIRED_TOKEN:
            raise Unauthenticated("token expired")
        if token not in TOKENS:
            raise Unauthenticated("unknown or revoked token")
        return TOKENS[token]


def offline_app(**settings: object) -> FastAPI:
    # Nothing connects until a route asks Redis: the redis client is lazy.
    app = create_app(Settings(redis_url="redis://127.0.0.1:9/0", **settings), follow_alerts=False)
    app.state.console_state = dataclasses.replace(app.state.console_state, tokens=MemoryTokens())
    return app


def bearer(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {role}-token"}
