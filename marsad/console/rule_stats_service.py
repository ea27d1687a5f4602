"""Rule statistics and the draft-versus-current back-test over Kafka and Redis; the
numbers themselves are ``rule_stats.py``."""

from __future__ import annotations

import time
from typing import Any

import redis

from kernel.errors import ConfigError
from kernel.settings import Settings
from marsad.console import engine, rule_stats
from marsad.console.inbox_service import Inbox
from marsad.console.retained import RetainedArticles
from marsad.console.service import Console


def statistics(settings: Settings, client: redis.Redis, rule_ids: list[str], *, hours: int) -> dict[str, Any]:
    bucket_s = 3600.0 if hours <= 48 else 86400.0
    buckets = hours if bucket_s == 3600.0 else max(1, hours // 24)
    now = time.time()
    rows = rule_stats.rule_statistics(
        Inbox(settings, client).items(), rule_ids, now=now, buckets=buckets, bucket_s=bucket_s
    )
    return {"now": now, "bucket_s": bucket_s, "buckets": buckets, "rules": rows}


def compare_draft(console: Console, draft: str, *, days: float) -> dict[str, Any]:
    entities = console.entities_text()
    draft_set = engine.compile_draft(draft, entities)
    rule_ids = engine.rule_ids_in(draft, "draft.yaml")
    if not rule_ids:
        raise ConfigError("no rule in the draft", path="draft.yaml", line=1)
    started = time.monotonic()
    articles = RetainedArticles(console.settings, days)
    result = rule_stats.compare(console.compiled(), draft_set, rule_ids, (item.article for item in articles))
    return result | {"rules": rule_ids, "days": days, "elapsed_s": round(time.monotonic() - started, 3)}
