"""Fetching a web page with safety rules: http/https only, public addresses only (unless allowed),
a timeout, a size limit and a bounded number of redirects, each redirect checked like the first URL."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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


def check_url(url: str, allow_private: bool) -> None:
    """Raise FetchError unless `url` is http(s) to a host that resolves to public addresses only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) link: {url[:200]}")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {parts.hostname}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError(f"{parts.hostname} is a private or local address ({address}); not fetched")


def fetch(url: str, settings: FetchSettings) -> Fetched:
    """The page at `url` (HTML only), following at most settings.max_redirects redirects."""
    timeout = httpx.Timeout(settings.timeout)
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml"}
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=False) as client:
        for _ in range(settings.max_redirects + 1):
            check_url(url, settings.allow_private)
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
