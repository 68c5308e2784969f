"""/api/projects/{id}/files, /blobs/{sha256} and /sync: load a project, fetch binary
content, push a batch of changes.

Load: one JSON document with every path, its version, size, sha256 and kind; text content
inline, binary content fetched separately by hash (raw bytes, cacheable forever). An ETag
(project id and version) makes an unchanged project cost one 304.
"""

from __future__ import annotations

import time

import anyio
from psycopg import AsyncConnection
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server import auth, limits, sync
from server.bodies import decode, read_bytes, read_model
from server.errors import ApiError
from server.models.requests import SyncRequest
from server.repo import blobs as blob_repo
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo import revisions as revision_repo
from server.repo.projects import Project
from server.repo.sessions import Session
from server.routes.common import file_json, not_found, owned, project_json, revision_json
from server.sync_rules import RULES


def _etag(project: Project) -> str:
    # The load carries the project's name and description too: a rename must change it.
    return f'"{project.id}:{project.version}:{int(project.updated_at.timestamp() * 1e6)}"'


async def load(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        project = await owned(conn, session, request)
        etag = _etag(project)
        headers = {"etag": etag, "cache-control": "private, no-cache"}
        if etag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
            return Response(status_code=304, headers=headers)
        async with conn.transaction():  # one snapshot: files and contents agree
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            project = await owned(conn, session, request)
            stored = await file_repo.list_all(conn, project.id)
            texts = await blob_repo.read(conn, [f.sha256 for f in stored if not f.is_binary])
            await project_repo.mark_opened(conn, project.id)
    files = []
    for f in stored:
        item = file_json(f)
        if not f.is_binary:
            item["content"] = texts[f.sha256].decode("utf-8")
        files.append(item)
    headers["etag"] = _etag(project)
    body = {"project": project_json(project), "version": project.version, "files": files}
    return JSONResponse(body, headers=headers)


async def blob(request: Request) -> Response:
    try:
        sha = bytes.fromhex(request.path_params["sha256"])
    except ValueError:
        raise ApiError(404, "not_found", "No such content.") from None
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        project = await owned(conn, session, request)
        if len(sha) != 32 or not await file_repo.referenced(conn, project.id, sha):
            raise ApiError(404, "not_found", "No such content in this project.")
        data = (await blob_repo.read(conn, [sha]))[sha]
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


async def _apply(
    request: Request,
    conn: AsyncConnection,
    session: Session,
    ops: list[sync.Op],
    message: str | None,
) -> Response:
    started = time.perf_counter()
    async with conn.transaction():
        project = await owned(conn, session, request, for_update=True)
        outcome = await sync.apply(conn, project, ops)
        revision = None
        # Only when something changed: a batch whose every operation conflicted is not a
        # save (a 20-way race recorded 19 identical revisions). An empty batch is one: the
        # client's "save revision" with nothing left to send.
        if message is not None and (outcome.changed or not ops):
            revision = await revision_repo.record(
                conn,
                project.id,
                session.user.id,
                message,
            )
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
        async with request.state.pool.connection() as conn:
            session = await auth.require_session(request, conn)  # 401/403 before 400/422
            body = decode(raw, SyncRequest)
            ops = sync.parse_ops(body.ops, {})
            return await _apply(request, conn, session, ops, body.revision_message)
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        await owned(conn, session, request)  # 404 before reading a large body
    body, parts = await _sync_body(request)
    ops = await anyio.to_thread.run_sync(sync.parse_ops, body.ops, parts)
    async with request.state.pool.connection() as conn:
        return await _apply(request, conn, session, ops, body.revision_message)


ROUTES = [
    Route("/projects/{project_id}/files", load, methods=["GET"]),
    Route("/projects/{project_id}/blobs/{sha256}", blob, methods=["GET"]),
    Route("/projects/{project_id}/sync", sync_files, methods=["POST"]),
]

__all__ = ["ROUTES", "not_found"]
