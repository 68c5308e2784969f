"""/api/projects and /api/templates: list, create (empty or from a template), rename,
describe, duplicate, delete."""

from __future__ import annotations

from uuid import UUID

from psycopg import AsyncConnection
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server import auth, paths, sync, templates
from server.bodies import read_model
from server.models.refusals import invalid
from server.models.requests import Duplication, NewProject, ProjectChange
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo.projects import Project
from server.routes.common import owned, project_json
from server.sync_rules import RULES


async def create_with_files(
    conn: AsyncConnection,
    owner: UUID,
    name: str,
    description: str,
    template: str | None,
    files: dict[str, bytes],
) -> Project:
    """A new project holding `files` (paths already normalised), in the caller's transaction."""
    project = await project_repo.create(conn, owner, name, description, template)
    ops = [sync.put_op(i, path, data) for i, (path, data) in enumerate(sorted(files.items()))]
    if ops:
        await sync.apply(conn, project, ops)
    fresh = await project_repo.get(conn, project.owner_id, project.id)
    assert fresh is not None
    return fresh


async def list_templates(_request: Request) -> Response:
    items = [
        {"id": t.id, "name": t.name, "description": t.description, "runtime": t.runtime}
        for t in templates.catalogue().values()
    ]
    return JSONResponse({"templates": items})


async def list_projects(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        projects = await project_repo.list_for(conn, session.user.id)
    return JSONResponse(
        {"projects": [project_json(p) for p in projects]}, headers={"cache-control": "no-store"}
    )


async def create_project(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
    body = await read_model(request, NewProject)
    name, description, template = body.name, body.description or "", body.template
    files: dict[str, bytes] = {}
    if template is not None:
        if template not in templates.catalogue():
            raise invalid("template", f"No template {template!r}; see GET /api/templates.")
        files = {
            paths.normalise(p): d
            for p, d in templates.files_of(template).items()
            if not RULES.ignored(p)
        }
    async with request.state.pool.connection() as conn, conn.transaction():
        project = await create_with_files(conn, session.user.id, name, description, template, files)
    return JSONResponse(project_json(project), status_code=201)


async def get_project(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        project = await owned(conn, session, request)
    return JSONResponse(project_json(project), headers={"cache-control": "no-store"})


async def update_project(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
    body = await read_model(request, ProjectChange)
    name, description = body.name, body.description
    if name is None and description is None:
        raise invalid("name", "Send a new name, a new description, or both.")
    async with request.state.pool.connection() as conn:
        project = await owned(conn, session, request)
        updated = await project_repo.update(conn, session.user.id, project.id, name, description)
    assert updated is not None
    return JSONResponse(project_json(updated))


async def duplicate_project(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
    body = await read_model(request, Duplication)
    async with request.state.pool.connection() as conn, conn.transaction():
        source = await owned(conn, session, request, for_update=True)
        name = body.name or f"{source.name} (copy)"[:100]
        copy = await project_repo.create(
            conn, session.user.id, name, source.description, source.template
        )
        if source.file_count:
            await file_repo.copy_project(conn, source.id, copy.id, 1)
            await project_repo.advance(conn, copy.id, source.file_count, source.total_bytes)
        fresh = await project_repo.get(conn, session.user.id, copy.id)
    assert fresh is not None
    return JSONResponse(project_json(fresh), status_code=201)


async def delete_project(request: Request) -> Response:
    async with request.state.pool.connection() as conn:
        session = await auth.require_session(request, conn)
        async with conn.transaction():
            project = await owned(conn, session, request, for_update=True)
            await project_repo.delete(conn, session.user.id, project.id)
    return Response(status_code=204)


ROUTES = [
    Route("/templates", list_templates, methods=["GET"]),
    Route("/projects", list_projects, methods=["GET"]),
    Route("/projects", create_project, methods=["POST"]),
    Route("/projects/{project_id}", get_project, methods=["GET"]),
    Route("/projects/{project_id}", update_project, methods=["PATCH"]),
    Route("/projects/{project_id}", delete_project, methods=["DELETE"]),
    Route("/projects/{project_id}/duplicate", duplicate_project, methods=["POST"]),
]
