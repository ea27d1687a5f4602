"""The route/role table is read from ``app.routes``: every route but an explicit public
allow-list needs a role, so a new route cannot be served without a token."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from marsad.console.auth import Role
from marsad.console.dependencies import Viewer
from marsad.console.middleware import install
from marsad.console.middleware.access import PUBLIC_PATHS, RouteTable, UnguardedRoute
from tests.support.offline_console import bearer, offline_app

# The allow-list as reviewed: the page and its files, liveness, the API's description.
REVIEWED_PUBLIC = {"/", "/static", "/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def test_the_public_allow_list_is_the_reviewed_one() -> None:
    assert PUBLIC_PATHS == REVIEWED_PUBLIC


def test_every_route_of_the_console_is_public_or_needs_a_role(app: FastAPI) -> None:
    entries = RouteTable(app).entries()
    assert len(entries) >= 25
    for entry in entries:
        if entry.template in REVIEWED_PUBLIC:
            continue
        assert entry.role is not None, entry.template
        assert entry.template.startswith("/api/"), entry.template
    writes = {(e.template, m) for e in entries for m in (e.route.methods or ()) if m in ("PUT", "POST", "DELETE")}
    by_route = {(e.template, m): e.role for e in entries for m in (e.route.methods or ())}
    # Trying drafts and acknowledging alerts are the only write-shaped requests a viewer may make.
    viewer_writes = {key for key in writes if by_route[key] == Role.viewer}
    assert viewer_writes == {
        ("/api/rules/validate", "POST"),
        ("/api/dry-run", "POST"),
        ("/api/inbox/{alert_id}/ack", "POST"),
    }
    assert {key for key in by_route if key[0].startswith("/api/tokens")} == {
        ("/api/tokens", "GET"),
        ("/api/tokens", "POST"),
        ("/api/tokens/{name}", "DELETE"),
    }
    assert all(by_route[key] == Role.admin for key in by_route if key[0].startswith(("/api/tokens", "/api/audit")))


def unguarded_router() -> APIRouter:
    router = APIRouter()

    @router.get("/api/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "data"}

    return router


def test_a_route_without_a_role_stops_the_app_from_being_built() -> None:
    app = FastAPI()
    app.include_router(unguarded_router())
    with pytest.raises(UnguardedRoute, match="route /api/forgotten needs no role and is not public"):
        install(app, max_body_bytes=1024)


def test_a_route_without_a_role_added_later_is_never_served() -> None:
    app = offline_app()
    app.include_router(unguarded_router())
    response = TestClient(app, raise_server_exceptions=False).get("/api/forgotten", headers=bearer("admin"))
    assert response.status_code == 500 and "secret" not in response.text


def test_a_route_added_later_with_a_role_is_guarded() -> None:
    app = offline_app()
    router = APIRouter()

    @router.get("/api/later")
    def later(user: Viewer) -> dict[str, str]:
        return {"who": user.name}

    app.include_router(router)
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/api/later").status_code == 401
    assert client.get("/api/later", headers=bearer("viewer")).json() == {"who": "viewer-user"}
