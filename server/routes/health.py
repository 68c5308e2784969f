"""GET /api/health: the build being served and whether the database answers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server.repo import health as health_repo


async def health(request: Request) -> JSONResponse:
    database = await health_repo.database_status(request.state.pool)
    healthy = database["status"] == "ok"
    body = {
        "status": "ok" if healthy else "degraded",
        "build_id": request.state.site.build_id,
        "database": database,
    }
    return JSONResponse(
        body, status_code=200 if healthy else 503, headers={"cache-control": "no-store"}
    )
