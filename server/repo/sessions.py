"""Server-side sessions, found by the sha256 of the token the browser holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from psycopg import AsyncConnection

from server.repo.users import User


@dataclass(frozen=True)
class Session:
    token_hash: bytes
    csrf_token: str
    user: User


async def create(
    conn: AsyncConnection, token_hash: bytes, user_id: UUID, csrf_token: str,
    lifetime: timedelta, user_agent: str, address: str,
) -> None:  # fmt: skip
    await conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, user_agent, address) "
        "VALUES (%s, %s, %s, now() + %s, %s, %s)",
        (token_hash, user_id, csrf_token, lifetime, user_agent[:300], address[:100]),
    )


async def find(conn: AsyncConnection, token_hash: bytes, lifetime: timedelta) -> Session | None:
    """The live session for this token; its expiry slides forward when it is used."""
    cursor = await conn.execute(
        """
        UPDATE sessions s
           SET last_seen_at = now(),
               expires_at = CASE WHEN s.last_seen_at < now() - interval '1 hour'
                                 THEN now() + %s ELSE s.expires_at END
          FROM users u
         WHERE s.token_hash = %s AND s.expires_at > now() AND u.id = s.user_id
        RETURNING s.token_hash, s.csrf_token, u.id, u.email, u.display_name, u.created_at
        """,
        (lifetime, token_hash),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    return Session(row[0], row[1], User(*row[2:]))


async def revoke(conn: AsyncConnection, token_hash: bytes) -> None:
    await conn.execute("DELETE FROM sessions WHERE token_hash = %s", (token_hash,))


async def revoke_all(conn: AsyncConnection, user_id: UUID, keep: bytes | None = None) -> int:
    cursor = await conn.execute(
        "DELETE FROM sessions WHERE user_id = %s AND token_hash IS DISTINCT FROM %s",
        (user_id, keep),
    )
    return cursor.rowcount


async def purge_expired(conn: AsyncConnection) -> None:
    await conn.execute("DELETE FROM sessions WHERE expires_at < now()")
