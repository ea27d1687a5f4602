"""Feed bodies → items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1
with a reader of our own (feedparser does not read it).

The body is hostile until proven otherwise, so before feedparser sees it:
- it is decoded here, once: BOM, XML auto-detection, the HTTP charset, the XML
  declaration, strict UTF-8, and for undeclared legacy bytes a guess between
  windows-1256, ISO-8859-6 and windows-1252 (feedparser alone falls back to windows-1252
  and turns undeclared Arabic into mojibake); then it is handed over as UTF-8;
- the DOCTYPE internal subset is dropped except for entities that are a single character
  reference, so entity-expansion bombs and external entities never reach a parser;
- characters XML forbids are removed, so one stray control byte does not send the whole
  feed to the loose parser;
- size and item count are capped.
HTML in items is sanitized (script, style and other active content removed with their
text); ``html_to_text`` gives the plain text the ``feeds parse`` command prints.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import time
import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.entities import name2codepoint
from typing import Any, Literal

import feedparser
import orjson
from selectolax.lexbor import LexborHTMLParser

from kernel.errors import FeedParseError
from kernel.messages import article_id

MAX_PARSE_BYTES = 10 * 1024 * 1024
MAX_ITEMS = 5000
ContentType = Literal["text/html", "text/plain"]

# Elements whose text must never reach an article, and elements that are active content.
_DROPPED_ELEMENTS = [
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "link",
    "meta",
    "base",
    "form",
    "svg",
    "math",
    "title",
    "head",
]
_BLOCK_END = re.compile(
    r"<(?:br|hr|/p|/div|/li|/h[1-6]|/tr|/blockquote|/pre|/section|/article|/header|/footer|/ul|/ol"
    r"|/table|/dd|/dt|/figcaption|/figure)\b[^>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECL = re.compile(r"^(<\?xml[^>]{0,300}?encoding\s*=\s*)([\"'])([A-Za-z0-9._:-]{1,40})\2")
_XML_DECL_BYTES = re.compile(rb"^<\?xml[^>]{0,300}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_SAFE_ENTITY = re.compile(r"<!ENTITY\s+([A-Za-z_][\w.-]{0,63})\s+([\"'])(&#(?:x[0-9A-Fa-f]{1,6}|[0-9]{1,7});)\2\s*>")
_PUBLIC_ID = re.compile(r"PUBLIC\s+([\"'])([^\"'<>]{0,200})\1\s*(?:([\"'])([^\"'<>]{0,300})\3)?", re.IGNORECASE)
_ROOT_NAME = re.compile(r"<!DOCTYPE\s+([A-Za-z_][\w.:-]{0,63})", re.IGNORECASE)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# Latin-1 defaults servers send when nobody configured a charset; an explicit XML
# declaration is more trustworthy than these.
_WEAK_CHARSETS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}


@dataclass(frozen=True)
class FeedItem:
    key: str  # what identifies the item within its feed: guid, else link, else title
    url: str
    title: str
    content: str  # sanitized HTML or plain text (see content_type)
    content_type: ContentType
    published: str | None  # ISO 8601, UTC
    summary: str = ""  # sanitized summary, the fallback when full text extraction fails
    summary_type: ContentType = "text/html"


@dataclass
class ParsedFeed:
    format: str  # rss20, atom10, rss10, json1.1 …
    title: str = ""
    language: str | None = None
    encoding: str = "utf-8"
    items: list[FeedItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # recoverable defects found


# --- decoding ------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_XML_SIGNATURES = (
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def guess_legacy_encoding(body: bytes) -> str:
    """Undeclared, non-UTF-8 bytes: windows-1256 or ISO-8859-6 when they read as Arabic,
    else windows-1252. The article "ال" is the most frequent Arabic bigram and the two
    Arabic code pages place its lam differently, which separates them reliably."""
    best, best_score = "cp1252", 0
    for encoding in ("cp1256", "iso8859_6"):
        text = _strict(body, encoding)
        if text is None:
            continue
        non_ascii = sum(1 for ch in text if ord(ch) > 127)
        arabic = len(_ARABIC_LETTER.findall(text))
        if not non_ascii or arabic * 2 < non_ascii:
            continue
        score = text.count("ال") * 4 + arabic
        if text.count("ال") and score > best_score:
            best, best_score = encoding, score
    return codecs.lookup(best).name


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a feed body; never raises (undecodable bytes are replaced)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), encoding
    for signature, encoding in _XML_SIGNATURES:
        if body.startswith(signature):
            text = body.decode(encoding, errors="replace")
            return text, encoding
    header = _codec((_CHARSET.search(content_type or "") or [None, None])[1])
    decl_match = _XML_DECL_BYTES.match(body.lstrip()[:400])
    declared = _codec(decl_match.group(1).decode("ascii")) if decl_match else None
    if declared in ("utf-16", "utf-32"):  # a UTF-16 declaration in ASCII bytes is a lie
        declared = None
    candidates = []
    if header and not (declared and header in {_codec(n) for n in _WEAK_CHARSETS}):
        candidates.append(header)
    candidates += [c for c in (declared, header, "utf-8") if c]
    for encoding in dict.fromkeys(candidates):
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding
    encoding = guess_legacy_encoding(body)
    return body.decode(encoding, errors="replace"), encoding


# --- XML hardening ---------------------------------------------------------------------


def _prolog_end(text: str) -> int:
    """Index where the root element starts (after XML declaration, PIs, comments, DOCTYPE)."""
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            pos = n if end < 0 else end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            pos = n if end < 0 else end + 3
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            pos = _doctype_end(text, pos)
        else:
            return pos
    return n


def _doctype_end(text: str, start: int) -> int:
    """End of a DOCTYPE declaration, honouring quotes and an internal subset in [...]."""
    depth, quote, pos, n = 0, "", start + 2, len(text)
    while pos < n:
        ch = text[pos]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == ">" and depth == 0:
            return pos + 1
        pos += 1
    return n


_ENTITY_REF = re.compile(r"&([A-Za-z_][A-Za-z0-9._-]{0,63});")
_XML_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}


def _rewrite_entities(text: str, declared: dict[str, str]) -> str:
    """Named entity references → character references, so the strict XML parser needs no
    DTD: declared single-character entities and HTML's named entities are kept, anything
    else is escaped and shows as the literal text it was."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_PREDEFINED:
            return match.group(0)
        if name in declared:
            return declared[name]
        codepoint = name2codepoint.get(name)
        if codepoint is not None:
            return f"&#{codepoint};"
        return f"&amp;{name};"

    return _ENTITY_REF.sub(replace, text)


