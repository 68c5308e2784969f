"""Account changes that touch more than the user's row: a new password signs the other
devices out; a deleted account takes its projects with it."""

from __future__ import annotations

from uuid import UUID

from psycopg import AsyncConnection

from server.repo import projects as project_repo
from server.repo import sessions, users


async def change_password(
    conn: AsyncConnection, user_id: UUID, password_hash: str, keep_session: bytes
) -> None:
    """Store the new hash; every session but `keep_session` (this device) must sign in
    again, with the new password."""
    async with conn.transaction():
        await users.set_password(conn, user_id, password_hash)
        await sessions.revoke_all(conn, user_id, keep=keep_session)


async def delete(conn: AsyncConnection, user_id: UUID) -> None:
    async with conn.transaction():
        await project_repo.delete_all_of(conn, user_id)
        await users.delete(conn, user_id)
