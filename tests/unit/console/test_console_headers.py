"""Security headers on every answer; the page's policy allows no inline script."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from marsad.console.middleware.headers import CONTENT_SECURITY_POLICY
from marsad.console.routes.pages import STATIC_DIR
from tests.support.offline_console import bearer


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/", {}), ("/static/app.js", {}), ("/api/whoami", {}), ("/api/whoami", bearer("viewer")), ("/nowhere", {})],
)
def test_every_answer_carries_the_security_headers(client: TestClient, path: str, headers: dict[str, str]) -> None:
    response = client.get(path, headers=headers)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_page_policy_allows_no_inline_script_nor_framing() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["default-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_the_page_needs_no_inline_script_or_style() -> None:
    # What the policy above would block: keep the page free of it.
    for page in STATIC_DIR.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page.name
        assert not re.search(r"<style\b", html), page.name
        assert not re.search(r"\s(on[a-z]+|style)\s*=", html), page.name
        assert "javascript:" not in html, page.name
    for script in STATIC_DIR.glob("*.js"):
        code = script.read_text(encoding="utf-8")
        assert not re.search(r"\beval\s*\(|new Function\s*\(|setAttribute\(\s*['\"](style|on[a-z]+)['\"]", code), script


def test_interactive_docs_get_their_own_policy(client: TestClient) -> None:
    policy = client.get("/docs").headers["Content-Security-Policy"]
    assert "https://cdn.jsdelivr.net" in policy and "frame-ancestors 'none'" in policy
    assert client.get("/openapi.json").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