def harden_xml(text: str) -> tuple[str, list[str]]:
    """Remove the DOCTYPE internal subset (entities that are a single character reference
    are inlined, every other declaration dropped), remove characters XML forbids, and
    rewrite the declared encoding to UTF-8 (the text is handed on as UTF-8)."""
    problems: list[str] = []
    text = text.lstrip("\ufeff")
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("", text)
        problems.append("removed characters not allowed in XML")
    root = _prolog_end(text)
    prolog = text[:root]
    declared: dict[str, str] = {}
    doctype_match = re.search("<!DOCTYPE", prolog, re.IGNORECASE)
    if doctype_match:
        start = doctype_match.start()
        end = _doctype_end(prolog, start)
        doctype = prolog[start:end]
        declared = {name: value for name, _q, value in _SAFE_ENTITY.findall(doctype)[:256]}
        count = len(re.findall("<!ENTITY", doctype, re.IGNORECASE))
        if count > len(declared):
            problems.append(f"dropped {count - len(declared)} unsafe entity declaration(s)")
        name_match = _ROOT_NAME.match(doctype)
        public = _PUBLIC_ID.search(doctype.split("[", 1)[0])
        rebuilt = ""
        if public and name_match:  # kept: feedparser tells RSS 0.91 Netscape from Userland by it
            rebuilt = f'<!DOCTYPE {name_match.group(1)} PUBLIC "{public.group(2)}"'
            rebuilt += f' "{public.group(4)}">' if public.group(4) else ">"
        prolog = prolog[:start] + rebuilt + prolog[end:]
    prolog = _XML_DECL.sub(lambda m: f"{m.group(1)}{m.group(2)}utf-8{m.group(2)}", prolog, count=1)
    return prolog + _rewrite_entities(text[root:], declared), problems


