"""Schemathesis against the console's published OpenAPI, with a valid admin token: no
generated request may produce a server error (5xx). Bounded to a few examples per
operation so that the run stays well under two minutes."""

from __future__ import annotations

import pytest
import redis
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from marsad.console.app import create_app
from marsad.console.auth import Role, TokenStore
from marsad.console.service import Console

from .conftest import fresh_namespace
from .test_console_support import write_sample_config

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def console_app(stack, tmp_path_factory):
    root = tmp_path_factory.mktemp("console-schema")
    rules, entities = write_sample_config(root)
    app_settings = fresh_namespace(stack, rules_path=rules, entities_path=entities)
    token = TokenStore(redis.Redis.from_url(app_settings.redis_url), app_settings.redis_prefix).create(
        "schemathesis", Role.admin)
    # Seed as the first start would, so that rules, history and rollback have data.
    Console(app_settings, redis.Redis.from_url(app_settings.redis_url)).seed_if_empty()
    app = create_app(app_settings, follow_alerts=False)
    app.state.test_token = token
    return app


@pytest.fixture(scope="module")
def api_schema(console_app):
    # The alert stream never ends by design; it is tested on its own in test_console_api.
    return schemathesis.openapi.from_asgi("/openapi.json", console_app).exclude(path="/api/alerts/stream")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, console_app) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {console_app.state.test_token}"},
        checks=[not_a_server_error],
    )
