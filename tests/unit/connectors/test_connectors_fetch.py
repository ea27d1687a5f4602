"""Fetching against real local HTTP servers (threads on 127.0.0.1, port 0): conditional
GET, body-hash skip, 429/Retry-After, redirect cap, oversize bodies, slow servers, gzip."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest

from connectors.fetch import (
    Fetcher,
    FetchLimits,
    Validators,
    body_hash,
    parse_retry_after,
)
from kernel.errors import FetchError
from kernel.net_guard import TargetPolicy
from tests.support.http_server import LocalServer, Route, etag_route, send


def fetch(url: str, validators: Validators | None = None, limits: FetchLimits | None = None):
    async def go():
        async with Fetcher(limits) as fetcher:
            return await fetcher.fetch(url, validators)

    return asyncio.run(go())


BODY = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def test_conditional_get_sends_validators_and_reports_not_modified() -> None:
    with LocalServer({"/feed": etag_route(BODY)}) as server:
        first = fetch(server.url("/feed"))
        assert first.status == "ok" and first.body == BODY and first.http_status == 200
        assert first.validators.etag and first.validators.last_modified == "Sat, 21 Nov 2026 08:00:00 GMT"
        assert first.validators.body_hash == body_hash(BODY)
        second = fetch(server.url("/feed"), first.validators)
        assert second.status == "not_modified" and second.http_status == 304 and second.body == b""
        assert second.validators == first.validators
        headers = server.requests[1][1]
        assert headers["if-none-match"] == first.validators.etag
        assert headers["if-modified-since"] == "Sat, 21 Nov 2026 08:00:00 GMT"
        assert "if-none-match" not in server.requests[0][1]


def test_a_304_leaves_its_connection_open_for_the_next_poll() -> None:
    ports: list[int] = []
    answer = etag_route(BODY)

    def route(h: BaseHTTPRequestHandler) -> None:
        ports.append(h.client_address[1])
        answer(h)

    async def three_polls(url: str) -> list[str]:
        async with Fetcher() as fetcher:
            first = await fetcher.fetch(url)
            return [first.status] + [(await fetcher.fetch(url, first.validators)).status for _ in range(2)]

    with LocalServer({"/feed": route}) as server:
        assert asyncio.run(three_polls(server.url("/feed"))) == ["ok", "not_modified", "not_modified"]
    assert len(ports) == 3 and len(set(ports)) == 1  # one connection (one TLS handshake on HTTPS)


def test_a_client_per_origin_closed_once_idle() -> None:
    async def go(one: str, two: str) -> list[int]:
        async with Fetcher(FetchLimits(keepalive_s=0.2)) as fetcher:
            await fetcher.fetch(one)
            await fetcher.fetch(two)
            both = fetcher.open_clients
            await asyncio.sleep(1.2)  # idle clients are looked for at most once a second
            await fetcher.fetch(two)
            return [both, fetcher.open_clients]

    with LocalServer({"/a": etag_route(BODY)}) as first, LocalServer({"/b": etag_route(BODY)}) as second:
        assert asyncio.run(go(first.url("/a"), second.url("/b"))) == [2, 1]


def test_same_body_without_validators_is_unchanged_and_not_returned() -> None:
    with LocalServer({"/plain": lambda h: send(h, 200, BODY)}) as server:
        first = fetch(server.url("/plain"))
        assert first.status == "ok"
        again = fetch(server.url("/plain"), first.validators)
        assert again.status == "unchanged" and again.body == b""
        assert again.validators.body_hash == first.validators.body_hash


def test_429_with_retry_after_seconds_and_date() -> None:
    routes = {
        "/busy": lambda h: send(h, 429, Retry_After="120"),
        "/later": lambda h: send(h, 503, Retry_After="Wed, 21 Oct 2099 07:28:00 GMT"),
        "/gone": lambda h: send(h, 500),
    }
    with LocalServer(routes) as server:
        with pytest.raises(FetchError) as busy:
            fetch(server.url("/busy"))
        assert busy.value.kind == "rate_limited" and busy.value.status == 429 and busy.value.retry_after == 120
        with pytest.raises(FetchError) as later:
            fetch(server.url("/later"))
        assert later.value.kind == "rate_limited" and later.value.retry_after == 24 * 3600.0
        with pytest.raises(FetchError) as gone:
            fetch(server.url("/gone"))
        assert gone.value.kind == "http" and gone.value.status == 500


def test_parse_retry_after() -> None:
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0) == 60.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_redirects_are_followed_up_to_the_cap() -> None:
    def hop(n: int) -> Route:
        return lambda h: send(h, 302, Location=f"/r{n + 1}")

    routes: dict[str, Route] = {f"/r{n}": hop(n) for n in range(10)}
    routes["/loop"] = lambda h: send(h, 301, Location="/loop")
    routes["/r3"] = lambda h: send(h, 200, BODY)
    with LocalServer(routes) as server:
        result = fetch(server.url("/r0"), limits=FetchLimits(max_redirects=5))
        assert result.status == "ok" and result.url == server.url("/r3")
        with pytest.raises(FetchError) as endless:
            fetch(server.url("/loop"), limits=FetchLimits(max_redirects=5))
        assert endless.value.kind == "redirects"
        assert sum(1 for path, _ in server.requests if path == "/loop") == 6  # first + 5 hops
        with pytest.raises(FetchError) as too_many:
            fetch(server.url("/r0"), limits=FetchLimits(max_redirects=2))
        assert too_many.value.kind == "redirects"


def test_oversized_bodies_are_refused_by_header_and_while_streaming() -> None:
    big = b"x" * 50_000

    def chunked(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: the limit applies while reading
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for _ in range(50):
            h.wfile.write(b"400\r\n" + b"y" * 1024 + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")

    bomb = gzip.compress(b"z" * 5_000_000)  # small on the wire, large once decoded

    routes = {
        "/big": lambda h: send(h, 200, big),
        "/chunked": chunked,
        "/bomb": lambda h: send(h, 200, bomb, Content_Encoding="gzip"),
    }
    limits = FetchLimits(max_bytes=10_000)
    with LocalServer(routes) as server:
        for path in ("/big", "/chunked", "/bomb"):
            with pytest.raises(FetchError) as exc:
                fetch(server.url(path), limits=limits)
            assert exc.value.kind == "too_large", path
        assert fetch(server.url("/big"), limits=FetchLimits(max_bytes=50_000)).body == big


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    import zlib

    routes = {
        "/gz": lambda h: send(h, 200, gzip.compress(BODY), Content_Encoding="gzip"),
        "/deflate": lambda h: send(h, 200, zlib.compress(BODY), Content_Encoding="deflate"),
    }
    with LocalServer(routes) as server:
        assert fetch(server.url("/gz")).body == BODY
        assert fetch(server.url("/deflate")).body == BODY
        assert "gzip" in server.requests[0][1]["accept-encoding"]


def test_slow_servers_are_cut_off_by_read_and_total_timeouts() -> None:
    def silent(h: BaseHTTPRequestHandler) -> None:
        time.sleep(3)
        send(h, 200, BODY)

    def drip(h: BaseHTTPRequestHandler) -> None:  # one byte every 0.3 s: never a read timeout
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.3)

    with LocalServer({"/silent": silent, "/drip": drip}) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as silent_exc:
            fetch(server.url("/silent"), limits=FetchLimits(read_timeout=0.5, total_timeout=10))
        assert silent_exc.value.kind == "timeout"
        with pytest.raises(FetchError) as drip_exc:
            fetch(server.url("/drip"), limits=FetchLimits(read_timeout=1.0, total_timeout=1.5))
        assert drip_exc.value.kind == "timeout"
        assert time.monotonic() - started < 6


def test_connection_refused_and_local_files(tmp_path) -> None:
    with LocalServer({}) as server:
        dead_port = server.port
    with pytest.raises(FetchError) as refused:
        fetch(f"http://127.0.0.1:{dead_port}/feed")
    assert refused.value.kind == "connect"
    path = tmp_path / "feed.xml"
    path.write_bytes(BODY)
    first = fetch(str(path))
    assert first.status == "ok" and first.body == BODY
    assert fetch(path.as_uri(), first.validators).status == "unchanged"
    with pytest.raises(FetchError) as missing:
        fetch(str(tmp_path / "missing.xml"))
    assert missing.value.kind == "io"
    with pytest.raises(FetchError) as big:
        fetch(str(path), limits=FetchLimits(max_bytes=10))
    assert big.value.kind == "too_large"


def test_per_host_concurrency_is_limited() -> None:
    active = 0
    peak = 0
    lock = threading.Lock()

    def slow(h: BaseHTTPRequestHandler) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.2)
        with lock:
            active -= 1
        send(h, 200, BODY)

    async def many(url: str) -> None:
        async with Fetcher(FetchLimits(per_host=2)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(f"{url}?n={n}") for n in range(8)))

    with LocalServer({"/slow": slow}) as server:
        asyncio.run(many(server.url("/slow")))
    assert peak == 2


# --- gzip bombs cost memory near the limit, not the decoded size ----------------------------


def test_a_gzip_bomb_is_refused_with_memory_near_the_limit() -> None:
    import tracemalloc

    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)  # ~200 KB on the wire
    limit = 1_000_000
    with LocalServer({"/bomb": lambda h: send(h, 200, bomb, Content_Encoding="gzip")}) as server:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as exc:
                fetch(server.url("/bomb"), limits=FetchLimits(max_bytes=limit))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert exc.value.kind == "too_large"
    # Decoding whole network chunks inflated 64 KB of gzip to 64 MB at once.
    assert peak < 4 * limit, f"peak {peak / 1e6:.1f} MB for a {limit / 1e6:.0f} MB limit"


# --- fetching for feed items: every hop checked, internal addresses refused -------------------


def guarded_fetch(url: str, policy: TargetPolicy, resolver=None):
    async def go():
        kwargs = {"resolver": resolver} if resolver else {}
        async with Fetcher(**kwargs) as fetcher:
            return await fetcher.fetch(url, policy=policy)

    return asyncio.run(go())


def test_an_item_url_on_an_internal_address_is_refused_unless_allowed() -> None:
    with LocalServer({"/page": lambda h: send(h, 200, b"<p>inside</p>")}) as server:
        with pytest.raises(FetchError) as exc:
            guarded_fetch(server.url("/page"), TargetPolicy())
        assert exc.value.kind == "refused" and "loopback" in str(exc.value)
        assert server.requests == []
        assert guarded_fetch(server.url("/page"), TargetPolicy.parse(["loopback"])).body == b"<p>inside</p>"
        # Without a policy (a feed URL, the operator's choice) nothing is checked.
        assert fetch(server.url("/page")).body == b"<p>inside</p>"


def test_every_redirect_hop_is_checked() -> None:
    # The feed allows 127.0.0.1 only; its page redirects to another loopback address (::1).
    with LocalServer({"/page": lambda h: send(h, 200, b"secret")}, host="::1") as inner:
        target = inner.url("/page")
        with LocalServer({"/go": lambda h: send(h, 302, Location=target)}) as outer:
            with pytest.raises(FetchError) as exc:
                guarded_fetch(outer.url("/go"), TargetPolicy.parse(["127.0.0.1/32"]))
            assert exc.value.kind == "refused" and "::1 is loopback" in str(exc.value)
            assert len(outer.requests) == 1 and inner.requests == []
            assert guarded_fetch(outer.url("/go"), TargetPolicy.parse(["loopback"])).body == b"secret"


def test_a_host_name_is_checked_on_the_address_it_resolves_to() -> None:
    with LocalServer({"/page": lambda h: send(h, 200, b"inside")}) as server:
        url = f"http://news.example.test:{server.port}/page"
        answers = {"news.example.test": ["127.0.0.1"]}
        with pytest.raises(FetchError) as exc:
            guarded_fetch(url, TargetPolicy(), lambda host, port: answers[host])
        assert exc.value.kind == "refused" and server.requests == []
        assert guarded_fetch(url, TargetPolicy.parse(["loopback"]), lambda host, port: answers[host]).body == b"inside"


def test_item_urls_are_fetched_over_http_only() -> None:
    with pytest.raises(FetchError) as exc:
        guarded_fetch("file:///etc/passwd", TargetPolicy.parse(["loopback"]))
    assert exc.value.kind == "refused"


def test_https_certificates_are_verified_against_the_trusted_authorities(tmp_path, monkeypatch) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    server = LocalServer({"/feed": etag_route(BODY)})
    server.httpd.socket = tls.wrap_socket(server.httpd.socket, server_side=True)
    with server:
        url = server.url("/feed").replace("http://", "https://")
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
            fetch(url)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # as the connector's operator would trust a private CA
        assert fetch(url).body == BODY
