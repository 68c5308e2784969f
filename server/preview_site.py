"""The preview origin: a second port (or host) that serves only the preview's own files.

Previews run the user's code. They must not share an origin, nor a *site*, with the IDE:
on the IDE's origin they could read its IndexedDB and call /api with its cookies, and
cookies ignore ports, so even another port of the same host would see them. This origin
therefore answers three files and nothing else: the relay page the IDE embeds (hidden),
its script, and the preview service worker, which then answers /preview/<sid>/... from the
IDE's memory. No /api, no cookies, no IDE page.

Every response carries COEP (the IDE is cross-origin isolated, so its iframes' documents
and the worker script need it) and `Cross-Origin-Resource-Policy: cross-origin` (the IDE on
another site embeds them; `same-site` is refused even across two ports of one host).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.responses import FileResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.static import MEDIA_TYPES, DistSite

# URL path on the preview origin -> file in dist/ (build.py puts them under preview-origin/).
FILES = {
    "/relay.html": "preview-origin/relay.html",
    "/relay.js": "preview-origin/relay.js",
    "/sw.js": "preview-origin/sw.js",
}
PREFIX = "preview-origin/"
HEADERS = {
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "cross-origin",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}
# Answered by the server only when the service worker is not (yet) in control: the IDE
# waits for the worker's hello before loading a preview, so a person sees this only after
# opening a preview URL without the IDE.
NOT_RUNNING = (
    "<!doctype html><meta charset=utf-8><title>Preview not running</title>"
    "<p>This preview is served by the CosPAI IDE tab that opened it. "
    "Open the project in the IDE and use its preview panel.</p>"
)


class PreviewSite:
    """Pure ASGI app for the preview origin: GET/HEAD of FILES, a note under /preview/,
    404 for everything else (the IDE's pages and /api included)."""

    def __init__(self, site: DistSite) -> None:
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan is the IDE app's; websockets are not served here
        response = self.respond(scope["method"], scope["path"])
        await response(scope, receive, send)

    def respond(self, method: str, path: str) -> Response:
        if method not in ("GET", "HEAD"):
            return _text(405, "Method not allowed", {"allow": "GET, HEAD"})
        name = FILES.get(path)
        if name is not None:
            self.site._maybe_reload()
            found = self.site.lookup(name)
            if found is not None and found[1].path.is_file():
                suffix = name.rsplit(".", 1)[-1]
                media = MEDIA_TYPES.get(f".{suffix}", "application/octet-stream")
                headers = dict(HEADERS)
                return FileResponse(found[1].path, media_type=media, headers=headers)
        if path.startswith("/preview/"):
            return Response(NOT_RUNNING, 503, HEADERS, "text/html; charset=utf-8")
        return _text(404, "Not found on the preview origin", {})


def _text(status: int, text: str, extra: dict[str, str]) -> Response:
    return Response(text, status, {**HEADERS, **extra}, "text/plain; charset=utf-8")


class SplitByOrigin:
    """One uvicorn serves both listening sockets; the socket a request came in on (or, behind
    a proxy, the preview host name) decides which app answers it."""

    def __init__(self, ide: ASGIApp, preview: ASGIApp, preview_port: int,
                 preview_host: str | None) -> None:  # fmt: skip
        self.ide, self.preview = ide, preview
        self.preview_port = preview_port
        self.preview_hostname = urlsplit(_as_url(preview_host)).hostname if preview_host else None

    def is_preview(self, scope: Scope) -> bool:
        server = scope.get("server") or ("", 0)
        if self.preview_port and server[1] == self.preview_port:
            return True
        if self.preview_hostname:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            return urlsplit(f"//{host}").hostname == self.preview_hostname
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.is_preview(scope):
            await self.preview(scope, receive, send)
        else:
            await self.ide(scope, receive, send)


def _as_url(host: str) -> str:
    return host if "://" in host else f"//{host}"


def preview_origin(ide_scheme: str, ide_hostname: str, port: int, host: str | None) -> str:
    """The preview origin the IDE page (reached at ide_hostname) should use."""
    if host and "://" in host:
        return host.rstrip("/")  # a whole origin, e.g. behind a TLS proxy
    if not host:
        # Another site than the IDE's: cookies set by one are invisible to the other.
        swap = {"127.0.0.1": "localhost", "localhost": "127.0.0.1", "[::1]": "localhost"}
        host = swap.get(ide_hostname, ide_hostname)
    return f"{ide_scheme}://{host}:{port}" if port else f"{ide_scheme}://{host}"


def origin_json(ide_scheme: str, ide_hostname: str, port: int, host: str | None) -> bytes:
    return json.dumps({"origin": preview_origin(ide_scheme, ide_hostname, port, host)}).encode()
