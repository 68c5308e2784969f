"""Revisions: record the project's files as they are, or make them those of a revision."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from psycopg import AsyncConnection

from contract.rules import folded
from server.errors import ApiError
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo import revisions as revision_repo
from server.repo.revisions import Revision
from server.services.projects import owned


def no_such_revision() -> ApiError:
    return ApiError(404, "not_found", "No such revision.")


@dataclass(frozen=True)
class Restored:
    version: int  # the project's version after the restore
    revision: Revision  # the revision that records it
    changed: int  # files written or removed


async def record(conn: AsyncConnection, owner: UUID, project_id: UUID, message: str) -> Revision:
    async with conn.transaction():
        project = await owned(conn, owner, project_id, for_update=True)
        return await revision_repo.record(conn, project.id, owner, message)


async def restore(conn: AsyncConnection, owner: UUID, project_id: UUID, number: int) -> Restored:
    """Make the project's files those of revision `number`; record that as a new revision."""
    async with conn.transaction():
        project = await owned(conn, owner, project_id, for_update=True)
        if await revision_repo.get(conn, project.id, number) is None:
            raise no_such_revision()
        target = {f.path: f for f in await revision_repo.files_of(conn, project.id, number)}
        current = {f.path: f for f in await file_repo.list_all(conn, project.id)}
        removed = [p for p in current if p not in target]
        written = [
            f
            for p, f in target.items()
            if p not in current
            or current[p].sha256 != f.sha256
            or current[p].is_binary != f.is_binary
        ]
        version = project.version
        if removed or written:
            version = await project_repo.advance(
                conn, project.id, len(target), sum(f.size for f in target.values())
            )
            await file_repo.delete(conn, project.id, removed)
            await file_repo.upsert(
                conn,
                project.id,
                [(f.path, folded(f.path), f.sha256, f.size, f.is_binary) for f in written],
                version,
            )
        revision = await revision_repo.record(
            conn, project.id, owner, f"Restored revision {number}"
        )
    return Restored(version, revision, len(removed) + len(written))
