"""The console API against the real stack: every endpoint, every role."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass

import httpx
import orjson
import pytest
import redis
from fastapi.testclient import TestClient

from kernel.messages import RuleSetMessage
from kernel.settings import Settings
from marsad.console.app import create_app
from marsad.console.auth import Role, TokenStore
from marsad.console.middleware.access import RouteTable
from tests.support.console import (
    ENTITIES,
    TANKS_RULE,
    make_alert,
    make_article,
    produce,
    serve_in_thread,
    write_sample_config,
)
from tests.support.pipeline import read_topic, wait_until
from tests.support.stack import child_env, fresh_namespace

pytestmark = pytest.mark.stack


@dataclass
class Env:
    settings: Settings
    client: TestClient
    tokens: dict[str, str]

    def call(self, method: str, path: str, role: str | None = "admin", **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return self.client.request(method, path, headers=headers, **kwargs)


@pytest.fixture(scope="module")
def env(stack, tmp_path_factory) -> Env:
    root = tmp_path_factory.mktemp("console-api")
    rules, entities = write_sample_config(root)
    settings = fresh_namespace(stack, rules_path=rules, entities_path=entities)
    store = TokenStore(redis.Redis.from_url(settings.redis_url), settings.redis_prefix)
    tokens = {role.name: store.create(f"{role.name}-user", role) for role in Role}
    with TestClient(create_app(settings)) as client:
        yield Env(settings, client, tokens)


def published_sets(settings: Settings) -> list[RuleSetMessage]:
    return [RuleSetMessage.from_bytes(v) for v in read_topic(settings, settings.topic_rules) if v]


# --- auth ----------------------------------------------------------------------------
STREAM = object()  # the alert stream never ends: only its refusals are tried here
# A sample request and the role needed, for every route that needs one: (method, path
# template) → (path, body, role).
SAMPLES = {
    ("GET", "/api/whoami"): ("/api/whoami", None, "viewer"),
    ("GET", "/api/rules"): ("/api/rules", None, "viewer"),
    ("GET", "/api/rules/{rule_id}"): ("/api/rules/tanks", None, "viewer"),
    ("GET", "/api/rules/{rule_id}/history"): ("/api/rules/tanks/history", None, "viewer"),
    ("POST", "/api/rules/validate"): ("/api/rules/validate", {"yaml": TANKS_RULE}, "viewer"),
    ("PUT", "/api/rules/{rule_id}"): ("/api/rules/tanks", {"yaml": TANKS_RULE}, "editor"),
    ("DELETE", "/api/rules/{rule_id}"): ("/api/rules/nope", None, "editor"),
    ("POST", "/api/rules/{rule_id}/rollback/{version}"): ("/api/rules/tanks/rollback/1", None, "editor"),
    ("POST", "/api/ruleset/publish"): ("/api/ruleset/publish", None, "editor"),
    ("GET", "/api/entities"): ("/api/entities", None, "viewer"),
    ("GET", "/api/entities/history"): ("/api/entities/history", None, "viewer"),
    ("PUT", "/api/entities"): ("/api/entities", {"yaml": ENTITIES}, "editor"),
    ("POST", "/api/entities/rollback/{version}"): ("/api/entities/rollback/1", None, "editor"),
    ("POST", "/api/dry-run"): ("/api/dry-run", {"text": "x"}, "viewer"),
    ("POST", "/api/backtest"): ("/api/backtest", {"yaml": TANKS_RULE, "days": 1}, "editor"),
    ("GET", "/api/silences"): ("/api/silences", None, "viewer"),
    ("POST", "/api/silences"): ("/api/silences", {"rule": "x", "duration": "1m", "reason": "r"}, "editor"),
    ("DELETE", "/api/silences/{silence_id}"): ("/api/silences/abc", None, "editor"),
    ("GET", "/api/alerts/recent"): ("/api/alerts/recent", None, "viewer"),
    ("GET", "/api/alerts/stream"): ("/api/alerts/stream", STREAM, "viewer"),
    ("GET", "/api/audit"): ("/api/audit", None, "admin"),
    ("GET", "/api/tokens"): ("/api/tokens", None, "admin"),
    ("POST", "/api/tokens"): ("/api/tokens", {"name": "role-check", "role": "viewer", "expires": "1h"}, "admin"),
    ("DELETE", "/api/tokens/{name}"): ("/api/tokens/nobody", None, "admin"),
    ("GET", "/api/inbox"): ("/api/inbox", None, "viewer"),
    ("GET", "/api/inbox/{alert_id}"): ("/api/inbox/0-999999", None, "viewer"),
    ("POST", "/api/inbox/{alert_id}/ack"): ("/api/inbox/0-999999/ack", None, "viewer"),
    ("GET", "/api/stories"): ("/api/stories?hours=1", None, "viewer"),
    ("GET", "/api/stories/{story_id}"): ("/api/stories/nope", None, "viewer"),
    ("GET", "/api/articles/{article_id}"): ("/api/articles/nope", None, "viewer"),
    ("GET", "/api/stats/rules"): ("/api/stats/rules", None, "viewer"),
    ("POST", "/api/backtest/compare"): ("/api/backtest/compare", {"yaml": TANKS_RULE, "days": 1}, "editor"),
}
# Built from the app's own routes: a route added without a sample above fails here.
GUARDED_ROUTES = sorted(
    (method, entry.template)
    for entry in RouteTable(create_app(Settings(), follow_alerts=False)).entries()
    if entry.role is not None
    for method in entry.route.methods or ()
)


def test_every_route_outside_the_public_list_is_in_the_role_table() -> None:
    assert len(GUARDED_ROUTES) >= 24
    assert set(GUARDED_ROUTES) == set(SAMPLES), "add the new route to SAMPLES with the role it needs"
    declared = {
        (m, e.template): e.role for e in RouteTable(create_app(Settings())).entries() for m in e.route.methods or ()
    }
    assert {key: declared[key].name for key in SAMPLES} == {key: role for key, (_, _, role) in SAMPLES.items()}


@pytest.mark.parametrize(("method", "template"), GUARDED_ROUTES)
def test_no_token_is_401_and_weaker_role_is_403(env: Env, method, template) -> None:
    assert (method, template) in SAMPLES, f"{method} {template}: a new route; add a sample request to SAMPLES"
    path, body, needed = SAMPLES[(method, template)]
    body = None if body is STREAM else body
    assert env.call(method, path, role=None, json=body).status_code == 401
    bad = env.client.request(method, path, json=body, headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    assert bad.json()["detail"] == "unknown or revoked token"
    for role in Role:
        if role < Role[needed]:
            response = env.call(method, path, role=role.name, json=body)
            assert response.status_code == 403, (role, response.text)
            assert response.json()["detail"] == f"role {role.name} may not do this; it needs {needed}"
        elif SAMPLES[(method, template)][1] is not STREAM:
            response = env.call(method, path, role=role.name, json=body)
            assert response.status_code not in (401, 403), (role, response.text)


def test_sse_stream_needs_a_token(env: Env) -> None:
    assert env.call("GET", "/api/alerts/stream", role=None).status_code == 401


def test_health_page_and_openapi_are_public(env: Env) -> None:
    health = env.client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["namespace"] == env.settings.namespace
    page = env.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'dir="auto"' in page.text and "/static/app.js" in page.text
    assert env.client.get("/static/app.js").status_code == 200
    paths = env.client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/rules",
        "/api/rules/{rule_id}",
        "/api/rules/validate",
        "/api/rules/{rule_id}/history",
        "/api/rules/{rule_id}/rollback/{version}",
        "/api/entities",
        "/api/dry-run",
        "/api/backtest",
        "/api/silences",
        "/api/silences/{silence_id}",
        "/api/alerts/recent",
        "/api/alerts/stream",
        "/api/audit",
        "/healthz",
    ):
        assert path in paths, path


# --- rules ---------------------------------------------------------------------------
def test_seeded_from_files_on_first_start(env: Env) -> None:
    rules = {r["id"]: r for r in env.call("GET", "/api/rules", "viewer").json()["rules"]}
    assert set(rules) >= {"tanks", "kremlin"}
    tanks = env.call("GET", "/api/rules/tanks", "viewer").json()
    history = env.call("GET", "/api/rules/tanks/history", "viewer").json()["versions"]
    assert history[-1]["version"] == 1 and history[-1]["author"] == "seed"
    assert history[-1]["yaml"] == TANKS_RULE
    assert tanks["title"] == "دبابات قرب الحدود" and tanks["severity"] == "high" and tanks["enabled"] is True
    assert env.call("GET", "/api/entities", "viewer").json()["yaml"] == ENTITIES


def cli_validate_output(tmp_path, rule_id: str, text: str, entities) -> str:
    """What `marsad rules validate` says about the same file."""
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    (rules / f"{rule_id}.yaml").write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "marsad", "rules", "validate", str(rules)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(entities, MARSAD_ENTITIES_PATH=str(entities.entities_path)),
    )
    return proc.stdout + proc.stderr


BROKEN_INDENT = "id: drones\ntitle: Drones\nwhen:\n  terms: [مسيرات]\n   bad: indent\n"
UNKNOWN_ENTITY = "id: drones\ntitle: Drones\nwhen:\n  entity: [nobody]\n"


def test_validate_reports_line_and_reason_like_the_cli(env: Env, tmp_path) -> None:
    ok = env.call("POST", "/api/rules/validate", "viewer", json={"yaml": TANKS_RULE}).json()
    assert ok == {"valid": True, "errors": [], "rules": ["tanks"]}
    for text, line in ((BROKEN_INDENT, 5), (UNKNOWN_ENTITY, 4)):
        report = env.call("POST", "/api/rules/validate", "viewer", json={"yaml": text, "rule_id": "drones"}).json()
        assert report["valid"] is False
        (error,) = report["errors"]
        assert error["path"] == "rules/drones.yaml"
        assert error["line"] == line, error
        assert error["message"] == f"rules/drones.yaml:{line}: {error['reason']}"
        # The CLI reports the same line and reason for the same file.
        cli = cli_validate_output(tmp_path, "drones", text, env.settings)
        assert f"drones.yaml:{line}: {error['reason']}" in cli, cli


def test_put_validates_versions_and_publishes_the_whole_set(env: Env) -> None:
    text = "id: drones\ntitle: مسيرات\nseverity: medium\nwhen:\n  terms: [مسيرات]\n"
    bad = env.call("PUT", "/api/rules/drones", "editor", json={"yaml": UNKNOWN_ENTITY})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["line"] == 4
    assert env.call("GET", "/api/rules/drones", "viewer").status_code == 404

    created = env.call("PUT", "/api/rules/drones", "editor", json={"yaml": text, "base_version": 0})
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["changed"] is True
    assert body["version"]["version"] == 1 and body["version"]["action"] == "create"
    assert body["version"]["author"] == "editor-user"
    latest = published_sets(env.settings)[-1]
    assert latest.ruleset_version == body["published"]["ruleset_version"]
    assert latest.author == "editor-user"
    assert {r["id"] for r in latest.rules} >= {"tanks", "kremlin", "drones"}
    assert "kremlin" in latest.entities

    mismatch = env.call("PUT", "/api/rules/drones", "editor", json={"yaml": TANKS_RULE})
    assert mismatch.status_code == 422
    assert "exactly one rule, with id 'drones'" in mismatch.json()["detail"]

    stale = env.call("PUT", "/api/rules/drones", "editor", json={"yaml": text + "enabled: false\n", "base_version": 0})
    assert stale.status_code == 409 and stale.json()["current_version"] == 1

    disabled = env.call(
        "PUT", "/api/rules/drones", "editor", json={"yaml": text + "enabled: false\n", "base_version": 1}
    )
    assert disabled.json()["version"]["version"] == 2
    assert disabled.json()["version"]["diff"].endswith("+enabled: false\n")
    listed = {r["id"]: r for r in env.call("GET", "/api/rules", "viewer").json()["rules"]}
    assert listed["drones"]["enabled"] is False and listed["drones"]["version"] == 2

    history = env.call("GET", "/api/rules/drones/history", "viewer").json()["versions"]
    assert [v["version"] for v in history] == [2, 1]
    rolled = env.call("POST", "/api/rules/drones/rollback/1", "editor").json()
    assert rolled["version"]["version"] == 3 and rolled["version"]["action"] == "rollback"
    assert rolled["version"]["rolled_back_to"] == 1 and rolled["version"]["yaml"] == text
    assert env.call("GET", "/api/rules/drones", "viewer").json()["enabled"] is True
    assert env.call("POST", "/api/rules/drones/rollback/99", "editor").status_code == 404

    deleted = env.call("DELETE", "/api/rules/drones", "editor")
    assert deleted.status_code == 200 and deleted.json()["version"]["action"] == "delete"
    assert env.call("GET", "/api/rules/drones", "viewer").status_code == 404
    assert "drones" not in {r["id"] for r in published_sets(env.settings)[-1].rules}
    restored = env.call("POST", "/api/rules/drones/rollback/3", "editor").json()
    assert restored["version"]["version"] == 5
    assert "drones" in {r["id"] for r in published_sets(env.settings)[-1].rules}
    assert env.call("DELETE", "/api/rules/nope", "editor").status_code == 404


def test_entities_changes_are_checked_against_every_rule(env: Env) -> None:
    current = env.call("GET", "/api/entities", "viewer").json()
    # The kremlin rule uses the entity: removing it is refused and nothing changes.
    refused = env.call("PUT", "/api/entities", "editor", json={"yaml": "putin:\n  kind: person\n  names: [بوتين]\n"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["path"] == "rules/kremlin.yaml"
    assert env.call("GET", "/api/entities", "viewer").json() == current
    extended = ENTITIES + "putin:\n  kind: person\n  names: [بوتين, Putin]\n"
    saved = env.call("PUT", "/api/entities", "editor", json={"yaml": extended, "base_version": current["version"]})
    assert saved.status_code == 200 and saved.json()["version"]["version"] == current["version"] + 1
    assert "putin" in published_sets(env.settings)[-1].entities
    history = env.call("GET", "/api/entities/history", "viewer").json()
    assert [v["version"] for v in history][:2] == [current["version"] + 1, current["version"]]
    back = env.call("POST", f"/api/entities/rollback/{current['version']}", "editor").json()
    assert back["version"]["yaml"] == ENTITIES


# --- dry-run, back-test --------------------------------------------------------------
def test_dry_run_on_text_returns_evidence_offsets(env: Env) -> None:
    text = "قالت المصادر إن الدبابات عبرت الحدود وإن الكرملين نفى ذلك"
    result = env.call("POST", "/api/dry-run", "viewer", json={"title": "عاجل", "text": text, "language": "ar"}).json()
    document = "عاجل\n\n" + text
    assert result["document"] == document
    by_rule = {m["rule"]: m for m in result["matches"]}
    assert set(by_rule) == {"tanks", "kremlin"}
    (tank,) = by_rule["tanks"]["evidence"]
    assert (tank["text"], tank["start"], tank["end"]) == (
        "الدبابات",
        document.index("الدبابات"),
        document.index("الدبابات") + len("الدبابات"),
    )
    (kremlin,) = by_rule["kremlin"]["evidence"]
    assert document[kremlin["start"] : kremlin["end"]] == kremlin["text"] == "الكرملين"

    draft = "id: scratch\nenabled: false\nwhen:\n  terms: [الحدود]\n"
    drafted = env.call("POST", "/api/dry-run", "viewer", json={"text": text, "yaml": draft}).json()
    assert [m["rule"] for m in drafted["matches"]] == ["scratch"]  # a draft runs even when disabled
    assert drafted["matches"][0]["evidence"][0]["start"] == text.index("الحدود")
    assert env.call("POST", "/api/dry-run", "viewer", json={}).status_code == 400
    bad = env.call("POST", "/api/dry-run", "viewer", json={"text": "x", "yaml": BROKEN_INDENT})
    assert bad.status_code == 422 and bad.json()["errors"][0]["line"] == 5


def ndjson(response: httpx.Response) -> list[dict]:
    return [orjson.loads(line) for line in response.text.splitlines() if line.strip()]


def test_backtest_streams_matches_and_counts_per_day(env: Env) -> None:
    settings = env.settings
    now_ms = int(time.time() * 1000)
    day_ms = 24 * 3600 * 1000
    old = make_article("bt-old", "دبابات قديمة", "دبابات قبل عشرة أيام")
    recent = [
        (make_article("bt-1", "رتل دبابات", "شوهدت دبابات قرب الحدود"), now_ms - 2 * day_ms),
        (make_article("bt-2", "طقس", "أمطار غزيرة على الساحل"), now_ms - 2 * day_ms),
        (make_article("bt-3", "الدبابات تنسحب", "انسحبت الدبابات صباحا"), now_ms - 1000),
    ]
    produce(
        settings,
        settings.topic_articles,
        [(b"bt-old", old.to_bytes(), now_ms - 10 * day_ms)] + [(a.id.encode(), a.to_bytes(), ts) for a, ts in recent],
    )
    response = env.call("POST", "/api/backtest", "editor", json={"yaml": TANKS_RULE, "days": 7})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    events = ndjson(response)
    assert events[0]["type"] == "start" and events[0]["total"] == 3 and events[0]["days"] == 7
    matches = [e for e in events if e["type"] == "match"]
    assert sorted(m["article"]["id"] for m in matches) == ["bt-1", "bt-3"]
    first = next(m for m in matches if m["article"]["id"] == "bt-1")
    evidence = first["matches"][0]["evidence"][0]
    document = "رتل دبابات\n\nشوهدت دبابات قرب الحدود"
    assert (evidence["start"], evidence["end"]) == (4, 10) and document[4:10] == "دبابات"
    done = events[-1]
    assert done["type"] == "done" and done["scanned"] == 3 and done["matched"] == 2
    from marsad.console.backtest import day_of

    assert (
        done["per_day"] == {day_of(now_ms - 2 * day_ms): 1, day_of(now_ms - 1000): 1}
        or sum(done["per_day"].values()) == 2
        and day_of(now_ms - 1000) in done["per_day"]
    )
    assert done["per_rule"] == {"tanks": 2}
    # A longer window reaches the old article too.
    longer = ndjson(env.call("POST", "/api/backtest", "editor", json={"yaml": TANKS_RULE, "days": 30}))
    assert longer[-1]["matched"] == 3 and longer[0]["total"] == 4

    # by article id, from the retained topic
    by_id = env.call("POST", "/api/dry-run", "viewer", json={"article_id": "bt-3"}).json()
    assert by_id["article"]["id"] == "bt-3"
    assert by_id["document"] == "الدبابات تنسحب\n\nانسحبت الدبابات صباحا"
    assert [m["rule"] for m in by_id["matches"]] == ["tanks"]
    missing = env.call("POST", "/api/dry-run", "viewer", json={"article_id": "nope"})
    assert missing.status_code == 404


# --- silences, alerts, audit ---------------------------------------------------------
def test_silences_crud_is_audited(env: Env) -> None:
    created = env.call(
        "POST",
        "/api/silences",
        "editor",
        json={"rule": "tanks", "duration": "2h", "reason": "مناورات معلنة", "matchers": {"feed": "x"}},
    )
    assert created.status_code == 201, created.text
    silence = created.json()
    assert silence["active"] is True and silence["created_by"] == "editor-user"
    assert round(silence["ends_at"] - silence["starts_at"]) == 7200
    listed = env.call("GET", "/api/silences", "viewer").json()["silences"]
    assert silence["id"] in {s["id"] for s in listed}
    assert (
        env.call("POST", "/api/silences", "editor", json={"rule": "x", "duration": "soon", "reason": "r"}).status_code
        == 400
    )
    assert (
        env.call(
            "POST",
            "/api/silences",
            "editor",
            json={"rule": "x", "duration": "1h", "reason": "r", "matchers": {"colour": "red"}},
        ).status_code
        == 400
    )
    ended = env.call("DELETE", f"/api/silences/{silence['id']}", "editor").json()
    assert ended["active"] is False
    assert env.call("DELETE", "/api/silences/ffffffff", "editor").status_code == 404
    audit = env.call("GET", "/api/audit", "admin", params={"limit": 5}).json()["entries"]
    assert [e["action"] for e in audit[:2]] == ["silence.expire", "silence.create"]
    assert audit[1]["actor"] == "editor-user" and audit[1]["target"] == f"silence:{silence['id']}"


def test_audit_lists_every_write_newest_first(env: Env) -> None:
    text = "id: audited\nwhen:\n  terms: [سفن]\n"
    env.call("PUT", "/api/rules/audited", "editor", json={"yaml": text})
    env.call("PUT", "/api/rules/audited", "admin", json={"yaml": text + "severity: low\n"})
    env.call("POST", "/api/rules/audited/rollback/1", "editor")
    entries = env.call("GET", "/api/audit", "admin", params={"limit": 3}).json()
    assert entries["total"] >= 3
    assert [(e["action"], e["actor"], e["target"]) for e in entries["entries"]] == [
        ("rollback", "editor-user", "rule:audited"),
        ("rule.update", "admin-user", "rule:audited"),
        ("rule.create", "editor-user", "rule:audited"),
    ]
    assert entries["entries"][0]["detail"] == {"version": 3, "rolled_back_to": 1}


def test_recent_alerts_and_last_fire_time(env: Env) -> None:
    settings = env.settings
    fired_at = time.time()
    alerts = [make_alert("tanks", f"al-{n}", "دبابات", "دبابات", 0, matched_at=fired_at + n) for n in range(3)]
    produce(
        settings, settings.topic_alerts, [(f"tanks:al-{n}".encode(), a.to_bytes(), None) for n, a in enumerate(alerts)]
    )
    recent = env.call("GET", "/api/alerts/recent", "viewer", params={"limit": 2}).json()["alerts"]
    assert [a["article"]["id"] for a in recent] == ["al-2", "al-1"]
    assert recent[0]["evidence"][0]["text"] == "دبابات"

    def last_fired() -> str | None:
        rules = {r["id"]: r for r in env.call("GET", "/api/rules", "viewer").json()["rules"]}
        return rules["tanks"]["last_fired_at"]

    wait_until(lambda: last_fired() is not None, 30, "the last fire time of tanks")
    from marsad.console.schemas import iso

    assert last_fired() == iso(fired_at + 2)


def test_alert_stream_sends_ready_then_new_alerts(env: Env) -> None:
    served = serve_in_thread(create_app(env.settings, follow_alerts=False))
    try:
        headers = {"Authorization": f"Bearer {env.tokens['viewer']}"}
        with httpx.stream("GET", f"{served.url}/api/alerts/stream", headers=headers, timeout=30) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.iter_lines()
            assert next(lines) == "event: ready"
            alert = make_alert("tanks", "live-1", "رتل دبابات", "دبابات", 4)
            produce(env.settings, env.settings.topic_alerts, [(b"tanks:live-1", alert.to_bytes(), None)])
            block: list[str] = []
            for line in lines:
                if line.startswith(("id:", "event: alert", "data:")):
                    block.append(line)
                if line.startswith("data:") and "live-1" in line:
                    break
            assert block[-2] == "event: alert"
            data = orjson.loads(block[-1][len("data:") :])
            assert data["article"]["id"] == "live-1" and data["evidence"][0]["start"] == 4
    finally:
        served.stop()


def test_tokens_cli_creates_lists_and_revokes(env: Env) -> None:
    run_env = child_env(env.settings)

    def marsad(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "marsad", *args], capture_output=True, text=True, env=run_env, timeout=60
        )

    created = marsad("tokens", "create", "--role", "viewer", "--name", "cli-viewer")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert env.client.get("/api/whoami", headers={"Authorization": f"Bearer {token}"}).json() == {
        "name": "cli-viewer",
        "role": "viewer",
    }
    listed = marsad("tokens", "list")
    assert any(line.split("\t")[:2] == ["cli-viewer", "viewer"] for line in listed.stdout.splitlines())
    assert token not in listed.stdout
    wrong = marsad("tokens", "create", "--role", "root", "--name", "x")
    assert wrong.returncode == 1 and "unknown role 'root'" in wrong.stderr and "Traceback" not in wrong.stderr
    (row,) = [line.split("\t") for line in listed.stdout.splitlines() if line.startswith("cli-viewer\t")]
    assert row[3] == "never" and row[4].startswith("20")  # never expires; used just above
    expiring = marsad("tokens", "create", "--role", "editor", "--name", "cli-temp", "--expires", "30d")
    assert expiring.returncode == 0 and "expires 20" in expiring.stderr
    (temp,) = [
        line.split("\t") for line in marsad("tokens", "list").stdout.splitlines() if line.startswith("cli-temp\t")
    ]
    assert temp[3] != "never" and temp[3] > temp[2] and temp[4] == "never"
    bad_lifetime = marsad("tokens", "create", "--role", "viewer", "--name", "cli-bad", "--expires", "soon")
    assert bad_lifetime.returncode == 1 and "invalid token lifetime" in bad_lifetime.stderr
    assert marsad("tokens", "revoke", "cli-temp").returncode == 0
    assert marsad("tokens", "revoke", "cli-viewer").returncode == 0
    assert env.client.get("/api/whoami", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    again = marsad("tokens", "revoke", "cli-viewer")
    assert again.returncode == 1 and "no token named 'cli-viewer'" in again.stderr


# --- tokens API ----------------------------------------------------------------------
def test_token_api_creates_lists_and_revokes(env: Env) -> None:
    created = env.call("POST", "/api/tokens", "admin", json={"name": "api-temp", "role": "editor", "expires": "30d"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) == {"name", "role", "created_at", "expires_at", "last_used_at", "expired", "token"}
    assert (body["name"], body["role"], body["last_used_at"], body["expired"]) == ("api-temp", "editor", None, False)
    assert body["expires_at"] > body["created_at"]
    token = body["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert env.client.get("/api/whoami", headers=headers).json() == {"name": "api-temp", "role": "editor"}

    listed = {t["name"]: t for t in env.call("GET", "/api/tokens", "admin").json()["tokens"]}
    assert "token" not in listed["api-temp"] and token not in str(listed)
    assert listed["api-temp"]["last_used_at"] is not None  # the whoami above
    assert listed["api-temp"]["expires_at"] == body["expires_at"]
    assert listed["admin-user"]["expires_at"] is None

    duplicate = env.call("POST", "/api/tokens", "admin", json={"name": "api-temp", "role": "viewer"})
    assert duplicate.status_code == 400
    for lifetime in ("soon", "0s", "4000d"):
        refused = env.call(
            "POST", "/api/tokens", "admin", json={"name": "api-bad", "role": "viewer", "expires": lifetime}
        )
        assert refused.status_code == 400, (lifetime, refused.text)

    revoked = env.call("DELETE", "/api/tokens/api-temp", "admin")
    assert revoked.status_code == 200 and revoked.json()["name"] == "api-temp"
    assert env.client.get("/api/whoami", headers=headers).status_code == 401
    assert env.call("DELETE", "/api/tokens/api-temp", "admin").status_code == 404
    audit = env.call("GET", "/api/audit", "admin", params={"limit": 2}).json()["entries"]
    assert [(e["action"], e["actor"], e["target"]) for e in audit] == [
        ("token.revoke", "admin-user", "token:api-temp"),
        ("token.create", "admin-user", "token:api-temp"),
    ]


def test_an_expired_token_is_refused(env: Env) -> None:
    settings = env.settings
    # Created "an hour ago" for one minute.
    past = TokenStore(redis.Redis.from_url(settings.redis_url), settings.redis_prefix, clock=lambda: time.time() - 3600)
    token = past.create("long-gone", Role.admin, expires_in_s=60)
    response = env.client.get("/api/whoami", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (401, {"detail": "token expired"})
    listed = {t["name"]: t for t in env.call("GET", "/api/tokens", "admin").json()["tokens"]}
    assert listed["long-gone"]["expired"] is True and listed["long-gone"]["last_used_at"] is None


# --- hostile drafts ------------------------------------------------------------------
def alias_bomb(head: str) -> str:
    """Ten levels of ten aliases each: 10**10 values once expanded, in under 500 bytes."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]")
    return head + "\n".join(lines) + "\n"


