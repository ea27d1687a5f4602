"""Rule statistics: alerts per rule over time, last fired and outcomes (sent, throttled,
silenced), and the comparison of a draft with the rules in force over retained articles
("adds 12 alerts, removes 3"). Pure: alerts and articles in, numbers out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kernel.messages import Article
from marsad.console.alert_states import OUTCOMES
from marsad.console.engine import RuleSetLike, match_document
from marsad.console.inbox import InboxItem
from marsad.console.stories import article_summary

MAX_LISTED = 100


def rule_statistics(
    items: Sequence[InboxItem], rule_ids: Iterable[str], *, now: float, buckets: int = 24, bucket_s: float = 3600.0
) -> list[dict[str, Any]]:
    """One row per rule (every rule in ``rule_ids`` and every rule that raised an alert):
    ``hits`` counts alerts per bucket, oldest first, the last bucket ending at ``now``."""
    start = now - buckets * bucket_s
    rows: dict[str, dict[str, Any]] = {}

    def row(rule_id: str) -> dict[str, Any]:
        return rows.setdefault(
            rule_id,
            {"rule": rule_id, "total": 0, "last_fired": None, "hits": [0] * buckets, **{o: 0 for o in OUTCOMES}},
        )

    for rule_id in rule_ids:
        row(rule_id)
    for item in items:
        r = row(item.event.rule.id)
        at = item.event.matched_at
        r["total"] += 1
        r[item.outcome] += 1
        r["last_fired"] = at if r["last_fired"] is None else max(r["last_fired"], at)
        if start <= at < now:
            r["hits"][int((at - start) // bucket_s)] += 1
    for r in rows.values():
        r["sent"] = r["delivered"] + r["failed"] + r["pending"]
    return sorted(rows.values(), key=lambda r: (-r["total"], r["rule"]))


def compare(
    current: RuleSetLike, draft: RuleSetLike, rule_ids: Sequence[str], articles: Iterable[Article]
) -> dict[str, Any]:
    """Which articles fire the draft's rules under the draft but not under the rules in
    force (``added``) and the other way round (``removed``)."""
    wanted = set(rule_ids)
    added: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    counts = {"scanned": 0, "added": 0, "removed": 0, "unchanged": 0}
    for article in articles:
        counts["scanned"] += 1
        kwargs = {"language": article.language, "feed": article.feed}
        before = {m["rule"]: m for m in match_document(current, article.title, article.text, **kwargs)}
        after = {m["rule"]: m for m in match_document(draft, article.title, article.text, **kwargs)}
        for rule_id in wanted:
            was, now = rule_id in before, rule_id in after
            if was and now:
                counts["unchanged"] += 1
            elif now or was:
                kind, bucket, match = ("added", added, after[rule_id]) if now else ("removed", removed, before[rule_id])
                counts[kind] += 1
                if len(bucket) < MAX_LISTED:
                    bucket.append({"rule": rule_id, "article": article_summary(article), "evidence": match["evidence"]})
    return counts | {"added_articles": added, "removed_articles": removed}
