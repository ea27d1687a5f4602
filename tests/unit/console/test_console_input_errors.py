"""Invalid input is answered with where and why, never with the value sent; nesting that
would recurse or cost seconds of CPU is a 422 on every route that parses YAML."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from tests.support.offline_console import bearer, offline_app

DEEP_YAML = "[" * 2000 + "]" * 2000
# Every route that parses a YAML text of the body, with the least role allowed to call it.
YAML_ROUTES = [
    ("POST", "/api/rules/validate", {}, "viewer"),
    ("POST", "/api/dry-run", {"text": "x"}, "viewer"),
    ("POST", "/api/backtest", {}, "editor"),
    ("PUT", "/api/rules/deep", {}, "editor"),
    ("PUT", "/api/entities", {}, "editor"),
]


@pytest.mark.parametrize(("method", "path", "extra", "role"), YAML_ROUTES)
def test_yaml_nested_2000_deep_is_a_422_at_once(client: TestClient, method, path, extra, role) -> None:
    started = time.perf_counter()
    response = client.request(method, path, json={**extra, "yaml": DEEP_YAML}, headers=bearer(role))
    assert time.perf_counter() - started < 0.5
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "yaml"]
    assert "nested more than 100 levels deep" in error["msg"]


def test_ordinary_flow_yaml_is_not_refused(client: TestClient) -> None:
    # Many brackets, little depth: the check counts depth, not brackets. (The route then
    # needs Redis, absent here: 503, past the schema.)
    text = "id: many\nwhen:\n  any:\n" + "".join(f"    - terms: [[a{n}], [b{n}]]\n" for n in range(300))
    response = client.post("/api/rules/validate", json={"yaml": text}, headers=bearer("viewer"))
    assert response.status_code == 503, response.text


def test_json_nested_2000_deep_is_a_422(client: TestClient) -> None:
    body = '{"rule": "x", "duration": "1h", "reason": "r", "matchers": ' + "[" * 2000 + "]" * 2000 + "}"
    response = client.post(
        "/api/silences", content=body, headers={**bearer("editor"), "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"loc": ["body"], "msg": "the JSON is nested too deeply", "type": "json_too_deep"}]
    }


def test_schema_errors_name_the_field_and_reason_not_the_value(client: TestClient) -> None:
    secret = "Z" * 5000
    response = client.post("/api/rules/validate", json={"yaml": 42, "rule_id": secret}, headers=bearer("viewer"))
    assert response.status_code == 422
    assert secret[:20] not in response.text and len(response.text) < 1000
    assert response.json()["detail"] == [
        {"loc": ["body", "yaml"], "msg": "Input should be a valid string", "type": "string_type"},
        {
            "loc": ["body", "rule_id"],
            "msg": "String should match pattern '^[a-z0-9_-]{1,64}$'",
            "type": "string_pattern_mismatch",
        },
    ]


def test_a_key_sent_is_quoted_short_at_most(client: TestClient) -> None:
    key = "k" * 10_000
    body = {"rule": "x", "duration": "1h", "reason": "r", "matchers": {key: 1}}
    response = client.post("/api/silences", json=body, headers=bearer("editor"))
    assert response.status_code == 422
    assert len(response.text) < 1000
    (error,) = response.json()["detail"]
    assert error["loc"][:2] == ["body", "matchers"] and len(error["loc"][2]) == 64


def test_invalid_json_is_not_echoed(client: TestClient) -> None:
    body = '{"yaml": "' + "Q" * 50_000
    response = client.post(
        "/api/rules/validate", content=body, headers={**bearer("viewer"), "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "QQQQ" not in response.text


@pytest.mark.parametrize(("method", "path", "extra", "role"), YAML_ROUTES[:4])
def test_a_rule_draft_is_at_most_64k_before_it_is_parsed(method, path, extra, role) -> None:
    # 25,000 terms: about 3 s of YAML parsing alone; refused by its length instead.
    client = TestClient(offline_app(), raise_server_exceptions=False)  # the default body cap, 1 MB
    terms = ", ".join(f"t{n:05d}" for n in range(25_000))
    started = time.perf_counter()
    response = client.request(
        method, path, json={**extra, "yaml": f"id: big\nwhen:\n  terms: [{terms}]\n"}, headers=bearer(role)
    )
    assert time.perf_counter() - started < 0.5
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert (error["loc"], error["type"]) == (["body", "yaml"], "string_too_long")
    assert "65536" in error["msg"]


def test_the_entities_may_be_longer_than_a_rule() -> None:
    client = TestClient(offline_app(), raise_server_exceptions=False)
    text = "".join(f"e{n}:\n  kind: person\n  names: [name{n}]\n" for n in range(3000))
    assert 65536 < len(text) < 256 * 1024
    response = client.put("/api/entities", json={"yaml": text}, headers=bearer("editor"))
    assert response.status_code == 503, response.text  # past the schema; Redis is absent here
