"""Fuzzing the feed-parsing wrapper and `marsad feeds parse` with hostile bytes.

Properties: parse_feed raises nothing but FeedParseError and finishes in bounded time;
items are well formed; the command exits with a JSON line per item or one error line,
never a traceback.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from connectors.known_items import xml_reader
from connectors.parse import ParsedFeed, content_text, parse_feed
from kernel.errors import FeedParseError, MarsadError
from marsad.cli import app
from tests.support.strategies import examples, feed_body

# A body of a few kB parses in milliseconds; seconds mean a pathological path (entity
# expansion, backtracking). Generous for a shared 2-core machine.
PARSE_BOUND_S = 5.0


@given(
    feed_body(),
    st.sampled_from(
        [
            None,
            "application/rss+xml; charset=windows-1256",
            "application/json",
            "text/html; charset=bogus",
            "application/xml; charset=utf-16",
        ]
    ),
)
@settings(examples(200), deadline=timedelta(seconds=PARSE_BOUND_S))
def test_parse_feed_raises_only_feed_parse_error(body: bytes, content_type: str | None) -> None:
    started = time.monotonic()
    try:
        parsed = parse_feed(body, base_url="https://example.org/feed", content_type=content_type)
    except FeedParseError as exc:
        assert str(exc)
        return
    assert time.monotonic() - started < PARSE_BOUND_S
    assert isinstance(parsed.format, str) and parsed.format
    for item in parsed.items:
        assert item.key
        assert item.content_type in ("text/html", "text/plain")
        if item.published is not None:
            datetime.fromisoformat(item.published.replace("Z", "+00:00"))
        text = content_text(item.content, item.content_type)
        assert "<script" not in item.content.lower()
        assert isinstance(text, str)


def _described(feed: ParsedFeed) -> tuple[object, ...]:
    items = [(i.key, i.url, i.title, i.content_type, i.published, i.content, i.summary) for i in feed.items]
    return (feed.format, feed.title, feed.language, feed.encoding, feed.problems, feed.dropped_items, items)


@given(feed_body())
@settings(examples(200), deadline=timedelta(seconds=PARSE_BOUND_S))
def test_reading_known_items_gives_what_parsing_whole_gives(body: bytes) -> None:
    base = "https://example.org/feed"
    try:
        whole = parse_feed(body, base_url=base)
    except FeedParseError:
        with pytest.raises(FeedParseError):
            parse_feed(body, base_url=base, read_xml=xml_reader({}))
        return
    first = parse_feed(body, base_url=base, read_xml=xml_reader({}))
    assert _described(first) == _described(whole)
    if first.item_keys is not None:
        again = parse_feed(body, base_url=base, read_xml=xml_reader(first.item_keys))
        assert [i.key for i in again.items] == [i.key for i in whole.items]


@given(feed_body())
@settings(examples(30), deadline=None)
def test_feeds_parse_command_prints_json_lines_or_one_error_line(body: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.xml"
        path.write_bytes(body)
        result = CliRunner().invoke(app, ["feeds", "parse", str(path), "--timeout", "10"])
    # In process, a MarsadError reaches the runner; ``marsad`` itself prints it as one line.
    error = result.exception
    assert error is None or isinstance(error, (SystemExit, MarsadError)), repr(error)
    assert "Traceback" not in result.stderr
    if isinstance(error, MarsadError):
        assert "\n" not in str(error).strip() and str(path) in str(error), str(error)
        return
    if result.exit_code == 0:
        lines = result.stdout.rstrip("\n").split("\n")
        assert lines
        for line in lines:
            row = orjson.loads(line)
            assert set(row) == {"id", "url", "title", "published", "language", "text"}
    else:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert str(path) in result.stderr


# --- regression test for the bug fuzzing found -----------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'<rss version="2.0"><channel><item><title>t</title><link>http://[::1</link></item></channel></rss>',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": "http://[::1", "content_text": "x"}]}',
    ],
)
def test_item_with_invalid_ipv6_link_does_not_sink_the_feed(body: bytes) -> None:
    # Raising FeedParseError would sink the feed: the item must come through, link as written.
    [item] = parse_feed(body, base_url="https://example.org/feed").items
    assert item.url == "http://[::1"


def test_out_of_range_character_reference_does_not_sink_the_feed() -> None:
    body = b'<rss version="2.0"><channel><item><title>t</title><description>&#x110000;</description></item></channel></rss>'
    [item] = parse_feed(body).items
    assert item.title == "t"
    assert content_text(item.content, item.content_type) == "\ufffd"  # the one bad character, replaced


def test_markup_that_crashes_feedparsers_loose_parser_is_a_parse_error() -> None:
    # Found by the long fuzz run: feedparser raised KeyError('links') on this item.
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title></title><item><title></title>'
        b"<link</item>>https://example.org/a?b=1&amp;c=2</link><guid>tag:x,2021:1</guid></item></channel></rss>"
    )
    with pytest.raises(FeedParseError, match="KeyError"):
        parse_feed(body, base_url="https://example.org/feed")
