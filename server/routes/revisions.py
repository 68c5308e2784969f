"""/api/projects/{id}/revisions: record, list, read a file at a revision, restore."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contract.rules import PathError
from server import auth
from server.bodies import read_model
from server.errors import ApiError
from server.models.requests import NewRevision
from server.repo import blobs as blob_repo
from server.repo import revisions as revision_repo
from server.routes.common import file_json, project_id, revision_json
from server.services import revisions
from server.services.projects import owned
from server.services.revisions import no_such_revision
from server.sync_rules import RULES


def _number(request: Request) -> int:
    raw = request.path_params["number"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:  # not '²' or '١
        raise no_such_revision()
    return int(raw)


async def create(request: Request) -> Response:
    session = await auth.signed_in(request)
    message = (await read_model(request, NewRevision)).message or ""
    async with request.state.pool.connection() as conn:
        revision = await revisions.record(conn, session.user.id, project_id(request), message)
    return JSONResponse(revision_json(revision), status_code=201)


async def list_revisions(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        project = await owned(conn, session.user.id, project_id(request))
        found = await revision_repo.list_for(conn, project.id)
    return JSONResponse({"revisions": [revision_json(r) for r in found]})


async def show(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        project = await owned(conn, session.user.id, project_id(request))
        revision = await revision_repo.get(conn, project.id, _number(request))
        if revision is None:
            raise no_such_revision()
        files = await revision_repo.files_of(conn, project.id, revision.number)
    items = [{k: v for k, v in file_json(f).items() if k != "version"} for f in files]
    return JSONResponse({"revision": revision_json(revision), "files": items})


async def read_file(request: Request) -> Response:
    try:
        path = RULES.normalise(request.path_params["path"])
    except PathError:
        raise ApiError(404, "not_found", "No such file in this revision.") from None
    async with auth.session_connection(request) as (conn, session):
        project = await owned(conn, session.user.id, project_id(request))
        number = _number(request)
        if await revision_repo.get(conn, project.id, number) is None:
            raise no_such_revision()  # as GET .../revisions/{number} says, not "no such file"
        files = await revision_repo.files_of(conn, project.id, number)
        match = next((f for f in files if f.path == path), None)
        if match is None:
            raise ApiError(404, "not_found", "No such file in this revision.")
        data = await blob_repo.read_one(conn, match.sha256)
    media = "application/octet-stream" if match.is_binary else "text/plain; charset=utf-8"
    return Response(data, media_type=media, headers={"etag": f'"{match.sha256.hex()}"'})


async def restore(request: Request) -> Response:
    """Make the project's files those of a revision; record that as a new revision."""
    session = await auth.signed_in(request)
    number = _number(request)
    async with request.state.pool.connection() as conn:
        done = await revisions.restore(conn, session.user.id, project_id(request), number)
    return JSONResponse(
        {"version": done.version, "revision": revision_json(done.revision), "changed": done.changed}
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