RULE_BOMB = alias_bomb("id: bomb\nwhen:\n  terms: [x]\n")


@pytest.mark.parametrize(
    ("method", "path", "body", "role"),
    [
        ("POST", "/api/rules/validate", {"yaml": RULE_BOMB}, "viewer"),
        ("POST", "/api/rules/validate", {"yaml": RULE_BOMB, "rule_id": "bomb"}, "viewer"),
        ("POST", "/api/dry-run", {"text": "x", "yaml": RULE_BOMB}, "viewer"),
        ("POST", "/api/backtest", {"yaml": RULE_BOMB}, "editor"),
        ("PUT", "/api/rules/bomb", {"yaml": RULE_BOMB}, "editor"),
        ("PUT", "/api/entities", {"yaml": alias_bomb("")}, "editor"),
    ],
)
def test_alias_bombs_stop_at_the_document_budget_on_every_route(env: Env, method, path, body, role) -> None:
    started = time.perf_counter()
    response = env.call(method, path, role, json=body)
    assert time.perf_counter() - started < 2.0
    errors = response.json()["errors"]
    assert response.status_code == (200 if path == "/api/rules/validate" else 422), response.text
    assert "values (aliases?)" in errors[0]["reason"]
    assert env.call("GET", "/api/rules/bomb", "viewer").status_code == 404
