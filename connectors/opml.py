"""`marsad feeds import FILE.opml`: OPML subscription lists → feeds.yaml entries.

Every ``<outline>`` with an ``xmlUrl`` becomes a feed. Its id is a slug of its title
(or, for titles without Latin letters such as Arabic ones, of the feed's host and path),
made unique; the titles of the folders it sits in and its ``category`` attribute become
tags; a ``language`` attribute becomes the language hint.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree as ET

from connectors.config import FeedConfig, load_feeds
from connectors.encoding import decode_body
from connectors.xml_safety import harden_xml
from kernel.errors import ConfigError

MAX_OPML_BYTES = 20 * 1024 * 1024


def slugify(text: str, limit: int = 64) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-")


def _feed_slug(title: str, url: str) -> str:
    slug = slugify(title)
    if len(slug) >= 3:
        return slug
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return slugify(f"{host} {parts.path}") or "feed"


def _unique(slug: str, taken: set[str]) -> str:
    slug = slug[:64] or "feed"
    candidate, n = slug, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = slug[: 64 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _tag(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:64]


def parse_opml(data: bytes, *, path: str = "subscriptions.opml", taken_ids: set[str] | None = None) -> list[FeedConfig]:
    """The feeds of an OPML document; ConfigError (file:line: reason) when it is not OPML."""
    if len(data) > MAX_OPML_BYTES:
        raise ConfigError(f"larger than {MAX_OPML_BYTES} bytes", path=path)
    text, _encoding = decode_body(data)
    hardened, _problems = harden_xml(text)
    try:
        root = ET.fromstring(hardened)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ConfigError(
            f"not well-formed XML: {exc.msg if hasattr(exc, 'msg') else exc}", path=path, line=line
        ) from None
    if root.tag.lower() != "opml":
        raise ConfigError(f"root element is <{root.tag}>, expected <opml>", path=path, line=1)
    body = root.find("body")
    if body is None:
        raise ConfigError("no <body> element", path=path)
    taken = set(taken_ids or ())
    feeds: list[FeedConfig] = []

    def walk(node: ET.Element, folders: list[str]) -> None:
        for outline in node.findall("outline"):
            attrs = {k.lower(): v for k, v in outline.attrib.items()}
            title = attrs.get("title") or attrs.get("text") or ""
            url = (attrs.get("xmlurl") or "").strip()
            if url:
                tags = list(folders)
                for category in (attrs.get("category") or "").split(","):
                    tags += [c for c in category.strip().split("/") if c.strip()]
                tags = list(dict.fromkeys(_tag(t) for t in tags if _tag(t)))
                language = (attrs.get("language") or "").strip().lower() or None
                if language and not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", language):
                    language = None
                try:
                    feeds.append(
                        FeedConfig(
                            id=_unique(_feed_slug(title, url), taken), url=url, language=language, tags=tuple(tags)
                        )
                    )
                except ValueError as exc:
                    raise ConfigError(f"outline {title or url!r}: {exc}", path=path) from None
            walk(outline, folders + [title] if (title and not url) else folders)

    walk(body, [])
    return feeds


def import_opml(opml_path: Path, existing: list[FeedConfig]) -> tuple[list[FeedConfig], list[FeedConfig]]:
    """``(all feeds, feeds added)``: the OPML's feeds merged into ``existing`` (a feed whose
    URL is already configured is skipped)."""
    try:
        data = Path(opml_path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=str(opml_path)) from None
    known_urls = {f.url for f in existing}
    imported = parse_opml(data, path=str(opml_path), taken_ids={f.id for f in existing})
    added = []
    for feed in imported:
        if feed.url not in known_urls:
            known_urls.add(feed.url)
            added.append(feed)
    return existing + added, added


def load_existing(path: Path) -> list[FeedConfig]:
    return load_feeds(path, resolve_paths=False) if path.exists() else []
