"""Users: accounts and their password hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.errors import UniqueViolation


@dataclass(frozen=True)
class User:
    id: UUID
    email: str
    display_name: str
    created_at: datetime


class EmailTaken(Exception):
    pass


_COLUMNS = "id, email, display_name, created_at"


async def create(conn: AsyncConnection, email: str, display_name: str, password_hash: str) -> User:
    try:
        cursor = await conn.execute(
            f"INSERT INTO users (email, display_name, password_hash) VALUES (%s, %s, %s) "
            f"RETURNING {_COLUMNS}",
            (email, display_name, password_hash),
        )
    except UniqueViolation as error:
        raise EmailTaken(email) from error
    row = await cursor.fetchone()
    assert row is not None
    return User(*row)


async def credentials(conn: AsyncConnection, email: str) -> tuple[User, str] | None:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS}, password_hash FROM users WHERE lower(email) = lower(%s)", (email,)
    )
    row = await cursor.fetchone()
    return (User(*row[:4]), row[4]) if row else None


async def password_hash(conn: AsyncConnection, user_id: UUID) -> str | None:
    cursor = await conn.execute("SELECT password_hash FROM users WHERE id = %s", (user_id,))
    row = await cursor.fetchone()
    return row[0] if row else None


async def set_password(conn: AsyncConnection, user_id: UUID, password_hash: str) -> None:
    await conn.execute(
        "UPDATE users SET password_hash = %s WHERE id = %s", (password_hash, user_id)
    )


async def delete(conn: AsyncConnection, user_id: UUID) -> None:
    await conn.execute("DELETE FROM users WHERE id = %s", (user_id,))
