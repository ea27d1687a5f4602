"""Polite, bounded HTTP fetching of feeds and article pages (httpx, asyncio).

Every fetch is bounded in time (connect, read and total timeouts, so a server that drips
one byte at a time cannot stall a poll), in memory (the body size is checked against
Content-Length and again while streaming the *decoded* bytes, so a gzip bomb stops at
the limit) and in hops (redirects are capped). Requests to one host share a semaphore so
that a thousand feeds on one site do not open a thousand connections to it.

Feeds are fetched conditionally (ETag / Last-Modified) and the body is hashed: a 304 or
an unchanged body is reported as such and never parsed.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal

import httpx

from kernel.errors import FetchError

USER_AGENT = "Marsad/0.1 (news feed connector; +https://github.com/marsad)"
ACCEPT_FEEDS = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "application/json;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
RETRY_AFTER_CEILING = 24 * 3600.0


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # whole request, headers and body
    max_bytes: int = 10 * 1024 * 1024  # decoded body
    max_redirects: int = 5
    per_host: int = 4  # concurrent requests to one host
    max_connections: int = 256
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back, plus the hash of the last body parsed."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


@dataclass
class FetchResult:
    # ok: a new body to parse; not_modified: 304; unchanged: 200 with the same body as last time
    status: Literal["ok", "not_modified", "unchanged"]
    url: str  # final URL after redirects (the base for relative links)
    http_status: int
    validators: Validators
    body: bytes = b""
    content_type: str | None = None
    elapsed: float = 0.0


def body_hash(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), RETRY_AFTER_CEILING)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    delay = when.timestamp() - (time.time() if now is None else now)
    return min(max(delay, 0.0), RETRY_AFTER_CEILING)


def local_path(url: str) -> Path | None:
    """The file a feed URL names, or None for http(s) URLs."""
    lowered = url.lower()
    if lowered.startswith(("http://", "https://")):
        return None
    if lowered.startswith("file://"):
        return Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
    return Path(url)


def read_local(path: Path, limits: FetchLimits) -> bytes:
    """A local feed file, refusing files beyond the body limit."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise FetchError("io", f"{path}: file not found") from None
    except OSError as exc:
        raise FetchError("io", f"{path}: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        raise FetchError("too_large", f"{path}: larger than {limits.max_bytes} bytes")
    return data


class Fetcher:
    """One shared HTTP client with per-host concurrency limits. Use as an async context."""

    def __init__(self, limits: FetchLimits | None = None, transport: httpx.AsyncBaseTransport | None = None):
        self.limits = limits or FetchLimits()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        lim = self.limits
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=lim.connect_timeout,
                read=lim.read_timeout,
                write=lim.read_timeout,
                pool=lim.total_timeout,
            ),
            limits=httpx.Limits(max_connections=lim.max_connections, max_keepalive_connections=lim.max_connections),
            follow_redirects=True,
            max_redirects=lim.max_redirects,
            headers={"User-Agent": lim.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=self._transport,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _slot(self, url: str) -> asyncio.Semaphore:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self.limits.per_host)
        return slot

    async def fetch(self, url: str, validators: Validators | None = None, *, accept: str = ACCEPT_FEEDS) -> FetchResult:
        """GET ``url`` (conditionally when validators are given); raises FetchError."""
        validators = validators or Validators()
        started = time.monotonic()
        path = local_path(url)
        if path is not None:
            body = await asyncio.to_thread(read_local, path, self.limits)
            return self._classify(url, 200, body, None, validators, validators, started)
        if self._client is None:
            raise RuntimeError("Fetcher used outside 'async with'")
        headers = {"Accept": accept}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        try:
            async with self._slot(url), asyncio.timeout(self.limits.total_timeout):
                return await self._get(url, headers, validators, started)
        except TimeoutError:
            raise FetchError("timeout", f"no complete answer within {self.limits.total_timeout:g}s") from None
        except httpx.TooManyRedirects:
            raise FetchError("redirects", f"more than {self.limits.max_redirects} redirects") from None
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"{type(exc).__name__}: {exc or 'timed out'}") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError("url", f"invalid URL: {exc}") from None
        except httpx.DecodingError as exc:
            raise FetchError("http", f"undecodable body: {exc}") from None
        except (httpx.HTTPError, OSError) as exc:
            raise FetchError("connect", f"{type(exc).__name__}: {exc or 'connection failed'}") from None

    async def _get(self, url: str, headers: dict[str, str], validators: Validators, started: float) -> FetchResult:
        assert self._client is not None
        async with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            final_url = str(response.url)
            if status == 304:
                fresh = replace(
                    validators,
                    etag=response.headers.get("etag") or validators.etag,
                    last_modified=response.headers.get("last-modified") or validators.last_modified,
                )
                return FetchResult("not_modified", final_url, 304, fresh, elapsed=time.monotonic() - started)
            if status == 429 or (status == 503 and "retry-after" in response.headers):
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                raise FetchError(
                    "rate_limited",
                    f"HTTP {status} (Retry-After: {response.headers.get('retry-after', '-')})",
                    status=status,
                    retry_after=retry_after,
                )
            if status >= 400:
                raise FetchError(
                    "http",
                    f"HTTP {status}",
                    status=status,
                    retry_after=parse_retry_after(response.headers.get("retry-after")),
                )
            if status != 200:
                raise FetchError("http", f"unexpected HTTP {status}", status=status)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchError("too_large", f"Content-Length {declared} exceeds {self.limits.max_bytes} bytes")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.limits.max_bytes:
                    raise FetchError("too_large", f"body exceeds {self.limits.max_bytes} bytes")
                chunks.append(chunk)
            body = b"".join(chunks)
            fresh = Validators(
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                body_hash=validators.body_hash,
            )
            return self._classify(
                final_url, status, body, response.headers.get("content-type"), validators, fresh, started
            )

    @staticmethod
    def _classify(
        url: str,
        status: int,
        body: bytes,
        content_type: str | None,
        previous: Validators,
        fresh: Validators,
        started: float,
    ) -> FetchResult:
        digest = body_hash(body)
        fresh = replace(fresh, body_hash=digest)
        kind: Literal["ok", "unchanged"] = "unchanged" if digest == previous.body_hash else "ok"
        return FetchResult(
            kind,
            url,
            status,
            fresh,
            body=body if kind == "ok" else b"",
            content_type=content_type,
            elapsed=time.monotonic() - started,
        )
