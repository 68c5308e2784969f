"""Counters of failed sign-ins, per account and per address, kept in PostgreSQL so that
every server process sees the same counts."""

from __future__ import annotations

from datetime import timedelta

from psycopg import AsyncConnection


async def counts(
    conn: AsyncConnection, keys: list[str], forget_after: timedelta
) -> dict[str, tuple[int, float]]:
    """{key: (failures, seconds since the last failure)} for keys with recent failures."""
    cursor = await conn.execute(
        "SELECT key, failures, extract(epoch FROM now() - last_failure)::float8 "
        "FROM auth_failures WHERE key = ANY(%s) AND last_failure > now() - %s",
        (keys, forget_after),
    )
    return {key: (failures, age) for key, failures, age in await cursor.fetchall()}


async def record_failure(conn: AsyncConnection, keys: list[str], forget_after: timedelta) -> None:
    await conn.execute(
        """
        INSERT INTO auth_failures (key, failures, last_failure)
             SELECT k, 1, now() FROM unnest(%s::text[]) AS k
        ON CONFLICT (key) DO UPDATE
           SET failures = CASE WHEN auth_failures.last_failure > now() - %s
                               THEN auth_failures.failures + 1 ELSE 1 END,
               last_failure = now()
        """,
        (keys, forget_after),
    )


async def clear(conn: AsyncConnection, key: str) -> None:
    await conn.execute("DELETE FROM auth_failures WHERE key = %s", (key,))
