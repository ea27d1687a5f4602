"""Duplicate detection and story grouping (the stream's dedupe stage).

canonical URL / content hash ─► exact duplicates
folded word shingles ─► MinHash ─► LSH buckets (Redis) ─► estimated Jaccard ─► near
story terms (tf-idf, frequencies learned from the stream) ─► story cells ─►
    cosine with multi-word names as one unit, threshold rising with time apart ─►
    story id, sources and the reason
"""

from streams.dedupe.core import DedupeConfig, DedupeDecision, DedupeInput, Deduplicator
from streams.dedupe.memory_store import InMemoryDedupeStore
from streams.dedupe.redis_store import RedisDedupeStore
from streams.dedupe.replay import ReplaySafeDeduplicator
from streams.dedupe.store import DedupeStore, Lookup, LookupResult, Outlet, StoredArticle, StoreLimits, StoryState
from streams.dedupe.urls import canonical_url

__all__ = [
    "DedupeConfig",
    "DedupeDecision",
    "DedupeInput",
    "DedupeStore",
    "Deduplicator",
    "InMemoryDedupeStore",
    "Lookup",
    "LookupResult",
    "Outlet",
    "RedisDedupeStore",
    "ReplaySafeDeduplicator",
    "StoreLimits",
    "StoredArticle",
    "StoryState",
    "canonical_url",
]
