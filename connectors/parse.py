"""Feed bodies → items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1
with a reader of our own (feedparser does not read it).

The body is hostile until proven otherwise, so before feedparser sees it:
- it is decoded here, once (``connectors.encoding``): declared encodings, UTF-8 with a few
  bad bytes replaced, detection of undeclared legacy encodings; then it is handed over as
  UTF-8;
- its DTD is read by expat and removed (``connectors.xml_safety``): plain-text entities
  are expanded within a budget, entity-expansion bombs and external entities never reach
  a parser;
- size is capped, and so are the items taken (``ParseLimits.max_items``; the rest are
  counted in ``ParsedFeed.dropped_items``) and the time spent (``ParseLimits.time_budget_s``).
HTML in items is bounded in depth (``connectors.html_depth``) and sanitized once against
an allowlist (``connectors.sanitize``); ``content_text`` gives the plain text the ``feeds
parse`` command prints. A guid is an item's id; it becomes its link only when it is an
absolute http(s) URL, and so does any item link (``kernel.links``: no ``javascript:``,
``data:`` or ``file:`` link leaves the parser).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

import feedparser
import orjson

from connectors.encoding import decode_body
from connectors.html_depth import bound_depth
from connectors.sanitize import sanitize_html
from connectors.xml_safety import harden_xml
from kernel.errors import FeedParseError
from kernel.html_text import html_to_text, normalize_space
from kernel.links import http_link
from kernel.messages import article_id

# feedparser asks xml.sax for the libxml2 driver first; it is not installed, and the failed
# import searched sys.path again on every parse (≈ 4 % of the connector's CPU). Expat only.
feedparser.api.PREFERRED_XML_PARSERS.clear()

MAX_PARSE_BYTES = 10 * 1024 * 1024
MAX_ITEMS = 5000
ContentType = Literal["text/html", "text/plain"]


@dataclass(frozen=True)
class ItemBody:
    """An item's content and summary as an article carries them (HTML sanitized)."""

    content: str
    summary: str  # the fallback when full text extraction fails
    summary_type: ContentType


@dataclass(frozen=True, eq=False)
class FeedItem:
    """One item. Its body is sanitized on first use, not at parse time: a changed feed
    repeats mostly items already published, and those are never read (nh3 is the larger
    part of parsing them)."""

    key: str  # what identifies the item within its feed: guid, else link, else title
    url: str
    title: str
    content_type: ContentType  # of ``content``
    published: str | None  # ISO 8601, UTC
    make_body: Callable[[], ItemBody] = field(repr=False)
    # False: the item's XML is, byte for byte, one parsed at an earlier poll of the feed,
    # and only its key was taken from then (``connectors.known_items``); url, title and
    # body are empty and the item must be parsed again before it is used.
    parsed: bool = True

    @functools.cached_property
    def body(self) -> ItemBody:
        return self.make_body()

    @property
    def content(self) -> str:
        """Sanitized HTML or plain text (see ``content_type``)."""
        return self.body.content

    @property
    def summary(self) -> str:
        return self.body.summary

    @property
    def summary_type(self) -> ContentType:
        return self.body.summary_type


