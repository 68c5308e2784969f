"""Revisions: named points in a project's history, each a list of (path, blob)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from psycopg import AsyncConnection

from server.repo.files import StoredFile


@dataclass(frozen=True)
class Revision:
    number: int
    message: str
    project_version: int
    file_count: int
    total_bytes: int
    created_at: datetime


_COLUMNS = "number, message, project_version, file_count, total_bytes, created_at"


async def record(conn: AsyncConnection, project_id: UUID, user_id: UUID, message: str) -> Revision:
    """Snapshot the project's current files (call with the project row locked)."""
    cursor = await conn.execute(
        f"""INSERT INTO revisions (project_id, number, message, project_version, file_count,
                                   total_bytes, created_by)
            SELECT p.id, coalesce((SELECT max(number) FROM revisions WHERE project_id = p.id), 0)
                         + 1, %s, p.version, p.file_count, p.total_bytes, %s
              FROM projects p WHERE p.id = %s
            RETURNING id, {_COLUMNS}""",
        (message, user_id, project_id),
    )
    row = await cursor.fetchone()
    assert row is not None
    await conn.execute(
        """INSERT INTO revision_files (revision_id, path, sha256, size, is_binary)
           SELECT %s, path, sha256, size, is_binary FROM files WHERE project_id = %s""",
        (row[0], project_id),
    )
    return Revision(*row[1:])


async def list_for(conn: AsyncConnection, project_id: UUID) -> list[Revision]:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM revisions WHERE project_id = %s ORDER BY number DESC",
        (project_id,),
    )
    return [Revision(*row) for row in await cursor.fetchall()]


async def get(conn: AsyncConnection, project_id: UUID, number: int) -> Revision | None:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM revisions WHERE project_id = %s AND number = %s",
        (project_id, number),
    )
    row = await cursor.fetchone()
    return Revision(*row) if row else None


async def files_of(conn: AsyncConnection, project_id: UUID, number: int) -> list[StoredFile]:
    cursor = await conn.execute(
        """SELECT rf.path, rf.sha256, rf.size, rf.is_binary, r.project_version
             FROM revision_files rf JOIN revisions r ON r.id = rf.revision_id
            WHERE r.project_id = %s AND r.number = %s ORDER BY rf.path""",
        (project_id, number),
    )
    return [StoredFile(*row) for row in await cursor.fetchall()]
