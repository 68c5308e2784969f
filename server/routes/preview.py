"""GET /api/preview: where this server's preview origin is (server/preview_site.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.preview_site import preview_origin


async def preview(request: Request) -> Response:
    settings = request.state.settings  # the lifespan's state
    hostname = request.url.hostname or "localhost"
    origin = preview_origin(request.url.scheme, hostname, settings.preview_port_or_default,
                            settings.preview_host)  # fmt: skip
    return JSONResponse({"origin": origin}, headers={"cache-control": "no-cache"})


ROUTES = [Route("/preview", preview, methods=["GET"])]
