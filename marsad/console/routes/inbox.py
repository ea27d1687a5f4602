"""The alert inbox: search and filter the alerts history, one alert with its evidence in
context, acknowledge an alert (who and when; audited). Acknowledging is the duty
officer's daily work, not a change of configuration: a viewer may do it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam

from marsad.console.dependencies import State, Viewer
from marsad.console.inbox import InboxQuery
from marsad.console.inbox_service import Inbox

router = APIRouter(tags=["inbox"])

AlertId = Annotated[str, PathParam(pattern=r"^[0-9]{1,6}-[0-9]{1,19}$", description="<partition>-<offset>")]
Values = Annotated[list[str], Query(max_length=50)]


@router.get("/api/inbox")
def search(
    user: Viewer,
    state: State,
    q: Annotated[str, Query(max_length=500)] = "",
    rule: Values = [],  # noqa: B006 — FastAPI copies query defaults
    severity: Values = [],  # noqa: B006
    feed: Values = [],  # noqa: B006
    outcome: Annotated[
        list[Literal["delivered", "failed", "silenced", "throttled", "pending"]], Query(max_length=5)
    ] = [],  # noqa: B006
    story: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[float | None, Query(ge=0, le=1e11, description="unix seconds")] = None,
    until: Annotated[float | None, Query(ge=0, le=1e11, description="unix seconds")] = None,
    acknowledged: bool | None = None,
    group: Annotated[bool, Query(description="group the alerts by story")] = False,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    query = InboxQuery(q, rule, severity, feed, outcome, story, since, until, acknowledged)
    return Inbox(state.settings, state.redis).page(query, offset=offset, limit=limit, group=group)


@router.get("/api/inbox/{alert_id}")
def detail(alert_id: AlertId, user: Viewer, state: State) -> dict[str, Any]:
    return Inbox(state.settings, state.redis).detail(alert_id)


@router.post("/api/inbox/{alert_id}/ack")
def acknowledge(alert_id: AlertId, user: Viewer, state: State) -> dict[str, Any]:
    ack = Inbox(state.settings, state.redis).acknowledge(alert_id, user.name)
    if ack["by"] == user.name:
        state.console.store.audit(user.name, "alert.ack", f"alert:{alert_id}")
    return {"id": alert_id, "ack": ack}
