"""The operator console's HTTP API and web page (`marsad api`).

``create_app`` builds the objects one app holds (``dependencies.ConsoleState``), registers
the error answers (``errors.py``), includes one router per area (``routes/``) and wraps
them in the middleware (``middleware/``: security headers, request metrics, and the guard
that checks the token and the role before a body is read). Who may call what is declared
on each route with ``dependencies.Viewer``, ``Editor`` or ``Admin``; a route with none that
is not on the public allow-list (``middleware/access.py``) stops the app from being built.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import redis
from fastapi import FastAPI

from kernel import __version__
from kernel.settings import Settings, get_settings
from marsad.console import alerts_feed
from marsad.console.dependencies import ConsoleState
from marsad.console.errors import add_error_handlers
from marsad.console.middleware import install
from marsad.console.routes import (
    alerts,
    audit,
    docs,
    entities,
    health,
    inbox,
    pages,
    rules,
    silences,
    stats,
    stories,
    testing,
    tokens,
)

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Seed the store on a namespace's first start, follow the alerts topic for the rules'
    last fire times while the app runs, and close the Redis client at the end."""
    state: ConsoleState = app.state.console_state
    console = state.console
    try:
        origin = await asyncio.to_thread(console.seed_if_empty)
        if origin:
            log.info("console seeded from %s", origin)
    except redis.RedisError as exc:
        log.error("Redis unavailable at start (%s); the console answers 503 until it is back", exc)
    follower = None
    if state.follow_alerts:
        follower = asyncio.create_task(
            alerts_feed.follow_last_fired(
                state.settings, console.record_fired, console.alert_offsets, console.save_alert_offsets
            )
        )
    try:
        yield
    finally:
        if follower is not None:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await follower
        state.redis.close()


def create_app(settings: Settings | None = None, *, follow_alerts: bool = True) -> FastAPI:
    """The console app for ``settings``. ``follow_alerts`` runs the background task that
    keeps rules' last fire times (off only where no Kafka is wanted)."""
    app = FastAPI(
        title="Marsad console",
        version=__version__,
        description="Watch rules, entities, silences, dry-runs, back-tests and live alerts.",
        lifespan=lifespan,
        docs_url=None,  # routes/docs.py serves them from local assets
        redoc_url=None,
    )
    app.state.console_state = ConsoleState.build(settings or get_settings(), follow_alerts=follow_alerts)
    add_error_handlers(app)
    app.include_router(pages.router)
    pages.mount_static(app)
    for area in (health, rules, entities, testing, silences, alerts, audit, tokens):
        app.include_router(area.router)
    app.include_router(inbox.router)
    app.include_router(stories.router)
    app.include_router(stats.router)
    app.include_router(docs.router)
    install(app, max_body_bytes=app.state.console_state.settings.api_max_body_bytes)
    return app
