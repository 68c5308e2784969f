"""The share origin: published share links at /s/<token>/..., read-only, for anyone.

Shared pages are the project owner's code served to strangers, so they live on their own
origin (another port, and by default another *site* than the IDE's, since cookies ignore
ports): there they cannot read the IDE's storage or call /api with a visitor's session, and
the visitor's IDE cookie is never sent. Nothing but GET/HEAD of /s/<token>/... is answered.
A revoked link is a deleted row, so it is gone at the next request; every answer says
`no-cache` (revalidate with the ETag) so no cache outlives a revocation either.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from contract.media_types import media_type
from server.conditional import matches
from server.repo import blobs as blob_repo
from server.repo import shares as share_repo

# The page may run its own scripts and styles and fetch its own files; everything else
# (other origins, the IDE's included) is refused. Any site may frame it.
CSP = (
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; connect-src 'self'; "
    "form-action 'self'; base-uri 'self'; frame-ancestors *"
)
# A backslash, or a C0/C1 control character or DEL (NUL among them).
_UNSTORABLE = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")
HEADERS = {
    "content-security-policy": CSP,
    "cross-origin-resource-policy": "cross-origin",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}


def valid_token(token: str) -> bool:
    """Tokens are secrets.token_urlsafe output: URL-safe base64 letters only."""
    return 32 <= len(token) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)


class ShareSite:
    """Pure ASGI app for the share origin. Uses the pool the IDE app's lifespan opened
    (uvicorn hands the lifespan state to every request's scope)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        response = await self.respond(scope)
        await response(scope, receive, send)

    async def respond(self, scope: Scope) -> Response:
        method, path = scope["method"], scope["path"]
        if method not in ("GET", "HEAD"):
            return _page(
                405, "Method not allowed", "Shared links are read-only.", {"allow": "GET, HEAD"}
            )
        token, slash, rest = path[3:].partition("/") if path.startswith("/s/") else ("", "", "")
        if not valid_token(token):
            return _page(404, "Not found", "Nothing is served here but shared links (/s/...).")
        if not slash:  # /s/<token> without its slash: relative links need the slash
            return Response(status_code=308, headers={**HEADERS, "location": f"/s/{token}/"})
        name = unquote(rest)
        # No stored path holds these (contract/rules.py), and PostgreSQL refuses a NUL.
        if any(seg in (".", "..") for seg in name.split("/")) or _UNSTORABLE.search(name):
            return _page(404, "Not found", "No such file in this shared link.")
        wanted = [name + "index.html"] if name == "" or name.endswith("/") else [name]
        if name and not name.endswith("/"):
            wanted.append(name + "/index.html")
        pool = scope["state"]["pool"]
        async with pool.connection() as conn:
            exists, matched, found = await share_repo.public_file(conn, token, wanted)
            if not exists:
                return _page(
                    404,
                    "Link not found",
                    "This shared link does not exist, or its owner has revoked it.",
                )
            if found is None:
                own_404 = (await share_repo.public_file(conn, token, ["404.html"]))[2]
                if own_404 is not None:
                    data = await blob_repo.read_one(conn, own_404.sha256)
                    return Response(data, 404, HEADERS, "text/html; charset=utf-8")
                return _page(404, "Not found", f"No file at {name or '/'} in this shared link.")
            if matched != wanted[0]:
                # A folder asked for without its slash: send it there, so relative links
                # resolve against the folder.
                last = name.rsplit("/", 1)[-1]
                location = f"{quote(last, safe='')}/"  # a '?' or '#' in it, or 日本
                return Response(status_code=301, headers={**HEADERS, "location": location})
            etag = f'"{found.sha256.hex()[:32]}"'
            raw = dict(scope.get("headers") or []).get(b"if-none-match", b"")
            if matches(etag, raw.decode("latin-1")):
                return Response(status_code=304, headers={**HEADERS, "etag": etag})
            data = await blob_repo.read_one(conn, found.sha256)
        body = b"" if method == "HEAD" else data
        headers = {**HEADERS, "etag": etag}
        response = Response(body, 200, headers, media_type(found.path))
        if method == "HEAD":
            response.headers["content-length"] = str(len(data))
        return response


def _page(status: int, title: str, text: str, extra: dict[str, str] | None = None) -> Response:
    body = (
        f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title>"
        "<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#333}</style>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
    )
    return Response(body, status, {**HEADERS, **(extra or {})}, "text/html; charset=utf-8")


def share_origin(ide_scheme: str, ide_hostname: str, port: int, host: str | None) -> str:
    """The share origin for an IDE reached at ide_hostname (another site than the IDE's)."""
    from server.sandbox_site import other_site

    return other_site(ide_scheme, ide_hostname, port, host)
