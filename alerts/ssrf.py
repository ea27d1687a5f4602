"""Refuse webhook targets that point inside the network (SSRF), unless a channel allows it.

A target is checked when channels.yaml is loaded and again before every send, on the
addresses its host name resolves to *then*, so that a DNS answer that changes later
(rebinding) cannot slip a private address past the first check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Address classes an operator may allow by name in `allow_networks`.
ALLOWABLE_CLASSES = ("loopback", "private", "link-local")

Resolver = Callable[[str, int], list[str]]


class UnsafeTarget(ValueError):
    """The URL's scheme or one of its addresses is not allowed for this channel."""


class UnresolvableHost(UnsafeTarget):
    """The host name does not resolve (now); nothing can be said about its addresses."""


@dataclass(frozen=True)
class TargetPolicy:
    """Which internal address classes (and extra networks) a channel may reach."""

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
    if address.is_private or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED_ADDRESS_SPACE):
        return "private"
    return None


_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


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


def _literal_address(host: str) -> list[IPAddress] | None:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        return None


def check_url(url: str, policy: TargetPolicy, resolver: Resolver = system_resolver) -> None:
    """Raise UnsafeTarget unless ``url`` is http(s) and every address of its host is allowed."""
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
    addresses = _literal_address(host)
    if addresses is None:
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
        except OSError as exc:
            raise UnresolvableHost(f"cannot resolve host {host!r}: {exc}") from None
        if not addresses:
            raise UnresolvableHost(f"host {host!r} has no address")
    for address in addresses:
        check_address(address, policy)
