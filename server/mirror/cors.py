"""Who may read the mirror from a page: packages are public, so no cookie is looked at
and none is needed, and the runtime on a sandbox origin (another site, server/sandbox_site.py)
is told by CORS that it may read the answers. Other sites' pages get no CORS headers (their
browsers then keep the answers from them); npm, pip and other clients send no Origin and
are not concerned. `Preflight` answers the OPTIONS a browser sends first for a request
with headers beyond the simple ones."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from server.hosts import hostname
from server.sandbox_site import origin_regex, sandbox_pattern
from server.settings import Settings

PREFIX = "/mirror/"
# Every answer of the mirror: public bytes that any page may embed.
PUBLIC = {"cross-origin-resource-policy": "cross-origin", "x-content-type-options": "nosniff"}
_PREFLIGHT = {
    "access-control-allow-methods": "GET, HEAD",
    "access-control-allow-headers": "accept, if-none-match, npm-command, npm-session, user-agent",
    "access-control-max-age": "600",
}


def allowed(settings: Settings, scheme: str, ide_hostname: str, origin: str) -> bool:
    """Whether `origin` is one of the sandbox origins of this IDE (as reached)."""
    pattern = sandbox_pattern(
        scheme, ide_hostname, settings.sandbox_port_or_default, settings.sandbox_host
    )
    return pattern is not None and origin_regex(pattern).fullmatch(origin) is not None


def headers(
    settings: Settings, scheme: str, ide_hostname: str, origin: str | None
) -> dict[str, str]:
    """The headers a mirror answer carries for a request from `origin`."""
    if origin and allowed(settings, scheme, ide_hostname, origin):
        return {**PUBLIC, "access-control-allow-origin": origin, "vary": "origin, accept"}
    return {**PUBLIC, "vary": "origin, accept"}


class Preflight:
    """Pure ASGI: OPTIONS under /mirror/ answered here (204), before the routes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "OPTIONS" or PREFIX not in path:
            await self.app(scope, receive, send)
            return
        raw = dict(scope.get("headers") or [])
        origin = raw.get(b"origin", b"").decode("latin-1") or None
        host = hostname(raw.get(b"host", b"").decode("latin-1")) or ""
        answer = headers(scope["state"]["settings"], scope.get("scheme", "http"), host, origin)
        if "access-control-allow-origin" in answer:
            answer.update(_PREFLIGHT)
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [(k.encode(), v.encode()) for k, v in answer.items()],
            }
        )
        await send({"type": "http.response.body", "body": b""})
