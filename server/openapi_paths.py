"""The `paths` of the OpenAPI document (server/openapi.py): the operations listed in
openapi_paths.toml, completed with what every operation shares: auth and CSRF, what reading
a JSON body may answer (server/bodies.py), 404 for a path parameter that names nothing.
Bodies are named by their models (server/models/); openapi.py makes their schemas.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from server import limits
from server.models import requests
from server.sync_rules import RULES

Json = dict[str, Any]
TABLE = Path(__file__).with_name("openapi_paths.toml")
SCHEMAS = "#/components/schemas/"
UNSAFE = {"post", "put", "patch", "delete"}
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
    406: "The Accept header names no media type this answer comes in.",
    429: "Too many attempts or requests from this address: wait Retry-After seconds.",
    502: "The upstream's answer is not served: a file failing its metadata's hashes, cut "
    "short or too large, or metadata the mirror cannot read. Nothing of it is kept.",
    503: "The upstream cannot be reached (or none is configured), and the mirror does "
    "not keep what was asked.",
}
# What reading a JSON body may answer (server/bodies.py), on every operation that has one.
JSON_BODY_ERRORS = {400: ["bad_request", "malformed_json"], 413: ["too_large"], 422: ["invalid"]}
PATH_PARAMETERS = {  # a path template's {name} -> its components/parameters entry
    "project_id": "ProjectId",
    "number": "RevisionNumber",
    "token": "ShareToken",
    "sha256": "Sha256",
    "path": "FilePath",
    "package": "NpmPackage",
    "tarball": "NpmTarball",
    "project": "PypiProject",
    "filename": "PypiFile",
}
_THROTTLE = (
    "After 5 failures per account or 20 per address within an hour, each attempt waits 2^n "
    "seconds (at most 15 minutes): 429 with Retry-After."
)
SNIPPETS = {
    "throttle": _THROTTLE,
    "guesses": f"Wrong passwords here count like failed sign-ins. {_THROTTLE}",
}
_TEXT = {"schema": {"type": "string"}}
HEADERS: dict[str, tuple[str, Json]] = {  # name in the table -> (header, its description)
    "ETag": ("ETag", {**_TEXT, "description": "The quoted sha256."}),
    "ProjectETag": (
        "ETag",
        {
            **_TEXT,
            "description": "Opaque; changes with the files and with the project's name "
            "or description.",
        },
    ),
    "SetsCookie": ("Set-Cookie", {**_TEXT, "description": "The session cookie (cospai_session)."}),
    "ClearsCookie": ("Set-Cookie", {**_TEXT, "description": "Expires the session cookie."}),
    "Cache-Control": ("Cache-Control", _TEXT),
    "Server-Timing": ("Server-Timing", _TEXT),
    "Content-Disposition": ("Content-Disposition", _TEXT),
    "Location": ("Location", {**_TEXT, "description": "Where the answer is."}),
    "Mirror-Stale": (
        "X-Mirror-Stale",
        {
            **_TEXT,
            "description": "Present when the upstream could not be reached and the "
            "kept copy is served, however old.",
        },
    ),
}


def ref(name: str) -> Json:
    return {"$ref": SCHEMAS + name}


def _content(*media: str) -> Json:
    return {m: {"schema": {"type": "string", "contentMediaType": m}} for m in media}


def _bodies() -> dict[str, Json]:
    """The request bodies that are not one JSON model: zips and multipart."""
    parts = {"type": "string", "contentMediaType": "application/octet-stream"}
    sync_form = {
        "type": "object",
        "required": ["ops"],
        "properties": {
            "ops": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": ref("SyncRequest"),
            }
        },
        "additionalProperties": parts,
    }
    return {
        "sync": {
            "required": True,
            "description": f"At most {RULES.max_request_bytes} bytes and "
            f"{RULES.max_ops_per_sync} operations; each file at most {RULES.max_file_bytes} "
            "bytes. JSON, or multipart/form-data with the JSON in an `ops` field and binary "
            "content in file parts named by content_ref (at most 4 non-file fields).",
            "content": {
                "application/json": {"schema": ref("SyncRequest")},
                "multipart/form-data": {
                    "schema": sync_form,
                    "encoding": {"ops": {"contentType": "application/json"}},
                },
            },
        },
        "zip": {
            "required": True,
            "description": f"A zip archive, at most {limits.SYNC_BODY} bytes. Entries must not "
            "escape the root or be symlinks; a single top folder shared by every entry is "
            "dropped; ignored paths are skipped (and listed).",
            "content": _content("application/zip"),
        },
        "upload": {
            "required": True,
            "description": "multipart/form-data whose file parts carry project-relative paths "
            "as their filenames; non-file fields are refused (400).",
            "content": {
                "multipart/form-data": {"schema": {"type": "object", "additionalProperties": parts}}
            },
        },
    }


def _json_body(model: type[requests.Body]) -> Json:
    """A JSON request body, as read_model reads it: its limit, and whether it may be empty."""
    empty_ok = " An empty body means {}." if model.may_be_empty else ""
    return {
        "required": not model.may_be_empty,
        "description": f"At most {model.max_bytes} bytes.{empty_ok}",
        "content": {"application/json": {"schema": ref(model.__name__)}},
    }


def error_response(status: int, codes: list[str]) -> Json:
    code = {"properties": {"error": {"properties": {"code": {"enum": codes}}}}}
    response = {
        "description": f"{_ERRORS[status]} Codes: {', '.join(codes)}.",
        "content": {"application/json": {"schema": {"allOf": [ref("Error"), code]}}},
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer", "minimum": 1}, "description": "Seconds."}
        }
    return response


def _answer(spec: Json) -> Json:
    """One answer of `ok`: json (a model), schema, bytes, or nothing but headers."""
    answer: Json = {"description": spec["says"]}
    if spec.get("headers"):
        answer["headers"] = dict(HEADERS[name] for name in spec["headers"])
    if "json" in spec or "schema" in spec:
        schema = ref(spec["json"]) if "json" in spec else spec["schema"]
        media = spec.get("media", ["application/json"])  # JSON in other media types too
        answer["content"] = {m: {"schema": schema} for m in media}
    if "bytes" in spec:
        answer.setdefault("content", {}).update(_content(*spec["bytes"]))
    return answer


def _query(name: str | None) -> list[Json]:
    if name is None:
        return []
    model = getattr(requests, name)
    _refs, found = msgspec.json.schema_components([model], ref_template=SCHEMAS + "{name}")
    schema = found[name]
    return [
        {"name": field, "in": "query", "required": field in schema["required"], "schema": value}
        for field, value in schema["properties"].items()
    ]


def operation(route: str, tag: str, spec: Json) -> tuple[str, str, Json]:
    """(path, method, operation) for one entry of the table."""
    method, path = route.lower().split(" ")[0], route.split(" ")[1]
    errors = {int(status): list(codes) for status, codes in spec.get("errors", {}).items()}

    def add(status: int, *codes: str) -> None:
        errors[status] = [*codes, *(c for c in errors.get(status, []) if c not in codes)]

    body = spec.get("body")
    model = None if body is None or body in _bodies() else getattr(requests, body)
    if model is not None:
        for status, codes in JSON_BODY_ERRORS.items():
            add(status, *codes)
    names = re.findall(r"\{(\w+)\}", path)
    listed = [{"$ref": f"#/components/parameters/{PATH_PARAMETERS[n]}"} for n in names]
    if names:
        add(404, "not_found")
    listed += _query(spec.get("query"))
    listed += [{"$ref": f"#/components/parameters/{p}"} for p in spec.get("params", [])]
    auth = spec.get("auth", "session")
    if auth == "session":
        add(401, "unauthenticated")
        if method in UNSAFE:
            add(403, "bad_origin", "csrf")
            listed.append({"$ref": "#/components/parameters/CsrfToken"})
    elif auth == "origin":
        add(403, "bad_origin")
    result: Json = {
        "operationId": spec["id"],
        "summary": spec["summary"],
        "tags": [tag],
        "security": [{"session": []}] if auth == "session" else [],
    }
    if "description" in spec:
        result["description"] = spec["description"].format_map(SNIPPETS)
    if listed:
        result["parameters"] = listed
    if body is not None:
        result["requestBody"] = _json_body(model) if model else _bodies()[body]
    answers = {status: _answer(answer) for status, answer in spec["ok"].items()}
    answers.update({str(s): error_response(s, errors[s]) for s in sorted(errors)})
    result["responses"] = dict(sorted(answers.items()))
    return path, method, result


@cache
def table() -> Json:
    return tomllib.loads(TABLE.read_text())


def paths() -> Json:
    found: Json = {}
    for tag, entries in table().items():
        for route, spec in entries.items():
            path, method, described = operation(route, tag, spec)
            found.setdefault(path, {})[method] = described
    return found
