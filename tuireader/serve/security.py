"""Who may use a served library: the token, the Host header and the Origin of websockets.

Pure decisions, with no web framework: ``tuireader.serve.server`` applies them to
every request. Bound to a loopback address the server needs no token (unless one is
given) but accepts only loopback host names, which stops DNS-rebinding pages; bound to
any other address it requires the token on every request, compared in constant time.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) is loopback."""
    name = host.strip().lower().strip("[]")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def choose_token(host: str, given: str | None) -> str | None:
    """The token to require: the given one, none on loopback, else a fresh random one."""
    if given is not None:
        return given
    if is_loopback(host):
        return None
    return secrets.token_urlsafe(24)


def host_name(host_header: str) -> str:
    """The name part of a ``Host`` header (``[::1]:8000`` -> ``::1``), lower case."""
    try:
        name = urlsplit(f"http://{host_header}").hostname
    except ValueError:
        return ""
    return (name or "").lower()


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower case, without a default port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if not parts.scheme or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{parts.scheme.lower()}://{host}{suffix}"


@dataclass(frozen=True)
class Guard:
    """The rules for one server: its token (or none) and its public URL (or none)."""

    token: str | None
    port: int
    public_url: str | None = None

    @property
    def cookie_name(self) -> str:
        """The cookie that carries the token (named by port: cookies ignore ports)."""
        return f"tuireader_token_{self.port}"

    def token_ok(self, *candidates: str | None) -> bool:
        """Whether any candidate equals the token (always true when no token is required)."""
        if self.token is None:
            return True
        expected = self.token.encode("utf-8")
        found = False
        for candidate in candidates:
            if candidate is not None:
                found |= hmac.compare_digest(candidate.encode("utf-8"), expected)
        return found

    def host_ok(self, host_header: str) -> bool:
        """Without a token, only loopback names (or the public URL's host) may be asked for."""
        if self.token is not None:
            return True
        name = host_name(host_header)
        if self.public_url and name == (urlsplit(self.public_url).hostname or "").lower():
            return True
        return is_loopback(name)

    def origin_ok(self, origin: str | None, scheme: str, host_header: str) -> bool:
        """A websocket upgrade's ``Origin`` must be this server (as reached, or its public URL).

        Browsers always send ``Origin`` on a websocket; other clients may leave it out,
        and those are held back by the token (or the loopback binding) alone.
        """
        if origin is None:
            return True
        allowed = {origin_of(f"{scheme}://{host_header}")}
        if self.public_url:
            allowed.add(origin_of(self.public_url))
        allowed.discard("")
        return origin_of(origin) in allowed


def url_with_token(base: str, token: str | None) -> str:
    """The URL to open: ``base`` with ``/?token=...`` when a token is required."""
    base = base.rstrip("/") + "/"
    return f"{base}?token={quote(token, safe='')}" if token else base
