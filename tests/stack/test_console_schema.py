"""Schemathesis against the console's published OpenAPI, with a valid admin token: no
generated request may produce a server error (5xx). Bounded to a few examples per
operation so that the run stays well under two minutes."""

from __future__ import annotations

import pytest
import redis
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from marsad.console.app import create_app
from marsad.console.auth import Role, TokenStore
from marsad.console.service import Console
from tests.support.console import write_sample_config
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def console_app(stack, tmp_path_factory):
    root = tmp_path_factory.mktemp("console-schema")
    rules, entities = write_sample_config(root)
    app_settings = fresh_namespace(stack, rules_path=rules, entities_path=entities)
    token = TokenStore(redis.Redis.from_url(app_settings.redis_url), app_settings.redis_prefix).create(
        "schemathesis", Role.admin
    )
    # Seed as the first start would, so that rules, history and rollback have data.
    Console(app_settings, redis.Redis.from_url(app_settings.redis_url)).seed_if_empty()
    app = create_app(app_settings, follow_alerts=False)
    app.state.test_token = token
    return app


def operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        # The alert stream never ends by design; it is tested on its own in test_console_api.
        if operation.path != "/api/alerts/stream":
            yield operation


def test_no_server_errors(console_app) -> None:
    """Schemathesis's pytest plugin loader (from_fixture) does not run under this pytest,
    so the operations' strategies are driven by Hypothesis directly."""
    headers = {"Authorization": f"Bearer {console_app.state.test_token}"}
    tested = []
    for operation in operations(console_app):

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
        tested.append(operation.label)
    assert len(tested) >= 20, tested
