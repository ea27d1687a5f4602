"""What a route may ask for with ``Depends``: the objects one console app holds, and the
caller's identity checked against the role a route needs.

Roles: viewer reads (rules, history, entities, alerts, silences) and tries drafts
(validate, dry-run); editor also changes rules, entities and silences and runs
back-tests; admin also reads the audit log and manages tokens. No token → 401, a weaker
role → 403, both answered by the guard before the request's body is read.
"""

from __future__ import annotations

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

# Where the guard (middleware/guard.py) leaves the caller it accepted, in the request's state.
PRINCIPAL_STATE_KEY = "principal"


@dataclass(frozen=True)
class RoleRequirement:
    """A route's declaration of the role it needs; the route/role table (middleware/access.py)
    reads it from every route, and the guard checks the token and the role before the body
    is read. Here the caller the guard accepted is handed to the route, the role checked
    once more in case a route was reached some other way."""

    role: Role

    async def __call__(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)
    ) -> Principal:
        # ``credentials`` only declares the bearer scheme in the OpenAPI description.
        principal = request.scope.get("state", {}).get(PRINCIPAL_STATE_KEY)
        if not isinstance(principal, Principal):
            raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
        if principal.role < self.role:
            raise HTTPException(403, role_refusal(principal.role, self.role))
        return principal


def role_refusal(held: Role, needed: Role) -> str:
    return f"role {held.name} may not do this; it needs {needed.name}"


Viewer = Annotated[Principal, Depends(RoleRequirement(Role.viewer))]
Editor = Annotated[Principal, Depends(RoleRequirement(Role.editor))]
Admin = Annotated[Principal, Depends(RoleRequirement(Role.admin))]
