"""The OpenAPI 3.1 document served at /api/openapi.json: what every /api route really does.

Paths are relative to the server URL `/api`, exactly as the routes are declared in
server/routes/. Schemas live in server/openapi_schemas.py. Every failure answers the one
error shape {"error": {"code", "message", "details"}}; each response lists its codes.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from server.openapi_schemas import NO_CONTROL, parameters, ref, schemas, security_schemes
from server.sync_rules import RULES

Json = dict[str, Any]
UNSAFE = {"post", "put", "patch", "delete"}
SMALL, PROJECT_BODY = 16 * 1024, 64 * 1024  # the handlers' MAX_BODY limits
_ERRORS = {
    400: "The body cannot be read (malformed JSON or multipart).",
    401: "Not signed in, or the session expired or was revoked.",
    403: "Refused: another origin, a missing or wrong X-CSRF-Token, or a wrong password.",
    404: "No such project (or not yours), or no such item in it.",
    405: "This path exists, but not with this method; Allow lists the methods.",
    409: "The change conflicts with the paths or accounts that exist.",
    411: "A multipart body needs a Content-Length.",
    413: "Too large: the body, a file, the batch, or the project after the change.",
    422: "A field is invalid; details.field (or details.op) names it.",
    429: "Too many failed password attempts: wait Retry-After seconds.",
}
_THROTTLE = (
    "After 5 failures per account or 20 per address within an hour, each attempt "
    "waits 2^n seconds (at most 15 minutes): 429 with Retry-After."
)
_GUESSES = "Wrong passwords here count like failed sign-ins. " + _THROTTLE
_PROJECT = ["#/components/parameters/ProjectId"]
_REVISION = [*_PROJECT, "#/components/parameters/RevisionNumber"]
_SHARE = [*_PROJECT, "#/components/parameters/ShareToken"]
_TOKEN = ["#/components/parameters/ShareToken"]
_CLEARS_COOKIE = {
    "Set-Cookie": {"description": "Expires the session cookie.", "schema": {"type": "string"}}
}
_SETS_COOKIE = {
    "Set-Cookie": {
        "description": "The session cookie (cospai_session).",
        "schema": {"type": "string"},
    }
}
_ETAG = {"ETag": {"schema": {"type": "string"}, "description": "The quoted sha256."}}
_PROJECT_ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "Opaque; changes with the files and with the project's name or description.",
    }
}


def _json(schema: Json, description: str, headers: Json | None = None) -> Json:
    response: Json = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        response["headers"] = headers
    return response


def _empty(description: str, headers: Json | None = None) -> Json:
    return {"description": description, **({"headers": headers} if headers else {})}


def _bytes(media: str, description: str, headers: Json | None = None) -> Json:
    schema = {"type": "string", "contentMediaType": media}
    return {
        "description": description,
        "content": {media: {"schema": schema}},
        **({"headers": headers} if headers else {}),
    }


def _error(status: int, codes: list[str]) -> Json:
    schema = {
        "allOf": [
            ref("Error"),
            {"properties": {"error": {"properties": {"code": {"enum": codes}}}}},
        ]
    }
    response = _json(schema, f"{_ERRORS[status]} Codes: {', '.join(codes)}.")
    if status == 429:
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer", "minimum": 1}, "description": "Seconds."}
        }
    return response


def _body(schema: Json, *, required: bool = True, limit: int | None = None) -> Json:
    body: Json = {"required": required, "content": {"application/json": {"schema": schema}}}
    if limit:
        body["description"] = f"At most {limit} bytes."
    return body


def _op(
    op_id: str,
    summary: str,
    tag: str,
    *,
    method: str,
    ok: dict[int, Json],
    errors: dict[int, list[str]] | None = None,
    auth: str = "session",
    body: Json | None = None,
    params: list[Any] | None = None,
    description: str = "",
) -> Json:
    """One operation. auth: "session" (cookie; CSRF on unsafe methods), "origin" (no session,
    but the Origin check of unsafe methods), or "none"."""
    errors = {status: list(codes) for status, codes in (errors or {}).items()}

    def add(status: int, *codes: str) -> None:
        errors.setdefault(status, [])
        errors[status] = [*codes, *(c for c in errors[status] if c not in codes)]

    listed = [p if isinstance(p, dict) else {"$ref": p} for p in params or []]
    if auth == "session":
        add(401, "unauthenticated")
        if method in UNSAFE:
            add(403, "bad_origin", "csrf")
            listed.append({"$ref": "#/components/parameters/CsrfToken"})
    elif auth == "origin":
        add(403, "bad_origin")
    operation: Json = {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "security": [{"session": []}] if auth == "session" else [],
    }
    if description:
        operation["description"] = description
    if listed:
        operation["parameters"] = listed
    if body:
        operation["requestBody"] = body
    responses = {str(status): response for status, response in ok.items()}
    responses.update({str(s): _error(s, errors[s]) for s in sorted(errors)})
    operation["responses"] = dict(sorted(responses.items()))
    return operation


def _paths() -> Json:
    body_errors = {400: ["bad_request", "malformed_json"], 413: ["too_large"]}
    session = _json(ref("Session"), "Signed in.", _SETS_COOKIE)
    path_errors = ["invalid", "invalid_path", "ignored_path", "invalid_utf8"]
    zip_errors = [
        "bad_zip",
        "zip_symlink",
        "zip_slip",
        "zip_bad_path",
        "zip_duplicate",
        "zip_encrypted",
    ]
    in_the_way = ["file_in_the_way", "folder_in_the_way", "case_conflict"]
    full = ["too_many_files", "project_too_large"]
    zip_body = {
        "required": True,
        "description": f"A zip archive, at most "
        f"{RULES.max_request_bytes} bytes. Entries must not escape the root or be "
        "symlinks; a single top folder shared by every entry is dropped; ignored paths "
        "are skipped (and listed).",
        "content": {
            "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}}
        },
    }
    return {
        "/health": {
            "get": _op(
                "health",
                "The build being served and whether the database answers",
                "meta",
                method="get",
                auth="none",
                ok={
                    200: _json(ref("HealthOk"), "Healthy."),
                    503: _json(
                        ref("HealthDegraded"),
                        "The database does not answer (this body, not the error shape).",
                    ),
                },
            )
        },
        "/sync-rules": {
            "get": _op(
                "syncRules",
                "Ignored paths and limits shared with the client",
                "meta",
                method="get",
                auth="none",
                ok={200: _json(ref("SyncRules"), "contract/sync_rules.json.")},
            )
        },
        "/runtime-config": {
            "get": _op(  # the runtime engines (issue 7)
                "runtimeConfig",
                "What the browser's runtime engines need from the server",
                "meta",
                method="get",
                auth="none",
                ok={
                    200: _json(
                        {
                            "type": "object",
                            "required": ["sandbox", "webcontainer"],
                            "properties": {
                                "sandbox": {
                                    "type": ["string", "null"],
                                    "description": "The sandbox origin, {project} standing for a "
                                    "project's key (null: none configured)",
                                },
                                "webcontainer": {
                                    "type": "object",
                                    "required": ["api_key", "boot_timeout_ms"],
                                    "properties": {
                                        "api_key": {"type": ["string", "null"]},
                                        "boot_timeout_ms": {"type": "integer", "minimum": 1},
                                    },
                                },
                            },
                        },
                        "Where user code runs; the WebContainer API key (null when "
                        "unset) and how long to wait for it to boot.",
                    )
                },
            )
        },
        "/embed": {
            "get": _op(  # embeds (issue 8)
                "embedConfig",
                "Origins allowed to frame /embed and drive it by postMessage",
                "meta",
                method="get",
                auth="none",
                ok={
                    200: _json(
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["origins"],
                            "properties": {
                                "origins": {"type": "array", "items": {"type": "string"}}
                            },
                        },
                        "COSPAI_EMBED_ORIGINS; empty: any page may frame /embed, and "
                        "its origins= parameter alone names who may drive it.",
                    )
                },
            )
        },
        "/openapi.json": {
            "get": _op(
                "openapi",
                "This document",
                "meta",
                method="get",
                auth="none",
                ok={
                    200: _json(
                        {"type": "object", "required": ["openapi", "info", "paths"]},
                        "The OpenAPI 3.1 document.",
                    )
                },
            )
        },
        "/auth/signup": {
            "post": _op(
                "signUp",
                "Create an account and sign in",
                "auth",
                method="post",
                auth="origin",
                body=_body(ref("SignUp"), limit=SMALL),
                ok={201: session},
                errors={
                    **body_errors,
                    409: ["email_taken"],
                    422: ["invalid"],
                    429: ["rate_limited"],
                },
                description="Sign-ups from one address are throttled: COSPAI_SIGNUPS_PER_HOUR in "
                "an hour, then each waits 2^n s (429 with Retry-After).",
            )
        },
        "/auth/signin": {
            "post": _op(
                "signIn",
                "Sign in with email and password",
                "auth",
                method="post",
                auth="origin",
                body=_body(ref("SignIn"), limit=SMALL),
                ok={200: session},
                errors={
                    **body_errors,
                    401: ["invalid_credentials"],
                    422: ["invalid"],
                    429: ["rate_limited"],
                },
                description=_THROTTLE,
            )
        },
        "/auth/session": {
            "get": _op(
                "session",
                "The signed-in user and the session's CSRF token",
                "auth",
                method="get",
                ok={
                    200: _json(
                        ref("Session"),
                        "Signed in; the cookie's expiry slides forward.",
                        _SETS_COOKIE,
                    )
                },
            )
        },
        "/auth/signout": {
            "post": _op(
                "signOut",
                "End this session",
                "auth",
                method="post",
                ok={204: _empty("Signed out.", _CLEARS_COOKIE)},
            )
        },
        "/auth/signout-everywhere": {
            "post": _op(
                "signOutEverywhere",
                "End every session of this user",
                "auth",
                method="post",
                ok={204: _empty("Signed out everywhere.", _CLEARS_COOKIE)},
            )
        },
        "/auth/password": {
            "post": _op(
                "changePassword",
                "Change the password; other sessions end",
                "auth",
                method="post",
                body=_body(ref("PasswordChange"), limit=SMALL),
                ok={204: _empty("Changed.")},
                errors={
                    **body_errors,
                    403: ["wrong_password"],
                    422: ["invalid"],
                    429: ["rate_limited"],
                },
                description=_GUESSES,
            )
        },
        "/auth/account": {
            "delete": _op(
                "deleteAccount",
                "Delete the account and all its projects",
                "auth",
                method="delete",
                body=_body(ref("AccountDeletion"), limit=SMALL),
                ok={204: _empty("Deleted.", _CLEARS_COOKIE)},
                errors={
                    **body_errors,
                    403: ["wrong_password"],
                    422: ["invalid"],
                    429: ["rate_limited"],
                },
                description=_GUESSES,
            )
        },
        "/templates": {
            "get": _op(
                "listTemplates",
                "Project templates",
                "projects",
                method="get",
                auth="none",
                ok={200: _json(ref("TemplateList"), "The templates.")},
            )
        },
        "/projects": {
            "get": _op(
                "listProjects",
                "The user's projects, last opened first",
                "projects",
                method="get",
                ok={200: _json(ref("ProjectList"), "The projects.")},
            ),
            "post": _op(
                "createProject",
                "Create a project, empty or from a template",
                "projects",
                method="post",
                body=_body(ref("NewProject"), limit=PROJECT_BODY),
                ok={201: _json(ref("Project"), "Created.")},
                errors={**body_errors, 422: ["invalid"]},
            ),
        },
        "/projects/{project_id}": {
            "get": _op(
                "getProject",
                "One project",
                "projects",
                method="get",
                params=_PROJECT,
                ok={200: _json(ref("Project"), "The project.")},
                errors={404: ["not_found"]},
            ),
            "patch": _op(
                "updateProject",
                "Rename or redescribe a project",
                "projects",
                method="patch",
                params=_PROJECT,
                body=_body(ref("ProjectChange"), limit=PROJECT_BODY),
                ok={200: _json(ref("Project"), "Updated.")},
                errors={**body_errors, 404: ["not_found"], 422: ["invalid"]},
            ),
            "delete": _op(
                "deleteProject",
                "Delete a project, its files and revisions",
                "projects",
                method="delete",
                params=_PROJECT,
                ok={204: _empty("Deleted.")},
                errors={404: ["not_found"]},
            ),
        },
        "/projects/{project_id}/duplicate": {
            "post": _op(
                "duplicateProject",
                "Copy a project's current files into a new project",
                "projects",
                method="post",
                params=_PROJECT,
                body=_body(ref("Duplication"), required=False, limit=PROJECT_BODY),
                ok={201: _json(ref("Project"), "The copy.")},
                errors={**body_errors, 404: ["not_found"], 422: ["invalid"]},
                description="An empty body means {}.",
            )
        },
        "/projects/{project_id}/files": {
            "get": _op(
                "loadFiles",
                "Every file: text inline, binary by hash",
                "files",
                method="get",
                params=[
                    *_PROJECT,
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "An ETag from an earlier load.",
                    },
                ],
                ok={
                    200: _json(
                        ref("ProjectFiles"),
                        "The files; marks the project opened.",
                        {**_PROJECT_ETAG, "Cache-Control": {"schema": {"type": "string"}}},
                    ),
                    304: _empty("Unchanged since that ETag.", _PROJECT_ETAG),
                },
                errors={404: ["not_found"]},
            )
        },
        "/projects/{project_id}/blobs/{sha256}": {
            "get": _op(
                "getBlob",
                "The raw bytes of a file's content, by sha256",
                "files",
                method="get",
                params=[
                    *_PROJECT,
                    {
                        "name": "sha256",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
                    },
                ],
                ok={200: _bytes("application/octet-stream", "The content (immutable).", _ETAG)},
                errors={404: ["not_found"]},
                description="404 without a session check when sha256 is not hex.",
            )
        },
        "/projects/{project_id}/sync": {
            "post": _op(
                "sync",
                "Apply a batch of put, delete and rename operations",
                "files",
                method="post",
                params=_PROJECT,
                body={
                    "required": True,
                    "description": (
                        f"At most {RULES.max_request_bytes} bytes and {RULES.max_ops_per_sync} "
                        f"operations; each file at most {RULES.max_file_bytes} bytes. JSON, or "
                        "multipart/form-data with the JSON in an `ops` field and binary content in "
                        "file parts named by content_ref (at most 4 non-file fields)."
                    ),
                    "content": {
                        "application/json": {"schema": ref("SyncRequest")},
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["ops"],
                                "properties": {
                                    "ops": {
                                        "type": "string",
                                        "contentMediaType": "application/json",
                                        "contentSchema": ref("SyncPartsRequest"),
                                    }
                                },
                                "additionalProperties": {
                                    "type": "string",
                                    "contentMediaType": "application/octet-stream",
                                },
                            },
                            "encoding": {"ops": {"contentType": "application/json"}},
                        },
                    },
                },
                ok={
                    200: _json(
                        ref("SyncResult"),
                        "Each operation ok or conflict.",
                        {"Server-Timing": {"schema": {"type": "string"}}},
                    )
                },
                errors={
                    400: ["bad_request", "malformed_json", "malformed_multipart"],
                    404: ["not_found"],
                    409: in_the_way,
                    411: ["length_required"],
                    413: ["too_large", "too_many_ops", "file_too_large", *full],
                    422: [*path_errors, "bad_patch", "not_text"],
                },
                description="All or nothing per operation: a stale base_version answers that "
                "operation `conflict` and changes nothing; bad input anywhere refuses the whole "
                "batch (4xx) in one transaction.",
            )
        },
        "/projects/{project_id}/revisions": {
            "get": _op(
                "listRevisions",
                "The project's revisions, newest first",
                "revisions",
                method="get",
                params=_PROJECT,
                ok={200: _json(ref("RevisionList"), "The revisions.")},
                errors={404: ["not_found"]},
            ),
            "post": _op(
                "createRevision",
                "Record the current files as a revision",
                "revisions",
                method="post",
                params=_PROJECT,
                body=_body(ref("NewRevision"), required=False, limit=SMALL),
                ok={201: _json(ref("Revision"), "Recorded.")},
                errors={**body_errors, 404: ["not_found"], 422: ["invalid"]},
            ),
        },
        "/projects/{project_id}/revisions/{number}": {
            "get": _op(
                "getRevision",
                "A revision and its files",
                "revisions",
                method="get",
                params=_REVISION,
                ok={200: _json(ref("RevisionDetail"), "The revision.")},
                errors={404: ["not_found"]},
            )
        },
        "/projects/{project_id}/revisions/{number}/files/{path}": {
            "get": _op(
                "getRevisionFile",
                "A file's content at a revision",
                "revisions",
                method="get",
                params=[
                    *_REVISION,
                    {
                        "name": "path",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "A project path; its '/' may stay unescaped.",
                    },
                ],
                ok={
                    200: {
                        "description": "The content; text/plain for text files.",
                        "headers": _ETAG,
                        "content": {
                            "text/plain; charset=utf-8": {"schema": {"type": "string"}},
                            "application/octet-stream": {
                                "schema": {
                                    "type": "string",
                                    "contentMediaType": "application/octet-stream",
                                }
                            },
                        },
                    }
                },
                errors={404: ["not_found"]},
                description="404 without a session check when the path is not a valid path.",
            )
        },
        "/projects/{project_id}/revisions/{number}/restore": {
            "post": _op(
                "restoreRevision",
                "Make the files those of a revision (recorded as a new one)",
                "revisions",
                method="post",
                params=_REVISION,
                ok={200: _json(ref("Restored"), "Restored.")},
                errors={404: ["not_found"]},
            )
        },
        **_share_paths(),
        "/projects/import": {
            "post": _op(
                "importProject",
                "A new project from a zip",
                "transfer",
                method="post",
                params=[
                    {
                        "name": "name",
                        "in": "query",
                        "required": True,
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 100,
                            "pattern": NO_CONTROL,
                        },
                        "description": "The new project's name: as in POST /api/projects "
                        "(one line; stripped, then 1 to 100 characters).",
                    }
                ],
                body=zip_body,
                ok={201: _json(ref("Imported"), "Created.")},
                errors={
                    400: ["bad_request"],
                    409: in_the_way[:2],
                    413: ["too_large", "zip_too_large"],
                    422: ["invalid", *zip_errors],
                },
            )
        },
        "/projects/{project_id}/import": {
            "post": _op(
                "importIntoProject",
                "Add or replace files from a zip",
                "transfer",
                method="post",
                params=_PROJECT,
                body=zip_body,
                ok={200: _json(ref("FilesWritten"), "Written.")},
                errors={
                    400: ["bad_request"],
                    404: ["not_found"],
                    409: in_the_way,
                    413: ["too_large", "zip_too_large", *full],
                    422: zip_errors,
                },
            )
        },
        "/projects/{project_id}/upload": {
            "post": _op(
                "uploadFiles",
                "Add or replace files from a dropped folder",
                "transfer",
                method="post",
                params=_PROJECT,
                body={
                    "required": True,
                    "description": (
                        "multipart/form-data whose file parts carry project-relative paths "
                        "as their filenames; non-file fields are refused (400)."
                    ),
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "string",
                                    "contentMediaType": "application/octet-stream",
                                },
                            }
                        }
                    },
                },
                ok={200: _json(ref("FilesWritten"), "Written.")},
                errors={
                    400: ["bad_request", "malformed_multipart"],
                    404: ["not_found"],
                    409: in_the_way,
                    411: ["length_required"],
                    413: ["too_large", "file_too_large", *full],
                    422: ["invalid_path", "duplicate_path"],
                },
            )
        },
        "/projects/{project_id}/export": {
            "get": _op(
                "exportProject",
                "The current files as a zip",
                "transfer",
                method="get",
                params=_PROJECT,
                ok={
                    200: _bytes(
                        "application/zip",
                        "The zip.",
                        {"Content-Disposition": {"schema": {"type": "string"}}},
                    )
                },
                errors={404: ["not_found"]},
            )
        },
    }


def _share_paths() -> Json:
    """Share links (issue 7): the owner's API and the public read API embeds use."""
    share = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "token",
            "url",
            "root",
            "revision",
            "project_version",
            "current",
            "created_at",
            "published_at",
        ],
        "properties": {
            "token": {"type": "string"},
            "url": {
                "type": "string",
                "description": "The public page, on the share origin: "
                "<share origin>/s/<token>/ (index.html at its root).",
            },
            "root": {
                "type": "string",
                "description": "The project folder served as the site "
                "root ('' for the project's root).",
            },
            "revision": {
                "type": "integer",
                "minimum": 1,
                "description": "The revision (snapshot) the link serves.",
            },
            "project_version": {"type": "integer", "minimum": 0},
            "current": {
                "type": "boolean",
                "description": "False once the project changed "
                "after publishing; POST .../publish updates the link to the latest.",
            },
            "created_at": {"type": "string", "format": "date-time"},
            "published_at": {"type": "string", "format": "date-time"},
        },
    }
    public_file = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path", "size", "sha256", "binary"],
        "properties": {
            "path": {"type": "string"},
            "size": {"type": "integer", "minimum": 0},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "binary": {"type": "boolean"},
            "content": {"type": "string"},
        },
    }
    about = (
        "The link is served read-only at <share origin>/s/<token>/ (a separate origin, "
        "another site than the IDE's by default; strict CSP; no cookies). It serves the "
        "files as saved when it was published (recorded as a revision), never later edits."
    )
    return {
        "/projects/{project_id}/shares": {
            "get": _op(
                "listShares",
                "The project's share links, newest first",
                "shares",
                method="get",
                params=_PROJECT,
                ok={
                    200: _json(
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["shares"],
                            "properties": {"shares": {"type": "array", "items": share}},
                        },
                        "The links.",
                    )
                },
                errors={404: ["not_found"]},
            ),
            "post": _op(
                "createShare",
                "Publish the saved files at a new share link",
                "shares",
                method="post",
                params=_PROJECT,
                description=about,
                body=_body(
                    {
                        "type": "object",
                        "properties": {
                            "root": {
                                "anyOf": [{"type": "string", "maxLength": 1000}, {"type": "null"}],
                                "description": "A folder of the project to serve as the site "
                                "root (a built output folder); default the project's root.",
                            }
                        },
                    },
                    required=False,
                    limit=SMALL,
                ),
                ok={201: _json(share, "Published.")},
                errors={
                    **{400: ["bad_request", "malformed_json"], 413: ["too_large"]},
                    404: ["not_found"],
                    422: ["invalid"],
                },
            ),
        },
        "/projects/{project_id}/shares/{token}/publish": {
            "post": _op(
                "publishShare",
                "Update a share link to the files as saved now",
                "shares",
                method="post",
                params=_SHARE,
                ok={200: _json(share, "Updated.")},
                errors={404: ["not_found"]},
            )
        },
        "/projects/{project_id}/shares/{token}": {
            "delete": _op(
                "revokeShare",
                "Revoke a share link (its page is gone at once)",
                "shares",
                method="delete",
                params=_SHARE,
                ok={204: _empty("Revoked.")},
                errors={404: ["not_found"]},
            )
        },
        "/shares/{token}": {
            "get": _op(
                "shareFiles",
                "Anyone with the token: the link's files (for embeds)",
                "shares",
                method="get",
                auth="none",
                params=_TOKEN,
                ok={
                    200: _json(
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["files"],
                            "properties": {"files": {"type": "array", "items": public_file}},
                        },
                        "Files under the link's root, paths relative to it; text inline.",
                    )
                },
                errors={404: ["not_found"]},
            )
        },
        "/shares/{token}/blobs/{sha256}": {
            "get": _op(
                "shareBlob",
                "Anyone with the token: one file's raw bytes, by sha256",
                "shares",
                method="get",
                auth="none",
                params=[
                    *_TOKEN,
                    {
                        "name": "sha256",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
                    },
                ],
                ok={200: _bytes("application/octet-stream", "The content.", _ETAG)},
                errors={404: ["not_found"]},
            )
        },
    }


@cache
def _document() -> Json:
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "CosPAI IDE API",
            "version": "1",
            "description": (
                "Accounts, projects, files, sync, revisions and zips for the CosPAI IDE. Every "
                'error is {"error": {"code", "message", "details"}} with the status given '
                "here; a route that exists with another method answers 405 (code "
                "method_not_allowed, with Allow), an unknown /api path 404. GET routes also "
                "answer HEAD. JSON over 1 KiB is gzip-compressed when the client accepts it. "
                "Limits: contract/sync_rules.json (GET /api/sync-rules)."
            ),
        },
        "servers": [{"url": "/api"}],
        "tags": [
            {"name": n}
            for n in ("meta", "auth", "projects", "files", "revisions", "transfer", "shares")
        ],
        "paths": _paths(),
        "components": {
            "schemas": schemas(),
            "parameters": parameters(),
            "securitySchemes": security_schemes(),
            "responses": {"MethodNotAllowed": _error(405, ["method_not_allowed"])},
        },
    }


def document() -> dict[str, Any]:
    return copy.deepcopy(_document())
