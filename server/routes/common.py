"""Helpers the project routes share: ids, ownership, JSON shapes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from starlette.requests import Request

from server.errors import ApiError
from server.repo import projects as project_repo
from server.repo.files import StoredFile
from server.repo.projects import Project
from server.repo.revisions import Revision
from server.repo.sessions import Session


def not_found() -> ApiError:
    # The same answer for "missing" and "someone else's": ids reveal nothing.
    return ApiError(404, "not_found", "No such project.")


def project_id(request: Request) -> UUID:
    try:
        return UUID(request.path_params["project_id"])
    except ValueError:
        raise not_found() from None


async def owned(
    conn: AsyncConnection, session: Session, request: Request, *, for_update: bool = False
) -> Project:
    project = await project_repo.get(
        conn, session.user.id, project_id(request), for_update=for_update
    )
    if project is None:
        raise not_found()
    return project


def project_json(project: Project) -> dict[str, Any]:
    return {
        "id": str(project.id),
        "name": project.name,
        "description": project.description,
        "template": project.template,
        "version": project.version,
        "file_count": project.file_count,
        "total_bytes": project.total_bytes,
        "created_at": project.created_at.isoformat(),
        "updated_at": project.updated_at.isoformat(),
        "opened_at": project.opened_at.isoformat() if project.opened_at else None,
    }


def file_json(file: StoredFile) -> dict[str, Any]:
    return {
        "path": file.path,
        "version": file.version,
        "size": file.size,
        "sha256": file.sha256.hex(),
        "binary": file.is_binary,
    }


def revision_json(revision: Revision) -> dict[str, Any]:
    return {
        "number": revision.number,
        "message": revision.message,
        "project_version": revision.project_version,
        "file_count": revision.file_count,
        "total_bytes": revision.total_bytes,
        "created_at": revision.created_at.isoformat(),
    }
