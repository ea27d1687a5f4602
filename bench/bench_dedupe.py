"""Dedupe rate with 1,000 and with 100,000 stored signatures, in one run.

LSH lookups read a fixed number of buckets, so the rate should barely move as the store
grows (goal: rate_100k / rate_1k >= 0.8). Uses the real Redis store when MARSAD_REDIS_URL
points at a reachable Redis, else the in-memory store (the output says which).

Besides wall-clock rates (which depend on what else the machine runs) it prints the
client CPU per article ("per core" rate = articles per CPU-second of this process), the
time Redis spent in the dedupe scripts per article, the in-memory rate, and the MinHash
comparison with datasketch that the comment in streams/dedupe/minhash.py relies on.

    .venv/bin/python -m bench.bench_dedupe [--quick]
"""

from __future__ import annotations

import os
import sys
import time
import uuid

import numpy as np

from streams.dedupe import (
    DedupeConfig,
    DedupeInput,
    Deduplicator,
    InMemoryDedupeStore,
    Lookup,
    RedisDedupeStore,
    StoredArticle,
)
from streams.dedupe.core import story_bucket_key
from streams.dedupe.lsh import band_keys
from streams.dedupe.stories import PROMINENT_TERMS, STORED_TERMS

ARTICLE_WORDS = 300
_SYLLABLES = ["با", "تو", "سي", "مر", "كا", "لو", "دي", "نا", "ري", "شو", "فا", "قي", "zo", "ke", "ta"]


def _vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 5)))))
    return sorted(words)


class _Corpus:
    """Synthetic articles: words drawn from a Zipf-like vocabulary, as in real news."""

    def __init__(self, seed: int = 5) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = _vocabulary(20_000, self.rng)
        ranks = np.arange(1, len(self.vocab) + 1)
        self.p = (1.0 / ranks) / (1.0 / ranks).sum()

    def words(self, n: int) -> list[str]:
        return [self.vocab[i] for i in self.rng.choice(len(self.vocab), size=n, p=self.p)]

    def article(self, key: str) -> DedupeInput:
        # ~300 words: 2.5 KB of text, a typical news article
        return DedupeInput(id=key, feed=f"feed-{key[-1]}", url=f"https://news.example/{key}",
                           title=" ".join(self.words(8)), text=" ".join(self.words(ARTICLE_WORDS)),
                           seen_at=time.time())

    def stored(self, keys: list[str], config: DedupeConfig):
        """Stored articles without the cost of shingling (fills 100k quickly)."""
        signatures = self.rng.integers(0, 2**32, size=(len(keys), config.num_perm), dtype=np.uint64).astype(np.uint32)
        picks = self.rng.choice(len(self.vocab), size=(len(keys), STORED_TERMS * 2), p=self.p)
        for key, signature, row in zip(keys, signatures, picks):
            yield self._stored(key, signature, row, config)

    def _stored(self, key: str, signature: np.ndarray, row: np.ndarray, config: DedupeConfig):
        terms = tuple(dict.fromkeys(self.vocab[i] for i in row))[:STORED_TERMS]
        record = StoredArticle(key, f"feed-{key[-1]}", key, time.time(), 230, signature, terms)
        buckets = band_keys(signature, config.lsh_bands, b"d") + [story_bucket_key(t) for t in terms[:PROMINENT_TERMS]]
        return record, Lookup(url_key=key, content_key=key, buckets=buckets)


def _store(config: DedupeConfig):
    url = os.environ.get("MARSAD_REDIS_URL")
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            client.ping()
        except redis.RedisError:
            return "memory (Redis at MARSAD_REDIS_URL unreachable)", InMemoryDedupeStore(config.store_limits()), None
        prefix = f"bench-dedupe-{uuid.uuid4().hex[:8]}:"
        return f"redis {url}", RedisDedupeStore(client, prefix, config.store_limits()), (client, prefix)
    return "memory", InMemoryDedupeStore(config.store_limits()), None


def _fill(store, corpus: _Corpus, config: DedupeConfig, start: int, stop: int) -> None:
    store.record_many(corpus.stored([f"fill{i:07d}" for i in range(start, stop)], config))


def _script_micros(store) -> float:
    """Microseconds Redis has spent in EVALSHA so far (0 for the in-memory store)."""
    if not isinstance(store, RedisDedupeStore):
        return 0.0
    return float(store.client.info("commandstats").get("cmdstat_evalsha", {}).get("usec", 0))


