"""Items repeated from a feed's previous body are not parsed again, and what the connector
gets is what parsing the whole body gives: over every feed fixture, the demo's and the
benchmark's feeds, and hostile shapes that must be read whole."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bench.bench_connectors import FeedBodies, new_items
from connectors import known_items
from connectors import parse as parse_module
from connectors.config import FeedConfig, PollBounds
from connectors.fetch import Fetcher
from connectors.known_items import KnownItems, cut_items, item_digest, xml_reader
from connectors.parse import ParsedFeed, ParseLimits, items_by_id, parse_feed, prepare_xml
from connectors.runner import Connector
from connectors.state import MemoryStateStore
from kernel.errors import FeedParseError, PublishError
from marsad.demo_feeds import load_demo_feeds, render
from tests.support.http_server import LocalServer, etag_route
from tests.support.stack import REPO_ROOT

FIXTURES = sorted((REPO_ROOT / "tests" / "data" / "feeds").iterdir())


def rss(*guids: str, head: str = "", between: str = "", site: str = "https://n.example") -> bytes:
    items = between.join(
        f"<item><guid isPermaLink='false'>{g}</guid><title>Title {g}</title><link>{site}/{g}</link>"
        f"<description>&lt;p&gt;About {g} &lt;a href='/x'&gt;more&lt;/a&gt;&lt;/p&gt;</description></item>"
        for g in guids
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?>{head}<rss version='2.0'><channel><title>T</title>"
        f"<language>ar</language>{items}</channel></rss>"
    ).encode()


def read(body: bytes, known: KnownItems | None, limits: ParseLimits = ParseLimits()) -> ParsedFeed:
    return parse_feed(body, base_url="https://n.example/feed.xml", limits=limits, read_xml=xml_reader(known))


def header(feed: ParsedFeed) -> tuple[Any, ...]:
    return (feed.format, feed.title, feed.language, feed.encoding, feed.problems, feed.dropped_items)


def described(feed: ParsedFeed) -> tuple[Any, ...]:
    items = [
        (i.key, i.url, i.title, i.content_type, i.published, i.content, i.summary, i.summary_type) for i in feed.items
    ]
    return (*header(feed), items)


def bodies() -> list[tuple[str, bytes, bytes | None, int]]:
    """(name, body, the body before it when there is one, the items it gained since)."""
    out: list[tuple[str, bytes, bytes | None, int]] = [(p.name, p.read_bytes(), None, 0) for p in FIXTURES]
    out += [(f"demo {f.id}", render(f), None, 0) for f in load_demo_feeds()]
    out.append(("relative links", rss("c", "b", "a", site=""), rss("b", "a", site=""), 1))
    bench = FeedBodies()
    out += [(f"bench {n}", bench.body(n, 1), bench.body(n, 0), new_items(n, 1)) for n in range(0, 400, 7)]
    return out


@pytest.mark.parametrize(("name", "body", "before", "gained"), bodies(), ids=lambda v: v if isinstance(v, str) else "")
def test_reading_with_known_items_gives_what_parsing_the_whole_body_gives(
    name: str, body: bytes, before: bytes | None, gained: int
) -> None:
    try:
        whole = read(body, None)
    except FeedParseError as exc:
        with pytest.raises(FeedParseError, match=str(exc)[:20]):
            read(body, {})
        return
    first = read(body, {})
    assert described(first) == described(whole)
    if first.item_keys is None:
        return
    assert sorted(set(first.item_keys.values()) - {""}) == sorted({i.key for i in whole.items})
    again = read(body, first.item_keys)  # the same body: nothing parsed again
    assert [i.key for i in again.items] == [i.key for i in whole.items]
    assert not any(i.parsed for i in again.items) and again.item_keys == first.item_keys
    assert header(again) == header(whole)
    # The newest item alone unknown (a feed that gained it): it alone is parsed, as whole.
    newest = next(iter(first.item_keys))
    assert_parsed_as_whole(read(body, {d: k for d, k in first.item_keys.items() if d != newest}), whole)
    if before is not None:  # the previous minute's body: only the items gained are parsed
        known = read(before, {}).item_keys
        assert known is not None
        changed = read(body, known)
        assert sum(i.parsed for i in changed.items) == gained < len(whole.items)
        assert_parsed_as_whole(changed, whole)


def assert_parsed_as_whole(partly: ParsedFeed, whole: ParsedFeed) -> None:
    """``partly`` lists the items of ``whole`` by key, and those it parsed are as ``whole`` has them."""
    assert [i.key for i in partly.items] == [i.key for i in whole.items]
    assert header(partly) == header(whole)
    pairs = [(mine, theirs) for mine, theirs in zip(partly.items, whole.items, strict=True) if mine.parsed]
    assert (
        described(ParsedFeed("", items=[m for m, _ in pairs]))[-1]
        == described(ParsedFeed("", items=[t for _, t in pairs]))[-1]
    )


def test_the_benchmarks_bodies_take_the_fast_path() -> None:
    # otherwise the equivalence above compares the whole parse with itself
    body = FeedBodies().body(3, 1)
    assert read(body, {}).item_keys is not None


@pytest.mark.parametrize(
    "body",
    [
        rss("a", "b").replace(b"<title>Title a", b"<title><![CDATA[</item><item>]]>Title a"),
        rss("a", "b").replace(b"<title>T</title>", b"<!-- <item><guid>c</guid></item> --><title>T</title>"),
        rss("a", "b", between="<title>between</title>"),
        rss("a", "b").replace(b"</channel>", b"<item/></channel>"),
        rss("a", "b").replace(b"</channel>", b"<entry><id>e</id></entry></channel>"),
        rss("a", "b").replace(b"<item><guid isPermaLink='false'>b", b"<ITEM><guid isPermaLink='false'>b"),
        rss("a", "b").replace(b"</channel>", b"<x:item xmlns:x='urn:x'><guid>c</guid></x:item></channel>"),
        rss("a", "b").replace(b"<title>Title a</title>", b"<title>Title a &bad; <b></title>"),
        rss("a", "b")
        .replace(b"<rss version='2.0'>", b"<rdf:RDF><rss version='2.0'>")
        .replace(b"</rss>", b"</rss></rdf:RDF>"),
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        b"<entry><id>e1</id><title>One</title></entry></feed>",
    ],
    ids=[
        "cdata-with-item-tags",
        "comment-with-an-item",
        "element-between-items",
        "self-closing-item",
        "atom-entry-in-rss",
        "upper-case-item",
        "namespaced-item",
        "not-well-formed",
        "rss-not-the-root",
        "atom",
    ],
)
def test_unusual_documents_are_parsed_whole(body: bytes) -> None:
    assert read(body, {}).item_keys is None
    assert described(read(body, {})) == described(read(body, None))


def test_an_item_is_known_only_in_the_same_document_context() -> None:
    known = read(rss("a", "b"), {}).item_keys
    assert known is not None
    moved = rss("a", "b").replace(b"<channel>", b"<channel xml:base='https://elsewhere.example/'>")
    assert all(i.parsed for i in read(moved, known).items)
    assert not any(i.parsed for i in read(rss("a", "b"), known).items)
    pieces = cut_items(rss("a", "b").decode())
    assert pieces is not None and len(pieces.items) == 2


def test_a_body_that_is_not_well_formed_is_read_whole_whatever_is_known() -> None:
    body = rss("a", "b").replace(b"<title>Title a</title>", b"<title>Title a <b></title>")
    pieces = cut_items(prepare_xml(body.decode())[0])
    assert pieces is not None
    forged = {item_digest(pieces.context, item): f"forged {n}" for n, item in enumerate(pieces.items)}
    read_whole = read(body, forged)
    assert read_whole.item_keys is None and read_whole.problems
    assert described(read_whole) == described(read(body, None))


def test_the_item_cap_applies_as_when_parsing_whole() -> None:
    body = rss("d", "c", "b", "a")
    limits = ParseLimits(max_items=2)
    first = read(body, {}, limits)
    assert described(first) == described(read(body, None, limits))
    assert first.dropped_items == 2 and [i.key for i in first.items] == ["d", "c"]


def feed_config(url: str) -> FeedConfig:
    return FeedConfig(id="news", url=url, poll=PollBounds(min=60, max=600))


def test_the_connector_parses_only_new_items_and_still_publishes_a_known_one_never_published(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed_entries: list[int] = []
    real = known_items.run_feedparser

    def counting(hardened: str) -> Any:
        result = real(hardened)
        parsed_entries.append(len(result.get("entries") or []))
        return result

    monkeypatch.setattr(known_items, "run_feedparser", counting)
    monkeypatch.setattr(parse_module, "run_feedparser", counting)
    published: list[list[str]] = []
    failing = [False]

    def publish(articles: Any) -> None:
        if failing[0]:
            raise PublishError("Kafka did not acknowledge")
        published.append([a.title for a in articles])

    routes = {"/feed": etag_route(rss("b", "a"))}
    store = MemoryStateStore()
    bodies = [
        rss("c", "b", "a"),
        # "d" is parsed and its publish fails; the next body repeats it: known, yet never
        # published, so that body is read whole and "d" published with every field.
        rss("d", "c", "b", "a"),
        rss("e", "d", "c", "b", "a"),
    ]

    async def polls() -> list[str]:
        outcomes = []
        async with Fetcher() as fetcher:
            connector = Connector([feed_config(server.url("/feed"))], store, publish, fetcher, jitter=False)
            outcomes.append((await connector.poll_all())[0].outcome)
            for minute, body in enumerate(bodies):
                failing[0] = minute == 1
                routes["/feed"] = etag_route(body, last_modified=f"Sun, 22 Nov 2026 09:0{minute}:00 GMT")
                outcomes.append((await connector.poll_all())[0].outcome)
        return outcomes

    with LocalServer(routes) as server:
        assert asyncio.run(polls()) == ["new_items", "new_items", "error", "new_items"]
    assert published == [["Title a", "Title b"], ["Title c"], ["Title d", "Title e"]]
    assert parsed_entries == [2, 1, 1, 1, 5]  # "e" alone, then the whole body for "d"
    ids = items_by_id("news", read(rss("e", "d", "c", "b", "a"), None))
    assert set(store.seen["news"]) == set(ids)


def test_fixtures_are_found() -> None:
    assert len(FIXTURES) > 20 and all(isinstance(p, Path) for p in FIXTURES)
