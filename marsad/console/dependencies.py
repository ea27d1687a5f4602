"""What a route may ask for with ``Depends``: the objects one console app holds, and the
caller's identity checked against the role a route needs.

Roles: viewer reads (rules, history, entities, alerts, silences) and tries drafts
(validate, dry-run); editor also changes rules, entities and silences and runs
back-tests; admin also reads the audit log. No token → 401, a weaker role → 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import redis
from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kernel.redis_client import redis_client
from kernel.settings import Settings
from marsad.console.auth import Principal, Role, TokenStore
from marsad.console.service import Console


@dataclass(frozen=True)
class ConsoleState:
    """Built once per app by ``create_app`` and kept on ``app.state.console_state``."""

    settings: Settings
    redis: redis.Redis
    console: Console
    tokens: TokenStore
    follow_alerts: bool  # run the background task that keeps rules' last fire times

    @classmethod
    def build(cls, settings: Settings, *, follow_alerts: bool) -> ConsoleState:
        client = redis_client(settings)
        return cls(
            settings=settings,
            redis=client,
            console=Console(settings, client),
            tokens=TokenStore(client, settings.redis_prefix),
            follow_alerts=follow_alerts,
        )


def state_of(request: Request) -> ConsoleState:
    state: ConsoleState = request.app.state.console_state
    return state


# Coroutines: FastAPI runs a plain function dependency in a worker thread, needless here.
async def console_state(request: Request) -> ConsoleState:
    return state_of(request)


async def current_console(request: Request) -> Console:
    return state_of(request).console


async def current_settings(request: Request) -> Settings:
    return state_of(request).settings


State = Annotated[ConsoleState, Depends(console_state)]
CurrentConsole = Annotated[Console, Depends(current_console)]
CurrentSettings = Annotated[Settings, Depends(current_settings)]

bearer = HTTPBearer(auto_error=False, description="an API token from `marsad tokens create`")


def require(role: Role) -> Callable[..., Principal]:
    """A dependency that returns the caller holding a valid token with at least ``role``."""

    def check(request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> Principal:
        if credentials is None or not credentials.credentials:
            raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
        principal = state_of(request).tokens.authenticate(credentials.credentials)
        if principal is None:
            raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
        if principal.role < role:
            raise HTTPException(403, f"role {principal.role.name} may not do this; it needs {role.name}")
        return principal

    return check


Viewer = Annotated[Principal, Depends(require(Role.viewer))]
Editor = Annotated[Principal, Depends(require(Role.editor))]
Admin = Annotated[Principal, Depends(require(Role.admin))]