def _rate(deduplicator: Deduplicator, corpus: _Corpus, n: int, tag: str) -> tuple[float, float, float]:
    """Articles per wall second, articles per CPU second of this process, and Redis
    script microseconds per article."""
    articles = [corpus.article(f"{tag}{i:06d}") for i in range(n)]
    server = _script_micros(deduplicator.store)
    cpu = time.process_time()
    started = time.perf_counter()
    for article in articles:
        deduplicator.process(article)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return n / wall, n / cpu, (_script_micros(deduplicator.store) - server) / n


def _minhash_comparison(corpus: _Corpus, config: DedupeConfig, n: int) -> dict[str, float]:
    """Signatures per second: this project's MinHasher against datasketch on the same
    shingle sets (datasketch given the precomputed 64-bit shingle hashes, so only the
    permutation and minimum are compared; and as usually called, hashing bytes)."""
    from datasketch import MinHash

    from streams.dedupe.minhash import MinHasher
    from streams.dedupe.shingles import extract_features

    sets = [extract_features(a.title, a.text, config.shingle_size).dup_shingles
            for a in (corpus.article(f"mh{i:05d}") for i in range(n))]
    hasher = MinHasher(config.num_perm)
    started = time.perf_counter()
    for shingles in sets:
        hasher.signature(shingles)
    ours = n / (time.perf_counter() - started)

    as_ints = [shingles.tolist() for shingles in sets]
    started = time.perf_counter()
    for values in as_ints:
        MinHash(num_perm=config.num_perm, hashfunc=int).update_batch(values)
    batch = n / (time.perf_counter() - started)

    as_bytes = [[v.to_bytes(8, "little") for v in values] for values in as_ints]
    started = time.perf_counter()
    for values in as_bytes:
        sketch = MinHash(num_perm=config.num_perm)
        for value in values:
            sketch.update(value)
    per_item = n / (time.perf_counter() - started)
    return {
        "dedupe.minhash_numpy_per_s": ours,
        "dedupe.minhash_datasketch_batch_per_s": batch,
        "dedupe.minhash_datasketch_update_per_s": per_item,
    }


def run(quick: bool = False) -> dict[str, float]:
    config = DedupeConfig()
    corpus = _Corpus()
    name, store, cleanup = _store(config)
    print(f"   dedupe store: {name}")
    deduplicator = Deduplicator(store, config)
    measured = 300 if quick else 1000
    try:
        _fill(store, corpus, config, 0, 1_000)
        _rate(deduplicator, corpus, 50, "warm")
        rate_1k, cpu_rate_1k, script_us_1k = _rate(deduplicator, corpus, measured, "a")
        started = time.perf_counter()
        _fill(store, corpus, config, 1_000, 100_000)
        fill_seconds = time.perf_counter() - started
        rate_100k, cpu_rate_100k, script_us_100k = _rate(deduplicator, corpus, measured, "b")
    finally:
        if cleanup:
            client, prefix = cleanup
            for key in client.scan_iter(match=f"{prefix}*", count=1000):
                client.unlink(key)
    figures = {
        "dedupe.rate_1k": rate_1k,
        "dedupe.rate_100k": rate_100k,
        "dedupe.rate_ratio_100k_vs_1k": rate_100k / rate_1k,
        "dedupe.cpu_rate_1k": cpu_rate_1k,
        "dedupe.cpu_rate_100k": cpu_rate_100k,
        "dedupe.fill_99k_seconds": fill_seconds,
    }
    if isinstance(store, RedisDedupeStore):
        figures["dedupe.redis_script_us_per_article_1k"] = script_us_1k
        figures["dedupe.redis_script_us_per_article_100k"] = script_us_100k
        memory = Deduplicator(InMemoryDedupeStore(config.store_limits()), config)
        _fill(memory.store, corpus, config, 0, 1_000)
        _rate(memory, corpus, 50, "mwarm")
        figures["dedupe.memory_rate_1k"], figures["dedupe.memory_cpu_rate_1k"], _ = _rate(memory, corpus, measured, "m")
    figures.update(_minhash_comparison(corpus, config, 100 if quick else 300))
    return figures


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    for key, value in figures.items():
        print(f"   {key:45s} {value:14.3f}")
