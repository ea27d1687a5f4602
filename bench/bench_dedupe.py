"""Dedupe rate and near-duplicate recall with 1,000, 100,000 and (time-bounded) 1,000,000
stored articles, in one run.

A lookup reads the same fixed set of Redis hash fields (its cells) however many articles
are stored, so the rate should barely move as the store grows (goal: rate_100k / rate_1k
>= 0.8). Uses the real Redis store when MARSAD_REDIS_URL
points at a reachable Redis, else the in-memory store (the output says which).

Besides wall-clock rates (which depend on what else the machine runs) it prints the
client CPU per article ("per core" rate = articles per CPU-second of this process), the
time Redis spent in the dedupe scripts per article, the Redis memory per stored article
(at 100,000 and at the large store), the in-memory rate, and the MinHash
comparison with datasketch that the comment in streams/dedupe/minhash.py relies on.

The measured articles come from bench/workload.py (Arabic news prose with its real
word-frequency skew, about 2.5 articles per story): 20 % of them near-duplicates of an
earlier one with 3 % of their words changed; recall is the share of those found as copies
of their original. The large store is filled through the real insert script (pipelined)
for at most FILL_SECONDS_LARGE, up to 1,000,000 articles: ``dedupe.stored_large`` says
how many it reached.

    .venv/bin/python -m bench.bench_dedupe [--quick]
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from dataclasses import dataclass, field

import numpy as np

from bench.workload import news_articles
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
from streams.dedupe.store import ANCHOR_TAG
from streams.dedupe.stories import DF_TERMS, PROMINENT_TERMS, df_key, story_vector

# key → (goal, "min" when higher is better / "max" when lower is better)
GOALS = {
    "dedupe.rate_ratio_100k_vs_1k": (0.8, "min"),
    "dedupe.rate_ratio_large_vs_1k": (0.8, "min"),
    "dedupe.recall_100k": (0.95, "min"),
    "dedupe.recall_large": (0.95, "min"),
}
LARGE = 1_000_000
FILL_SECONDS_LARGE = 180.0  # ~1,300 inserts/s here: about 240,000 of the 1,000,000 (make bench: ~15 min)

ARTICLE_WORDS = 300
_DOCS = 100_000  # the store size whose document frequencies stored articles are weighed with
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
        self._df_cache: dict[str, int] | None = None

    def words(self, n: int) -> list[str]:
        return [self.vocab[i] for i in self.rng.choice(len(self.vocab), size=n, p=self.p)]

    def article(self, key: str) -> DedupeInput:
        # ~300 words: 2.5 KB of text, a typical news article
        return DedupeInput(
            id=key,
            feed=f"feed-{key[-1]}",
            url=f"https://news.example/{key}",
            title=" ".join(self.words(8)),
            text=" ".join(self.words(ARTICLE_WORDS)),
            seen_at=time.time(),
        )

    def stored(self, keys: list[str], config: DedupeConfig):
        """Stored articles without the cost of shingling (fills 100k quickly): random
        signatures, and story terms drawn from the vocabulary as an article's would be."""
        signatures = self.rng.integers(0, 2**32, size=(len(keys), config.num_perm), dtype=np.uint64).astype(np.uint32)
        picks = self.rng.choice(len(self.vocab), size=(len(keys), DF_TERMS * 2), p=self.p)
        for key, signature, row in zip(keys, signatures, picks):
            yield self._stored(key, signature, row, config)

    def _stored(self, key: str, signature: np.ndarray, row: np.ndarray, config: DedupeConfig):
        terms = list(dict.fromkeys(self.vocab[i] for i in row))[:DF_TERMS]
        counts = {term: 1 + (i < 8) for i, term in enumerate(terms)}
        links = list(zip(terms[:12], terms[1:12]))
        # weighed and filed as the deduplicator would, with the document frequencies that
        # this corpus implies for a store of _DOCS articles
        vector = story_vector(counts, links, self._df, _DOCS)
        record = StoredArticle(key, f"feed-{key[-1]}", key, time.time(), 230, signature, vector.profile())
        filed = [vector.words[h] for h in vector.weights][:PROMINENT_TERMS]
        # random shingles: anchors (an article's smallest shingle hashes) that nothing shares
        anchors = [bytes((ANCHOR_TAG, 0)) + self.rng.bytes(8) for _ in range(config.anchors)]
        buckets = band_keys(signature, config.lsh_bands, b"d") + anchors + [story_bucket_key(t) for t in filed]
        return record, Lookup(url_key=key, content_key=key, buckets=buckets, terms=[df_key(t) for t in terms])

    @property
    def _df(self) -> dict[str, int]:
        """Expected documents (of _DOCS) holding each word: 1 - (1 - p)^draws."""
        if self._df_cache is None:
            held = 1.0 - (1.0 - self.p) ** (DF_TERMS * 2)
            self._df_cache = dict(zip(self.vocab, (held * _DOCS).astype(int).tolist()))
        return self._df_cache


