"""Items a changed feed repeats from its previous body, recognised without parsing them again.

A changed RSS body mostly repeats the items of the one before (a news feed lists its newest
20-50, one to three of them new), and feedparser reading them all again was the larger part
of the connector's CPU: ≈ 12 ms for a body of 35 items of 2 KB, 0.3 ms an item
(``bench/bench_connectors.py``, December 2026; decoding, hardening and cutting the items
out as text take ≈ 1.5 ms). So each item element is cut out of the hardened document as
text and digested together with the start of the document it is read in (everything up to
the channel's start tag: root, namespaces, xml:base). An item whose digest was in the
previous body takes its key from then; feedparser reads a document of the channel and the
other items only, and each item it returns is what it returns reading the whole body.
Items taken from before are returned with ``FeedItem.parsed`` False (key only): the
connector parses the body whole when one of those turns out not to be published yet.

Anything unusual is read whole, as before, by feedparser: a body that is not RSS, items
that cannot be cut out cleanly (self-closing, namespaced or nested items, Atom entries,
CDATA or comments that are not closed inside the piece they open in), anything but
white space between items, and a document that is not well-formed XML (feedparser's loose
parser then reads all of it).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from xml.parsers import expat

from connectors.parse import (
    FeedItem,
    ItemBody,
    ParsedFeed,
    ParseLimits,
    XmlReader,
    bozo_problem,
    capped_entries,
    entry_items,
    feed_of,
    parse_prepared,
    parse_xml,
    prepare_xml,
    run_feedparser,
)

# digest of an item's XML in its document → the item's key ("" for an item the parser drops)
KnownItems = dict[bytes, str]

_ITEM_START = re.compile(r"<item(?:\s[^<>]*)?>")
_ITEM_END = re.compile(r"</item\s*>")
# Every element feedparser makes an entry of, in any case or namespace: each must be one
# of the items cut out.
_ANY_ENTRY_START = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]", re.IGNORECASE)
_ANY_ENTRY_END = re.compile(r"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>", re.IGNORECASE)
_ROOT = re.compile(r"<rss[\s>]")
_CHANNEL = re.compile(r"<channel(?:\s[^<>]*)?>")
_ELEMENT = re.compile(r"<[A-Za-z_]")


@dataclass(frozen=True)
class ItemPieces:
    """A document cut around its items: ``head`` + items (white space between) + ``tail``."""

    head: str
    items: list[str]
    tail: str
    context: bytes  # digest of the head up to the channel's start tag


def _closed(piece: str) -> bool:
    """Whether every CDATA section and comment opened in ``piece`` closes in it."""
    return piece.count("<![CDATA[") == piece.count("]]>") and piece.count("<!--") == piece.count("-->")


def cut_items(hardened: str) -> ItemPieces | None:
    """The item elements of an RSS document as text, or None when they cannot be cut out
    safely (see the module's docstring)."""
    starts = list(_ITEM_START.finditer(hardened))
    if not starts or len(_ANY_ENTRY_START.findall(hardened)) != len(starts):
        return None
    if len(_ANY_ENTRY_END.findall(hardened)) != len(starts):
        return None
    spans: list[tuple[int, int]] = []
    position = starts[0].start()
    for start in starts:
        if start.start() < position or start.group().endswith("/>"):
            return None  # nested in the previous item, or an empty element
        end = _ITEM_END.search(hardened, start.end())
        if end is None:
            return None
        if spans and hardened[spans[-1][1] : start.start()].strip():
            return None
        spans.append((start.start(), end.end()))
        position = end.end()
    head, tail = hardened[: spans[0][0]], hardened[spans[-1][1] :]
    root = _ROOT.search(head)
    if root is None or _ELEMENT.search(head, 0, root.start()):
        return None
    channel = _CHANNEL.search(head, root.end())
    if channel is None:
        return None
    items = [hardened[a:b] for a, b in spans]
    if not all(_closed(piece) for piece in (head, tail, *items)):
        return None
    context = hashlib.blake2b(head[: channel.end()].encode("utf-8", "replace"), digest_size=16).digest()
    return ItemPieces(head, items, tail, context)


def item_digest(context: bytes, item: str) -> bytes:
    return hashlib.blake2b(item.encode("utf-8", "replace"), digest_size=16, key=context).digest()


def well_formed(hardened: str) -> bool:
    """Whether expat, with namespaces as feedparser's strict parser uses it, reads the
    whole document without error."""
    parser = expat.ParserCreate(None, " ")
    try:
        parser.Parse(hardened.encode("utf-8", "replace"), True)
    except expat.ExpatError:
        return False
    return True


def _not_parsed() -> ItemBody:
    raise RuntimeError("the body of an item taken from an earlier poll was used; parse the feed whole")


def read_xml_known(
    known: KnownItems, text: str, base_url: str, encoding: str, limits: ParseLimits, deadline: float | None
) -> ParsedFeed:
    """``connectors.parse.parse_xml`` that parses only the items not in ``known``; the
    result's ``item_keys`` are the known items of this body (None when it was read whole)."""
    hardened, hardening_problems = prepare_xml(text)
    pieces = cut_items(hardened)
    if pieces is None or not well_formed(hardened):
        return parse_prepared(hardened, hardening_problems, base_url, encoding, limits, deadline)
    problems = list(hardening_problems)
    items_xml, dropped = capped_entries(pieces.items, limits, problems)
    digests = [item_digest(pieces.context, item) for item in items_xml]
    missing = [i for i, digest in enumerate(digests) if digest not in known]
    result = run_feedparser(pieces.head + "".join(items_xml[i] for i in missing) + pieces.tail)
    entries = list(result.get("entries") or [])
    if bozo_problem(result) or len(entries) != len(missing):
        return parse_prepared(hardened, hardening_problems, base_url, encoding, limits, deadline)
    limits.check(deadline)
    parsed = dict(zip(missing, entry_items(entries, base_url, limits, deadline), strict=True))
    items: list[FeedItem] = []
    keys: KnownItems = {}
    for i, digest in enumerate(digests):
        if i in parsed:
            item = parsed[i]
            keys[digest] = item.key if item is not None else ""
        else:
            keys[digest] = key = known[digest]
            item = FeedItem(key, "", "", "text/html", None, _not_parsed, parsed=False) if key else None
        if item is not None:
            items.append(item)
    feed = feed_of(result, items, encoding, problems, dropped)
    feed.item_keys = keys
    return feed


def xml_reader(known: KnownItems | None) -> XmlReader:
    """How ``connectors.parse.parse_feed`` reads an XML body: whole (``known`` None), or
    taking the items of ``known`` (the feed's previous ``item_keys``, empty at first)
    from before instead of parsing them."""
    return parse_xml if known is None else functools.partial(read_xml_known, known)
