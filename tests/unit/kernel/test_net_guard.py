"""The SSRF guard shared by webhooks and full-text fetching: address classes, and an HTTP
client that connects only to the address it checked."""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from kernel.net_guard import GuardedTransport, TargetPolicy, UnsafeTarget, address_class, check_url
from tests.support.http_server import LocalServer, send


@pytest.mark.parametrize(
    "address,kind",
    [
        ("2002:a00:1::1", "reserved"),  # 6to4 wrapping 10.0.0.1
        ("2002:7f00:1::1", "reserved"),  # 6to4 wrapping 127.0.0.1
        ("2002:808:808::1", "reserved"),  # 6to4 is refused whatever it wraps
        ("fec0::1", "reserved"),  # site-local
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"),  # Teredo
        ("64:ff9b::a00:1", "reserved"),  # NAT64 of 10.0.0.1
        ("::a00:1", "reserved"),  # IPv4-compatible
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("0.1.2.3", "private"),
        ("198.18.0.1", "private"),  # benchmarking
        ("255.255.255.255", "reserved"),
        ("2001:db8::1", "private"),  # documentation
        ("8.8.8.8", None),
        ("2a00:1450:4001::1", None),
    ],
)
def test_ranges_that_embed_or_reach_internal_addresses_are_refused(address: str, kind: str | None) -> None:
    assert address_class(ipaddress.ip_address(address)) == kind
    answer = lambda host, port: [address]  # noqa: E731
    if kind is None:
        check_url("https://hooks.example.com/", TargetPolicy(), answer)
        return
    with pytest.raises(UnsafeTarget):
        check_url("https://hooks.example.com/", TargetPolicy(), answer)
    if kind == "reserved":  # no class name allows these; only a network entry does
        with pytest.raises(UnsafeTarget):
            check_url("https://hooks.example.com/", TargetPolicy.parse(["loopback", "private", "link-local"]), answer)


def test_a_named_network_allows_what_a_class_does_not() -> None:
    policy = TargetPolicy.parse(["2002::/16"])
    assert check_url("http://[2002:a00:1::1]/", policy) == [ipaddress.ip_address("2002:a00:1::1")]


def test_the_transport_connects_to_the_checked_address() -> None:
    questions: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        questions.append(host)
        return ["127.0.0.1"]

    with LocalServer({"/x": lambda h: send(h, 200, b"ok")}) as server:
        url = f"http://webhook.test:{server.port}/x"
        allowed = GuardedTransport(TargetPolicy.parse(["loopback"]), resolver)
        with httpx.Client(transport=allowed) as client:
            assert client.get(url).content == b"ok"
        refused = GuardedTransport(TargetPolicy(), resolver)
        with httpx.Client(transport=refused) as client, pytest.raises(UnsafeTarget, match="loopback"):
            client.get(url)
        assert questions == ["webhook.test", "webhook.test"] and len(server.requests) == 1