def _stores(config: DedupeConfig):
    """Two empty stores of the same kind (Redis when reachable, else in memory), their
    description, and the Redis client and key prefixes to clean up (or None)."""
    url = os.environ.get("MARSAD_REDIS_URL")
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            client.ping()
        except redis.RedisError:
            client = None
        if client is not None:
            prefixes = [f"bench-dedupe-{uuid.uuid4().hex[:8]}:" for _ in range(2)]
            stores = [RedisDedupeStore(client, prefix, config.store_limits()) for prefix in prefixes]
            return f"redis {url}", stores, (client, prefixes)
        name = "memory (Redis at MARSAD_REDIS_URL unreachable)"
    else:
        name = "memory"
    return name, [InMemoryDedupeStore(config.store_limits()) for _ in range(2)], None


def _fill(store, corpus: _Corpus, config: DedupeConfig, start: int, stop: int) -> None:
    store.record_many(corpus.stored([f"fill{i:07d}" for i in range(start, stop)], config))


def _redis_bytes(store) -> float:
    """Bytes Redis holds for the store's keys (0 for the in-memory store)."""
    if not isinstance(store, RedisDedupeStore):
        return 0.0
    return float(sum(store.client.memory_usage(key, samples=0) or 0 for key in store.keys.values()))


def _script_micros(store) -> float:
    """Microseconds Redis has spent in EVALSHA so far (0 for the in-memory store)."""
    if not isinstance(store, RedisDedupeStore):
        return 0.0
    return float(store.client.info("commandstats").get("cmdstat_evalsha", {}).get("usec", 0))


@dataclass
class _Tally:
    articles: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    script_micros: float = 0.0
    stream: list[tuple[DedupeInput, str | None]] = field(default_factory=list)
    # the stored article each processed one is (a copy of), and the (copy, original) pairs
    root: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def batch(self, prefix: str, size: int, seed: int) -> list[tuple[DedupeInput, str | None]]:
        """The next ``size`` articles of this store's stream (bench/workload.py: Arabic news
        prose with its word-frequency skew, ~2.5 articles per story, 20 % near-duplicates
        of an earlier article with 3 % of their words changed), each with the id of the
        article it republishes (the first of a chain of copies), or None."""
        if len(self.stream) < size:
            generated = news_articles(max(size, 1000), seed=seed, near_duplicate_share=0.2)
            ids = {a.id: f"{prefix}-{a.id}" for a in generated}
            root: dict[str, str] = {}
            for a in generated:
                origin = root.get(a.duplicate_of, a.duplicate_of) if a.duplicate_of else None
                if origin is not None:
                    root[a.id] = origin
                item = DedupeInput(ids[a.id], a.outlet, a.url, a.title, a.text, None, time.time())
                self.stream.append((item, ids[origin] if origin else None))
        out, self.stream = self.stream[:size], self.stream[size:]
        return out

    def add(self, deduplicator: Deduplicator, articles: list[tuple[DedupeInput, str | None]]) -> None:
        server = _script_micros(deduplicator.store)
        cpu = time.process_time()
        started = time.perf_counter()
        decisions = [deduplicator.process(article) for article, _ in articles]
        self.wall += time.perf_counter() - started
        self.cpu += time.process_time() - cpu
        self.script_micros += _script_micros(deduplicator.store) - server
        self.articles += len(articles)
        for (article, original), decision in zip(articles, decisions):
            copied = decision.duplicate_of
            self.root[article.id] = self.root.get(copied, copied) if copied else article.id
            if original is not None:
                self.pairs.append((article.id, original))

    @property
    def rate(self) -> float:
        return self.articles / self.wall

    @property
    def cpu_rate(self) -> float:
        return self.articles / self.cpu

    @property
    def copies(self) -> int:
        return sum(1 for copy, original in self.pairs if original in self.root)

    @property
    def recall(self) -> float:
        """Near-duplicates found: the copy and its original end with one stored article (a
        copy may be published, and so come, before its original: then the original is the
        one decided a copy)."""
        measured = [(copy, original) for copy, original in self.pairs if original in self.root]
        found = sum(self.root[copy] == self.root[original] for copy, original in measured)
        return found / len(measured) if measured else 1.0


