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
    conn: AsyncConnection,
    token_hash: bytes,
    user_id: UUID,
    csrf_token: str,
    lifetime: timedelta,
    user_agent: str,
    address: str,
) -> None:
    await conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, user_agent, address) "
        "VALUES (%s, %s, %s, now() + %s, %s, %s)",
        (token_hash, user_id, csrf_token, lifetime, user_agent[:300], address[:100]),
    )


async def find(conn: AsyncConnection, token_hash: bytes, lifetime: timedelta) -> Session | None:
    """The live session for this token. Its expiry slides forward as it is used; the write
    happens at most every few minutes, so most requests only read."""
    cursor = await conn.execute(
        """SELECT s.token_hash, s.csrf_token, u.id, u.email, u.display_name, u.created_at,
                  s.last_seen_at < now() - interval '5 minutes'
             FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = %s AND s.expires_at > now()""",
        (token_hash,),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    if row[6]:
        await conn.execute(
            "UPDATE sessions SET last_seen_at = now(), expires_at = now() + %s "
            "WHERE token_hash = %s",
            (lifetime, token_hash),
        )
    return Session(row[0], row[1], User(*row[2:6]))


async def revoke(conn: AsyncConnection, token_hash: bytes) -> None:
    await conn.execute("DELETE FROM sessions WHERE token_hash = %s", (token_hash,))


async def revoke_all(conn: AsyncConnection, user_id: UUID, keep: bytes | None = None) -> int:
    cursor = await conn.execute(
        "DELETE FROM sessions WHERE user_id = %s AND token_hash IS DISTINCT FROM %s",
        (user_id, keep),
    )
    return cursor.rowcount


async def purge_expired(conn: AsyncConnection, at_most: int = 100) -> int:
    """Delete up to `at_most` expired sessions. Rows another process is deleting are
    skipped, not waited for: concurrent sign-ins neither queue nor deadlock here."""
    cursor = await conn.execute(
        """DELETE FROM sessions WHERE token_hash IN (
               SELECT token_hash FROM sessions WHERE expires_at < now()
                LIMIT %s FOR UPDATE SKIP LOCKED)""",
        (at_most,),
    )
    return cursor.rowcount
