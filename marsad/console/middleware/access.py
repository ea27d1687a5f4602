"""Which role each route of the console needs, read from the app's routes themselves.

A route declares its role with ``dependencies.Viewer``, ``Editor`` or ``Admin``. Every
route must either declare one or sit on the public allow-list below: a route that does
neither makes the table refuse to build (UnguardedRoute), so that a new route cannot be
served without a token by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from marsad.console.auth import Role
from marsad.console.dependencies import RoleRequirement

# Served without a token: the page and its files (they hold no data; the page asks for a
# token), liveness, and the API's own description.
PUBLIC_PATHS = frozenset({"/", "/static", "/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


class UnguardedRoute(RuntimeError):
    """A route that neither needs a role nor is on the public allow-list."""


@dataclass(frozen=True)
class RouteAccess:
    route: RouteContext
    template: str  # the route's path as declared, e.g. /api/rules/{rule_id}
    role: Role | None  # None: public


def declared_role(dependant: Dependant | None) -> Role | None:
    """The strongest role any dependency of a route (at any depth) requires."""
    if dependant is None:
        return None
    roles = [dependant.call.role] if isinstance(dependant.call, RoleRequirement) else []
    roles += [role for sub in dependant.dependencies if (role := declared_role(sub)) is not None]
    return max(roles, default=None)


def route_access(route: RouteContext) -> RouteAccess:
    template = route.path or type(route.original_route).__name__
    # A route's effective dependant holds its router's dependencies too.
    role = declared_role(getattr(route, "dependant", None)) if isinstance(route.original_route, APIRoute) else None
    if role is None and template not in PUBLIC_PATHS:
        raise UnguardedRoute(
            f"route {template} needs no role and is not public: declare Viewer, Editor or Admin "
            "(marsad/console/dependencies.py) or add it to PUBLIC_PATHS"
        )
    return RouteAccess(route, template, role)


class RouteTable:
    """The route/role table of one app (routes of included routers included); rebuilt when
    routes are added."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._entries: list[RouteAccess] = []
        self._built_from: tuple[int, ...] = ()

    def entries(self) -> list[RouteAccess]:
        routes: list[BaseRoute] = list(self.app.routes)
        identity = tuple(id(route) for route in routes)
        if identity != self._built_from:
            self._entries = [route_access(route) for route in iter_route_contexts(routes)]
            self._built_from = identity
        return self._entries

    def find(self, scope: Scope) -> RouteAccess | None:
        """What a request needs: of the routes matching its path and method, the one
        needing the strongest role (the router picks one of them; no weaker role ever
        passes); without one, likewise of the routes matching its path alone (the router
        answers 405). None: no route matches (404)."""
        full: list[RouteAccess] = []
        partial: list[RouteAccess] = []
        for entry in self.entries():
            match, _ = entry.route.matches(scope)
            if match is Match.FULL:
                full.append(entry)
            elif match is Match.PARTIAL:
                partial.append(entry)
        candidates = full or partial
        if not candidates:
            return None
        return max(candidates, key=lambda entry: 0 if entry.role is None else int(entry.role))