def _interleaved(
    deduplicators: list[Deduplicator], corpus: _Corpus, n: int, rounds: int = 10, tag: str = "r"
) -> list[_Tally]:
    """Each deduplicator gets ``n`` articles, in alternating batches: the machine's
    load drifts (other processes, CPU frequency), and alternating makes every store see
    the same conditions, so the ratio compares the stores and not the moments."""
    tallies = [_Tally() for _ in deduplicators]
    size = max(1, n // rounds)
    for _ in range(rounds):
        for which, (deduplicator, tally) in enumerate(zip(deduplicators, tallies)):
            # ids unique per call: an id stored already is a replay, and would not be stored
            tally.add(deduplicator, tally.batch(f"{tag}{which}", size, seed=1000 * which + ord(tag[0])))
    return tallies


def _minhash_comparison(corpus: _Corpus, config: DedupeConfig, n: int) -> dict[str, float]:
    """Signatures per second: this project's MinHasher against datasketch on the same
    shingle sets (datasketch given the precomputed 64-bit shingle hashes, so only the
    permutation and minimum are compared; and as usually called, hashing bytes)."""
    from datasketch import MinHash

    from streams.dedupe.minhash import MinHasher
    from streams.dedupe.shingles import extract_features

    sets = [
        extract_features(a.title, a.text, config.shingle_size).dup_shingles
        for a in (corpus.article(f"mh{i:05d}") for i in range(n))
    ]
    hasher = MinHasher(config.num_perm)
    started = time.perf_counter()
    for shingles in sets:
        hasher.signature(shingles)
    ours = n / (time.perf_counter() - started)

    as_ints = [shingles.tolist() for shingles in sets]
    started = time.perf_counter()
    for values in as_ints:
        MinHash(num_perm=config.num_perm, hashfunc=int, scheme="affine64").update_batch(values)
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


def _fill_for(store, corpus: _Corpus, config: DedupeConfig, start: int, stop: int, seconds: float) -> int:
    """Fill ``store`` from ``start`` towards ``stop`` for at most ``seconds``; the count reached."""
    began, at, step = time.perf_counter(), start, 20_000
    while at < stop and time.perf_counter() - began < seconds:
        _fill(store, corpus, config, at, min(stop, at + step))
        at = min(stop, at + step)
    return at


def run(quick: bool = False) -> dict[str, float]:
    config = DedupeConfig()
    corpus = _Corpus()
    name, (small, large), cleanup = _stores(config)
    print(f"   dedupe store: {name}")
    measured = 300 if quick else 1000
    huge = None
    huge_config = DedupeConfig(max_signatures=LARGE)
    if cleanup and not quick:
        client, prefixes = cleanup
        prefixes.append(f"bench-dedupe-{uuid.uuid4().hex[:8]}:")
        huge = RedisDedupeStore(client, prefixes[-1], huge_config.store_limits())
    figures: dict[str, float] = {}
    try:
        _fill(small, corpus, config, 0, 1_000)
        started = time.perf_counter()
        _fill(large, corpus, config, 1_000, 100_000)
        fill_seconds = time.perf_counter() - started
        _fill(large, corpus, config, 0, 1_000)  # the same first 1,000 as the small store
        stored_bytes = _redis_bytes(large) / 100_000
        deduplicators = [Deduplicator(small, config), Deduplicator(large, config)]
        if huge is not None:
            started = time.perf_counter()
            stored = _fill_for(huge, corpus, huge_config, 1_000, LARGE, FILL_SECONDS_LARGE)
            figures["dedupe.fill_large_seconds"] = time.perf_counter() - started
            _fill(huge, corpus, huge_config, 0, 1_000)
            figures["dedupe.stored_large"] = float(stored)
            figures["dedupe.redis_bytes_per_article_large"] = _redis_bytes(huge) / stored
            deduplicators.append(Deduplicator(huge, huge_config))
        _interleaved(deduplicators, corpus, 100, rounds=2, tag="w")  # warm-up: caches, connections
        tallies = _interleaved(deduplicators, corpus, measured)
    finally:
        if cleanup:
            client, prefixes = cleanup
            for prefix in prefixes:
                for key in client.scan_iter(match=f"{prefix}*", count=1000):
                    client.unlink(key)
    at_1k, at_100k = tallies[:2]
    figures.update(
        {
            "dedupe.rate_1k": at_1k.rate,
            "dedupe.rate_100k": at_100k.rate,
            "dedupe.rate_ratio_100k_vs_1k": at_100k.rate / at_1k.rate,
            "dedupe.cpu_rate_1k": at_1k.cpu_rate,
            "dedupe.cpu_rate_100k": at_100k.cpu_rate,
            "dedupe.fill_99k_seconds": fill_seconds,
            "dedupe.recall_1k": at_1k.recall,
            "dedupe.recall_100k": at_100k.recall,
            "dedupe.near_duplicates_measured_100k": float(at_100k.copies),
        }
    )
    if huge is not None:
        at_large = tallies[2]
        figures["dedupe.rate_large"] = at_large.rate
        figures["dedupe.rate_ratio_large_vs_1k"] = at_large.rate / at_1k.rate
        figures["dedupe.cpu_rate_large"] = at_large.cpu_rate
        figures["dedupe.recall_large"] = at_large.recall
    if isinstance(small, RedisDedupeStore):
        figures["dedupe.redis_script_us_per_article_1k"] = at_1k.script_micros / at_1k.articles
        figures["dedupe.redis_script_us_per_article_100k"] = at_100k.script_micros / at_100k.articles
        figures["dedupe.redis_bytes_per_article_100k"] = stored_bytes
        memory = Deduplicator(InMemoryDedupeStore(config.store_limits()), config)
        _fill(memory.store, corpus, config, 0, 1_000)
        _interleaved([memory], corpus, 100, rounds=1, tag="w")
        (in_memory,) = _interleaved([memory], corpus, measured)
        figures["dedupe.memory_rate_1k"] = in_memory.rate
        figures["dedupe.memory_cpu_rate_1k"] = in_memory.cpu_rate
    figures.update(_minhash_comparison(corpus, config, 100 if quick else 300))
    return figures


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    for key, value in figures.items():
        print(f"   {key:45s} {value:14.3f}")
