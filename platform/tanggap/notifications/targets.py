"""Where a webhook may point: public addresses only, checked when the address is saved and
again, on the address actually connected to, when each message is sent.

An office admin types the URL and the worker POSTs to it, so an address inside the
platform's own network (loopback, private ranges, the cloud metadata service at
169.254.169.254) would let the admin reach services no outsider should. A host name is
resolved once per send and the connection goes to the address that passed the check, so a
name that changes its answer between the check and the connection (DNS rebinding) gains
nothing. Networks an office's gateway legitimately lives in can be let through by the
operator (``TANGGAP_WEBHOOK_ALLOWED_NETWORKS``).
"""

from __future__ import annotations

import enum
import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refusal(enum.Enum):
    """Why a webhook address is refused; each reason has its own message for the admin."""

    MALFORMED = "malformed"
    SCHEME = "scheme"
    UNRESOLVED = "unresolved"
    LOOPBACK = "loopback"
    PRIVATE = "private"
    LINK_LOCAL = "link_local"
    MULTICAST = "multicast"
    UNUSABLE = "unusable"

    @property
    def message(self) -> str:
        return str(_MESSAGES[self])


_MESSAGES = {
    Refusal.MALFORMED: _l("Give a full http(s) address."),
    Refusal.SCHEME: _l("Give an https:// address: messages to the gateway must be encrypted."),
    Refusal.UNRESOLVED: _l("This host name cannot be found. Check the address."),
    Refusal.LOOPBACK: _l("This address points at the server itself (loopback). Give the gateway's public address."),
    Refusal.PRIVATE: _l("This address is in a private network. Give the gateway's public address."),
    Refusal.LINK_LOCAL: _l("This is a link-local address (such as a cloud metadata service). "
                           "Give the gateway's public address."),
    Refusal.MULTICAST: _l("This is a multicast address. Give the gateway's public address."),
    Refusal.UNUSABLE: _l("This address is unspecified or reserved. Give the gateway's public address."),
}


class UnsafeTarget(Exception):
    """The webhook URL may not be used; ``reason`` says why."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class Target:
    """A checked webhook address: the URL's parts and the one address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in current_app.config.get("WEBHOOK_ALLOWED_NETWORKS", ())]


def refusal_of(address: Address) -> Refusal | None:
    """Why this address is not a public one, or None when it is (IPv4-mapped IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return Refusal.UNUSABLE
    if address.is_loopback:
        return Refusal.LOOPBACK
    if address.is_link_local:
        return Refusal.LINK_LOCAL
    if address.is_multicast:
        return Refusal.MULTICAST
    if address.is_reserved:
        return Refusal.UNUSABLE
    if address.is_private or not address.is_global:
        return Refusal.PRIVATE
    return None


def _resolve(host: str, port: int) -> list[Address]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeTarget(Refusal.UNRESOLVED) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]


def _judge(addresses: Iterable[Address]) -> str:
    """The first address, when every address the name has is allowed; else the first refusal."""
    allowed = _allowed_networks()
    chosen = None
    for address in addresses:
        reason = refusal_of(address)
        if reason is not None and not any(address in network for network in allowed):
            raise UnsafeTarget(reason)
        chosen = chosen or str(address)
    if chosen is None:
        raise UnsafeTarget(Refusal.UNRESOLVED)
    return chosen


def check(url: str) -> Target:
    """The address to connect to for ``url``, or ``UnsafeTarget``.

    http:// is accepted only outside production: the body carries complaint events.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeTarget(Refusal.MALFORMED) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(Refusal.MALFORMED)
    if parts.scheme == "http" and not current_app.config.get("WEBHOOK_ALLOW_HTTP", False):
        raise UnsafeTarget(Refusal.SCHEME)
    port = port or (443 if parts.scheme == "https" else 80)
    address = _judge(_resolve(parts.hostname, port))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, address)


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address, whatever the name resolves to by now."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate verified for the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to the checked target and return the status; redirects are answers, never followed."""
    connection: http.client.HTTPConnection = (
        _PinnedHTTPS(target, timeout) if target.scheme == "https" else _PinnedHTTP(target, timeout))
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
