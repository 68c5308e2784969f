"""Projects as their owner sees them: look one up, create one with files, duplicate,
delete. Another user's project and a missing one are the same 404: ids reveal nothing."""

from __future__ import annotations

from uuid import UUID

from psycopg import AsyncConnection

from server import sync
from server.errors import ApiError
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo.projects import Project
from server.sync_ops import put_op


def not_found() -> ApiError:
    return ApiError(404, "not_found", "No such project.")


async def owned(
    conn: AsyncConnection, owner: UUID, project_id: UUID, *, for_update: bool = False
) -> Project:
    """The owner's project, or 404; `for_update` locks its row (inside a transaction)."""
    project = await project_repo.get(conn, owner, project_id, for_update=for_update)
    if project is None:
        raise not_found()
    return project


async def create(
    conn: AsyncConnection,
    owner: UUID,
    name: str,
    description: str,
    template: str | None,
    files: dict[str, bytes],
) -> Project:
    """A new project holding `files` (paths already normalised), all or nothing."""
    async with conn.transaction():
        project = await project_repo.create(conn, owner, name, description, template)
        ops = [put_op(i, path, data) for i, (path, data) in enumerate(sorted(files.items()))]
        if ops:
            await sync.apply(conn, project, ops)
        fresh = await project_repo.get(conn, owner, project.id)
    assert fresh is not None
    return fresh


async def duplicate(
    conn: AsyncConnection, owner: UUID, project_id: UUID, name: str | None
) -> Project:
    """A copy of the project and its current files (not its revisions), named `name` or
    after the original."""
    async with conn.transaction():
        source = await owned(conn, owner, project_id, for_update=True)
        copy = await project_repo.create(
            conn,
            owner,
            name or f"{source.name} (copy)"[:100],
            source.description,
            source.template,
        )
        if source.file_count:
            await file_repo.copy_project(conn, source.id, copy.id, 1)
            await project_repo.advance(conn, copy.id, source.file_count, source.total_bytes)
        fresh = await project_repo.get(conn, owner, copy.id)
    assert fresh is not None
    return fresh


async def delete(conn: AsyncConnection, owner: UUID, project_id: UUID) -> None:
    async with conn.transaction():
        project = await owned(conn, owner, project_id, for_update=True)
        await project_repo.delete(conn, owner, project.id)
