"""Fetching a web page with safety rules: http/https only, public addresses only (unless allowed),
a timeout, a size limit and a bounded number of redirects, each redirect checked like the first URL.

The address check happens where the connection is made: a host is resolved once, every address
it resolves to must be public, and the connection goes to the address checked. A second lookup
(a DNS answer that changes between the check and the connection, "DNS rebinding") cannot send the
request to a private service. So the fetch connects directly: it does not use environment proxies
(HTTP(S)_PROXY), whose address would be the one connected to."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from isnad.errors import UsageError
from isnad.settings import FetchSettings

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(UsageError):
    """A page that cannot be fetched or is not a web page; the message says why."""


@dataclass(frozen=True)
class Fetched:
    """A fetched page: the URL it was finally served from, and its bytes."""

    url: str
    data: bytes


def check_url(url: str) -> None:
    """Raise FetchError unless `url` is an http(s) link to a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) link: {url[:200]}")


def public_address(host: str, port: int) -> str:
    """The address to connect to for `host`, if every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from exc
    addresses = [ipaddress.ip_address(str(info[4][0])) for info in infos]
    for address in addresses:
        if not address.is_global:
            raise FetchError(f"{host} is a private or local address ({address}); not fetched")
    return str(addresses[0])


class _CheckedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to the address `public_address` checked."""

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        return super().connect_tcp(public_address(host, port), port, timeout, local_address, socket_options)


class _CheckedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose connections go through `_CheckedBackend`
    (the TLS server name stays the URL's host)."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=_CheckedBackend())


def fetch(url: str, settings: FetchSettings) -> Fetched:
    """The page at `url` (HTML only), following at most settings.max_redirects redirects."""
    timeout = httpx.Timeout(settings.timeout)
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml"}
    transport = httpx.HTTPTransport(trust_env=False) if settings.allow_private else _CheckedTransport()
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=False, transport=transport, trust_env=False) as client:
        for _ in range(settings.max_redirects + 1):
            check_url(url)
            try:
                with client.stream("GET", url) as response:
                    if response.status_code in REDIRECTS and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    return Fetched(url, _body(response, settings.max_bytes))
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {url[:200]}: {type(exc).__name__} {exc}".strip()) from exc
    raise FetchError(f"too many redirects (more than {settings.max_redirects}) from {url[:200]}")


def _body(response: httpx.Response, max_bytes: int) -> bytes:
    """The response's body if it is a successful HTML page within the size limit."""
    if response.status_code != 200:
        raise FetchError(f"the server answered {response.status_code} for {str(response.url)[:200]}")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in HTML_TYPES:
        raise FetchError(f"not a web page ({kind or 'no content type'}): {str(response.url)[:200]}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"page too large ({declared} bytes; limit {max_bytes})")
    body = bytearray()
    for part in response.iter_bytes():
        body += part
        if len(body) > max_bytes:
            raise FetchError(f"page too large (over {max_bytes} bytes)")
    return bytes(body)
