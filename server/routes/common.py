"""What the routes share: the project id and content hash in the URL, and the JSON shapes."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from starlette.requests import Request

from server.errors import ApiError
from server.repo.files import StoredFile
from server.repo.projects import Project
from server.repo.revisions import Revision
from server.services.projects import not_found

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def project_id(request: Request) -> UUID:
    """The URL's project id; a malformed one is as missing as someone else's (404)."""
    try:
        return UUID(request.path_params["project_id"])
    except ValueError:
        raise not_found() from None


def sha256_param(request: Request) -> bytes:
    """The URL's content hash: 64 hex digits, or it names no content (404). bytes.fromhex
    alone would also take spaces between and around them: one content, many URLs."""
    raw = request.path_params["sha256"]
    if not _SHA256.fullmatch(raw):
        raise ApiError(404, "not_found", "No such content.")
    return bytes.fromhex(raw)


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
