"""The schemas, parameters and security scheme of the OpenAPI document (server/openapi.py).

Request schemas state the limits the handlers enforce (server/bodies.py, server/sync.py,
server/paths.py, contract/sync_rules.json); where a limit is in bytes or applies after
stripping whitespace, the schema gives the character bound and the description says so.
Response schemas are closed (additionalProperties: false): they pin the wire contract.
"""

from __future__ import annotations

from typing import Any

from server import passwords, templates
from server.auth import COOKIE
from server.sync_rules import RULES

Schema = dict[str, Any]

# bodies.text_field refuses control characters (Unicode Cc: C0, DEL, C1); a multiline
# field allows tab and newline. Passwords are taken as sent.
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTILINE = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
# paths.normalise: relative, '/'-separated, no empty segment, backslash or control character.
PATH_PATTERN = r"^[^/\\\x00-\x1f\x7f-\x9f]+(?:/[^/\\\x00-\x1f\x7f-\x9f]+)*$"
MAX_VERSION = 2**62 - 1


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def closed(required: list[str], properties: dict[str, Schema], **extra: Any) -> Schema:
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
        **extra,
    }


def text(
    max_length: int, min_length: int = 0, description: str = "", pattern: str = NO_CONTROL
) -> Schema:
    schema: Schema = {"type": "string", "maxLength": max_length, "pattern": pattern}
    if min_length:
        schema["minLength"] = min_length
    if description:
        schema["description"] = description
    return schema


STRING: Schema = {"type": "string"}
COUNT: Schema = {"type": "integer", "minimum": 0}
TIMESTAMP: Schema = {"type": "string", "format": "date-time"}
UUID: Schema = {"type": "string", "format": "uuid"}
SHA256: Schema = {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "Lowercase hex."}
VERSION: Schema = {"type": "integer", "minimum": 0, "maximum": MAX_VERSION}
PATH: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": RULES.max_path_bytes,
    "pattern": PATH_PATTERN,
    "description": (
        "A project-relative path: '/'-separated, no leading '/', no empty, '.' or '..' "
        "segments, no backslash or control characters; stored in Unicode NFC, where it has at "
        f"most {RULES.max_path_bytes} UTF-8 bytes and each name at most "
        f"{RULES.max_segment_bytes}. Paths inside an ignored folder or named like an env file "
        "(contract/sync_rules.json, case-insensitive) are refused (422 ignored_path). Two "
        "paths differing only by case cannot coexist (409 case_conflict)."
    ),
}
EMAIL: Schema = {
    "type": "string",
    "format": "email",
    "maxLength": 254,
    "description": "Compared case-insensitively; stored lowercased and stripped.",
}
NEW_PASSWORD: Schema = {
    "type": "string",
    "minLength": passwords.MIN_LENGTH,
    "maxLength": passwords.MAX_LENGTH,
    "description": "Taken exactly as sent.",
}
PASSWORD: Schema = {
    "type": "string",
    "maxLength": passwords.MAX_LENGTH,
    "description": "Taken exactly as sent.",
}
NAME = text(100, 1, "One line; stripped, then 1 to 100 characters.")
DESCRIPTION = text(
    2000, 0, "Stripped, then at most 2000 characters; tabs and newlines allowed.", MULTILINE
)
MESSAGE = text(500, 0, "One line; stripped, then at most 500 characters.")


def _error_details() -> Schema:
    return {
        "type": "object",
        "description": "Machine-readable context; which keys appear depends on the code.",
        "properties": {
            "field": {**STRING, "description": "The request field at fault (422, 403)."},
            "op": {**COUNT, "description": "Index of the sync operation at fault."},
            "limit": {**COUNT, "description": "The limit that was exceeded (413)."},
            "retry_after": {**COUNT, "description": "Seconds to wait (429)."},
            "allow": {"type": "array", "items": STRING, "description": "Allowed methods (405)."},
            "origin": STRING,
            "entry": STRING,
            "file": STRING,
            "path": STRING,
            "existing": STRING,
        },
    }


