"""Share links: the owner creates, lists, republishes and revokes them (/api/projects/{id}/
shares); anyone holding a token reads its files (/api/shares/{token}, for embeds).

The pages themselves are served on the share origin (server/share_site.py), never here.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contract.rules import PathError
from server import auth
from server.bodies import invalid, read_optional_json, text_field
from server.errors import ApiError
from server.repo import blobs as blob_repo
from server.repo import shares as share_repo
from server.repo.projects import Project
from server.repo.shares import Share
from server.routes.common import project_id, sha256_param
from server.services import shares
from server.services.projects import owned
from server.services.shares import no_such_share
from server.share_site import share_origin, valid_token
from server.sync_rules import RULES

MAX_BODY = 16 * 1024


def _origin(request: Request) -> str:
    settings = request.state.settings
    return share_origin(
        request.url.scheme,
        request.url.hostname or "localhost",
        settings.share_port_or_default,
        settings.share_host,
    )


def share_json(request: Request, share: Share, project: Project) -> dict[str, Any]:
    return {
        "token": share.token,
        "url": f"{_origin(request)}/s/{share.token}/",
        "root": share.root,
        "revision": share.revision_number,
        "project_version": share.project_version,
        # False once the project changed after publishing: offer "update to latest".
        "current": share.project_version == project.version,
        "created_at": share.created_at.isoformat(),
        "published_at": share.published_at.isoformat(),
    }


def _token(request: Request) -> str:
    token = request.path_params["token"]
    if not valid_token(token):
        raise no_such_share()
    return str(token)


def _root(body: dict[str, Any]) -> str:
    raw = text_field(body, "root", max_length=1000, required=False).strip("/")
    if raw == "":
        return ""
    try:
        return RULES.normalise(raw)
    except PathError as error:
        raise invalid("root", f"The folder to publish is not a valid path: {error}.") from None


async def list_shares(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        project = await owned(conn, session.user.id, project_id(request))
        found = await share_repo.list_for(conn, project.id)
    return JSONResponse(
        {"shares": [share_json(request, s, project) for s in found]},
        headers={"cache-control": "no-store"},
    )


async def create_share(request: Request) -> Response:
    session = await auth.signed_in(request)
    body = await read_optional_json(request, MAX_BODY)
    root = _root(body)
    async with request.state.pool.connection() as conn:
        share, project = await shares.create(conn, session.user.id, project_id(request), root)
    return JSONResponse(share_json(request, share, project), status_code=201)


async def publish_share(request: Request) -> Response:
    """Update to latest: the link serves the files as saved now."""
    session = await auth.signed_in(request)
    token = _token(request)
    async with request.state.pool.connection() as conn:
        share, project = await shares.publish(conn, session.user.id, project_id(request), token)
    return JSONResponse(share_json(request, share, project))


async def revoke_share(request: Request) -> Response:
    async with auth.session_connection(request) as (conn, session):
        token = _token(request)
        project = await owned(conn, session.user.id, project_id(request))
        if not await share_repo.revoke(conn, project.id, token):
            raise no_such_share()
    return Response(status_code=204)


# ------------------------------------------------------------ public: anyone with the token


async def public_files(request: Request) -> Response:
    token = _token(request)
    async with request.state.pool.connection() as conn:
        files = await share_repo.public_files(conn, token)
        if files is None:
            raise ApiError(404, "not_found", "No such share link (or it was revoked).")
        texts = await blob_repo.read(conn, [f.sha256 for f in files if not f.is_binary])
    items = []
    for f in files:
        item: dict[str, Any] = {
            "path": f.path,
            "size": f.size,
            "sha256": f.sha256.hex(),
            "binary": f.is_binary,
        }
        if not f.is_binary:
            item["content"] = texts[f.sha256].decode("utf-8")
        items.append(item)
    return JSONResponse({"files": items}, headers={"cache-control": "no-cache"})


async def public_blob(request: Request) -> Response:
    token = _token(request)
    sha = sha256_param(request)
    async with request.state.pool.connection() as conn:
        if len(sha) != 32 or not await share_repo.public_blob_in(conn, token, sha):
            raise ApiError(404, "not_found", "No such content in this share link.")
        data = await blob_repo.read_one(conn, sha)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"etag": f'"{sha.hex()}"', "cache-control": "no-cache"},
    )


ROUTES = [
    Route("/projects/{project_id}/shares", list_shares, methods=["GET"]),
    Route("/projects/{project_id}/shares", create_share, methods=["POST"]),
    Route("/projects/{project_id}/shares/{token}/publish", publish_share, methods=["POST"]),
    Route("/projects/{project_id}/shares/{token}", revoke_share, methods=["DELETE"]),
    Route("/shares/{token}", public_files, methods=["GET"]),
    Route("/shares/{token}/blobs/{sha256}", public_blob, methods=["GET"]),
]
