"""Canonical article URLs, so that the same article reached by different links is one key.

Two URLs that differ only by scheme or host case, default port, ``www.``/``m.``/``amp.``
host prefix, tracking parameters, parameter order, fragment, trailing slash, an AMP
variant of the path or an ``index.html`` leaf map to the same canonical string.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "s_cid",
        "spm",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "share",
        "shared",
        "fb_action_ids",
        "fb_action_types",
        "fb_source",
        "__twitter_impression",
        "rss",
        "feed",
        "from_rss",
        "amp",
        "amp_js_v",
        "usqp",
        "outputtype",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "vero_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_PREFIXES = ("www.", "www2.", "m.", "mobile.", "amp.")
_INDEX_LEAVES = frozenset(
    {"index.html", "index.htm", "index.php", "index.asp", "index.aspx", "default.asp", "default.aspx", "index.shtml"}
)
# RFC 3986 characters that need no escaping in a path (plus "%" of escapes we keep).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_AMP_SUFFIX = re.compile(r"\.amp(?=\.[a-z0-9]+$|$)", re.IGNORECASE)
_SLASHES = re.compile(r"/{2,}")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def _canonical_host(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        # keep the prefix when removing it would leave a bare top-level domain
        if host.startswith(prefix) and "." in host[len(prefix) :]:
            return host[len(prefix) :]
    return host


def _canonical_path(path: str) -> str:
    # one escaping form: "%D8%A7" and "ا" are the same path
    path = quote(unquote(path), safe=_PATH_SAFE)
    path = _SLASHES.sub("/", path)
    if path and path != "/":
        had_slash = path.endswith("/")
        path = posixpath.normpath(path)
        if path.startswith("//"):
            path = path[1:]
        if had_slash:
            path += "/"
    segments = [s for s in path.split("/") if s]
    if segments and segments[0].lower() == "amp":
        segments = segments[1:]
    if segments and segments[-1].lower() == "amp":
        segments = segments[:-1]
    if segments and segments[-1].lower() in _INDEX_LEAVES:
        segments = segments[:-1]
    if segments:
        segments[-1] = _AMP_SUFFIX.sub("", segments[-1])
    return "/" + "/".join(segments) if segments else ""


def canonical_url(url: str) -> str:
    """The canonical form of ``url`` ("" for an empty or unusable URL)."""
    url = url.strip()
    if not url:
        return ""
    if "://" not in url and not url.startswith("//"):
        url = "http://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = (parts.scheme or "http").lower()
    host = _canonical_host(parts.hostname or "")
    if not host:
        return url
    # http and https copies of one page are one article
    if scheme in ("http", "https"):
        netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
        scheme = "https"
    else:
        netloc = host if port is None else f"{host}:{port}"
    query = ""
    if parts.query:  # (most article URLs have none)
        params = [
            (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(name)
        ]
        params.sort()
        query = urlencode(params, doseq=True, quote_via=quote)
    path = _canonical_path(parts.path)
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def outlet_name(url: str, feed: str) -> str:
    """The site that published an article: its URL's host without ``www.``, else the feed
    id (two feeds of one site are one outlet)."""
    try:
        host = (urlsplit(url.strip()).hostname or "") if url else ""
    except ValueError:
        host = ""
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") and "." in host[4:] else host or feed