def _session_ops() -> dict[str, Schema]:
    base = {**VERSION, "description": "The version the client last saw of this path."}
    put_text = closed(
        ["op", "path", "content"],
        {
            "op": {"const": "put"},
            "path": PATH,
            "base_version": {**nullable(VERSION), "description": "Absent or null: a new file."},
            "content": {
                **STRING,
                "description": f"UTF-8 text, at most {RULES.max_file_bytes} bytes.",
            },
        },
    )
    put_ref = closed(
        ["op", "path", "content_ref"],
        {
            "op": {"const": "put"},
            "path": PATH,
            "base_version": {**nullable(VERSION), "description": "Absent or null: a new file."},
            "content_ref": {**STRING, "description": "The name of a file part of this request."},
            "binary": {
                **nullable({"type": "boolean"}),
                "description": "Absent or null: binary unless the bytes are UTF-8 without NUL.",
            },
        },
    )
    delete = closed(
        ["op", "path", "base_version"],
        {"op": {"const": "delete"}, "path": PATH, "base_version": base},
    )
    rename = closed(
        ["op", "path", "to", "base_version"],
        {"op": {"const": "rename"}, "path": PATH, "to": PATH, "base_version": base},
    )
    edit = closed(
        ["start", "end"],
        {
            "start": {**COUNT, "description": "Character offset into the base text."},
            "end": {**COUNT, "description": "End offset (exclusive); start <= end."},
            "text": {**STRING, "description": "What replaces the range (empty: a deletion)."},
        },
    )
    patch = closed(
        ["op", "path", "base_version", "edits"],
        {
            "op": {"const": "patch"},
            "path": PATH,
            "base_version": base,
            "edits": {
                "type": "array",
                "minItems": 1,
                "maxItems": 10_000,
                "items": edit,
                "description": "Sorted, non-overlapping edits of the text at base_version.",
            },
        },
    )
    return {
        "PutTextOp": put_text,
        "PutPartOp": put_ref,
        "PatchOp": patch,
        "DeleteOp": delete,
        "RenameOp": rename,
    }


def _sync_request(ops: list[str]) -> Schema:
    return closed(
        ["ops"],
        {
            "ops": {
                "type": "array",
                "maxItems": RULES.max_ops_per_sync,
                "items": {"oneOf": [ref(name) for name in ops]},
            },
            "revision_message": {
                **nullable(MESSAGE),
                "description": "When given, a revision is recorded after the batch.",
            },
        },
    )


def _like(value: Any) -> Schema:
    """The schema of a value of contract/sync_rules.json (the document follows that file)."""
    if isinstance(value, dict):
        properties = {key: _like(item) for key, item in value.items()}
        return closed(sorted(key for key in value if key != "comment"), properties)
    if isinstance(value, list):
        return {"type": "array", "items": STRING}
    return COUNT if isinstance(value, int) else STRING


def _health() -> Schema:
    ok = closed(
        ["status", "build_id", "database"],
        {
            "status": {"const": "ok"},
            "build_id": STRING,
            "database": closed(
                ["status", "schema_version", "latency_ms"],
                {
                    "status": {"const": "ok"},
                    "schema_version": COUNT,
                    "latency_ms": {"type": "number", "minimum": 0},
                },
            ),
        },
    )
    degraded = closed(
        ["status", "build_id", "database"],
        {
            "status": {"const": "degraded"},
            "build_id": STRING,
            "database": closed(
                ["status", "reason"], {"status": {"const": "unavailable"}, "reason": STRING}
            ),
        },
    )
    return {"HealthOk": ok, "HealthDegraded": degraded}