@dataclass
class ParsedFeed:
    format: str  # rss20, atom10, rss10, json1.1 …
    title: str = ""
    language: str | None = None
    encoding: str = "utf-8"
    items: list[FeedItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # recoverable defects found
    dropped_items: int = 0  # items beyond the item cap, not returned
    # digest of each item's XML → its key, for the next poll (``connectors.known_items``);
    # None when the body was parsed whole
    item_keys: dict[bytes, str] | None = None


class ParseBudgetExceeded(FeedParseError):
    """Parsing a body took longer than the time it was given."""


@dataclass(frozen=True)
class ParseLimits:
    """What one body may cost: items returned, and seconds of parsing (None: no limit)."""

    max_items: int = MAX_ITEMS
    time_budget_s: float | None = None

    def deadline(self) -> float | None:
        return None if self.time_budget_s is None else time.monotonic() + self.time_budget_s

    def check(self, deadline: float | None) -> None:
        """Raise ParseBudgetExceeded once ``deadline`` has passed."""
        if deadline is not None and time.monotonic() > deadline:
            raise ParseBudgetExceeded(f"parsing took longer than {self.time_budget_s:g}s")


def capped_entries(entries: list[Any], limits: ParseLimits, problems: list[str]) -> tuple[list[Any], int]:
    """The first ``max_items`` entries (feeds list newest first) and how many were dropped."""
    dropped = max(0, len(entries) - limits.max_items)
    if dropped:
        problems.append(f"dropped {dropped} items beyond the cap of {limits.max_items} per feed")
    return entries[: limits.max_items], dropped


# --- HTML ----------------------------------------------------------------------------------


def content_text(content: str, content_type: ContentType) -> str:
    """The plain text of an item's title or content, spacing folded (``normalize_space``)."""
    return html_to_text(content, fold_spaces=True) if content_type == "text/html" else normalize_space(content)


# --- dates -----------------------------------------------------------------------------------


def _iso_from_struct(value: Any) -> str | None:
    try:
        moment = datetime(*value[:6]).replace(tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    return moment.isoformat().replace("+00:00", "Z")


def _iso_from_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        parsed = feedparser.datetimes._parse_date(value)  # RFC 822 and friends
        return _iso_from_struct(parsed) if parsed else None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- feedparser (RSS, Atom) ---------------------------------------------------------------


def _item_key(*candidates: Any) -> str:
    for value in candidates:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _detail_type(detail: Any) -> ContentType:
    kind = (detail or {}).get("type", "") if isinstance(detail, dict) else ""
    return "text/plain" if kind == "text/plain" else "text/html"


def _title_text(entry: Any) -> str:
    title = entry.get("title", "") or ""
    if not isinstance(title, str):
        return ""
    return content_text(bound_depth(title), _detail_type(entry.get("title_detail")))


def _html(value: str) -> str:
    """Item HTML as it is stored: nesting bounded, then sanitized."""
    return sanitize_html(bound_depth(value))


def _link_is_guid(entry: Any, link: str) -> bool:
    """Whether feedparser took ``link`` from a guid (or Atom id) that is not an absolute
    http(s) URL: such a guid is an id ("12345", "tag:…"), and resolving it against the
    feed's URL would invent a link."""
    if not entry.get("guidislink") or link != entry.get("id") or entry.get("links"):
        return False
    try:
        parts = urllib.parse.urlsplit(link.strip())
    except ValueError:
        return True
    return not (parts.scheme.lower() in ("http", "https") and parts.netloc)


def _entry_body(summary_value: str, summary_type: ContentType, best: Any) -> ItemBody:
    """The sanitized body of a feedparser entry whose chosen content alternative is ``best``
    (None: the summary is the content, sanitized once)."""
    summary = _html(summary_value) if summary_type == "text/html" else summary_value
    ctype = summary_type
    if best is not None:
        content, ctype = str(best["value"]), _detail_type(best)
        if ctype == "text/html":
            content = _html(content)
    else:
        content = summary
    return ItemBody(content=content, summary=summary or content, summary_type=summary_type if summary else ctype)


def _known_body(body: ItemBody) -> Callable[[], ItemBody]:
    def known() -> ItemBody:
        return body

    return known


def _entry_item(entry: Any) -> FeedItem | None:
    link = entry.get("link", "") or ""
    if not isinstance(link, str) or _link_is_guid(entry, link):
        link = ""
    title = _title_text(entry)
    contents = [c for c in (entry.get("content") or []) if isinstance(c, dict) and c.get("value")]
    summary_value = str(entry.get("summary", "") or "")
    summary_type = _detail_type(entry.get("summary_detail"))
    # Prefer HTML over plain text, then the longest alternative.
    best = max(contents, key=lambda c: (_detail_type(c) == "text/html", len(c.get("value", "")))) if contents else None
    make_body: Callable[[], ItemBody] = functools.partial(_entry_body, summary_value, summary_type, best)
    key = _item_key(entry.get("id"), link, title)
    if not key:  # identified by its content: the one case where the body is needed now
        body = make_body()
        if not body.content.strip():
            return None
        key = "sha1:" + hashlib.sha1(body.content.encode("utf-8", "replace")).hexdigest()
        make_body = _known_body(body)
    published = None
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        # read as a plain dict: feedparser's own lookup answers a missing "updated_parsed"
        # with "published_parsed" (already tried) and a deprecation warning for each entry
        parsed = dict.get(entry, name)
        if parsed:
            published = _iso_from_struct(parsed)
            if published:
                break
    return FeedItem(
        key=key,
        url=link.strip(),
        title=title,
        content_type=_detail_type(best) if best is not None else summary_type,
        published=published,
        make_body=make_body,
    )


# A character reference beyond Unicode (or to a surrogate), raw or escaped once inside
# item HTML, makes feedparser raise and would lose the whole feed for one bad character.
_CHARREF = re.compile(r"&(amp;)?#(x[0-9a-fA-F]+|[0-9]+);")


def _replace_bad_charref(match: re.Match[str]) -> str:
    digits = match.group(2)
    try:
        code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    except ValueError:
        code = -1
    if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return match.group(0)
    return f"&{match.group(1) or ''}#xFFFD;"


def safe_urljoin(base: str, url: str) -> str:
    """``urljoin`` that keeps the link as written when either side is malformed
    (``http://[::1`` raises): one bad link must not lose the feed."""
    try:
        return urllib.parse.urljoin(base, url)
    except ValueError:
        return url


def prepare_xml(text: str) -> tuple[str, list[str]]:
    """``text`` as feedparser may read it (DTD gone, bad character references replaced)
    and the defects found on the way."""
    hardened, problems = harden_xml(text)
    return _CHARREF.sub(_replace_bad_charref, hardened), list(problems)


def run_feedparser(hardened: str) -> Any:
    """feedparser's result for a document from ``prepare_xml``."""
    # No Content-Location: feedparser would resolve relative guids against the URL the
    # feed was fetched from, and an item's id must not change when a feed moves. Links
    # are resolved below instead; xml:base inside the document still applies.
    headers = {"content-type": "application/xml; charset=utf-8"}
    try:
        return feedparser.parse(io.BytesIO(hardened.encode("utf-8", "replace")), response_headers=headers)
    except Exception as exc:  # feedparser's loose parser trips over some malformed markup (KeyError …)
        raise FeedParseError(f"malformed feed that feedparser cannot read: {type(exc).__name__}: {exc}") from None


def bozo_problem(result: Any) -> str | None:
    """What made feedparser's result "bozo" (malformed), None when it is not."""
    if not result.get("bozo"):
        return None
    bozo = result.get("bozo_exception")
    return f"{type(bozo).__name__}: {bozo}" if bozo else "malformed feed"


def entry_items(
    entries: list[Any], base_url: str, limits: ParseLimits, deadline: float | None
) -> list[FeedItem | None]:
    """One item per feedparser entry, its link resolved against ``base_url``; None for an
    entry with neither an id nor any content."""
    items: list[FeedItem | None] = []
    for entry in entries:
        limits.check(deadline)
        item = _entry_item(entry)
        if item is not None:
            url = safe_urljoin(base_url, item.url) if base_url and item.url else item.url
            item = replace(item, url=http_link(url))
        items.append(item)
    return items


def feed_of(result: Any, items: list[FeedItem], encoding: str, problems: list[str], dropped: int) -> ParsedFeed:
    """The ParsedFeed of feedparser's ``result`` with ``items`` taken from its entries."""
    feed = result.get("feed") or {}
    language = feed.get("language") if isinstance(feed.get("language"), str) else None
    return ParsedFeed(
        format=result.get("version") or "unknown",
        title=_title_text(feed),
        language=language,
        encoding=encoding,
        items=items,
        problems=problems,
        dropped_items=dropped,
    )


def parse_xml(text: str, base_url: str, encoding: str, limits: ParseLimits, deadline: float | None) -> ParsedFeed:
    """An RSS or Atom document (decoded) through feedparser."""
    hardened, problems = prepare_xml(text)
    return parse_prepared(hardened, problems, base_url, encoding, limits, deadline)


def parse_prepared(
    hardened: str, problems: list[str], base_url: str, encoding: str, limits: ParseLimits, deadline: float | None
) -> ParsedFeed:
    """``parse_xml`` of a document from ``prepare_xml`` (``problems``: those it found)."""
    result = run_feedparser(hardened)
    bozo = bozo_problem(result)
    if bozo:
        problems.append(bozo)
    limits.check(deadline)
    entries, dropped = capped_entries(list(result.get("entries") or []), limits, problems)
    items = [item for item in entry_items(entries, base_url, limits, deadline) if item is not None]
    return feed_of(result, items, encoding, problems, dropped)


# --- JSON Feed ----------------------------------------------------------------------------


def _json_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _json_body(html: str, plain: str, summary: str) -> ItemBody:
    """A JSON Feed item's body: its HTML sanitized, else its text, else its summary."""
    ctype: ContentType = "text/html" if html else "text/plain"
    content = _html(html) if html else plain or summary
    return ItemBody(content=content, summary=summary or content, summary_type="text/plain" if summary else ctype)


def parse_json_feed(
    text: str, base_url: str = "", limits: ParseLimits = ParseLimits(), deadline: float | None = None
) -> ParsedFeed:
    """JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise FeedParseError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise FeedParseError("a JSON Feed is an object with an 'items' list")
    version = _json_str(data.get("version"))
    items_data = data.get("items")
    if not isinstance(items_data, list):
        raise FeedParseError("JSON document has no 'items' list (not a JSON Feed)")
    problems: list[str] = []
    if not version.startswith("https://jsonfeed.org/version/1"):
        problems.append(f"unknown JSON Feed version {version!r}")
    base = _json_str(data.get("feed_url")) or _json_str(data.get("home_page_url")) or base_url
    if base_url and base:
        base = safe_urljoin(base_url, base)
    entries, dropped = capped_entries(items_data, limits, problems)
    items = []
    for raw in entries:
        limits.check(deadline)
        if not isinstance(raw, dict):
            problems.append("skipped an item that is not an object")
            continue
        url = ""
        for candidate in (_json_str(raw.get("url")), _json_str(raw.get("external_url"))):
            url = http_link(safe_urljoin(base, candidate) if candidate and base else candidate)
            if url:
                break
        html = _json_str(raw.get("content_html"))
        plain = _json_str(raw.get("content_text"))
        summary = _json_str(raw.get("summary"))
        title = normalize_space(_json_str(raw.get("title")))
        key = _item_key(_json_str(raw.get("id")), url, title)
        make_body: Callable[[], ItemBody] = functools.partial(_json_body, html, plain, summary)
        if not key:  # identified by its content: the one case where the body is needed now
            body = make_body()
            if not body.content.strip():
                continue
            key = "sha1:" + hashlib.sha1(body.content.encode("utf-8", "replace")).hexdigest()
            make_body = _known_body(body)
        published = _iso_from_text(raw.get("date_published")) or _iso_from_text(raw.get("date_modified"))
        items.append(
            FeedItem(
                key=key,
                url=url,
                title=title,
                content_type="text/html" if html else "text/plain",
                published=published,
                make_body=make_body,
            )
        )
    language = _json_str(data.get("language")) or None
    return ParsedFeed(
        format="json" + (version.rsplit("/", 1)[-1] if version else ""),
        title=normalize_space(_json_str(data.get("title"))),
        language=language,
        items=items,
        problems=problems,
        dropped_items=dropped,
    )


# --- entry point ---------------------------------------------------------------------------


def _looks_like_json(text: str, content_type: str | None) -> bool:
    head = text.lstrip()[:1]
    if head == "{":
        return True
    return bool(content_type and "json" in content_type.lower() and head in ("{", "["))


def primary_language(tag: str | None) -> str | None:
    """``ar`` for ``ar-EG``, ``AR``, ``ar_SA``; None for anything that is not a language tag."""
    if not tag:
        return None
    match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$", tag)
    return match.group(1).lower() if match else None


# (decoded text, base URL, encoding, limits, deadline) → the feed: how an XML body is read
XmlReader = Callable[[str, str, str, ParseLimits, float | None], ParsedFeed]


def parse_feed(
    body: bytes,
    *,
    base_url: str = "",
    content_type: str | None = None,
    limits: ParseLimits = ParseLimits(),
    read_xml: XmlReader = parse_xml,
) -> ParsedFeed:
    """Items of a feed body (RSS, Atom or JSON Feed). Raises FeedParseError only when the
    body is empty, too large, or JSON that is not a feed, and ParseBudgetExceeded when
    parsing outlasts ``limits.time_budget_s``; malformed XML yields whatever items are
    recoverable (possibly none) with the defects listed in ``problems``."""
    if not body.strip():
        raise FeedParseError("empty body")
    if len(body) > MAX_PARSE_BYTES:
        raise FeedParseError(f"body larger than {MAX_PARSE_BYTES} bytes")
    started = time.monotonic()
    deadline = limits.deadline()
    text, encoding = decode_body(body, content_type)
    limits.check(deadline)
    if _looks_like_json(text, content_type):
        feed = parse_json_feed(text, base_url, limits, deadline)
        feed.encoding = encoding
        return feed
    feed = read_xml(text, base_url, encoding, limits, deadline)
    if time.monotonic() - started > 5:
        feed.problems.append(f"slow parse ({time.monotonic() - started:.1f}s)")
    return feed


def items_by_id(feed_id: str, parsed: ParsedFeed) -> dict[str, FeedItem]:
    """Article id → item, first occurrence wins (feeds repeat items)."""
    out: dict[str, FeedItem] = {}
    for item in parsed.items:
        out.setdefault(article_id(feed_id, item.key), item)
    return out
