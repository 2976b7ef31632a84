"""Which URLs the fetcher may reach, and the transport that connects only to checked addresses."""

import functools
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass

import httpcore2
import httpx2
from django.conf import settings

from verdicts.common.fetch.errors import FetchFailed, FetchRefused

SCHEMES = {"http": 80, "https": 443}
# Instance metadata services (AWS, GCP, Azure, ...; AWS's IPv6 one): refused by name in the error.
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchSettings:
    """What the fetcher reads from the settings, read afresh on every fetch."""

    allowed_ports: frozenset[int]
    # (host, port) pairs as written in URLs; a port of None means any allowed port.
    allow_hosts: frozenset[tuple[str, int | None]]
    user_agent: str

    @classmethod
    def from_settings(cls) -> "FetchSettings":
        return cls(
            allowed_ports=frozenset(int(port) for port in settings.VERDICTS_FETCH_ALLOWED_PORTS),
            allow_hosts=frozenset(
                allow_host_parse(entry) for entry in settings.VERDICTS_FETCH_ALLOW_HOSTS
            ),
            user_agent=f"{settings.SITE_NAME}-fetcher/1.0 (+{settings.SITE_URL})",
        )

    def allows_host(self, host: str, port: int) -> bool:
        return (host, port) in self.allow_hosts or (
            (host, None) in self.allow_hosts and port in self.allowed_ports
        )


def allow_host_parse(entry: str) -> tuple[str, int | None]:
    """ "mirror.internal", "127.0.0.1:8080" or "[::1]:8080" as (host, port)."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port = rest.removeprefix(":")
    elif entry.count(":") == 1:
        host, port = entry.split(":")
    else:
        host, port = entry, ""
    if port and not port.isdigit():
        raise ValueError(f"VERDICTS_FETCH_ALLOW_HOSTS: {entry!r} is not host[:port]")
    return host, int(port) if port else None


def address_problem(address: IPAddress) -> str:
    """Why the fetcher may not connect to this address ("a loopback address"), or ""."""
    if address in METADATA:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded, form = embedded_ipv4(address)
        if embedded is not None:
            problem = address_problem(embedded)
            return f"{problem} in its {form} form ({embedded})" if problem else ""
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "an unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
    )
    for attribute, problem in checks:
        if getattr(address, attribute):
            return problem
    if address.version == 4 and address in CGNAT:
        return "a shared (CGNAT) address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a globally routable address"
    return ""


def embedded_ipv4(
    address: ipaddress.IPv6Address,
) -> tuple[ipaddress.IPv4Address | None, str]:
    """The IPv4 address an IPv6 one carries (mapped, compatible, 6to4, NAT64), and the form."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped, "IPv4-mapped"
    if address.sixtofour is not None:
        return address.sixtofour, "6to4"
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), "NAT64"
    if int(address) >> 32 == 0 and int(address) > 1:  # ::a.b.c.d, but not :: or ::1
        return ipaddress.IPv4Address(int(address)), "IPv4-compatible"
    return None, ""


def host_resolve(host: str, port: int, *, url: str) -> list[str]:
    """Every address the host resolves to, in the resolver's order; one lookup, no more."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailed(f"cannot resolve {host}: {error}", url=url) from error
    addresses = []
    for *_, sockaddr in answers:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise FetchFailed(f"cannot resolve {host}: no addresses", url=url)
    return addresses


def url_target(url: httpx2.URL) -> tuple[str, int]:
    """The URL's (host, port), if it is http(s) with a host; else FetchRefused."""
    scheme = url.scheme.lower()
    if scheme not in SCHEMES:
        raise FetchRefused(f"refused: {scheme or 'no'} scheme, only http and https", url=str(url))
    host = url.host.lower().rstrip(".")
    if not host:
        raise FetchRefused(f"refused: {url} has no host", url=str(url))
    return host, url.port or SCHEMES[scheme]


def url_check(url: httpx2.URL, config: FetchSettings) -> list[str]:
    """The checked addresses to connect to for this URL, or FetchRefused; nothing is sent."""
    text = str(url)
    host, port = url_target(url)
    allowed = config.allows_host(host, port)
    if port not in config.allowed_ports and not allowed:
        ports = ", ".join(str(p) for p in sorted(config.allowed_ports))
        raise FetchRefused(f"refused: port {port} is not allowed (only {ports})", url=text)
    addresses = host_resolve(host, port, url=text)
    if allowed:
        return addresses
    for address in addresses:
        problem = address_problem(ipaddress.ip_address(address.split("%")[0]))
        if problem:
            if address == host:
                message = f"refused: {address} is {problem}"
            else:
                message = f"refused: {host} resolves to {address}, {problem}"
            raise FetchRefused(message, url=text)
    return addresses


class PinnedBackend(httpcore2.SyncBackend):
    """Connects only to addresses a check has pinned for (host, port); never looks a name up."""

    def __init__(self) -> None:
        self.pinned: dict[tuple[str, int], list[str]] = {}

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore2.NetworkStream:
        addresses = self.pinned.get((host.lower().rstrip("."), port))
        if not addresses:  # A connection the transport did not check: never made.
            raise FetchRefused(f"refused: {host}:{port} was not checked before connecting")
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address, port, timeout, local_address, socket_options or ()
                )
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as error:
                last = error
        raise last  # type: ignore[misc]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context a process: loading the CA bundle costs ~17 ms, and a context
    is safe to share between threads."""
    return httpx2.create_ssl_context(trust_env=False)


class CheckedTransport(httpx2.HTTPTransport):
    """An httpx2 transport that checks each request's URL, then connects to the checked address.

    TLS is started by httpcore2 with the URL's host as server name, so SNI and the certificate
    check (and the Host header, set from the URL) are those of the name, not of the address.
    """

    def __init__(self, config: FetchSettings) -> None:
        super().__init__(verify=tls_context(), trust_env=False)
        self.config = config
        self.backend = PinnedBackend()
        self._pool = httpcore2.ConnectionPool(
            ssl_context=tls_context(),
            network_backend=self.backend,
            max_connections=4,
            max_keepalive_connections=2,
        )

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        addresses = url_check(request.url, self.config)
        self.backend.pinned[url_target(request.url)] = addresses
        return super().handle_request(request)
