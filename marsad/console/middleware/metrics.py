"""Requests of the console API by route template and status, and their latency.

Labels stay bounded: the route's declared path (``/api/rules/{rule_id}``, never the path
asked for; ``unmatched`` for a 404 outside every route) and a known method or ``other``.
A streamed answer (alert stream, back-test) is timed until its end.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.metrics import API_REQUEST_DURATION, API_REQUESTS
from marsad.console.middleware.access import RouteTable

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"


class RequestMetrics:
    def __init__(self, app: ASGIApp, *, table: RouteTable) -> None:
        self.app = app
        self.table = table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        access = self.table.find(scope)
        route = access.template if access is not None else UNMATCHED
        method = scope["method"] if scope["method"] in METHODS else "other"
        status = [500]  # what the server answers when the application raises
        started = time.perf_counter()

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            API_REQUESTS.labels(route, method, str(status[0])).inc()
            API_REQUEST_DURATION.labels(route, method).observe(time.perf_counter() - started)