def schemas() -> dict[str, Schema]:
    file_fields: dict[str, Schema] = {
        "path": PATH,
        "version": VERSION,
        "size": COUNT,
        "sha256": SHA256,
    }
    revision = closed(
        ["number", "message", "project_version", "file_count", "total_bytes", "created_at"],
        {
            "number": {"type": "integer", "minimum": 1},
            "message": STRING,
            "project_version": VERSION,
            "file_count": COUNT,
            "total_bytes": COUNT,
            "created_at": TIMESTAMP,
        },
    )
    return {
        "Error": closed(
            ["error"],
            {
                "error": closed(
                    ["code", "message", "details"],
                    {
                        "code": {
                            **STRING,
                            "description": "Stable, machine-readable; see each response.",
                        },
                        "message": {**STRING, "description": "For people; may change."},
                        "details": _error_details(),
                    },
                )
            },
        ),
        **_health(),
        "SyncRules": {**_like(RULES.raw), "$comment": "contract/sync_rules.json, verbatim."},
        "User": closed(
            ["id", "email", "display_name", "created_at"],
            {"id": UUID, "email": STRING, "display_name": STRING, "created_at": TIMESTAMP},
        ),
        "Session": closed(
            ["user", "csrf_token"],
            {
                "user": ref("User"),
                "csrf_token": {**STRING, "description": "Send it back as X-CSRF-Token."},
            },
        ),
        "SignUp": {
            "type": "object",
            "required": ["email", "password"],
            "properties": {
                "email": {
                    **EMAIL,
                    "description": "Must look like name@host.tld. " + EMAIL["description"],
                },
                "password": NEW_PASSWORD,
                "display_name": nullable(text(100, 0, "Stripped; at most 100 characters.")),
            },
        },
        "SignIn": {
            "type": "object",
            "required": ["email", "password"],
            "properties": {
                "email": {**text(254), "description": "Stripped and lowercased."},
                "password": PASSWORD,
            },
        },
        "PasswordChange": {
            "type": "object",
            "required": ["current_password", "new_password"],
            "properties": {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        },
        "AccountDeletion": {
            "type": "object",
            "required": ["password"],
            "properties": {"password": PASSWORD},
        },
        "Template": closed(
            ["id", "name", "description", "runtime"],
            {"id": STRING, "name": STRING, "description": STRING, "runtime": STRING},
        ),
        "TemplateList": closed(
            ["templates"], {"templates": {"type": "array", "items": ref("Template")}}
        ),
        "Project": closed(
            [
                "id",
                "name",
                "description",
                "template",
                "version",
                "file_count",
                "total_bytes",
                "created_at",
                "updated_at",
                "opened_at",
            ],
            {
                "id": UUID,
                "name": STRING,
                "description": STRING,
                "template": nullable(STRING),
                "version": {**VERSION, "description": "Bumped by every change of the files."},
                "file_count": COUNT,
                "total_bytes": COUNT,
                "created_at": TIMESTAMP,
                "updated_at": TIMESTAMP,
                "opened_at": {
                    **nullable(TIMESTAMP),
                    "description": "When its files were last loaded; a "
                    "load answers with the time before it.",
                },
            },
        ),
        "ProjectList": closed(
            ["projects"], {"projects": {"type": "array", "items": ref("Project")}}
        ),
        "NewProject": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": NAME,
                "description": nullable(DESCRIPTION),
                "template": {
                    **nullable({"enum": sorted(templates.catalogue())}),
                    "description": "A template id from GET /api/templates.",
                },
            },
        },
        "ProjectChange": {
            "type": "object",
            "description": "At least one of name and description (null counts as absent).",
            "properties": {"name": NAME, "description": DESCRIPTION},
            "anyOf": [{"required": ["name"]}, {"required": ["description"]}],
        },
        "Duplication": {
            "type": "object",
            "properties": {
                "name": {**nullable(NAME), "description": "Default: the source's name + ' (copy)'."}
            },
        },
        "TextFile": closed(
            [*file_fields, "binary", "content"],
            {**file_fields, "binary": {"const": False}, "content": STRING},
        ),
        "BinaryFile": closed([*file_fields, "binary"], {**file_fields, "binary": {"const": True}}),
        "ProjectFiles": closed(
            ["project", "version", "files"],
            {
                "project": ref("Project"),
                "version": VERSION,
                "files": {
                    "type": "array",
                    "items": {"oneOf": [ref("TextFile"), ref("BinaryFile")]},
                    "description": "Sorted by path. Binary content: GET .../blobs/{sha256}.",
                },
            },
        ),
        **_session_ops(),
        "SyncRequest": _sync_request(["PutTextOp", "PatchOp", "DeleteOp", "RenameOp"]),
        "SyncPartsRequest": _sync_request(
            ["PutTextOp", "PutPartOp", "PatchOp", "DeleteOp", "RenameOp"]
        ),
        "SyncOk": closed(
            ["index", "status", "path", "version"],
            {
                "index": COUNT,
                "status": {"const": "ok"},
                "path": PATH,
                "version": VERSION,
                "sha256": {**SHA256, "description": "Puts only."},
                "to": {**PATH, "description": "Renames only."},
            },
        ),
        "SyncConflict": closed(
            ["index", "status", "path", "current_version", "current_sha256"],
            {
                "index": COUNT,
                "status": {"const": "conflict"},
                "path": PATH,
                "current_version": {**nullable(VERSION), "description": "null: no such file now."},
                "current_sha256": nullable(SHA256),
            },
        ),
        "SyncResult": closed(
            ["version", "results", "revision"],
            {
                "version": {**VERSION, "description": "The project's version after the batch."},
                "results": {
                    "type": "array",
                    "description": "One per operation, in order.",
                    "items": {"oneOf": [ref("SyncOk"), ref("SyncConflict")]},
                },
                "revision": nullable(ref("Revision")),
            },
        ),
        "Revision": revision,
        "RevisionList": closed(
            ["revisions"],
            {
                "revisions": {
                    "type": "array",
                    "items": ref("Revision"),
                    "description": "Newest first.",
                }
            },
        ),
        "NewRevision": {"type": "object", "properties": {"message": nullable(MESSAGE)}},
        "RevisionFile": closed(
            ["path", "size", "sha256", "binary"],
            {"path": PATH, "size": COUNT, "sha256": SHA256, "binary": {"type": "boolean"}},
        ),
        "RevisionDetail": closed(
            ["revision", "files"],
            {"revision": ref("Revision"), "files": {"type": "array", "items": ref("RevisionFile")}},
        ),
        "Restored": closed(
            ["version", "revision", "changed"],
            {
                "version": VERSION,
                "revision": ref("Revision"),
                "changed": {**COUNT, "description": "Files written or removed."},
            },
        ),
        "Imported": closed(
            ["project", "skipped"],
            {
                "project": ref("Project"),
                "skipped": {
                    "type": "array",
                    "items": PATH,
                    "description": "Ignored paths, not stored.",
                },
            },
        ),
        "FilesWritten": closed(
            ["version", "written", "skipped"],
            {
                "version": VERSION,
                "written": COUNT,
                "skipped": {
                    "type": "array",
                    "items": PATH,
                    "description": "Ignored paths, not stored.",
                },
            },
        ),
    }


