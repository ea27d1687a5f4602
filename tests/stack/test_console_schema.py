"""Schemathesis against the console's published OpenAPI, with a valid admin token: no
generated request may produce a server error (5xx). Bounded to a few examples per
operation so that the run stays well under two minutes."""

from __future__ import annotations

import pytest
import redis
import schemathesis
from fastapi.testclient import TestClient
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


def test_deep_nesting_is_never_a_server_error(console_app) -> None:
    """Every operation that takes a body, sent JSON nested 2,000 deep, and — where the body
    holds YAML — YAML nested 2,000 deep: a 4xx each time, never a 5xx."""
    client = TestClient(console_app, raise_server_exceptions=False)
    headers = {"Authorization": f"Bearer {console_app.state.test_token}", "content-type": "application/json"}
    spec = client.get("/openapi.json").json()
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    deep = "[" * 2000 + "]" * 2000  # JSON and YAML alike
    tried = []
    for template, operations in paths.items():
        path = template.replace("{rule_id}", "deep").replace("{version}", "1").replace("{silence_id}", "ab")
        path = path.replace("{name}", "deep")
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            whole = client.request(method, path, content=deep, headers=headers)
            field = client.request(method, path, content='{"yaml": "x", "text": ' + deep + "}", headers=headers)
            assert whole.status_code < 500 and field.status_code < 500, (method, template, whole.text, field.text)
            assert whole.status_code == 422 and field.status_code == 422, (method, template)
            schema_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            if "yaml" in schemas[schema_ref.split("/")[-1]]["properties"]:
                nested = client.request(method, path, json={"yaml": deep, "text": "x"}, headers=headers)
                assert nested.status_code == 422, (method, template, nested.text)
            tried.append((method, template))
    assert len(tried) >= 7, tried
