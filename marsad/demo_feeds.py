"""The demo's local feed server: renders deploy/demo/articles.yaml as RSS 2.0 and Atom.

Also used by the tests to put any article (the seed articles, for example) on a real
HTTP feed that the real connector polls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from kernel.config_files import load_document
from kernel.settings import DEMO_DIR
from marsad.feed_http import EtagFeedServer

ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass
class FeedItem:
    guid: str
    link: str
    title: str
    body: str
    published: str | None = None
    expect: dict = field(default_factory=dict)


@dataclass
class DemoFeed:
    id: str
    title: str
    language: str
    format: str  # rss | atom
    items: list[FeedItem]


def _iso(value: Any) -> str | None:
    """``published`` as ISO 8601 text (YAML reads an unquoted time as a datetime)."""
    if not value:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def load_demo_feeds(path: Path = DEMO_DIR / "articles.yaml") -> list[DemoFeed]:
    data = load_document(path).data
    feeds = []
    for f in data["feeds"]:
        items = [
            FeedItem(
                guid=i["guid"],
                link=i["link"],
                title=i["title"],
                body=i["body"],
                published=_iso(i.get("published")),
                expect=i.get("expect") or {},
            )
            for i in f["items"]
        ]
        feeds.append(DemoFeed(f["id"], f["title"], f.get("language", "ar"), f.get("format", "rss"), items))
    return feeds


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC))


def render_rss(feed: DemoFeed) -> bytes:
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = feed.title
    ET.SubElement(channel, "link").text = f"https://{feed.id}.example/"
    ET.SubElement(channel, "description").text = feed.title
    ET.SubElement(channel, "language").text = feed.language
    for item in feed.items:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = item.title
        ET.SubElement(node, "link").text = item.link
        ET.SubElement(node, "guid", isPermaLink="false").text = item.guid
        if item.published:
            ET.SubElement(node, "pubDate").text = _rfc822(item.published)
        ET.SubElement(node, "description").text = item.body
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="utf-8")


def render_atom(feed: DemoFeed) -> bytes:
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    ET.SubElement(root, f"{{{ATOM_NS}}}title").text = feed.title
    ET.SubElement(root, f"{{{ATOM_NS}}}id").text = f"urn:marsad-demo:{feed.id}"
    ET.SubElement(root, f"{{{ATOM_NS}}}updated").text = "2026-11-20T20:00:00Z"
    for item in feed.items:
        entry = ET.SubElement(root, f"{{{ATOM_NS}}}entry")
        ET.SubElement(entry, f"{{{ATOM_NS}}}title").text = item.title
        ET.SubElement(entry, f"{{{ATOM_NS}}}id").text = item.guid
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", href=item.link)
        if item.published:
            ET.SubElement(entry, f"{{{ATOM_NS}}}updated").text = item.published
            ET.SubElement(entry, f"{{{ATOM_NS}}}published").text = item.published
        ET.SubElement(entry, f"{{{ATOM_NS}}}content", type="html").text = item.body
    root.set("xml:lang", feed.language)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def render(feed: DemoFeed) -> bytes:
    return render_atom(feed) if feed.format == "atom" else render_rss(feed)


class FeedServer(EtagFeedServer):
    """Serves ``/<feed id>.xml`` for each feed on 127.0.0.1, with ETag support."""

    def __init__(self, feeds: list[DemoFeed], port: int = 0) -> None:
        self.bodies = {f"/{f.id}.xml": render(f) for f in feeds}
        super().__init__(self._body, "127.0.0.1", port, name="demo-feeds")

    def _body(self, path: str) -> tuple[bytes, str] | None:
        body = self.bodies.get(path)
        return None if body is None else (body, "application/xml")

    def url(self, feed_id: str) -> str:
        return f"http://127.0.0.1:{self.port}/{feed_id}.xml"

    def start(self) -> FeedServer:
        self.start_serving()
        return self


def write_feeds_yaml(feeds: list[DemoFeed], server: FeedServer, path: Path) -> Path:
    """A feeds.yaml (connector format) pointing at the running feed server."""
    lines = ["feeds:"]
    for f in feeds:
        lines += [
            f"  - id: {f.id}",
            f"    url: {server.url(f.id)}",
            f"    language: {f.language}",
            "    poll: {min: 5s, max: 60s}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
