"""Dedupe rate and near-duplicate recall with 1,000, 100,000 and (time-bounded) 1,000,000
stored articles, in one run.

A lookup reads the same bounded set of Redis hash fields (its cells) however many articles
are stored, so the rate should barely move as the store grows (goal: rate_100k / rate_1k
>= 0.8, and at 1M). Uses the real Redis store when MARSAD_REDIS_URL points at a reachable
Redis, else the in-memory store (the output says which).

**Every stored article is a real one of the workload** (bench/workload.py: Arabic news
prose with its real word-frequency skew, about 2.5 articles per story, 20 % of the stream
near-duplicates of a recent article with 3 % of their words changed), stored with the
features, MinHash signature, story vector and cells the deduplicator computes for it:
stored articles share vocabulary, story terms and story cells with the measured ones, so
lookups return real candidates from the whole store and verifying them is measured. The
stream's near copies are stored too, as the deduplicator files them (in their original's
story, naming it, not counted as documents for the frequencies). Every
``_REFRESH``-th stored article goes through a full decision (lookup and insert), which
keeps the document frequencies that articles are filed by as the store has them; the
others are pipelined inserts of the same records.

The measured articles of each store **continue its fill stream**: their near-duplicates
republish recent stored articles as well as each other, and recall is the share of all of
them found as copies of their original (one not found is a miss). The large store is
filled for at most FILL_SECONDS_LARGE: ``dedupe.stored_large`` says how many it reached
and is itself a goal (1,000,000).

Besides wall-clock rates (which depend on what else the machine runs) it prints the
client CPU per article ("per core" rate = articles per CPU-second of this process), the
time Redis spent in the dedupe scripts per article, the Redis memory per stored article
(at 100,000 and at the large store), the in-memory rate, and the MinHash comparison with
datasketch that the comment in streams/dedupe/minhash.py relies on.

    .venv/bin/python -m bench.bench_dedupe [--quick]
"""

from __future__ import annotations

import dataclasses
import importlib.util
import multiprocessing
import os
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from bench.workload import BenchArticle, news_articles
from streams.dedupe import (
    DedupeConfig,
    DedupeInput,
    Deduplicator,
    InMemoryDedupeStore,
    Lookup,
    RedisDedupeStore,
    StoredArticle,
)
from streams.dedupe.core import filed_copy
from streams.dedupe.store import LookupResult

# key → (goal, "min" when higher is better / "max" when lower is better)
GOALS = {
    "dedupe.rate_ratio_100k_vs_1k": (0.8, "min"),
    "dedupe.rate_ratio_large_vs_1k": (0.8, "min"),
    "dedupe.recall_100k": (0.95, "min"),
    "dedupe.recall_large": (0.95, "min"),
    "dedupe.stored_large": (1_000_000, "min"),
}
LARGE = 1_000_000
FILL_SECONDS_LARGE = 2400.0  # the large fill stops here if 1M is not reached (see stored_large)
CHUNK = 10_000  # articles generated at a time (a generated stream is held in memory)
NEAR_DUPLICATE_SHARE = 0.2
_REFRESH = 50  # every this many stored articles, one full decision (see the docstring)


def _inputs(articles: list[BenchArticle], prefix: str) -> list[tuple[DedupeInput, str | None]]:
    """The stream as the deduplicator gets it (ids unique per store), each with the id of
    the article it republishes (the first of its chain of copies: a copy may be published
    before the article it copies), or None."""
    copied = {a.id: a.duplicate_of for a in articles if a.duplicate_of}

    def root(article_id: str) -> str:
        while article_id in copied:
            article_id = copied[article_id]  # type: ignore[assignment]
        return article_id

    return [
        (
            DedupeInput(f"{prefix}-{a.id}", a.outlet, a.url, a.title, a.text, None, time.time()),
            f"{prefix}-{root(a.id)}" if a.duplicate_of else None,
        )
        for a in articles
    ]


class _Filler:
    """Stores articles of the workload stream as the deduplicator would have stored them."""

    def __init__(self, store, config: DedupeConfig, writers: int = 1) -> None:
        self.store = store
        self.writers = writers  # processes filling the store at once (they share its counts)
        self.deduplicator = Deduplicator(store, config)
        self.stored = 0
        self.docs = 0
        self.last_ids: dict[str, str] = {}  # ids stored by the latest ``add`` → the first version

    def _record(self, item: DedupeInput) -> tuple[StoredArticle, Lookup]:
        prepared = self.deduplicator.prepare(item)
        # the frequencies last read by a full decision; no store round trip here
        vector = self.deduplicator.story_vector(prepared, LookupResult(None, None, docs=self.docs))
        profiled = dataclasses.replace(prepared.record, profile=vector.profile())
        return profiled, prepared.query

    def add(self, items: list[tuple[DedupeInput, str | None]]) -> None:
        pending: list[tuple[StoredArticle, Lookup]] = []
        self.last_ids = {}
        for item, original in items:
            if original is not None:
                # a near copy, filed as Deduplicator.process files one
                pending.append(filed_copy(*self._record(item), story_id=original, first=original))
                self.stored += 1
                self.last_ids[item.id] = original
                continue
            if self.stored % _REFRESH == 0:
                if pending:
                    self.store.record_many(pending)
                    pending = []
                # the documents the store has counted (over a window of StoreLimits.df_docs
                # to twice that): the frequencies a decision reads are counted over them
                self.docs = self.store.lookup(self.deduplicator.prepare(item).query).docs
                self.deduplicator.process(item)
            else:
                pending.append(self._record(item))
            self.stored += 1
            self.docs += self.writers
            self.last_ids[item.id] = item.id
        if pending:
            self.store.record_many(pending)


