"""A project's files read as one consistent whole (load, export) and written in one
transaction on the locked project (a sync batch, an import, an upload)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from psycopg import AsyncConnection

from server import db, sync
from server.repo import blobs as blob_repo
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo import revisions as revision_repo
from server.repo.files import StoredFile
from server.repo.projects import Project
from server.repo.revisions import Revision
from server.services.projects import owned
from server.sync import Outcome
from server.sync_ops import Op, put_op


@dataclass(frozen=True)
class Snapshot:
    project: Project
    files: list[StoredFile]
    contents: dict[bytes, bytes]  # sha256 -> bytes, of the files asked for


async def load(conn: AsyncConnection, owner: UUID, project_id: UUID) -> Snapshot:
    """Every file with the contents of the text ones, as of one moment; marks the project
    opened (the dashboard lists the recently opened first)."""
    async with db.snapshot(conn):  # files and contents agree
        project = await owned(conn, owner, project_id)
        stored = await file_repo.list_all(conn, project.id)
        texts = await blob_repo.read(conn, [f.sha256 for f in stored if not f.is_binary])
        await project_repo.mark_opened(conn, project.id)
    return Snapshot(project, stored, texts)


async def export(conn: AsyncConnection, owner: UUID, project_id: UUID) -> Snapshot:
    """Every file with its contents, for a zip."""
    async with conn.transaction():
        project = await owned(conn, owner, project_id)
        stored = await file_repo.list_all(conn, project.id)
        contents = await blob_repo.read(conn, [f.sha256 for f in stored])
    return Snapshot(project, stored, contents)


async def save(
    conn: AsyncConnection, owner: UUID, project_id: UUID, ops: list[Op], message: str | None
) -> tuple[Outcome, Revision | None]:
    """Apply a sync batch; with a message, record a revision of the result too."""
    async with conn.transaction():
        project = await owned(conn, owner, project_id, for_update=True)
        outcome = await sync.apply(conn, project, ops)
        revision = None
        # Only when something changed: a batch whose every operation conflicted is not a
        # save (a 20-way race recorded 19 identical revisions). An empty batch is one: the
        # client's "save revision" with nothing left to send.
        if message is not None and (outcome.changed or not ops):
            revision = await revision_repo.record(conn, project.id, owner, message)
    return outcome, revision


async def put_all(
    conn: AsyncConnection, owner: UUID, project_id: UUID, files: dict[str, bytes]
) -> Outcome:
    """Add or replace `files` (an import or an upload), all or nothing."""
    async with conn.transaction():
        project = await owned(conn, owner, project_id, for_update=True)
        current = {f.path: f for f in await file_repo.list_all(conn, project.id)}
        ops = [
            put_op(i, path, data, current[path].version if path in current else None)
            for i, (path, data) in enumerate(sorted(files.items()))
        ]
        return await sync.apply(conn, project, ops)
