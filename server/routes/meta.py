"""/api/sync-rules and /api/openapi.json: what clients need to know about the server."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.openapi import document
from server.sync_rules import RULES


async def sync_rules(_request: Request) -> Response:
    return JSONResponse(RULES.raw, headers={"cache-control": "no-cache"})


async def openapi(_request: Request) -> Response:
    return JSONResponse(document(), headers={"cache-control": "no-cache"})


ROUTES = [
    Route("/sync-rules", sync_rules, methods=["GET"]),
    Route("/openapi.json", openapi, methods=["GET"]),
]
