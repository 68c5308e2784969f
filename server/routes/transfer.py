"""Zip export and import, and folder upload.

POST /api/projects/import?name=N           zip body -> a new project
POST /api/projects/{id}/import             zip body -> files added or replaced in place
POST /api/projects/{id}/upload             multipart, each file part named by its path
GET  /api/projects/{id}/export             the current files as a zip
Every import is checked whole (zips.read) before one byte is stored, then applied in one
transaction through the sync engine, so the rules and limits are the same as for sync.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import anyio
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contract.rules import PathError, folded
from server import auth, zips
from server.bodies import read_bytes, text_field
from server.errors import ApiError
from server.repo.sessions import Session
from server.routes.common import project_id, project_json
from server.services import files, projects
from server.services.projects import owned
from server.sync_rules import RULES


async def export(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        snapshot = await files.export(conn, session.user.id, project_id(request))
    data = await anyio.to_thread.run_sync(
        zips.build, [(f.path, snapshot.contents[f.sha256]) for f in snapshot.files]
    )
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", snapshot.project.name).strip("-") or "project"
    disposition = f"attachment; filename=\"{filename}.zip\"; filename*=UTF-8''{quote(filename)}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"content-disposition": disposition, "cache-control": "no-store"},
    )


async def import_new(request: Request) -> Response:
    session = await auth.signed_in(request)
    # The same rules as POST /api/projects, for a name that comes in the query string.
    name = text_field(
        {"name": request.query_params.get("name")}, "name", min_length=1, max_length=100
    )
    found, skipped = await anyio.to_thread.run_sync(zips.read, await read_bytes(request))
    async with request.state.pool.connection() as conn:
        project = await projects.create(conn, session.user.id, name, "", None, found)
    return JSONResponse({"project": project_json(project), "skipped": skipped}, status_code=201)


async def _owner_of_project(request: Request) -> Session:
    """The caller's session, once the URL's project is theirs: 404 before a large body."""
    async with auth.session_connection(request) as (conn, session):
        await owned(conn, session.user.id, project_id(request))
    return session


async def _written(
    request: Request, session: Session, found: dict[str, bytes], skipped: list[str]
) -> Response:
    async with request.state.pool.connection() as conn:
        outcome = await files.put_all(conn, session.user.id, project_id(request), found)
    return JSONResponse({"version": outcome.version, "written": len(found), "skipped": skipped})


async def import_into(request: Request) -> Response:
    session = await _owner_of_project(request)
    found, skipped = await anyio.to_thread.run_sync(zips.read, await read_bytes(request))
    return await _written(request, session, found, skipped)


async def upload(request: Request) -> Response:
    """A dropped folder: multipart parts whose filenames are project-relative paths."""
    session = await _owner_of_project(request)
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():  # a chunked body would have no bound
        raise ApiError(411, "length_required", "An upload needs a Content-Length.")
    if int(declared) > RULES.max_request_bytes:
        await read_bytes(request)
    try:
        # Fields are read (not refused by the parser, whose message says "fields" where a
        # person means a file part without a file name) and refused below, by name.
        form = await request.form(
            max_files=RULES.max_ops_per_sync, max_fields=16, max_part_size=RULES.max_file_bytes + 1
        )
    except Exception as error:
        raise ApiError(400, "malformed_multipart", f"Cannot read the upload: {error}") from None
    found: dict[str, bytes] = {}
    skipped: list[str] = []
    seen: set[str] = set()
    try:
        for key, part in form.multi_items():
            if not isinstance(part, UploadFile):
                raise ApiError(
                    400,
                    "malformed_multipart",
                    f"The part {key!r} has no file name: "
                    "every part of an upload is a file whose filename is its path "
                    "in the project.",
                    {"part": key},
                )
            try:
                path = RULES.normalise(part.filename or "")
            except PathError as error:
                raise ApiError(
                    422, "invalid_path", f"{part.filename!r}: {error}", {"file": part.filename}
                ) from None
            data = await part.read()
            if len(data) > RULES.max_file_bytes:
                raise ApiError(
                    413,
                    "file_too_large",
                    f"{path} is larger than {RULES.max_file_bytes} bytes.",
                    {"file": path},
                )
            if RULES.ignored(path):
                skipped.append(path)
            elif folded(path) in seen:
                raise ApiError(
                    422, "duplicate_path", f"Two uploaded files are both {path!r}.", {"file": path}
                )
            else:
                seen.add(folded(path))
                found[path] = data
    finally:
        await form.close()
    return await _written(request, session, found, skipped)


ROUTES = [
    Route("/projects/import", import_new, methods=["POST"]),
    Route("/projects/{project_id}/import", import_into, methods=["POST"]),
    Route("/projects/{project_id}/upload", upload, methods=["POST"]),
    Route("/projects/{project_id}/export", export, methods=["GET"]),
]
