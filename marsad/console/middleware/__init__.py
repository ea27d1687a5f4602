"""What every request of the console API passes through before (and after) its route.

From the outside in: ``headers`` (security headers on every answer), ``metrics``
(requests by route template and status, latency), ``guard`` (the token and the role,
then the body size — before the body is read). ``access`` is the route/role table the
last two read, built from the app's routes.
"""

from __future__ import annotations

from fastapi import FastAPI

from marsad.console.middleware.access import RouteTable
from marsad.console.middleware.guard import Guard
from marsad.console.middleware.headers import SecurityHeaders
from marsad.console.middleware.metrics import RequestMetrics


def install(app: FastAPI, *, max_body_bytes: int) -> RouteTable:
    """Add the middleware to ``app`` (the last added runs first) and check now that every
    route is either public or needs a role (UnguardedRoute otherwise)."""
    table = RouteTable(app)
    table.entries()
    app.add_middleware(Guard, table=table, max_body_bytes=max_body_bytes)
    app.add_middleware(RequestMetrics, table=table)
    app.add_middleware(SecurityHeaders)
    return table
