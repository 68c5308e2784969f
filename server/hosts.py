"""The IDE answers only to the host names it is configured for (DNS rebinding).

A page on evil.example whose name an attacker re-points to 127.0.0.1 is, to the browser,
same-origin with evil.example: it can POST to our API with `Host: evil.example` and
`Origin: http://evil.example`, which match each other, and read the answers. So every
request to the IDE app must name an allowed host (Settings.allowed_hosts_or_default), and a
state-changing request that sends an Origin must come from an allowed host too (or from
COSPAI_ALLOWED_ORIGINS); server/auth.py then checks that the Origin is exactly ours.

This wraps the IDE app only: the sandbox and share origins are told apart by port or host
name first (server/sandbox_site.py, server/share_site.py) and never reach it.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from server.settings import Settings, normal_host

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def hostname(value: str) -> str | None:
    """The host name of a Host header ('a.example:8000', '[::1]:80'), or None if garbled."""
    try:
        parts = urlsplit(f"//{value}")
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        return None
    if not parts.hostname or parts.username is not None or parts.path:
        return None
    return normal_host(parts.hostname)


def origin_hostname(origin: str) -> str | None:
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return normal_host(parts.hostname)


class AllowedHosts:
    """Pure ASGI middleware: 400 for another Host, 403 for a state change from another
    host's Origin; the one error shape under /api, plain text elsewhere."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed = settings.allowed_hosts_or_default
        self.any_host = "*" in self.allowed
        self.allowed_origins = set(settings.allowed_origins)

    def host_allowed(self, name: str | None) -> bool:
        if name is None:
            return False
        if self.any_host or name in self.allowed:
            return True
        return any(a.startswith("*.") and name.endswith(a[1:]) for a in self.allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw_host = headers.get(b"host", b"").decode("latin-1")
        if not self.host_allowed(hostname(raw_host)):
            shown = raw_host[:100] or "(none)"
            await _refuse(
                scope,
                send,
                400,
                "bad_host",
                f"This server does not answer to the host name {shown!r}. If that is "
                "its name, start it with --allowed-hosts (COSPAI_ALLOWED_HOSTS) "
                "naming it.",
                {"host": raw_host[:100]},
            )
            return
        origin = headers.get(b"origin")
        if origin is not None and scope.get("method") in UNSAFE_METHODS:
            text = origin.decode("latin-1")
            if text not in self.allowed_origins and not self.host_allowed(origin_hostname(text)):
                await _refuse(
                    scope,
                    send,
                    403,
                    "bad_origin",
                    "This request came from another site.",
                    {"origin": text[:200]},
                )
                return
        await self.app(scope, receive, send)


async def _refuse(
    scope: Scope, send: Send, status: int, code: str, message: str, details: dict[str, str]
) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": message[:120]})
        return
    if scope.get("path", "").startswith("/api/") or scope.get("path") == "/api":
        body = json.dumps({"error": {"code": code, "message": message, "details": details}})
        media = b"application/json"
    else:
        body, media = message + "\n", b"text/plain; charset=utf-8"
    data = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media),
                (b"content-length", str(len(data)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
