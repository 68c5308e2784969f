"""Requests per client address: so many in a minute, then 429 until the minute is over.
Counted in PostgreSQL (server/repo/rate_windows.py), so every process enforces one limit."""

from __future__ import annotations

import math
from datetime import timedelta

from psycopg_pool import AsyncConnectionPool

from server.errors import ApiError
from server.repo import rate_windows

WINDOW = timedelta(minutes=1)


async def admit(pool: AsyncConnectionPool, key: str, per_minute: int, what: str) -> None:
    """Count one request under `key`; 429 with Retry-After past `per_minute` (0: no limit)."""
    if per_minute <= 0:
        return
    async with pool.connection() as conn:
        count, left = await rate_windows.count(conn, key, WINDOW)
    if count > per_minute:
        retry = max(1, math.ceil(left))
        raise ApiError(
            429,
            "rate_limited",
            f"Too many {what} requests from your address ({per_minute} a minute). "
            f"Try again in {retry} s.",
            {"retry_after": retry},
            headers={"retry-after": str(retry)},
        )
