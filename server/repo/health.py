"""What the health check asks the database, and how it says the database is unwell."""

from __future__ import annotations

import asyncio
import time

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool, PoolTimeout

TIMEOUT_S = 3


async def schema_version(conn: AsyncConnection) -> int:
    cursor = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def database_status(pool: AsyncConnectionPool) -> dict[str, object]:
    """{"status": "ok", schema_version, latency_ms}, or {"status": "unavailable", reason}
    when no connection or answer comes within TIMEOUT_S."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TIMEOUT_S):
            async with pool.connection(timeout=TIMEOUT_S) as conn:
                version = await schema_version(conn)
    except (psycopg.Error, PoolTimeout, TimeoutError) as error:
        return {"status": "unavailable", "reason": type(error).__name__}
    return {
        "status": "ok",
        "schema_version": version,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }
