"""/api/projects/{id}/revisions: record, list, read a file at a revision, restore."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server import auth, paths
from server.bodies import read_model
from server.errors import ApiError
from server.models.requests import NewRevision
from server.repo import blobs as blob_repo
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo import revisions as revision_repo
from server.routes.common import file_json, owned, revision_json


def _number(request: Request) -> int:
    raw = request.path_params["number"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:  # not '²' or '١
        raise ApiError(404, "not_found", "No such revision.")
    return int(raw)


async def create(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
    message = (await read_model(request, NewRevision)).message or ""
    async with request.state.pool.connection() as conn, conn.transaction():
        project = await owned(conn, session, request, for_update=True)
        revision = await revision_repo.record(conn, project.id, session.user.id, message)
    return JSONResponse(revision_json(revision), status_code=201)


async def list_revisions(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        project = await owned(conn, session, request)
        revisions = await revision_repo.list_for(conn, project.id)
    return JSONResponse({"revisions": [revision_json(r) for r in revisions]})


async def show(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        project = await owned(conn, session, request)
        revision = await revision_repo.get(conn, project.id, _number(request))
        if revision is None:
            raise ApiError(404, "not_found", "No such revision.")
        files = await revision_repo.files_of(conn, project.id, revision.number)
    items = [{k: v for k, v in file_json(f).items() if k != "version"} for f in files]
    return JSONResponse({"revision": revision_json(revision), "files": items})


async def read_file(request: Request) -> Response:
    try:
        path = paths.normalise(request.path_params["path"])
    except paths.PathError:
        raise ApiError(404, "not_found", "No such file in this revision.") from None
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        project = await owned(conn, session, request)
        files = await revision_repo.files_of(conn, project.id, _number(request))
        match = next((f for f in files if f.path == path), None)
        if match is None:
            raise ApiError(404, "not_found", "No such file in this revision.")
        data = (await blob_repo.read(conn, [match.sha256]))[match.sha256]
    media = "application/octet-stream" if match.is_binary else "text/plain; charset=utf-8"
    return Response(data, media_type=media, headers={"etag": f'"{match.sha256.hex()}"'})


async def restore(request: Request) -> Response:
    """Make the project's files those of a revision; record that as a new revision."""
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
    number = _number(request)
    async with request.state.pool.connection() as conn, conn.transaction():
        project = await owned(conn, session, request, for_update=True)
        if await revision_repo.get(conn, project.id, number) is None:
            raise ApiError(404, "not_found", "No such revision.")
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
                [(f.path, paths.folded(f.path), f.sha256, f.size, f.is_binary) for f in written],
                version,
            )
        revision = await revision_repo.record(
            conn, project.id, session.user.id, f"Restored revision {number}"
        )
    return JSONResponse(
        {
            "version": version,
            "revision": revision_json(revision),
            "changed": len(removed) + len(written),
        }
    )


ROUTES = [
    Route("/projects/{project_id}/revisions", list_revisions, methods=["GET"]),
    Route("/projects/{project_id}/revisions", create, methods=["POST"]),
    Route("/projects/{project_id}/revisions/{number}", show, methods=["GET"]),
    Route(
        "/projects/{project_id}/revisions/{number}/files/{path:path}", read_file, methods=["GET"]
    ),
    Route("/projects/{project_id}/revisions/{number}/restore", restore, methods=["POST"]),
]
