"""/api/projects/{id}/files, /blobs/{sha256} and /sync: load a project, fetch binary
content, push a batch of changes.

Load: one JSON document with every path, its version, size, sha256 and kind; text content
inline, binary content fetched separately by hash (raw bytes, cacheable forever). An ETag
(project id and version) makes an unchanged project cost one 304.
"""

from __future__ import annotations

import time

import anyio
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server import auth, limits, sync_ops
from server.bodies import decode, read_bytes, read_model
from server.conditional import matches
from server.errors import ApiError
from server.models.requests import SyncRequest
from server.repo import blobs as blob_repo
from server.repo import files as file_repo
from server.repo.projects import Project
from server.repo.revisions import Revision
from server.routes.common import (
    file_json,
    project_id,
    project_json,
    revision_json,
    sha256_param,
)
from server.services import files
from server.services.projects import owned
from server.sync import Outcome
from server.sync_rules import RULES


def _etag(project: Project) -> str:
    # The load carries the project's name and description too: a rename must change it.
    return f'"{project.id}:{project.version}:{int(project.updated_at.timestamp() * 1e6)}"'


async def load(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        project = await owned(conn, session.user.id, project_id(request))
        etag = _etag(project)
        headers = {"etag": etag, "cache-control": "private, no-cache"}
        if matches(etag, request.headers.get("if-none-match")):
            return Response(status_code=304, headers=headers)
        snapshot = await files.load(conn, session.user.id, project.id)
    items = []
    for f in snapshot.files:
        item = file_json(f)
        if not f.is_binary:
            item["content"] = snapshot.contents[f.sha256].decode("utf-8")
        items.append(item)
    project = snapshot.project
    headers["etag"] = _etag(project)
    body = {"project": project_json(project), "version": project.version, "files": items}
    return JSONResponse(body, headers=headers)


async def blob(request: Request) -> Response:
    sha = sha256_param(request)
    async with auth.session_connection(request) as (conn, session):
        project = await owned(conn, session.user.id, project_id(request))
        if len(sha) != 32 or not await file_repo.referenced(conn, project.id, sha):
            raise ApiError(404, "not_found", "No such content in this project.")
        data = await blob_repo.read_one(conn, sha)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"cache-control": "private, max-age=31536000, immutable", "etag": f'"{sha.hex()}"'},
    )


async def _sync_body(request: Request) -> tuple[SyncRequest, dict[str, bytes]]:
    """JSON {"ops": [...]}, or multipart: an `ops` field (JSON) plus binary parts by name."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return await read_model(request, SyncRequest), {}
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise ApiError(411, "length_required", "A multipart sync needs a Content-Length.")
    if int(declared) > RULES.max_request_bytes:
        await read_bytes(request)  # raises the 413 with its details
    try:
        form = await request.form(
            max_files=RULES.max_ops_per_sync, max_fields=4, max_part_size=RULES.max_file_bytes + 1
        )
    except Exception as error:  # the multipart parser raises several kinds
        raise ApiError(
            400, "malformed_multipart", f"Cannot read the multipart body: {error}"
        ) from None
    try:
        raw_ops = form.get("ops")
        if not isinstance(raw_ops, str):
            raise ApiError(400, "malformed_multipart", "The multipart body needs an 'ops' field.")
        body = decode(raw_ops, SyncRequest, "'ops'")
        parts = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                parts[key] = await value.read()
        return body, parts
    finally:
        await form.close()


def _is_small_json(request: Request) -> bool:
    declared = request.headers.get("content-length", "")
    content_type = request.headers.get("content-type", "")
    return (
        declared.isdigit()
        and int(declared) <= limits.INLINE_BODY
        and not content_type.startswith("multipart/form-data")
    )


def _saved(started: float, outcome: Outcome, revision: Revision | None) -> Response:
    elapsed = (time.perf_counter() - started) * 1000
    return JSONResponse(
        {
            "version": outcome.version,
            "results": outcome.results,
            "revision": revision_json(revision) if revision else None,
        },
        headers={"server-timing": f"db;dur={elapsed:.2f}", "cache-control": "no-store"},
    )


async def sync_files(request: Request) -> Response:
    if _is_small_json(request):
        # The common case (an editor's few changes): one connection, one transaction.
        raw = await read_bytes(request, limits.INLINE_BODY)
        async with auth.session_connection(request) as (conn, session):  # 401/403 first
            body = decode(raw, SyncRequest)
            ops = sync_ops.parse_ops(body.ops, {})
            message = body.revision_message
            started = time.perf_counter()
            saved = await files.save(conn, session.user.id, project_id(request), ops, message)
        return _saved(started, *saved)
    async with auth.session_connection(request) as (conn, session):
        await owned(conn, session.user.id, project_id(request))  # 404 before a large body
    body, parts = await _sync_body(request)
    ops = await anyio.to_thread.run_sync(sync_ops.parse_ops, body.ops, parts)
    message = body.revision_message
    async with request.state.pool.connection() as conn:
        started = time.perf_counter()
        saved = await files.save(conn, session.user.id, project_id(request), ops, message)
    return _saved(started, *saved)


ROUTES = [
    Route("/projects/{project_id}/files", load, methods=["GET"]),
    Route("/projects/{project_id}/blobs/{sha256}", blob, methods=["GET"]),
    Route("/projects/{project_id}/sync", sync_files, methods=["POST"]),
]
