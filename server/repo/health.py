"""What the health check asks the database."""

from __future__ import annotations

from psycopg import AsyncConnection


async def schema_version(conn: AsyncConnection) -> int:
    cursor = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0