# --- HTML ----------------------------------------------------------------------------------


def _clean_tree(html: str) -> LexborHTMLParser:
    tree = LexborHTMLParser(html)
    tree.strip_tags(_DROPPED_ELEMENTS)
    return tree


def sanitize_html(html: str) -> str:
    """``html`` without scripts, styles, active content, event handlers or script URLs."""
    if "<" not in html:
        return html
    tree = _clean_tree(html)
    body = tree.body
    if body is None:
        return ""
    for node in body.traverse():
        attrs = node.attributes
        if not attrs:
            continue
        for name, value in list(attrs.items()):
            lowered = name.lower()
            if lowered.startswith("on") or lowered in ("style", "srcdoc", "formaction"):
                del node.attrs[name]
            elif (
                lowered in ("href", "src", "action", "xlink:href")
                and value
                and (
                    value.strip()
                    .lower()
                    .replace("\t", "")
                    .replace("\n", "")
                    .startswith(("javascript:", "vbscript:", "data:text/html"))
                )
            ):
                del node.attrs[name]
    return body.inner_html or ""


def normalize_space(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: no script/style text, one line per block."""
    if "<" not in html and "&" not in html:
        return normalize_space(html)
    tree = _clean_tree(_BLOCK_END.sub(lambda m: m.group(0) + "\n", html))
    body = tree.body
    return normalize_space(body.text(separator="") if body is not None else "")


def content_text(content: str, content_type: ContentType) -> str:
    return html_to_text(content) if content_type == "text/html" else normalize_space(content)


# --- dates -----------------------------------------------------------------------------------


def _iso_from_struct(value: Any) -> str | None:
    try:
        moment = datetime(*value[:6], tzinfo=UTC)
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
    return content_text(title, _detail_type(entry.get("title_detail")))


def _entry_item(entry: Any) -> FeedItem | None:
    link = entry.get("link", "") or ""
    if not isinstance(link, str):
        link = ""
    title = _title_text(entry)
    contents = [c for c in (entry.get("content") or []) if isinstance(c, dict) and c.get("value")]
    summary_value = entry.get("summary", "") or ""
    summary_type = _detail_type(entry.get("summary_detail"))
    if contents:
        # Prefer HTML over plain text, then the longest alternative.
        best = max(contents, key=lambda c: (_detail_type(c) == "text/html", len(c.get("value", ""))))
        content, ctype = str(best["value"]), _detail_type(best)
    else:
        content, ctype = str(summary_value), summary_type
    if ctype == "text/html":
        content = sanitize_html(content)
    summary = sanitize_html(str(summary_value)) if summary_type == "text/html" else str(summary_value)
    key = _item_key(entry.get("id"), link, title)
    if not key:
        if not content.strip():
            return None
        key = "sha1:" + hashlib.sha1(content.encode("utf-8", "replace")).hexdigest()
    published = None
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(name):
            published = _iso_from_struct(entry.get(name))
            if published:
                break
    return FeedItem(
        key=key,
        url=link.strip(),
        title=title,
        content=content,
        content_type=ctype,
        published=published,
        summary=summary or content,
        summary_type=summary_type if summary else ctype,
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


def _parse_xml(text: str, base_url: str, encoding: str, problems: list[str]) -> ParsedFeed:
    hardened, hardening_problems = harden_xml(text)
    problems.extend(hardening_problems)
    hardened = _CHARREF.sub(_replace_bad_charref, hardened)
    # No Content-Location: feedparser would resolve relative guids against the URL the
    # feed was fetched from, and an item's id must not change when a feed moves. Links
    # are resolved below instead; xml:base inside the document still applies.
    headers = {"content-type": "application/xml; charset=utf-8"}
    result = feedparser.parse(io.BytesIO(hardened.encode("utf-8", "replace")), response_headers=headers)
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        problems.append(f"{type(exc).__name__}: {exc}" if exc else "malformed feed")
    feed = result.get("feed") or {}
    items = []
    for entry in (result.get("entries") or [])[:MAX_ITEMS]:
        item = _entry_item(entry)
        if item is not None:
            if base_url and item.url:
                item = replace(item, url=safe_urljoin(base_url, item.url))
            items.append(item)
    language = feed.get("language") if isinstance(feed.get("language"), str) else None
    return ParsedFeed(
        format=result.get("version") or "unknown",
        title=_title_text(feed),
        language=language,
        encoding=encoding,
        items=items,
        problems=problems,
    )


# --- JSON Feed ----------------------------------------------------------------------------


def _json_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def parse_json_feed(text: str, base_url: str = "") -> ParsedFeed:
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
    problems = []
    if not version.startswith("https://jsonfeed.org/version/1"):
        problems.append(f"unknown JSON Feed version {version!r}")
    base = _json_str(data.get("feed_url")) or _json_str(data.get("home_page_url")) or base_url
    if base_url and base:
        base = safe_urljoin(base_url, base)
    items = []
    for raw in items_data[:MAX_ITEMS]:
        if not isinstance(raw, dict):
            problems.append("skipped an item that is not an object")
            continue
        url = _json_str(raw.get("url")) or _json_str(raw.get("external_url"))
        if url and base:
            url = safe_urljoin(base, url)
        html = _json_str(raw.get("content_html"))
        plain = _json_str(raw.get("content_text"))
        summary = _json_str(raw.get("summary"))
        if html:
            content, ctype = sanitize_html(html), "text/html"
        elif plain:
            content, ctype = plain, "text/plain"
        else:
            content, ctype = summary, "text/plain"
        title = normalize_space(_json_str(raw.get("title")))
        key = _item_key(_json_str(raw.get("id")), url, title)
        if not key:
            if not content.strip():
                continue
            key = "sha1:" + hashlib.sha1(content.encode("utf-8", "replace")).hexdigest()
        published = _iso_from_text(raw.get("date_published")) or _iso_from_text(raw.get("date_modified"))
        items.append(
            FeedItem(
                key=key,
                url=url,
                title=title,
                content=content,
                content_type=ctype,  # type: ignore[arg-type]
                published=published,
                summary=summary or content,
                summary_type="text/plain" if summary else ctype,
            )
        )  # type: ignore[arg-type]
    language = _json_str(data.get("language")) or None
    return ParsedFeed(
        format="json" + (version.rsplit("/", 1)[-1] if version else ""),
        title=normalize_space(_json_str(data.get("title"))),
        language=language,
        items=items,
        problems=problems,
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


def parse_feed(body: bytes, *, base_url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Items of a feed body (RSS, Atom or JSON Feed). Raises FeedParseError only when the
    body is empty, too large, or JSON that is not a feed; malformed XML yields whatever
    items are recoverable (possibly none) with the defects listed in ``problems``."""
    if not body.strip():
        raise FeedParseError("empty body")
    if len(body) > MAX_PARSE_BYTES:
        raise FeedParseError(f"body larger than {MAX_PARSE_BYTES} bytes")
    started = time.monotonic()
    text, encoding = decode_body(body, content_type)
    if _looks_like_json(text, content_type):
        feed = parse_json_feed(text, base_url)
        feed.encoding = encoding
        return feed
    feed = _parse_xml(text, base_url, encoding, [])
    if time.monotonic() - started > 5:
        feed.problems.append(f"slow parse ({time.monotonic() - started:.1f}s)")
    return feed


def items_by_id(feed_id: str, parsed: ParsedFeed) -> dict[str, FeedItem]:
    """Article id → item, first occurrence wins (feeds repeat items)."""
    out: dict[str, FeedItem] = {}
    for item in parsed.items:
        out.setdefault(article_id(feed_id, item.key), item)
    return out
