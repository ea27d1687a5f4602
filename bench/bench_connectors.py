"""Connector benchmark: 10,000 feeds polled at a 60-second cadence, mostly unchanged.

A raw asyncio HTTP/1.1 server in a separate process (so its CPU is not counted) serves
``/f/<n>.xml``: 80 % of the feeds answer conditional requests with 304, 18 % send no
validators and return the same body every time (the body-hash skip), 2 % gain a new item
every round. The connector (the real Connector, Fetcher and parser, in this process) polls
every feed once to warm up (every item is new), then polls all of them again; each of
those rounds is what one minute costs at a 60-second cadence, so

    connectors.cpu_seconds_per_min            = process CPU seconds of one steady round
    connectors.cpu_cores_for_10k_feeds_per_min = that / 60 (goal ≤ 1.0)

Time is compressed: rounds run back to back instead of a minute apart. State: Redis when
MARSAD_REDIS_URL answers (keys under a unique prefix, deleted afterwards), else the
in-memory store with the same interface — ``connectors.state_redis`` says which (1/0).
Publishing is counted, not sent: Kafka is measured by bench_pipeline. All simulated feeds
live on one host, so the per-host limit is raised to the connector's concurrency.

Run: .venv/bin/python -m bench.bench_connectors [--quick]
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import socket
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from connectors.config import FeedConfig, PollBounds  # noqa: E402
from connectors.fetch import Fetcher, FetchLimits  # noqa: E402
from connectors.runner import Connector  # noqa: E402
from connectors.state import MemoryStateStore, RedisStateStore  # noqa: E402
from kernel.messages import RawArticle  # noqa: E402

ITEMS_PER_FEED = 5
CONCURRENCY = 50


def _kind(n: int) -> str:
    bucket = n % 50
    if bucket == 0:
        return "changing"  # 2 %
    if bucket <= 9:
        return "no-validators"  # 18 %
    return "etag"  # 80 %


def _body(n: int, version: int) -> bytes:
    items = "".join(
        f"<item><guid isPermaLink='false'>f{n}-i{i}</guid><title>Item {i} of feed {n}</title>"
        f"<link>https://feed{n}.example/{i}</link><pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;خبر رقم {i} في المصدر {n}، مع نص قصير للتجربة.&lt;/p&gt;</description></item>"
        for i in range(version + ITEMS_PER_FEED - 1, version - 1, -1)
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {n}</title>"
        f"<language>ar</language>{items}</channel></rss>"
    ).encode()


async def _serve(sock: socket.socket, started_at: float) -> None:
    cache: dict[tuple[int, int], bytes] = {}

    def version(n: int) -> int:
        # A changing feed gains one item every 2 s of compressed time (≈ every round).
        return int((time.monotonic() - started_at) / 2.0) if _kind(n) == "changing" else 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
                n = int(path.rsplit("/", 1)[1].split(".")[0])
                v = version(n)
                etag = f'"{n}-{v}"'
                kind = _kind(n)
                if kind != "no-validators" and headers.get("if-none-match") == etag:
                    writer.write(f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\n\r\n".encode())
                else:
                    body = cache.get((n, v))
                    if body is None:
                        body = cache[(n, v)] = _body(n, v)
                    extra = f"ETag: {etag}\r\n" if kind != "no-validators" else ""
                    writer.write(
                        f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n{extra}"
                        f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, ValueError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, sock=sock, backlog=1024)
    async with server:
        await server.serve_forever()


def _server_main(sock: socket.socket) -> None:
    asyncio.run(_serve(sock, time.monotonic()))


class _CountingPublisher:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, articles: Sequence[RawArticle]) -> None:
        self.count += len(articles)


async def _store():
    url = os.environ.get("MARSAD_REDIS_URL")
    if url:
        try:
            return await RedisStateStore.connect(url, f"bench-{uuid.uuid4().hex[:8]}:", timeout_s=2.0), True
        except Exception:
            pass
    return MemoryStateStore(), False


async def _cleanup(store) -> None:
    if isinstance(store, RedisStateStore):
        async for key in store.client.scan_iter(match=f"{store.prefix}*", count=1000):
            await store.client.delete(key)
    await store.close()


async def _bench(port: int, n_feeds: int, rounds: int) -> dict[str, float]:
    feeds = [
        FeedConfig(id=f"f{n}", url=f"http://127.0.0.1:{port}/f/{n}.xml", poll=PollBounds(min=60, max=60))
        for n in range(n_feeds)
    ]
    store, on_redis = await _store()
    publish = _CountingPublisher()
    limits = FetchLimits(per_host=CONCURRENCY, max_connections=CONCURRENCY)
    try:
        async with Fetcher(limits) as fetcher:
            connector = Connector(feeds, store, publish, fetcher, concurrency=CONCURRENCY, jitter=False)
            warm_started = time.monotonic()
            warm = await connector.poll_all()
            warm_wall = time.monotonic() - warm_started
            failed = [r for r in warm if r.outcome == "error"]
            if failed:
                raise RuntimeError(f"{len(failed)} feeds failed in the warm-up round: {failed[0].error}")
            warm_items = publish.count
            cpu = wall = 0.0
            items = 0
            outcomes: dict[str, int] = {}
            for _ in range(rounds):
                await asyncio.sleep(2.0)  # let the changing feeds change
                before_items = publish.count
                cpu_start, wall_start = time.process_time(), time.monotonic()
                reports = await connector.poll_all()
                cpu += time.process_time() - cpu_start
                wall += time.monotonic() - wall_start
                items += publish.count - before_items
                for report in reports:
                    outcomes[report.outcome] = outcomes.get(report.outcome, 0) + 1
    finally:
        await _cleanup(store)
    polls = n_feeds * rounds
    cpu_per_10k = cpu / polls * 10_000
    print(
        f"   feeds {n_feeds}, measured rounds {rounds}, state {'redis' if on_redis else 'memory'}; "
        f"warm-up {warm_items} items in {warm_wall:.1f}s; steady outcomes {outcomes}",
        flush=True,
    )
    return {
        "connectors.feeds": float(n_feeds),
        "connectors.requests_per_s": polls / wall,
        "connectors.cpu_seconds_per_10k_polls": cpu_per_10k,
        "connectors.cpu_seconds_per_min": cpu_per_10k,  # 10,000 feeds at a 60 s cadence
        "connectors.cpu_cores_for_10k_feeds_per_min": cpu_per_10k / 60.0,
        "connectors.items_per_s": items / wall,
        "connectors.warmup_items_per_s": warm_items / warm_wall,
        "connectors.state_redis": 1.0 if on_redis else 0.0,
    }


def run(quick: bool = False) -> dict[str, float]:
    n_feeds, rounds = (2_000, 1) if quick else (10_000, 2)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    server = multiprocessing.get_context("fork").Process(target=_server_main, args=(sock,), daemon=True)
    server.start()
    sock.close()
    try:
        return asyncio.run(_bench(port, n_feeds, rounds))
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    for key, value in run(quick="--quick" in sys.argv).items():
        print(f"{key:45s} {value:14.3f}")
