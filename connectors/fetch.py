"""Polite, bounded HTTP fetching of feeds and article pages (httpx, asyncio).

Every fetch is bounded in time (connect, read and total timeouts, so a server that drips
one byte at a time cannot stall a poll), in memory (the body size is checked against
Content-Length and again while the body is decoded a bounded piece at a time, so a gzip
bomb stops at the limit without ever being inflated whole: ``connectors.decompress``) and
in hops (redirects are capped). Requests to one host share a semaphore so that a thousand
feeds on one site do not open a thousand connections to it.

URLs that come from feed items (full text) are fetched with a ``TargetPolicy``: every
connection, redirects included, is checked by ``kernel.net_guard`` and internal addresses
are refused unless the feed allows them. Feed URLs themselves are the operator's choice.

Feeds are fetched conditionally (ETag / Last-Modified) and the body is hashed: a 304 or
an unchanged body is reported as such and never parsed.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal

import httpx

from connectors.decompress import BoundedDecoder, UndecodableBody
from kernel.errors import FetchError
from kernel.net_guard import (
    AsyncGuardedTransport,
    Resolver,
    TargetPolicy,
    UnresolvableHost,
    UnsafeTarget,
    system_resolver,
)
from kernel.redact import mask_credentials

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
    max_connections: int = 256  # of a guarded client (full text of items)
    keepalive_s: float = 5.0  # an idle connection, and an idle per-origin client, is closed after this long
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
    """Shared HTTP clients with per-host concurrency limits. Use as an async context.

    Feeds are fetched by one client per origin, all sharing one TLS context: httpcore
    checks every pooled connection on each request, so one pool holding a few connections
    to each of hundreds of hosts spent more CPU scanning itself than fetching. A client
    idle for ``limits.keepalive_s`` is closed with its connections, so the open sockets
    are those of the hosts polled recently. Each distinct ``TargetPolicy`` gets a guarded
    client of its own, so that a connection opened under one feed's allowances is never
    reused under another's. A ``transport`` given (tests) replaces the network for all."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver = system_resolver,
    ):
        self.limits = limits or FetchLimits()
        self._transport = transport
        self._resolver = resolver
        self._open = False
        # (policy, origin) → client; the origin is "" for guarded clients and a given transport
        self._clients: dict[tuple[TargetPolicy | None, str], httpx.AsyncClient] = {}
        self._in_flight: dict[tuple[TargetPolicy | None, str], int] = {}
        self._last_used: dict[tuple[TargetPolicy | None, str], float] = {}
        self._next_sweep = 0.0
        self._tls: ssl.SSLContext | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        self._open = True
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._open = False
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    @property
    def open_clients(self) -> int:
        return len(self._clients)

    def _client_key(self, url: str, policy: TargetPolicy | None) -> tuple[TargetPolicy | None, str]:
        if policy is not None or self._transport is not None:
            return policy, ""
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError:  # httpx refuses it as InvalidURL, from the shared client
            return None, ""
        return None, f"{parts.scheme}://{parts.netloc}".lower()

    def _client(self, key: tuple[TargetPolicy | None, str]) -> httpx.AsyncClient:
        client = self._clients.get(key)
        if client is not None:
            return client
        policy = key[0]
        lim = self.limits
        size = lim.per_host if key[1] else lim.max_connections
        pool = httpx.Limits(max_connections=size, max_keepalive_connections=size, keepalive_expiry=lim.keepalive_s)
        transport = self._transport
        if transport is None and policy is not None:
            transport = AsyncGuardedTransport(policy, self._resolver, limits=pool)
        verify: ssl.SSLContext | bool = True  # a guarded transport verifies with its own
        if policy is None:
            if self._tls is None:
                # What httpx would build for each client (SSL_CERT_FILE honoured), built once.
                self._tls = httpx.create_ssl_context(trust_env=True)
            verify = self._tls
        client = self._clients[key] = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=lim.connect_timeout,
                read=lim.read_timeout,
                write=lim.read_timeout,
                pool=lim.total_timeout,
            ),
            limits=pool,
            follow_redirects=True,
            max_redirects=lim.max_redirects,
            headers={"User-Agent": lim.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
            verify=verify,
            # A proxy from the environment would connect on our behalf, unchecked.
            trust_env=policy is None,
        )
        return client

    async def _close_idle_clients(self, now: float) -> None:
        """Close the per-origin clients unused for ``keepalive_s`` (checked once a second)."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + 1.0
        idle = [
            key
            for key, used in self._last_used.items()
            if key[1] and not self._in_flight.get(key) and now - used > self.limits.keepalive_s
        ]
        closing = []
        for key in idle:
            self._last_used.pop(key, None)
            self._in_flight.pop(key, None)
            client = self._clients.pop(key, None)
            if client is not None:
                closing.append(client)
        for client in closing:
            try:
                await client.aclose()
            except (httpx.HTTPError, OSError):
                pass  # a socket that fails to close is gone all the same

    def _slot(self, url: str) -> asyncio.Semaphore:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self.limits.per_host)
        return slot

    async def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        *,
        accept: str = ACCEPT_FEEDS,
        policy: TargetPolicy | None = None,
    ) -> FetchResult:
        """GET ``url`` (conditionally when validators are given); raises FetchError. With a
        ``policy``, only http(s) URLs whose every hop reaches allowed addresses are fetched."""
        validators = validators or Validators()
        started = time.monotonic()
        path = local_path(url)
        if path is not None:
            if policy is not None:
                raise FetchError("refused", "only http(s) URLs are fetched for feed items")
            body = await asyncio.to_thread(read_local, path, self.limits)
            return self._classify(url, 200, body, None, validators, validators, started)
        if not self._open:
            raise RuntimeError("Fetcher used outside 'async with'")
        await self._close_idle_clients(started)
        key = self._client_key(url, policy)
        client = self._client(key)
        self._in_flight[key] = self._in_flight.get(key, 0) + 1
        headers = {"Accept": accept}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        try:
            async with self._slot(url), asyncio.timeout(self.limits.total_timeout):
                return await self._get(client, url, headers, validators, started)
        except UnresolvableHost as exc:
            raise FetchError("connect", str(exc)) from None
        except UnsafeTarget as exc:
            raise FetchError("refused", f"target refused: {exc}") from None
        except TimeoutError:
            raise FetchError("timeout", f"no complete answer within {self.limits.total_timeout:g}s") from None
        except httpx.TooManyRedirects:
            raise FetchError("redirects", f"more than {self.limits.max_redirects} redirects") from None
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"{type(exc).__name__}: {exc or 'timed out'}") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError("url", mask_credentials(f"invalid URL: {exc}")) from None
        except (httpx.DecodingError, UndecodableBody) as exc:
            raise FetchError("http", f"undecodable body: {exc}") from None
        except (httpx.HTTPError, OSError) as exc:
            raise FetchError(
                "connect", mask_credentials(f"{type(exc).__name__}: {exc or 'connection failed'}")
            ) from None
        finally:
            self._in_flight[key] -= 1
            self._last_used[key] = time.monotonic()

    async def _get(
        self, client: httpx.AsyncClient, url: str, headers: dict[str, str], validators: Validators, started: float
    ) -> FetchResult:
        async with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            final_url = str(response.url)
            if status == 304:
                # Read to the end (a 304 has no body) so that the connection goes back to
                # the pool: one closed unread would cost a new TLS handshake per 304.
                await self._read_body(response)
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
            body = await self._read_body(response)
            fresh = Validators(
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                body_hash=validators.body_hash,
            )
            return self._classify(
                final_url, status, body, response.headers.get("content-type"), validators, fresh, started
            )

    async def _read_body(self, response: httpx.Response) -> bytes:
        """The decoded body, refused as soon as it outgrows the limit (see module doc)."""
        limit = self.limits.max_bytes
        decoder = BoundedDecoder(response.headers.get("content-encoding"))
        body = bytearray()

        def take(pieces: Iterable[bytes]) -> None:
            for piece in pieces:
                if len(body) + len(piece) > limit:
                    raise FetchError("too_large", f"body exceeds {limit} bytes")
                body.extend(piece)

        async for raw in response.aiter_raw():
            take(decoder.feed(raw))
        take(decoder.flush())
        return bytes(body)

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