def prefill(store, count: int, *, seed: int, prefix: str, config: DedupeConfig | None = None) -> None:
    """Store ``count`` articles of the workload stream (20 % near copies) as the deduplicator
    would have stored them: a running worker's store is not empty (the pipeline bench)."""
    _fill(_Filler(store, config or DedupeConfig()), count, seed, measured=0, prefix=prefix)


def _stream(seed: int, fill: int, measured: int, prefix: str) -> tuple[list, list]:
    """One generated stream: its first ``fill`` articles to store, the next ``measured``
    to measure (they continue it: some republish articles of its end)."""
    items = _inputs(news_articles(fill + measured, seed=seed, near_duplicate_share=NEAR_DUPLICATE_SHARE), prefix)
    return items[:fill], items[fill:]


def _fill(filler: _Filler, target: int, seed: int, measured: int, prefix: str, seconds: float = float("inf")) -> _Tally:
    """Store about ``target`` articles (near copies included) in chunks of generated
    streams, for at most ``seconds``; a tally holding the measured articles that continue
    the last chunk (and knowing the last chunk's stored articles, which some of them
    republish, with the first version of each)."""
    began = time.perf_counter()
    chunk = 0
    while True:
        generated = min(CHUNK, max(1, target - filler.stored))
        last = filler.stored + generated >= target or (time.perf_counter() - began >= seconds)
        fill, rest = _stream(seed + chunk, generated, measured if last else 0, f"{prefix}{chunk}")
        filler.add(fill)
        chunk += 1
        if last:
            return _Tally(stream=rest, root=dict(filler.last_ids))


def _fill_part(
    url: str, prefix: str, config: DedupeConfig, target: int, seed: int, seconds: float, writers: int
) -> int:
    """One fill process: stores about ``target`` articles into the Redis store at ``url``
    under ``prefix`` (as two workers would share one store); the number stored."""
    import redis

    store = RedisDedupeStore(redis.Redis.from_url(url), prefix, config.store_limits())
    filler = _Filler(store, config, writers)
    _fill(filler, target, seed, measured=0, prefix=f"p{seed}-", seconds=seconds)
    return filler.stored


def _parallel_fill(
    store, config: DedupeConfig, target: int, seed: int, measured: int, prefix: str, seconds: float = float("inf")
) -> tuple[_Tally, int]:
    """``_fill`` with the bulk shared out to one process per core when the store is Redis
    (features are Python, one core each); the last chunk, which the measured articles
    continue, is stored by this process. The tally and the number stored."""
    began = time.perf_counter()
    last_chunk = CHUNK
    bulk = max(0, target - int(last_chunk))
    stored = 0
    if bulk and isinstance(store, RedisDedupeStore):
        url = os.environ["MARSAD_REDIS_URL"]
        workers = max(1, os.cpu_count() or 1)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = [
                pool.submit(
                    _fill_part, url, store.prefix, config, bulk // workers, seed + 1000 * (i + 1), seconds, workers
                )
                for i in range(workers)
            ]
            stored = sum(part.result() for part in parts)
    elif bulk:
        filler = _Filler(store, config)
        _fill(filler, bulk, seed + 1000, measured=0, prefix=f"{prefix}b", seconds=seconds)
        stored = filler.stored
    filler = _Filler(store, config)
    left = max(1.0, seconds - (time.perf_counter() - began))
    tally = _fill(filler, target - stored, seed, measured=measured, prefix=prefix, seconds=left)
    return tally, stored + filler.stored


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
    # the stored article each processed (or stored by the fill) one is (a copy of), and
    # the (copy, original) pairs
    root: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def batch(self, size: int) -> list[tuple[DedupeInput, str | None]]:
        """The next ``size`` articles of this store's measured stream."""
        if len(self.stream) < size:
            raise RuntimeError(f"the measured stream ran out ({len(self.stream)} left, {size} asked)")
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

    def _measurable(self) -> list[tuple[str, str]]:
        # a copy whose original the store never saw (published before it, and the stream
        # ends first) is the first publication: there is nothing to find
        return [(copy, original) for copy, original in self.pairs if original in self.root]

    @property
    def copies(self) -> int:
        return len(self._measurable())

    @property
    def recall(self) -> float:
        """Near-duplicates found: the copy and its original end with one stored article (a
        copy may be published, and so come, before its original: then the original is the
        one decided a copy). Originals stored by the fill count: a copy of a stored article
        that is not found is a miss."""
        measured = self._measurable()
        found = sum(self.root[copy] == self.root[original] for copy, original in measured)
        return found / len(measured) if measured else 1.0


