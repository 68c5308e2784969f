"""/api/projects and /api/templates: list, create (empty or from a template), rename,
describe, duplicate, delete."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server import auth, templates
from server.bodies import invalid, read_json, read_optional_json, text_field
from server.repo import projects as project_repo
from server.routes.common import optional_text, project_id, project_json
from server.services import projects
from server.services.projects import owned
from server.sync_rules import RULES

MAX_BODY = 64 * 1024


def _name(body: dict[str, Any], required: bool = True) -> str | None:
    if not required:
        return optional_text(body, "name", min_length=1, max_length=100)
    return text_field(body, "name", min_length=1, max_length=100)


def _description(body: dict[str, Any]) -> str | None:
    return optional_text(body, "description", max_length=2000, multiline=True)


async def list_templates(_request: Request) -> Response:
    items = [
        {"id": t.id, "name": t.name, "description": t.description, "runtime": t.runtime}
        for t in templates.catalogue().values()
    ]
    return JSONResponse({"templates": items})


async def list_projects(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        found = await project_repo.list_for(conn, session.user.id)
    return JSONResponse(
        {"projects": [project_json(p) for p in found]}, headers={"cache-control": "no-store"}
    )


async def create_project(request: Request) -> Response:
    session = await auth.signed_in(request)
    body = await read_json(request, MAX_BODY)
    name = _name(body)
    description = _description(body) or ""
    template = body.get("template")
    files: dict[str, bytes] = {}
    if template is not None:
        if not isinstance(template, str) or template not in templates.catalogue():
            raise invalid("template", f"No template {template!r}; see GET /api/templates.")
        files = {
            RULES.normalise(p): d
            for p, d in templates.files_of(template).items()
            if not RULES.ignored(p)
        }
    async with request.state.pool.connection() as conn:
        project = await projects.create(
            conn, session.user.id, name or "", description, template, files
        )
    return JSONResponse(project_json(project), status_code=201)


async def get_project(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        project = await owned(conn, session.user.id, project_id(request))
    return JSONResponse(project_json(project), headers={"cache-control": "no-store"})


async def update_project(request: Request) -> Response:
    session = await auth.signed_in(request)
    body = await read_json(request, MAX_BODY)
    name, description = _name(body, required=False), _description(body)
    if name is None and description is None:
        raise invalid("name", "Send a new name, a new description, or both.")
    async with request.state.pool.connection() as conn:
        project = await owned(conn, session.user.id, project_id(request))
        updated = await project_repo.update(conn, session.user.id, project.id, name, description)
    assert updated is not None
    return JSONResponse(project_json(updated))


async def duplicate_project(request: Request) -> Response:
    session = await auth.signed_in(request)
    body = await read_optional_json(request, MAX_BODY)
    async with request.state.pool.connection() as conn:
        source = await owned(conn, session.user.id, project_id(request))  # 404 before 422
        copy = await projects.duplicate(
            conn, session.user.id, source.id, _name(body, required=False)
        )
    return JSONResponse(project_json(copy), status_code=201)


async def delete_project(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        await projects.delete(conn, session.user.id, project_id(request))
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
