"""The OpenAPI 3.1 document served at /api/openapi.json: what every /api route really does.

The operations are listed in server/openapi_paths.toml, area by area, with the models of
their bodies (server/models/); the schemas come from those models (msgspec's JSON Schema),
so the document states the same types and limits the server enforces. Paths are relative
to the server URL `/api`, exactly as the routes are declared in server/routes/. Every
failure answers the one error shape {"error": {"code", "message", "details"}}; each
response lists its codes.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import msgspec

from server import limits
from server.auth import COOKIE
from server.mirror import names
from server.models import requests, responses
from server.openapi_paths import SCHEMAS, Json, error_response, paths, table
from server.sync_rules import RULES


def _like(value: Any) -> Json:
    """The schema of a value of contract/sync_rules.json (the document follows that file)."""
    if isinstance(value, dict):
        properties = {key: _like(item) for key, item in value.items()}
        required = sorted(key for key in value if key != "comment")
        return {
            "type": "object",
            "required": required,
            "properties": properties,
            "additionalProperties": False,
        }
    if isinstance(value, list):
        return {"type": "array", "items": {"type": "string"}}
    return {"type": "integer", "minimum": 0} if isinstance(value, int) else {"type": "string"}


def _schemas(paths: Json) -> Json:
    """The components the paths refer to, made from the models of those names."""
    models = {**vars(requests), **vars(responses)}
    text = repr(paths)
    names = sorted(set(re.findall(re.escape(SCHEMAS) + r"(\w+)", text)) - {"SyncRules"})
    _refs, found = msgspec.json.schema_components(
        [models[name] for name in names], ref_template=SCHEMAS + "{name}"
    )
    for name, schema in found.items():
        model = models.get(name)
        schema.update(getattr(model, "schema_extra", None) or {})
        if getattr(model, "open_fields", False):
            del schema["additionalProperties"]
    found["SyncRules"] = {**_like(RULES.raw), "$comment": "contract/sync_rules.json, verbatim."}
    return dict(sorted(found.items()))


def _pattern(regex: str, longest: int) -> Json:
    """A mirror name's schema (server/mirror/names.py also refuses '..' anywhere)."""
    return {"type": "string", "minLength": 1, "maxLength": longest, "pattern": f"^{regex}$"}


def _parameters() -> Json:
    def in_path(name: str, schema: Json, **more: Any) -> Json:
        return {"name": name, "in": "path", "required": True, "schema": schema, **more}

    return {
        "ProjectId": in_path(
            "project_id",
            {"type": "string", "format": "uuid"},
            description="Another user's project answers 404 too.",
        ),
        "RevisionNumber": in_path(
            "number", {"type": "integer", "minimum": 1, "maximum": 999_999_999}, example=1
        ),
        "ShareToken": in_path(
            "token",
            {"type": "string", "minLength": 32, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"},
            description="A share link's token (secrets.token_urlsafe).",
        ),
        "Sha256": in_path(
            "sha256",
            {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
            description="A file's content hash; anything else answers 404 at once.",
        ),
        "FilePath": in_path(
            "path",
            {"type": "string"},
            description="A project path; its '/' may stay unescaped. Not a valid path: 404.",
        ),
        "NpmPackage": in_path(
            "package",
            _pattern(names.NPM_NAME, names.NPM_NAME_MAX),
            description="`name` or `@scope/name` (the slash may be sent as %2f).",
            example="@scope/name",
        ),
        "NpmTarball": in_path(
            "tarball",
            _pattern(names.TARBALL, names.FILENAME_MAX),
            description="The tarball's file name, as the packument's dist.tarball gives it.",
        ),
        "PypiProject": in_path(
            "project",
            _pattern(names.PYPI_NAME, names.PYPI_NAME_MAX),
            description="A project name; the page itself is at PEP 503's normalised name.",
        ),
        "PypiFile": in_path(
            "filename",
            _pattern(names.PYPI_FILE, names.FILENAME_MAX),
            description="A file name, as the project page gives it.",
        ),
        "IfNoneMatch": {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "An ETag from an earlier load.",
        },
        "CsrfToken": {
            "name": "X-CSRF-Token",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "The csrf_token of the session "
            "(from sign-up, sign-in or GET /api/auth/session); 403 csrf otherwise.",
        },
    }


_SESSION_SCHEME = {
    "type": "apiKey",
    "in": "cookie",
    "name": COOKIE,
    "description": (
        "The opaque session token set by sign-up and sign-in (HttpOnly, SameSite=Lax, Secure "
        "over HTTPS, 14 days). Unsafe methods (POST, PUT, PATCH, DELETE) must also send the "
        "session's CSRF token as X-CSRF-Token, and must not come from another origin: an "
        "Origin header must be this server's own origin (or one listed in "
        "COSPAI_ALLOWED_ORIGINS); without Origin, Sec-Fetch-Site must be absent, same-origin "
        "or none (403 bad_origin otherwise)."
    ),
}


@cache
def _document() -> Json:
    operations = paths()
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "CosPAI IDE API",
            "version": "1",
            "description": (
                "Accounts, projects, files, sync, revisions and zips for the CosPAI IDE, and "
                "its package mirror (npm's and PyPI's read protocols, under /mirror). Every "
                'error is {"error": {"code", "message", "details"}} with the status given '
                "here; a route that exists with another method answers 405 (code "
                "method_not_allowed, with Allow), an unknown /api path 404. GET routes also "
                "answer HEAD. JSON over 1 KiB is gzip-compressed when the client accepts it. "
                f"Bodies nest at most {limits.MAX_DEPTH} levels and numbers have at most "
                f"{limits.MAX_INT_DIGITS} digits (400 malformed_json otherwise). "
                "Limits: contract/sync_rules.json (GET /api/sync-rules)."
            ),
        },
        "servers": [{"url": "/api"}],
        "tags": [{"name": area} for area in table()],
        "paths": operations,
        "components": {
            "schemas": _schemas(operations),
            "parameters": _parameters(),
            "securitySchemes": {"session": _SESSION_SCHEME},
            "responses": {"MethodNotAllowed": error_response(405, ["method_not_allowed"])},
        },
    }


def document() -> dict[str, Any]:
    return copy.deepcopy(_document())
