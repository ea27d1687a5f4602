"""The guard decides before the body is read: no token → 401, a weaker role → 403, a body
over the cap → 413; each refusal logged with the route, never the token."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.offline_console import EXPIRED_TOKEN, bearer

CHUNK = 1024 * 1024


def call_asgi(
    app: FastAPI, method: str, path: str, headers: dict[str, str], chunks: int
) -> tuple[int, int, list[dict[str, Any]]]:
    """Send a body of ``chunks`` megabytes (without Content-Length, as a chunked upload
    would); returns the status, how many chunks the app took, and what it sent."""
    taken = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal taken
        taken += 1
        if taken > chunks:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": b"{" * CHUNK, "more_body": taken < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (k.lower().encode(), v.encode()) for k, v in {"content-type": "application/json", **headers}.items()
        ],
        "client": ("198.51.100.7", 4711),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, taken, sent


def test_no_token_is_refused_before_a_byte_of_the_body_is_read(app: FastAPI) -> None:
    # 800 chunks of 1 MB on offer: none is taken.
    status, taken, _ = call_asgi(app, "POST", "/api/rules/validate", {}, chunks=800)
    assert (status, taken) == (401, 0)
    status, taken, _ = call_asgi(app, "PUT", "/api/rules/x", {"Authorization": "Bearer forged"}, chunks=800)
    assert (status, taken) == (401, 0)
    # a viewer's write is refused before its body, too
    status, taken, _ = call_asgi(app, "PUT", "/api/rules/x", bearer("viewer"), chunks=800)
    assert (status, taken) == (403, 0)


def test_a_body_over_the_cap_is_refused_while_it_is_read(app: FastAPI) -> None:
    # The cap of this app is 64 KB: the first 1 MB chunk is over it and the rest is not read.
    status, taken, sent = call_asgi(app, "POST", "/api/rules/validate", bearer("admin"), chunks=800)
    assert (status, taken) == (413, 1)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert b"{{" not in body and b"65,536 bytes" in body


def test_a_declared_length_over_the_cap_is_refused_unread(app: FastAPI) -> None:
    headers = {**bearer("editor"), "content-length": str(800 * CHUNK)}
    status, taken, _ = call_asgi(app, "PUT", "/api/rules/x", headers, chunks=800)
    assert (status, taken) == (413, 0)


def test_the_cap_is_a_setting_and_the_default_is_one_megabyte() -> None:
    from kernel.settings import Settings

    assert Settings().api_max_body_bytes == 1024 * 1024
    assert Settings(api_max_body_bytes=4096).api_max_body_bytes == 4096


def test_a_body_within_the_cap_reaches_the_route(client: TestClient) -> None:
    # The schema answers (422 naming the field): the body was handed on whole.
    response = client.post("/api/rules/validate", json={"rule_id": "x"}, headers=bearer("viewer"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "yaml"]


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        ({}, 401, "a bearer token is required"),
        ({"Authorization": "Basic dXNlcjpwdw=="}, 401, "a bearer token is required"),
        ({"Authorization": "Bearer forged"}, 401, "unknown or revoked token"),
        ({"Authorization": f"Bearer {EXPIRED_TOKEN}"}, 401, "token expired"),
        (bearer("viewer"), 403, "role viewer may not do this; it needs admin"),
        (bearer("editor"), 403, "role editor may not do this; it needs admin"),
    ],
)
def test_refusals_answer_and_log_without_the_token(
    client: TestClient, caplog: pytest.LogCaptureFixture, headers: dict[str, str], status: int, detail: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="marsad.console.middleware.guard"):
        response = client.get("/api/audit", headers=headers)
    assert (response.status_code, response.json()) == (status, {"detail": detail})
    if status == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith(f"refused {status} GET /api/audit from testclient: ")
    assert detail in line
    if status == 403:
        assert "-user'" in line  # the token's name
    for credential in headers.values():
        assert credential.split(" ", 1)[1] not in line


def test_the_route_gets_the_caller_the_guard_accepted(client: TestClient, app: FastAPI) -> None:
    response = client.get("/api/whoami", headers=bearer("editor"))
    assert response.json() == {"name": "editor-user", "role": "editor"}
    assert app.state.console_state.tokens.checked == ["editor-token"]  # one look-up per request


def test_public_routes_need_no_token(client: TestClient) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    assert client.get("/nowhere").status_code == 404


def test_an_unknown_method_on_a_guarded_path_needs_a_token(client: TestClient) -> None:
    assert client.patch("/api/rules/x").status_code == 401
    assert client.patch("/api/rules/x", headers=bearer("editor")).status_code == 405
