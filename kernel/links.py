"""Which links an article may carry: absolute http(s) URLs only.

A feed's publisher writes its item links, and they travel to webhook payloads and the
console: ``javascript:``, ``vbscript:``, ``data:`` or ``file:`` links must go no further
than the parser. The connector checks when it parses and the dispatcher again when it
builds a payload.
"""

from __future__ import annotations

import re
import urllib.parse

ABSOLUTE_HTTP = re.compile(r"https?://", re.IGNORECASE)


def http_link(url: str) -> str:
    """``url`` (trimmed) when it is an absolute http(s) URL, else "". A link that starts
    as one but does not parse (``http://[::1``) is kept as written: its scheme is safe."""
    candidate = url.strip()
    # Browsers drop tabs and newlines inside a URL, so "java\tscript:" is a scheme too; a
    # link with any control character in it is refused rather than repaired.
    if not ABSOLUTE_HTTP.match(candidate) or any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in candidate):
        return ""
    try:
        parts = urllib.parse.urlsplit(candidate)
    except ValueError:
        return candidate
    return candidate if parts.netloc else ""