def _interleaved(deduplicators: list[Deduplicator], tallies: list[_Tally], n: int, rounds: int = 10) -> None:
    """Each deduplicator gets ``n`` articles of its tally's stream, in alternating batches:
    the machine's load drifts (other processes, CPU frequency), and alternating makes every
    store see the same conditions, so the ratio compares the stores and not the moments."""
    size = max(1, n // rounds)
    for _ in range(rounds):
        for deduplicator, tally in zip(deduplicators, tallies):
            tally.add(deduplicator, tally.batch(size))


def _minhash_comparison(config: DedupeConfig, n: int) -> dict[str, float]:
    """Signatures per second: this project's MinHasher against datasketch on the same
    shingle sets (datasketch given the precomputed 64-bit shingle hashes, so only the
    permutation and minimum are compared; and as usually called, hashing bytes)."""
    from datasketch import MinHash

    from streams.dedupe.minhash import MinHasher
    from streams.dedupe.shingles import extract_features

    sets = [extract_features(a.title, a.text, config.shingle_size).dup_shingles for a in news_articles(n, seed=77)]
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


def run(quick: bool = False) -> dict[str, float]:
    # the comparison at the end needs the bench extra: say so before the long fill, not after
    if importlib.util.find_spec("datasketch") is None:
        raise RuntimeError("datasketch is not installed: run `make bench`, which installs the bench extra")
    config = DedupeConfig()
    name, (small, large), cleanup = _stores(config)
    print(f"   dedupe store: {name}")
    measured = 300 if quick else 1000
    warm_up = 100
    wanted = measured + warm_up + 50  # a few more: a stream's copies are not all measured
    huge = None
    huge_config = DedupeConfig(max_signatures=LARGE)
    if cleanup and not quick:
        client, prefixes = cleanup
        prefixes.append(f"bench-dedupe-{uuid.uuid4().hex[:8]}:")
        huge = RedisDedupeStore(client, prefixes[-1], huge_config.store_limits())
    figures: dict[str, float] = {}
    try:
        tallies = [_fill(_Filler(small, config), 1_000, seed=100, measured=wanted, prefix="s")]
        started = time.perf_counter()
        tally, stored = _parallel_fill(large, config, 10_000 if quick else 100_000, 200, wanted, "m")
        tallies.append(tally)
        figures["dedupe.fill_100k_seconds"] = time.perf_counter() - started
        figures["dedupe.stored_100k"] = float(stored)
        stored_bytes = _redis_bytes(large) / stored
        deduplicators = [Deduplicator(small, config), Deduplicator(large, config)]
        if huge is not None:
            started = time.perf_counter()
            tally, stored = _parallel_fill(huge, huge_config, LARGE, 1000, wanted, "l", FILL_SECONDS_LARGE)
            tallies.append(tally)
            figures["dedupe.fill_large_seconds"] = time.perf_counter() - started
            figures["dedupe.stored_large"] = float(stored)
            figures["dedupe.redis_bytes_per_article_large"] = _redis_bytes(huge) / stored
            deduplicators.append(Deduplicator(huge, huge_config))
        _interleaved(deduplicators, tallies, warm_up, rounds=2)  # warm-up: caches, connections
        for tally in tallies:  # the warm-up's articles are stored, not measured
            tally.articles, tally.wall, tally.cpu, tally.script_micros, tally.pairs = 0, 0.0, 0.0, 0.0, []
        _interleaved(deduplicators, tallies, measured)
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
        figures["dedupe.near_duplicates_measured_large"] = float(at_large.copies)
    if isinstance(small, RedisDedupeStore):
        figures["dedupe.redis_script_us_per_article_1k"] = at_1k.script_micros / at_1k.articles
        figures["dedupe.redis_script_us_per_article_100k"] = at_100k.script_micros / at_100k.articles
        figures["dedupe.redis_bytes_per_article_100k"] = stored_bytes
        memory = InMemoryDedupeStore(config.store_limits())
        in_memory = _fill(_Filler(memory, config), 1_000, seed=100, measured=wanted, prefix="s")
        _interleaved([Deduplicator(memory, config)], [in_memory], warm_up, rounds=1)
        in_memory.articles, in_memory.wall, in_memory.cpu = 0, 0.0, 0.0
        _interleaved([Deduplicator(memory, config)], [in_memory], measured)
        figures["dedupe.memory_rate_1k"] = in_memory.rate
        figures["dedupe.memory_cpu_rate_1k"] = in_memory.cpu_rate
    figures.update(_minhash_comparison(config, 100 if quick else 300))
    return figures


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    for key, value in figures.items():
        print(f"   {key:45s} {value:14.3f}")
