"""Requests per key (a client address) in fixed windows, counted in PostgreSQL so that
every server process sees one count: one atomic statement per request."""

from __future__ import annotations

from datetime import timedelta

from psycopg import AsyncConnection


async def count(conn: AsyncConnection, key: str, window: timedelta) -> tuple[int, float]:
    """Count one request; return (requests in the current window, seconds until it ends)."""
    cursor = await conn.execute(
        """INSERT INTO rate_windows AS r (key, window_start, count) VALUES (%(key)s, now(), 1)
           ON CONFLICT (key) DO UPDATE SET
               count = CASE WHEN r.window_start > now() - %(window)s THEN r.count + 1 ELSE 1 END,
               window_start = CASE WHEN r.window_start > now() - %(window)s
                                   THEN r.window_start ELSE now() END
           RETURNING count, extract(epoch FROM window_start + %(window)s - now())::float8""",
        {"key": key, "window": window},
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0]), float(row[1])


async def forget_before(conn: AsyncConnection, age: timedelta) -> int:
    """Drop windows that ended long ago (an address seen once keeps no row for ever)."""
    cursor = await conn.execute("DELETE FROM rate_windows WHERE window_start < now() - %s", (age,))
    return cursor.rowcount
