"""The current files of a project: path, content hash, size, kind and version."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from psycopg import AsyncConnection


@dataclass(frozen=True)
class StoredFile:
    path: str
    sha256: bytes
    size: int
    is_binary: bool
    version: int


_COLUMNS = "path, sha256, size, is_binary, version"


async def list_all(conn: AsyncConnection, project_id: UUID) -> list[StoredFile]:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM files WHERE project_id = %s ORDER BY path", (project_id,)
    )
    return [StoredFile(*row) for row in await cursor.fetchall()]


async def by_keys(
    conn: AsyncConnection, project_id: UUID, keys: list[str]
) -> dict[str, StoredFile]:
    """Files whose case-folded path is one of `keys`, by that key."""
    if not keys:
        return {}
    cursor = await conn.execute(
        f"SELECT path_key, {_COLUMNS} FROM files WHERE project_id = %s AND path_key = ANY(%s)",
        (project_id, keys),
    )
    return {row[0]: StoredFile(*row[1:]) for row in await cursor.fetchall()}


async def keys_under(conn: AsyncConnection, project_id: UUID, keys: list[str]) -> list[str]:
    """Stored file keys inside any of these keys taken as folders (usually none)."""
    if not keys:
        return []
    cursor = await conn.execute(
        "SELECT path_key FROM files WHERE project_id = %s AND path_key ^@ ANY(%s::text[])",
        (project_id, [key + "/" for key in keys]),
    )
    return [row[0] for row in await cursor.fetchall()]


async def upsert(
    conn: AsyncConnection,
    project_id: UUID,
    rows: list[tuple[str, str, bytes, int, bool]],
    version: int,
) -> None:
    """rows: (path, path_key, sha256, size, is_binary); an existing path is replaced."""
    if not rows:
        return
    async with conn.cursor() as cursor:
        await cursor.executemany(
            """INSERT INTO files (project_id, path, path_key, sha256, size, is_binary, version)
               VALUES (%s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (project_id, path) DO UPDATE
                  SET sha256 = EXCLUDED.sha256, size = EXCLUDED.size,
                      is_binary = EXCLUDED.is_binary, version = EXCLUDED.version,
                      updated_at = now()""",
            [(project_id, *row, version) for row in rows],
        )


async def delete(conn: AsyncConnection, project_id: UUID, paths: list[str]) -> None:
    if paths:
        await conn.execute(
            "DELETE FROM files WHERE project_id = %s AND path = ANY(%s)", (project_id, paths)
        )


async def replace_all(
    conn: AsyncConnection,
    project_id: UUID,
    rows: list[tuple[str, str, bytes, int, bool]],
    version: int,
) -> None:
    await conn.execute("DELETE FROM files WHERE project_id = %s", (project_id,))
    await upsert(conn, project_id, rows, version)


async def copy_project(conn: AsyncConnection, source: UUID, target: UUID, version: int) -> None:
    await conn.execute(
        """INSERT INTO files (project_id, path, path_key, sha256, size, is_binary, version)
           SELECT %s, path, path_key, sha256, size, is_binary, %s FROM files
            WHERE project_id = %s""",
        (target, version, source),
    )


async def referenced(conn: AsyncConnection, project_id: UUID, sha: bytes) -> bool:
    """Is this content part of the project now or in one of its revisions?"""
    cursor = await conn.execute(
        """SELECT EXISTS (SELECT 1 FROM files WHERE project_id = %s AND sha256 = %s)
               OR EXISTS (SELECT 1 FROM revision_files rf JOIN revisions r ON r.id = rf.revision_id
                           WHERE r.project_id = %s AND rf.sha256 = %s)""",
        (project_id, sha, project_id, sha),
    )
    row = await cursor.fetchone()
    return bool(row and row[0])
