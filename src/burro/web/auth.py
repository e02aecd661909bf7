"""Who may use the web controller: the optional WEB_TOKEN and the WebSocket origin check.

With a token set, every request needs it: `?token=…` in the address, the `burro_token`
cookie (set, HttpOnly and SameSite=Strict, when a page is opened with a valid `?token=`), or
`Authorization: Bearer …` (scripts). A WebSocket must come from a page of this server (its
Origin's host:port is the request's Host) or from an origin listed in WEB_ALLOWED_ORIGINS; a
client that sends no Origin (a script, not a browser) is let in — a browser always sends one.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit

COOKIE = "burro_token"
REFUSED_PAGE = ("<!doctype html><title>403 — token needed</title>"
                "<p>403: this car's web controller needs its token. Open the address "
                "<code>manage.py drive</code> printed at start-up (it ends with "
                "<code>?token=…</code>), or send <code>Authorization: Bearer …</code>.</p>\n")


def given_token(query_token: str | None, cookie: str | None, authorization: str | None) -> str | None:
    """The token a request carries, from the query, the cookie or a Bearer header."""
    if query_token:
        return query_token
    if cookie:
        return cookie
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return None


def token_ok(expected: str, given: str | None) -> bool:
    """No token configured: everyone; else a constant-time comparison."""
    if not expected:
        return True
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def origin_ok(origin: str, host: str | None, allowed: Iterable[str]) -> bool:
    """A browser's WebSocket Origin: this server's own pages, or one listed."""
    origin = origin.strip().rstrip("/")
    if origin.lower() in {item.strip().rstrip("/").lower() for item in allowed}:
        return True
    netloc = urlsplit(origin).netloc.lower()
    return bool(netloc) and host is not None and netloc == host.strip().lower()
