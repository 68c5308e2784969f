"""What the routes share: the project id and content hash in the URL, optional text fields,
and the JSON shapes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.requests import Request

from server.bodies import text_field
from server.errors import ApiError
from server.repo.files import StoredFile
from server.repo.projects import Project
from server.repo.revisions import Revision
from server.services.projects import not_found


def project_id(request: Request) -> UUID:
    """The URL's project id; a malformed one is as missing as someone else's (404)."""
    try:
        return UUID(request.path_params["project_id"])
    except ValueError:
        raise not_found() from None


def sha256_param(request: Request) -> bytes:
    """The URL's content hash; one that is not even hex names no content (404)."""
    try:
        return bytes.fromhex(request.path_params["sha256"])
    except ValueError:
        raise ApiError(404, "not_found", "No such content.") from None


def optional_text(
    body: dict[str, Any],
    field: str,
    *,
    max_length: int,
    min_length: int = 0,
    strip: bool = True,
    multiline: bool = False,
) -> str | None:
    """A text field that may be left out (or null): None then, else checked as text."""
    if body.get(field) is None:
        return None
    return text_field(
        body,
        field,
        max_length=max_length,
        min_length=min_length,
        strip=strip,
        multiline=multiline,
    )


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
