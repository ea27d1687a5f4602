"""Alerts: the newest ones, and a live stream of new ones (server-sent events)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from marsad.console import alerts_feed
from marsad.console.dependencies import CurrentSettings, Viewer
from marsad.console.schemas import AlertsOut

router = APIRouter(tags=["alerts"])


@router.get("/api/alerts/recent", response_model=AlertsOut)
def recent(user: Viewer, settings: CurrentSettings, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> AlertsOut:
    return AlertsOut(alerts=alerts_feed.recent_alerts(settings, limit))


@router.get(
    "/api/alerts/stream",
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "server-sent events: ready, then one alert event per new alert",
        }
    },
)
async def stream(request: Request, user: Viewer, settings: CurrentSettings) -> StreamingResponse:
    return StreamingResponse(
        alerts_feed.tail_alerts(settings, request.is_disconnected),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
