"""GET /api/health: the build being served and whether the database answers."""

from __future__ import annotations

import asyncio
import time

import psycopg
from psycopg_pool import PoolTimeout
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.repo import health as health_repo


async def health(request: Request) -> JSONResponse:
    pool = request.state.pool
    started = time.perf_counter()
    database: dict[str, object]
    try:
        async with asyncio.timeout(3):
            async with pool.connection(timeout=3) as conn:
                version = await health_repo.schema_version(conn)
        database = {
            "status": "ok",
            "schema_version": version,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
    except (psycopg.Error, PoolTimeout, TimeoutError) as error:
        database = {"status": "unavailable", "reason": type(error).__name__}
    healthy = database["status"] == "ok"
    body = {
        "status": "ok" if healthy else "degraded",
        "build_id": request.state.site.build_id,
        "database": database,
    }
    return JSONResponse(
        body, status_code=200 if healthy else 503, headers={"cache-control": "no-store"}
    )
