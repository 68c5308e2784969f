"""Projects: one owner each; every query names the owner, so another user's project and a
missing one look the same (None)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from psycopg import AsyncConnection

from server.repo import blobs


@dataclass(frozen=True)
class Project:
    id: UUID
    owner_id: UUID
    name: str
    description: str
    template: str | None
    version: int
    file_count: int
    total_bytes: int
    created_at: datetime
    updated_at: datetime
    opened_at: datetime | None


_COLUMNS = (
    "id, owner_id, name, description, template, version, file_count, total_bytes, "
    "created_at, updated_at, opened_at"
)


async def list_for(conn: AsyncConnection, owner: UUID) -> list[Project]:
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM projects WHERE owner_id = %s "
        "ORDER BY coalesce(opened_at, updated_at) DESC, name",
        (owner,),
    )
    return [Project(*row) for row in await cursor.fetchall()]


async def get(
    conn: AsyncConnection, owner: UUID, project_id: UUID, *, for_update: bool = False
) -> Project | None:
    lock = " FOR UPDATE" if for_update else ""
    cursor = await conn.execute(
        f"SELECT {_COLUMNS} FROM projects WHERE id = %s AND owner_id = %s{lock}",
        (project_id, owner),
    )
    row = await cursor.fetchone()
    return Project(*row) if row else None


async def create(
    conn: AsyncConnection, owner: UUID, name: str, description: str, template: str | None
) -> Project:
    cursor = await conn.execute(
        f"INSERT INTO projects (owner_id, name, description, template) VALUES (%s, %s, %s, %s) "
        f"RETURNING {_COLUMNS}",
        (owner, name, description, template),
    )
    row = await cursor.fetchone()
    assert row is not None
    return Project(*row)


async def update(
    conn: AsyncConnection, owner: UUID, project_id: UUID, name: str | None, description: str | None
) -> Project | None:
    cursor = await conn.execute(
        f"""UPDATE projects SET name = coalesce(%s, name),
                               description = coalesce(%s, description), updated_at = now()
             WHERE id = %s AND owner_id = %s RETURNING {_COLUMNS}""",
        (name, description, project_id, owner),
    )
    row = await cursor.fetchone()
    return Project(*row) if row else None


async def mark_opened(conn: AsyncConnection, project_id: UUID) -> None:
    await conn.execute("UPDATE projects SET opened_at = now() WHERE id = %s", (project_id,))


async def advance(
    conn: AsyncConnection, project_id: UUID, file_count: int, total_bytes: int
) -> int:
    """Record a change: bump the version, store the new totals; return the new version."""
    cursor = await conn.execute(
        "UPDATE projects SET version = version + 1, file_count = %s, total_bytes = %s, "
        "updated_at = now() WHERE id = %s RETURNING version",
        (file_count, total_bytes, project_id),
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def _project_shas(
    conn: AsyncConnection, where: str, params: tuple[object, ...]
) -> list[bytes]:
    cursor = await conn.execute(
        f"""SELECT sha256 FROM files WHERE project_id IN (SELECT id FROM projects WHERE {where})
            UNION
            SELECT rf.sha256 FROM revision_files rf JOIN revisions r ON r.id = rf.revision_id
             WHERE r.project_id IN (SELECT id FROM projects WHERE {where})""",
        params + params,
    )
    return [row[0] for row in await cursor.fetchall()]


async def delete(conn: AsyncConnection, owner: UUID, project_id: UUID) -> bool:
    shas = await _project_shas(conn, "id = %s AND owner_id = %s", (project_id, owner))
    cursor = await conn.execute(
        "DELETE FROM projects WHERE id = %s AND owner_id = %s", (project_id, owner)
    )
    await blobs.collect(conn, shas)
    return cursor.rowcount == 1


async def delete_all_of(conn: AsyncConnection, owner: UUID) -> None:
    shas = await _project_shas(conn, "owner_id = %s", (owner,))
    await conn.execute("DELETE FROM projects WHERE owner_id = %s", (owner,))
    await blobs.collect(conn, shas)
