"""The API wire contract for tests: the fixtures under tests/fixtures/api and the
OpenAPI document's schema for an exchange."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from server.openapi import document
from tests.support.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "api"
# Replay order: each exchange relies on the state the ones before it left (README.md).
ORDER = [
    "health",
    "sync_rules",
    "templates",
    "error_unauthenticated",
    "signup",
    "session",
    "error_csrf",
    "project",
    "project_from_template",
    "projects",
    "error",
    "sync_request",
    "sync_rename_delete",
    "sync_multipart",
    "load",
    "load_not_modified",
    "sync_response_ok",
    "sync_response_conflict",
    "error_case_conflict",
    "revision",
    "revisions",
    "revision_detail",
    "restore",
    "project_update",
    "error_not_found",
    "signin",
]
API_PREFIX = "/api"


@cache
def _load(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


def fixture(name: str) -> dict[str, Any]:
    """A fixture, with a response body of {"$ref": file} replaced by that file's JSON."""
    data = json.loads(_load(name))
    body = data["response"].get("body")
    if isinstance(body, dict) and set(body) == {"$ref"}:
        data["response"]["body"] = json.loads((FIXTURES / body["$ref"]).resolve().read_text())
    return data


def fixture_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = "".join(
        ("(?P<path>.+)" if part == "{path}" else "[^/]+")
        if part.startswith("{")
        else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{pattern}$")


def operation_for(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """(path template, operation) of the document for a concrete /api request path."""
    assert path.startswith(API_PREFIX + "/"), path
    local = path[len(API_PREFIX) :].split("?", 1)[0]
    doc = document()
    # Literal templates first: /projects/import is not /projects/{project_id}.
    templates = sorted(doc["paths"], key=lambda t: (t.count("{"), t))
    for template in templates:
        if _template_regex(template).match(local) and method.lower() in doc["paths"][template]:
            return template, doc["paths"][template][method.lower()]
    raise LookupError(f"no operation for {method} {path}")


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for a schema taken from the document; its #/components refs resolve."""
    root = {**schema, "components": document()["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def response_schema(operation: dict[str, Any], status: int) -> dict[str, Any] | None:
    """The JSON schema of that response, or None when it has no JSON body."""
    response = operation["responses"][str(status)]
    content = response.get("content", {})
    return content.get("application/json", {}).get("schema")


def request_schema(operation: dict[str, Any], media_type: str) -> dict[str, Any]:
    return operation["requestBody"]["content"][media_type]["schema"]
