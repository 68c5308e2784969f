"""GET /api/embed: what an embed page needs from the server before it starts (issue 8)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def embed_config(request: Request) -> Response:
    """The origins allowed to frame /embed and drive it (COSPAI_EMBED_ORIGINS): with a list,
    an embed's own origins= parameter can only narrow it."""
    origins = list(request.state.settings.embed_origins)
    return JSONResponse({"origins": origins}, headers={"cache-control": "no-cache"})


ROUTES = [Route("/embed", embed_config, methods=["GET"])]