def security_schemes() -> dict[str, Schema]:
    return {
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": COOKIE,
            "description": (
                "The opaque session token set by sign-up and sign-in (HttpOnly, SameSite=Lax, "
                "Secure over HTTPS, 14 days). Unsafe methods (POST, PUT, PATCH, DELETE) must also "
                "send the session's CSRF token as X-CSRF-Token, and must not come from another "
                "origin: an Origin header must be this server's own origin (or one listed in "
                "COSPAI_ALLOWED_ORIGINS); without Origin, Sec-Fetch-Site must be absent, "
                "same-origin or none (403 bad_origin otherwise)."
            ),
        }
    }


def parameters() -> dict[str, Schema]:
    return {
        "ProjectId": {
            "name": "project_id",
            "in": "path",
            "required": True,
            "schema": UUID,
            "description": "Another user's project answers 404 too.",
        },
        "RevisionNumber": {
            "name": "number",
            "in": "path",
            "required": True,
            "example": 1,
            "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
        },
        "ShareToken": {
            "name": "token",
            "in": "path",
            "required": True,
            "schema": {
                "type": "string",
                "minLength": 32,
                "maxLength": 64,
                "pattern": "^[A-Za-z0-9_-]+$",
            },
            "description": "A share link's token (secrets.token_urlsafe).",
        },
        "CsrfToken": {
            "name": "X-CSRF-Token",
            "in": "header",
            "required": True,
            "schema": STRING,
            "description": "The csrf_token of the session "
            "(from sign-up, sign-in or GET /api/auth/session); 403 csrf otherwise.",
        },
    }
