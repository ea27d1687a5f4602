"""The pipeline bench's prefilled dedupe store, on the real Redis of the local stack: filled
once, copied into each run's namespace, and read there as the original is."""

from __future__ import annotations

import time

import pytest
import redis

from bench import pipeline_processes
from bench.workload import news_articles
from kernel.settings import Settings
from streams.dedupe import DedupeConfig, DedupeInput, Deduplicator, RedisDedupeStore

pytestmark = pytest.mark.stack


def _keys(client: redis.Redis, prefix: str) -> dict[str, tuple[dict[bytes, bytes], int]]:
    """Every key under ``prefix`` (without it): its hash and its time to live."""
    out = {}
    for name in client.scan_iter(match=f"{prefix}*"):
        key = name.decode()
        assert client.type(name) == b"hash", key
        out[key[len(prefix) :]] = (client.hgetall(name), client.ttl(name))
    return out


def _duplicate_of(settings: Settings, article: DedupeInput) -> str | None:
    """What the store of ``settings`` says ``article`` copies (it is stored if nothing)."""
    client = redis.Redis.from_url(settings.redis_url)
    store = RedisDedupeStore(client, prefix=settings.redis_prefix)
    return Deduplicator(store, DedupeConfig()).process(article).duplicate_of


@pytest.fixture
def small_prefill(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_processes, "PREFILLED", 120)
    monkeypatch.setattr(pipeline_processes, "_PREFILL_TEMPLATES", {})


@pytest.mark.usefixtures("small_prefill")
def test_each_run_gets_its_own_copy_of_one_fill(stack: Settings) -> None:
    client = redis.Redis.from_url(stack.redis_url)
    first, second = pipeline_processes.prefilled(stack), pipeline_processes.prefilled(stack)
    assert first.redis_prefix != second.redis_prefix
    template = pipeline_processes._PREFILL_TEMPLATES[stack.redis_url]
    filled = _keys(client, template)
    assert "dedupe:rec" in filled and len(filled["dedupe:rec"][0]) >= 120
    for copy in (first, second):
        copied = _keys(client, copy.redis_prefix)
        assert {k: v for k, (v, _) in copied.items()} == {k: v for k, (v, _) in filled.items()}
        assert all(ttl > 0 for _, ttl in copied.values())  # they expire as the store's keys do

    # A republished copy of a stored article is found in a copy; a new article is stored
    # in that copy only.
    stored = news_articles(120, seed=500, near_duplicate_share=pipeline_processes.NEAR_DUPLICATE_SHARE)[0]
    republished = DedupeInput(
        id="again",
        feed="another",
        url="https://another.example/again",
        title=stored.title,
        text=stored.text,
        published=None,
        seen_at=time.time(),
    )
    assert _duplicate_of(first, republished) is not None
    other = news_articles(1, seed=77)[0]
    new = DedupeInput("new", other.outlet, other.url, other.title, other.text, None, time.time())
    assert _duplicate_of(first, new) is None
    assert len(_keys(client, first.redis_prefix)["dedupe:rec"][0]) == len(filled["dedupe:rec"][0]) + 1
    assert _keys(client, second.redis_prefix)["dedupe:rec"][0] == filled["dedupe:rec"][0]
    assert _keys(client, template)["dedupe:rec"][0] == filled["dedupe:rec"][0]


@pytest.mark.usefixtures("small_prefill")
def test_a_fill_that_is_gone_is_an_error_not_an_empty_store(stack: Settings) -> None:
    client = redis.Redis.from_url(stack.redis_url)
    pipeline_processes.prefilled(stack)
    template = pipeline_processes._PREFILL_TEMPLATES[stack.redis_url]
    client.delete(*client.scan_iter(match=f"{template}*"))
    with pytest.raises(RuntimeError, match="is gone"):
        pipeline_processes.prefilled(stack)
