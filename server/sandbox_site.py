"""The sandbox origin: where user code runs (the Pyodide runtime, previews of apps and sites).

A project's programs, the packages they install and the pages they serve are untrusted.
On the IDE's origin they could read its IndexedDB and call /api with the visitor's cookies,
and cookies ignore ports, so even another port of the same host would see them. The sandbox
is therefore another *site*: by default one per project, `<key>.localhost` on its own port
(Chromium and Firefox resolve every `*.localhost` name to the loopback address, and each is
its own site), in production a wildcard name such as `{project}.sandbox.example.com`.

This origin answers static files and nothing else: the runtime host page and the preview
relay (dist/sandbox-origin/), the preview service worker, and the asset groups the runtime
loads (Pyodide, the client package with the runtime worker, the wheelhouse). No /api, no
cookies, no IDE page. The IDE embeds the host pages hidden and talks to them through
MessagePorts only (client/glue/sandbox.mjs).

Every response carries COEP (the IDE is cross-origin isolated, so its iframes' documents
and the worker scripts need it) and `Cross-Origin-Resource-Policy: cross-origin` (the IDE
on another site embeds them; `same-site` is refused even across two ports of one host).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from contract import isolation, sandbox_files
from contract.sandbox_files import FILE_LIST, FILES
from server.errors import ApiError
from server.hosts import hostname
from server.static import DistSite, media_type

HEADERS = {**isolation.SANDBOX, **sandbox_files.EXTRA_HEADERS}
# Answered by the server only when the service worker is not (yet) in control: the IDE
# waits for the worker's hello before loading a preview, so a person sees this only after
# opening a preview URL without the IDE.
NOT_RUNNING = (
    "<!doctype html><meta charset=utf-8><title>Preview not running</title>"
    "<p>This preview is served by the CosPAI IDE tab that opened it. "
    "Open the project in the IDE and use its preview panel.</p>"
)
KEY_PLACEHOLDER = "{project}"
# A key is one DNS label: what client/core/sandbox.py makes of a project id or share token.
KEY_PATTERN = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


class SandboxSite:
    """Pure ASGI app for the sandbox origin: GET/HEAD of FILES and of the runtime's asset
    groups, a note under /preview/, 404 for everything else (the IDE's pages and /api)."""

    def __init__(self, site: DistSite) -> None:
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan is the IDE app's; websockets are not served here
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        method, path = request.method, request.url.path
        if method not in ("GET", "HEAD"):
            return _text(405, "Method not allowed", {"allow": "GET, HEAD"})
        self.site._maybe_reload()
        name = FILES.get(path)
        if name is not None:
            found = self.site.lookup(name)
            if found is not None and found[1].path.is_file():
                return FileResponse(
                    found[1].path,
                    media_type=media_type(name),
                    headers={**HEADERS, "cache-control": "no-cache"},
                )
        if path == FILE_LIST:
            return Response(
                self.file_list(), 200, {**HEADERS, "cache-control": "no-cache"}, "application/json"
            )
        if sandbox_files.is_runtime_asset(path):
            try:
                response = await self.site.handle(request)
            except ApiError:
                return _text(404, "Not found on the sandbox origin", {})
            response.headers.update(HEADERS)
            return response
        if path.startswith("/preview/"):
            return Response(
                NOT_RUNNING,
                503,
                {**HEADERS, "cache-control": "no-cache"},
                "text/html; charset=utf-8",
            )
        return _text(404, "Not found on the sandbox origin", {})

    def file_list(self) -> bytes:
        """What the sandbox keeps for offline use: its pages and the runtime's groups."""
        return json.dumps(sandbox_files.file_list(self.site.build_id, self.site.names())).encode()


def _text(status: int, text: str, extra: dict[str, str]) -> Response:
    return Response(
        text, status, {**HEADERS, "cache-control": "no-cache", **extra}, "text/plain; charset=utf-8"
    )


class SplitByOrigin:
    """One uvicorn serves several listening sockets; the socket a request came in on (or,
    behind a proxy, a host name matching the site's pattern) decides which app answers."""

    def __init__(self, ide: ASGIApp, other: ASGIApp, port: int, host: str | None) -> None:
        self.ide, self.other = ide, other
        self.port = port
        self.hostname = host_regex(host) if host else None

    def is_other(self, scope: Scope) -> bool:
        server = scope.get("server") or ("", 0)
        if self.port and server[1] == self.port:
            return True
        if self.hostname is not None:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            # Read as the IDE's AllowedHosts reads it: a garbled one ("[") is no name at all.
            return self.hostname.fullmatch(hostname(host) or "") is not None
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.is_other(scope):
            await self.other(scope, receive, send)
        else:
            await self.ide(scope, receive, send)


def _as_url(host: str) -> str:
    return host if "://" in host else f"//{host}"


def host_regex(host: str) -> re.Pattern[str]:
    """The host names a configured host (or origin) pattern stands for: `{project}` is one
    DNS label; the rest is literal (case-insensitive, as DNS is)."""
    marker = "projectkeymarker"
    hostname = urlsplit(_as_url(host.replace(KEY_PLACEHOLDER, marker))).hostname or ""
    pattern = re.escape(hostname).replace(marker, KEY_PATTERN)
    return re.compile(pattern, re.IGNORECASE)


def origin_regex(pattern: str) -> re.Pattern[str]:
    """The origins a sandbox pattern (sandbox_pattern's answer) stands for."""
    marker = "projectkeymarker"
    text = re.escape(pattern.replace(KEY_PLACEHOLDER, marker)).replace(marker, KEY_PATTERN)
    return re.compile(text, re.IGNORECASE)


def other_site(ide_scheme: str, ide_hostname: str, port: int, host: str | None) -> str:
    """An origin on another site than the IDE's, for one shared origin (share links):
    `host` when configured, else localhost <-> 127.0.0.1 (cookies ignore ports)."""
    if host and "://" in host:
        return host.rstrip("/")  # a whole origin, e.g. behind a TLS proxy
    if not host:
        swap = {"127.0.0.1": "localhost", "localhost": "127.0.0.1", "[::1]": "localhost"}
        host = swap.get(ide_hostname, ide_hostname)
    return f"{ide_scheme}://{host}:{port}" if port else f"{ide_scheme}://{host}"


def sandbox_pattern(ide_scheme: str, ide_hostname: str, port: int, host: str | None) -> str | None:
    """The sandbox origin, with `{project}` where a project's key goes, for an IDE reached at
    ide_hostname; None when no safe default exists (then --sandbox-host must be set).

    Default on a loopback IDE: `http://{project}.localhost:<port>`, a site per project.
    A configured host without `{project}` is one sandbox site shared by every project."""
    if host:
        if "://" in host:
            return host.rstrip("/")
        return f"{ide_scheme}://{host}:{port}" if port else f"{ide_scheme}://{host}"
    if ide_hostname in LOOPBACK:
        return f"{ide_scheme}://{KEY_PLACEHOLDER}.localhost:{port}" if port else None
    return None


def config_json(ide_scheme: str, ide_hostname: str, port: int, host: str | None) -> bytes:
    return json.dumps({"pattern": sandbox_pattern(ide_scheme, ide_hostname, port, host)}).encode()
