"""The connector's poll logic against local HTTP servers, with the in-memory state store
and a publisher that records what it is given (no Kafka here; see
test_connectors_stack.py for the real stack)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler

import pytest
from prometheus_client import REGISTRY
from pydantic import ValidationError

from connectors import parse as parse_module
from connectors import runner
from connectors.config import FeedConfig, PollBounds
from connectors.fetch import Fetcher, FetchLimits
from connectors.parse import ParsedFeed, ParseLimits
from connectors.runner import Connector, PollReport, settings_parse_limits
from connectors.sanitize import sanitize_html
from connectors.state import MemoryStateStore
from kernel.errors import PublishError
from kernel.messages import RawArticle, article_id
from kernel.settings import Settings
from tests.support.http_server import LocalServer, etag_route, send


def rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<description>&lt;p&gt;Summary of {title}&lt;/p&gt;</description></item>"
        for guid, title, link in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>"
        f"<language>en-GB</language>{body}</channel></rss>"
    ).encode()


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[RawArticle]] = []
        self.fail = False

    def __call__(self, articles: Sequence[RawArticle]) -> None:
        if self.fail:
            raise PublishError("Kafka did not acknowledge")
        self.batches.append(list(articles))

    @property
    def articles(self) -> list[RawArticle]:
        return [a for batch in self.batches for a in batch]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def poll(
    feeds: list[FeedConfig], store: MemoryStateStore, publish: Recorder, clock: Clock, limits: FetchLimits | None = None
) -> list[PollReport]:
    async def go() -> list[PollReport]:
        async with Fetcher(limits) as fetcher:
            connector = Connector(feeds, store, publish, fetcher, clock=clock, jitter=False)
            return await connector.poll_all()

    return asyncio.run(go())


def feed(url: str, **kw) -> FeedConfig:
    return FeedConfig(id=kw.pop("id", "news"), url=url, poll=PollBounds(min=60, max=600), **kw)


def test_each_item_is_published_once_and_state_is_kept() -> None:
    one = ("g1", "First", "https://n.example/1")
    two = ("g2", "Second", "https://n.example/2")
    routes = {"/feed": etag_route(rss(two, one))}
    store, publish, clock = MemoryStateStore(), Recorder(), Clock()
    with LocalServer(routes) as server:
        cfg = feed(server.url("/feed"), tags=("world",))
        [report] = poll([cfg], store, publish, clock)
        assert (report.outcome, report.published, report.items, report.next_poll_in) == ("new_items", 2, 2, 60)
        first, second = publish.articles
        # Oldest (last in the feed) first; the feed's language when no hint is configured.
        assert (first.id, first.title, first.url) == (article_id("news", "g1"), "First", "https://n.example/1")
        assert second.id == article_id("news", "g2")
        assert first.content == "<p>Summary of First</p>" and first.content_type == "text/html"
        assert first.language == "en" and first.tags == ["world"] and first.first_seen_at == clock.now
        state = store.states["news"]
        assert state.etag and state.body_hash and state.items_total == 2 and state.next_poll_at == clock.now + 60

        clock.now += 60
        [again] = poll([cfg], store, publish, clock)
        assert (again.outcome, again.published, again.next_poll_in) == ("not_modified", 0, 90)
        assert server.requests[-1][1]["if-none-match"] == state.etag

        three = ("g3", "Third", "https://n.example/3")
        routes["/feed"] = etag_route(rss(three, two, one), last_modified="Sun, 22 Nov 2026 09:00:00 GMT")
        [newer] = poll([cfg], store, publish, clock)
        assert (newer.outcome, newer.published) == ("new_items", 1)
        assert [a.title for a in publish.articles] == ["First", "Second", "Third"]


def test_only_items_not_seen_before_are_sanitized(monkeypatch: pytest.MonkeyPatch) -> None:
    sanitized: list[str] = []

    def counting(html: str) -> str:
        sanitized.append(html)
        return sanitize_html(html)

    monkeypatch.setattr(parse_module, "sanitize_html", counting)
    old = [(f"g{n}", f"Old {n}", f"https://n.example/{n}") for n in range(5)]
    routes = {"/feed": etag_route(rss(*old))}
    store, publish, clock = MemoryStateStore(), Recorder(), Clock()
    with LocalServer(routes) as server:
        cfg = feed(server.url("/feed"))
        poll([cfg], store, publish, clock)
        assert len(sanitized) == 5
        routes["/feed"] = etag_route(
            rss(("g9", "New", "https://n.example/9"), *old), last_modified="Sun, 22 Nov 2026 09:00:00 GMT"
        )
        [report] = poll([cfg], store, publish, clock)
    assert (report.outcome, report.published, report.items) == ("new_items", 1, 6)
    assert len(sanitized) == 6 and "Summary of New" in sanitized[-1]
    assert publish.articles[-1].content == "<p>Summary of New</p>"


def test_sanitizing_the_new_items_is_bounded_by_the_parse_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(html: str) -> str:
        time.sleep(0.6)
        return sanitize_html(html)

    monkeypatch.setattr(parse_module, "sanitize_html", slow)
    with LocalServer({"/feed": etag_route(rss(("g1", "One", "https://n.example/1")))}) as server:
        [report], publish, _ = poll_with([feed(server.url("/feed"))], ParseLimits(time_budget_s=0.3))
    assert report.error_kind == "parse_timeout" and "sanitizing took longer than 0.3s" in (report.error or "")
    assert publish.articles == []


def test_same_body_is_skipped_without_parsing() -> None:
    body = rss(("g1", "Only", "https://n.example/1"))
    with LocalServer({"/plain": lambda h: send(h, 200, body)}) as server:
        store, publish, clock = MemoryStateStore(), Recorder(), Clock()
        cfg = feed(server.url("/plain"))
        poll([cfg], store, publish, clock)
        [report] = poll([cfg], store, publish, clock)
        assert report.outcome == "not_modified" and report.items == 0
        assert len(publish.articles) == 1


def test_a_failed_publish_marks_nothing_seen() -> None:
    with LocalServer({"/feed": etag_route(rss(("g1", "One", "https://n.example/1")))}) as server:
        store, publish, clock = MemoryStateStore(), Recorder(), Clock()
        cfg = feed(server.url("/feed"))
        publish.fail = True
        [failed] = poll([cfg], store, publish, clock)
        assert (failed.outcome, failed.error_kind) == ("error", "publish")
        assert store.states["news"].etag is None and store.seen == {}
        publish.fail = False
        [retried] = poll([cfg], store, publish, clock)
        assert (retried.outcome, retried.published) == ("new_items", 1)
        assert "if-none-match" not in server.requests[-1][1]


def test_errors_back_off_and_are_recorded_per_feed() -> None:
    routes = {
        "/broken": lambda h: send(h, 500),
        "/busy": lambda h: send(h, 429, Retry_After="300"),
        "/big": lambda h: send(h, 200, b"<rss>" + b"x" * 5000 + b"</rss>"),
        "/ok": etag_route(rss(("g1", "Fine", "https://n.example/1"))),
    }
    with LocalServer(routes) as server:
        feeds = [feed(server.url(p), id=p.strip("/")) for p in routes]
        store, publish, clock = MemoryStateStore(), Recorder(), Clock()
        limits = FetchLimits(max_bytes=2000)
        reports = {r.feed: r for r in poll(feeds, store, publish, clock, limits)}
        assert (reports["broken"].error_kind, reports["broken"].next_poll_in) == ("http", 120)
        assert (reports["busy"].outcome, reports["busy"].next_poll_in) == ("rate_limited", 300)
        assert reports["big"].error_kind == "too_large"
        assert (reports["ok"].outcome, reports["ok"].published) == ("new_items", 1)
        reports = {r.feed: r for r in poll(feeds, store, publish, clock, limits)}
        assert reports["broken"].next_poll_in == 240
        broken = store.states["broken"]
        assert (broken.consecutive_errors, broken.errors_total, broken.last_error, broken.last_error_kind) == (
            2,
            2,
            "HTTP 500",
            "http",
        )
        assert store.states["ok"].consecutive_errors == 0


def test_malformed_feed_with_nothing_recoverable_is_a_parse_error() -> None:
    with LocalServer({"/junk": lambda h: send(h, 200, b"\x00\x01 not xml <<<")}) as server:
        store, publish, clock = MemoryStateStore(), Recorder(), Clock()
        [report] = poll([feed(server.url("/junk"))], store, publish, clock)
        assert report.error_kind == "parse" and "no items recovered" in (report.error or "")


ARTICLE_PAGE = """<!doctype html><html><head><title>Page</title><script>var tracking = 1;</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Talks resume</h1>
<p>Negotiators from both delegations returned to the table on Friday after a pause of three weeks,
according to officials familiar with the schedule of the meetings in the city.</p>
<p>The agenda covers prisoner exchanges, humanitarian corridors and the monitoring of a ceasefire line
that both sides have accused each other of violating repeatedly since the summer.</p>
<p>Observers said a joint statement could follow if the working groups agree on the wording.</p>
</article><footer>Copyright 2026 Example News</footer></body></html>"""


def test_full_text_is_extracted_with_the_summary_as_fallback() -> None:
    items = (("g1", "Talks", "/page"), ("g2", "Missing", "/missing"))
    routes = {"/page": lambda h: send(h, 200, ARTICLE_PAGE.encode(), Content_Type="text/html; charset=utf-8")}
    with LocalServer(routes) as server:
        routes["/feed"] = etag_route(rss(*[(g, t, server.url(p)) for g, t, p in items]))
        store, publish, clock = MemoryStateStore(), Recorder(), Clock()
        # The pages are on loopback, which this feed allows for its items' pages.
        [report] = poll(
            [feed(server.url("/feed"), full_text=True, allow_networks=("loopback",))], store, publish, clock
        )
        assert report.published == 2
        by_title = {a.title: a for a in publish.articles}
        talks = by_title["Talks"]
        assert talks.content_type == "text/plain"
        assert "Negotiators from both delegations returned to the table" in talks.content
        assert "tracking" not in talks.content and "Copyright" not in talks.content
        missing = by_title["Missing"]
        assert (missing.content, missing.content_type) == ("<p>Summary of Missing</p>", "text/html")


def test_full_text_is_not_fetched_from_internal_addresses_by_default() -> None:
    routes = {"/page": lambda h: send(h, 200, ARTICLE_PAGE.encode(), Content_Type="text/html; charset=utf-8")}
    with LocalServer(routes) as server:
        routes["/feed"] = etag_route(rss(("g1", "Talks", server.url("/page"))))
        store, publish, clock = MemoryStateStore(), Recorder(), Clock()
        [report] = poll([feed(server.url("/feed"), full_text=True)], store, publish, clock)
        assert report.published == 1
        [talks] = publish.articles
        assert (talks.content, talks.content_type) == ("<p>Summary of Talks</p>", "text/html")
        assert [path for path, _ in server.requests] == ["/feed"]  # the page was never asked for


def test_run_loop_polls_due_feeds_and_stops_on_request() -> None:
    with LocalServer({"/feed": etag_route(rss(("g1", "One", "https://n.example/1")))}) as server:
        store, publish = MemoryStateStore(), Recorder()

        async def go() -> None:
            stop = asyncio.Event()
            async with Fetcher() as fetcher:
                cfg = FeedConfig(id="fast", url=server.url("/feed"), poll=PollBounds(min=0.2, max=0.3))
                connector = Connector([cfg], store, publish, fetcher, jitter=False)
                task = asyncio.create_task(connector.run(stop))
                await asyncio.sleep(1.5)
                stop.set()
                await asyncio.wait_for(task, 5)

        asyncio.run(go())
        polls = store.states["fast"].polls_total
        assert 3 <= polls <= 8, polls
        assert len(publish.articles) == 1  # polled repeatedly, published once
        assert len(server.requests) == polls


@pytest.mark.parametrize("kind", ["timeout"])
def test_a_slow_feed_does_not_hold_up_the_others(kind: str) -> None:
    def slow(h: BaseHTTPRequestHandler) -> None:
        time.sleep(2)
        send(h, 200, rss(("s", "Slow", "https://n.example/s")))

    routes = {"/slow": slow, "/fast": etag_route(rss(("f", "Fast", "https://n.example/f")))}
    with LocalServer(routes) as server:
        store, publish, clock = MemoryStateStore(), Recorder(), Clock()
        started = time.monotonic()
        reports = {
            r.feed: r
            for r in poll(
                [feed(server.url("/slow"), id="slow"), feed(server.url("/fast"), id="fast")],
                store,
                publish,
                clock,
                FetchLimits(read_timeout=0.5, total_timeout=1.0),
            )
        }
        assert time.monotonic() - started < 1.9
        assert reports["slow"].error_kind == kind and reports["fast"].published == 1


# --- parsing: the item cap and the time budget ---------------------------------------------------


def poll_with(feeds: list[FeedConfig], parse_limits: ParseLimits) -> tuple[list[PollReport], Recorder, float]:
    """Poll once with ``parse_limits``; also returns how long the polls took."""
    publish = Recorder()

    async def go() -> tuple[list[PollReport], float]:
        async with Fetcher() as fetcher:
            connector = Connector(
                feeds, MemoryStateStore(), publish, fetcher, clock=Clock(), jitter=False, parse_limits=parse_limits
            )
            started = time.monotonic()
            reports = await connector.poll_all()
            return reports, time.monotonic() - started

    reports, elapsed = asyncio.run(go())
    return reports, publish, elapsed


def test_items_beyond_the_cap_are_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    items = [(f"g{n}", f"Item {n}", f"https://n.example/{n}") for n in range(4)]
    with LocalServer({"/feed": etag_route(rss(*items))}) as server:
        with caplog.at_level(logging.WARNING, logger="connectors.runner"):
            [report], publish, _ = poll_with([feed(server.url("/feed"), id="capped")], ParseLimits(max_items=2))
        assert (report.outcome, report.published, report.items) == ("new_items", 2, 2)
        assert [a.title for a in publish.articles] == ["Item 1", "Item 0"]  # the newest two
        assert REGISTRY.get_sample_value("marsad_feed_items_dropped_total", {"feed": "capped"}) == 2
        assert "feed capped: 2 items beyond the cap of 2 dropped" in caplog.text
    # Exported as 0 from the start, so that the first drop is an increase Prometheus sees.
    Connector([feed("https://n.example/feed", id="never-capped")], MemoryStateStore(), Recorder(), Fetcher())
    assert REGISTRY.get_sample_value("marsad_feed_items_dropped_total", {"feed": "never-capped"}) == 0


def test_a_feed_over_its_parse_budget_is_a_counted_error_not_a_hung_connector(monkeypatch: pytest.MonkeyPatch) -> None:
    many = rss(*[(f"g{n}", f"Item {n}", f"https://n.example/{n}") for n in range(2000)])
    routes = {"/many": etag_route(many), "/hang": etag_route(rss(("h", "Hang", "https://n.example/h")))}
    real_parse = runner.parse_feed

    def hanging_parse(body: bytes, **kwargs: object) -> ParsedFeed:
        if b"Hang" in body:
            time.sleep(3)  # stuck where no deadline is checked (inside feedparser, say)
        return real_parse(body, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "parse_feed", hanging_parse)
    with LocalServer(routes) as server:
        errors = {
            kind: REGISTRY.get_sample_value("marsad_feed_errors_total", {"feed": kind, "kind": "parse_timeout"}) or 0
            for kind in ("many", "hang")
        }
        feeds = [feed(server.url("/many"), id="many"), feed(server.url("/hang"), id="hang")]
        reports, _publish, elapsed = poll_with(feeds, ParseLimits(time_budget_s=0.001))
        by_feed = {r.feed: r for r in reports}
        assert by_feed["many"].error_kind == "parse_timeout"  # the parser stopped itself
        assert by_feed["hang"].error_kind == "parse_timeout"  # the connector stopped waiting
        assert "parsing took longer than 0.001s" in (by_feed["hang"].error or "")
        assert elapsed < 2.5
        for kind in ("many", "hang"):
            counted = REGISTRY.get_sample_value("marsad_feed_errors_total", {"feed": kind, "kind": "parse_timeout"})
            assert counted == errors[kind] + 1
        [ok], publish, _ = poll_with([feed(server.url("/many"), id="many")], ParseLimits(time_budget_s=60))
        assert (ok.outcome, ok.published) == ("new_items", 2000)


def test_the_cap_and_the_budget_come_from_settings() -> None:
    limits = settings_parse_limits(Settings(feed_max_items=7, feed_parse_timeout_s=3))
    assert (limits.max_items, limits.time_budget_s) == (7, 3.0)
    assert settings_parse_limits(Settings()) == ParseLimits(max_items=5000, time_budget_s=20.0)
    with pytest.raises(ValidationError):  # beyond the 20,000 seen ids kept per feed
        Settings(feed_max_items=20_001)
