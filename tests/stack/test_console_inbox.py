"""The inbox, stories and rule statistics routes on the real stack: alerts and articles
published to their topics, outcomes read from the dispatcher's records in Redis."""

from __future__ import annotations

import time
from dataclasses import dataclass

import orjson
import pytest
import redis
from fastapi.testclient import TestClient

from kernel.messages import StoryRef
from kernel.settings import Settings
from marsad.console.app import create_app
from marsad.console.auth import Role, TokenStore
from tests.support.console import TANKS_RULE, make_alert, make_article, produce, write_sample_config
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack


@dataclass
class Env:
    settings: Settings
    client: TestClient
    tokens: dict[str, str]

    def get(self, path: str, role: str = "viewer", **kwargs):
        return self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[role]}"}, **kwargs)

    def post(self, path: str, role: str = "editor", **kwargs):
        return self.client.post(path, headers={"Authorization": f"Bearer {self.tokens[role]}"}, **kwargs)


@pytest.fixture(scope="module")
def env(stack, tmp_path_factory):
    rules, entities = write_sample_config(tmp_path_factory.mktemp("inbox"))
    settings = fresh_namespace(stack, rules_path=rules, entities_path=entities)
    client = redis.Redis.from_url(settings.redis_url)
    store = TokenStore(client, settings.redis_prefix)
    tokens = {role.name: store.create(f"{role.name}-user", role) for role in Role}
    now = time.time()
    text = "شوهدت دبابات قرب الحدود. وقال البنتاغون إن الوضع هادئ."
    articles = [make_article(f"art{i}", f"عنوان {i}", text) for i in range(3)]
    articles = [a.model_copy(update={"story": StoryRef(id="story-1", sources=3)}) for a in articles]
    start = len("عنوان 0\n\n") + text.index("دبابات")
    alerts = [
        make_alert("tanks", f"art{i}", f"عنوان {i}", "دبابات", start, matched_at=now - 60 * i).model_copy(
            update={"story": StoryRef(id="story-1", sources=3), "notify": ["ops"]}
        )
        for i in range(3)
    ]
    produce(settings, settings.topic_articles, [(a.id.encode(), a.to_bytes(), None) for a in articles])
    produce(settings, settings.topic_alerts, [(b"tanks", a.to_bytes(), None) for a in alerts])
    # The dispatcher's records: art0 sent and delivered, art1 throttled, art2 undecided.
    p = settings.redis_prefix
    client.set(
        f"{p}decision:tanks:art0",
        orjson.dumps({"action": "send", "reason": "", "alert_id": "al0", "step": 0, "payload": None}),
    )
    client.set(f"{p}delivered:al0:ops", orjson.dumps({"at": now, "status": 200}))
    client.set(
        f"{p}decision:tanks:art1",
        orjson.dumps({"action": "throttle", "reason": "", "alert_id": "al0", "step": 0, "payload": None}),
    )
    with TestClient(create_app(settings, follow_alerts=False)) as test_client:
        yield Env(settings, test_client, tokens)


def test_inbox_search_filters_outcomes_and_pages(env: Env) -> None:
    page = env.get("/api/inbox", params={"limit": 2}).json()
    assert page["total"] == 3 and len(page["alerts"]) == 2
    outcomes = {a["article"]["id"]: a["outcome"] for a in env.get("/api/inbox").json()["alerts"]}
    assert outcomes == {"art0": "delivered", "art1": "throttled", "art2": "pending"}
    assert env.get("/api/inbox", params={"offset": 2}).json()["alerts"][0]["article"]["id"] == "art2"
    assert env.get("/api/inbox", params={"q": "البنتاجون"}).json()["total"] == 0  # not in title or evidence
    assert env.get("/api/inbox", params={"q": "دبابات", "outcome": "throttled"}).json()["total"] == 1
    grouped = env.get("/api/inbox", params={"group": "true"}).json()
    assert grouped["total"] == 1 and grouped["groups"][0]["count"] == 3


def test_detail_ack_and_silence_prefill(env: Env) -> None:
    alert_id = env.get("/api/inbox", params={"limit": 1}).json()["alerts"][0]["id"]
    detail = env.get(f"/api/inbox/{alert_id}").json()
    assert detail["evidence"][0]["context"]["after"].startswith(" قرب الحدود")
    assert detail["silence"]["matchers"] == {"story": "story-1"}
    # A duty officer's viewer token acknowledges; the first acknowledgement stays.
    ack = env.post(f"/api/inbox/{alert_id}/ack", role="viewer").json()["ack"]
    assert ack["by"] == "viewer-user"
    assert env.post(f"/api/inbox/{alert_id}/ack").json()["ack"]["by"] == "viewer-user"
    assert env.get("/api/inbox", params={"acknowledged": "false"}).json()["total"] == 2
    assert env.get("/api/inbox/0-999999").status_code == 404


def test_stories_articles_and_statistics(env: Env) -> None:
    stories = env.get("/api/stories").json()["stories"]
    assert stories[0]["id"] == "story-1" and stories[0]["rules"] == {"tanks": 3}
    story = env.get("/api/stories/story-1").json()
    assert {a["id"] for a in story["by_outlet"]["news.example"]} == {"art0", "art1", "art2"}
    article = env.get("/api/articles/art0").json()
    assert article["evidence"][0]["text"] == "دبابات"
    stats = {r["rule"]: r for r in env.get("/api/stats/rules").json()["rules"]}
    assert stats["tanks"]["total"] == 3 and stats["tanks"]["throttled"] == 1 and sum(stats["tanks"]["hits"]) == 3
    assert "kremlin" in stats
    draft = TANKS_RULE.replace("terms: [دبابات]", "terms: [مدرعات]")
    compared = env.post("/api/backtest/compare", json={"yaml": draft, "days": 1}).json()
    assert (compared["added"], compared["removed"], compared["unchanged"]) == (0, 3, 0)
