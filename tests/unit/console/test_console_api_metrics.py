"""The API's own metrics: requests by route template, method and status, and latency."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from tests.support.offline_console import bearer


def requests(route: str, method: str, status: str) -> float:
    labels = {"route": route, "method": method, "status": status}
    return REGISTRY.get_sample_value("marsad_api_requests_total", labels) or 0.0


def timed(route: str, method: str) -> float:
    return (
        REGISTRY.get_sample_value("marsad_api_request_duration_seconds_count", {"route": route, "method": method})
        or 0.0
    )


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    before = {
        "ok": requests("/api/whoami", "GET", "200"),
        "refused": requests("/api/rules/{rule_id}", "PUT", "401"),
        "missing": requests("unmatched", "GET", "404"),
        "odd": requests("/api/rules/{rule_id}", "other", "401"),
        "timed": timed("/api/whoami", "GET"),
    }
    client.get("/api/whoami", headers=bearer("viewer"))
    client.put("/api/rules/tanks", json={"yaml": "x"})
    client.put("/api/rules/drones", json={"yaml": "x"})
    client.get("/no/such/page")
    client.request("BREW", "/api/rules/tanks")
    assert requests("/api/whoami", "GET", "200") == before["ok"] + 1
    # the path's template, not the rule ids asked for
    assert requests("/api/rules/{rule_id}", "PUT", "401") == before["refused"] + 2
    assert requests("unmatched", "GET", "404") == before["missing"] + 1
    assert requests("/api/rules/{rule_id}", "other", "401") == before["odd"] + 1
    assert timed("/api/whoami", "GET") == before["timed"] + 1


def test_the_metrics_port_is_a_setting_of_its_own() -> None:
    from kernel.settings import Settings

    settings = Settings()
    assert settings.api_metrics_port not in (
        settings.api_port,
        settings.connector_metrics_port,
        settings.worker_metrics_port,
        settings.dispatcher_metrics_port,
    )
