"""Refuse connections that an outsider can steer inside the network (SSRF), unless allowed.

Two kinds of URL come from outside: webhook targets (alerts) and the article pages that feed
items link to (connectors, full text). Both are checked here: the URL's scheme and host, then
every address its host resolves to. Internal addresses are refused unless the channel or feed
allows their class (``allow_networks: [loopback]``) or network (``10.20.0.0/16``).

The check runs inside the HTTP client's network backend (``GuardedTransport``), on every
connection it opens, redirects included, and the socket connects to the very address that
was checked: a second DNS answer between check and connect (rebinding) cannot slip a private
address past it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]

# Address classes an operator may allow by name in `allow_networks`.
ALLOWABLE_CLASSES = ("loopback", "private", "link-local")

Resolver = Callable[[str, int], list[str]]

SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
# IPv6 ranges that carry (or route to) an IPv4 address or a network of their own choosing:
# 6to4 embeds any IPv4 address, private ones included; site-local is the deprecated
# predecessor of unique-local; Teredo tunnels through a relay. None is a webhook's or a
# news site's address, so they are refused unless allowed by network.
TUNNEL_AND_DEPRECATED = (
    ipaddress.ip_network("2002::/16"),  # 6to4
    ipaddress.ip_network("fec0::/10"),  # site-local
    ipaddress.ip_network("2001::/32"),  # Teredo
)


class UnsafeTarget(ValueError):
    """The URL's scheme or one of its addresses is not allowed here."""


class UnresolvableHost(UnsafeTarget):
    """The host name does not resolve (now); nothing can be said about its addresses."""


@dataclass(frozen=True)
class TargetPolicy:
    """Which internal address classes (and extra networks) a channel or feed may reach."""

    allowed_classes: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> TargetPolicy:
        """From `allow_networks` entries: class names or CIDR networks (ValueError if neither)."""
        classes: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in entries:
            name = str(entry).strip().lower()
            if name in ALLOWABLE_CLASSES:
                classes.add(name)
                continue
            try:
                networks.append(ipaddress.ip_network(name, strict=False))
            except ValueError:
                raise ValueError(
                    f"allow_networks entry {entry!r} is neither one of {', '.join(ALLOWABLE_CLASSES)} "
                    "nor a network such as 10.20.0.0/16"
                ) from None
        return cls(frozenset(classes), tuple(networks))


def address_class(address: IPAddress) -> str | None:
    """The internal class of ``address`` ("loopback", "private", "link-local", "reserved"),
    or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return "reserved"
    if isinstance(address, ipaddress.IPv6Address) and any(address in net for net in TUNNEL_AND_DEPRECATED):
        return "reserved"
    if address.is_private or (isinstance(address, ipaddress.IPv4Address) and address in SHARED_ADDRESS_SPACE):
        return "private"
    if not address.is_global:
        return "reserved"
    return None


def check_address(address: IPAddress, policy: TargetPolicy) -> None:
    kind = address_class(address)
    if kind is None:
        return
    if any(address in net for net in policy.allowed_networks if net.version == address.version):
        return
    if kind in policy.allowed_classes:
        return
    hint = f"; allow it with `allow_networks: [{kind}]`" if kind in ALLOWABLE_CLASSES else ""
    raise UnsafeTarget(f"address {address} is {kind}{hint}")


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def checked_addresses(
    host: str, port: int, policy: TargetPolicy, resolver: Resolver = system_resolver
) -> list[IPAddress]:
    """Every address of ``host``, once each host name is resolved; UnsafeTarget unless all
    are allowed (one internal answer among public ones is enough to refuse)."""
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
        except (OSError, UnicodeError) as exc:
            raise UnresolvableHost(f"cannot resolve host {host!r}: {exc}") from None
        if not addresses:
            raise UnresolvableHost(f"host {host!r} has no address")
    for address in addresses:
        check_address(address, policy)
    return addresses


def url_host_port(url: str) -> tuple[str, int]:
    """Host and port of an http(s) URL without credentials; UnsafeTarget otherwise (no DNS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget(f"scheme {parts.scheme or '(none)'!r} is not allowed; use http or https")
    host = parts.hostname
    if not host:
        raise UnsafeTarget("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeTarget("credentials in the URL are not allowed; use a secret instead")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeTarget("the URL's port is not a number between 0 and 65535") from None
    return host, port


def check_url(url: str, policy: TargetPolicy, resolver: Resolver = system_resolver) -> list[IPAddress]:
    """The addresses of ``url``'s host; UnsafeTarget unless it is http(s) and all are allowed."""
    host, port = url_host_port(url)
    return checked_addresses(host, port, policy, resolver)


# --- the HTTP client's side: connect only to checked addresses ---------------------------------


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's blocking backend, connecting only to addresses that passed the check."""

    def __init__(self, policy: TargetPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, self.policy, self.resolver)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self.inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Iterable[SocketOption] | None = None
    ) -> httpcore.NetworkStream:
        raise UnsafeTarget("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class AsyncGuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's asyncio backend, connecting only to addresses that passed the check
    (the resolver, which blocks, runs in a thread)."""

    def __init__(self, policy: TargetPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if literal_address(host) is not None:
            addresses = checked_addresses(host, port, self.policy, self.resolver)
        else:
            addresses = await asyncio.to_thread(checked_addresses, host, port, self.policy, self.resolver)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Iterable[SocketOption] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeTarget("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def pool_options(limits: httpx.Limits) -> dict[str, typing.Any]:
    """The connection-pool settings httpx derives from ``limits``, ignoring the SSL settings
    of the environment (as the transports ignore its proxies)."""
    return {
        "ssl_context": httpx.create_ssl_context(trust_env=False),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport whose every connection is checked by ``GuardedBackend``.
    No proxy from the environment: a proxy would connect on our behalf, unchecked."""

    def __init__(
        self, policy: TargetPolicy, resolver: Resolver = system_resolver, *, limits: httpx.Limits | None = None
    ) -> None:
        limits = limits or httpx.Limits()
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(network_backend=GuardedBackend(policy, resolver), **pool_options(limits))


class AsyncGuardedTransport(httpx.AsyncHTTPTransport):
    """The asyncio twin of ``GuardedTransport``."""

    def __init__(
        self, policy: TargetPolicy, resolver: Resolver = system_resolver, *, limits: httpx.Limits | None = None
    ) -> None:
        limits = limits or httpx.Limits()
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            network_backend=AsyncGuardedBackend(policy, resolver), **pool_options(limits)
        )
