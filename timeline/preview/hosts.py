"""The host names the preview answers to: its editor's own, never a name a web page can point at it.

A page on any site can make the editor's browser talk to the preview by DNS rebinding: its name, looked up
again, now says 127.0.0.1. The browser then sends that site's name in the Host header (and its origin with
a WebSocket), so answering only the loopback names and the one given with --host keeps such pages out.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ALWAYS_ANSWERED = ("localhost", "127.0.0.1", "::1")
# A Host header: a name or an IPv4 address, or an IPv6 address in brackets; then perhaps a port.
_HOST_HEADER = re.compile(r"(?:\[(?P<ipv6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._-]+))(?::[0-9]{1,5})?", re.IGNORECASE)


def allowed_hosts(listen_host: str) -> frozenset[str]:
    """The loopback names, and the host the server was told to listen on (as typed with --host)."""
    return frozenset({*ALWAYS_ANSWERED, _bare(listen_host)})


def host_allowed(header: str, allowed: frozenset[str]) -> bool:
    """Whether a request's Host header ('localhost:8000', '[::1]:8000', 'localhost') names this server."""
    match = _HOST_HEADER.fullmatch(header)
    return match is not None and (match["ipv6"] or match["name"]).lower() in allowed


def origin_allowed(origin: str, allowed: frozenset[str]) -> bool:
    """Whether an Origin header ('http://localhost:8000') is a page of this server; 'null' never is."""
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.hostname is not None and parts.hostname in allowed


def _bare(host: str) -> str:
    """A host name as the checks compare it: lower case, an IPv6 address without brackets."""
    return host.strip().lower().removeprefix("[").removesuffix("]")
