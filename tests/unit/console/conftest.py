"""Fixtures of the console's unit tests: the app offline (tests/support/offline_console.py)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.offline_console import offline_app


@pytest.fixture
def app() -> FastAPI:
    return offline_app(api_max_body_bytes=64 * 1024)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    # Not entered as a context: the lifespan (seeding from Redis) does not run.
    return TestClient(app, raise_server_exceptions=False)
