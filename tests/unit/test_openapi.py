"""The OpenAPI document (server/openapi.py): well-formed 3.1, faithful to the routes, and
in agreement with the wire-contract fixtures (tests/fixtures/api)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Match, Mount, Route, Router

from server.app import create_app
from server.headers import IsolationHeaders
from server.mirror.cors import Preflight
from server.openapi import document
from server.settings import Settings
from tests.support import contract
from tests.support.api import TEST_HOSTS, tiny_dist

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
UNSAFE = {"post", "put", "patch", "delete"}


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for template, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield template, method, operation


def walk(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{where}/{index}")


def resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def parameters_of(doc: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [resolve(doc, p["$ref"]) if "$ref" in p else p for p in operation.get("parameters", [])]


def test_document_is_json_and_openapi_3_1() -> None:
    doc = document()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["servers"] == [{"url": "/api"}]
    assert set(doc) <= {
        "openapi",
        "info",
        "jsonSchemaDialect",
        "servers",
        "paths",
        "webhooks",
        "components",
        "security",
        "tags",
        "externalDocs",
    }
    ids = [operation["operationId"] for _t, _m, operation in operations(doc)]
    assert len(ids) == len(set(ids))
    for template, method, operation in operations(doc):
        assert template.startswith("/"), template
        assert operation["responses"], (method, template)
        for status, response in operation["responses"].items():
            assert re.fullmatch(r"[1-5]\d\d", status), (method, template, status)
            assert response["description"], (method, template, status)
        if "requestBody" in operation:
            assert operation["requestBody"]["content"]
            assert method in UNSAFE, (method, template)


def test_every_ref_resolves() -> None:
    doc = document()
    refs = [node["$ref"] for _w, node in walk(doc) if isinstance(node, dict) and "$ref" in node]
    assert refs
    for ref in refs:
        assert resolve(doc, ref) is not None, ref


def test_every_schema_is_valid_json_schema_2020_12() -> None:
    doc = document()
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for where, node in walk(doc["paths"]):
        if where.endswith("/schema") and isinstance(node, dict):
            Draft202012Validator.check_schema(node)


def test_path_parameters_match_the_templates() -> None:
    doc = document()
    for template, method, operation in operations(doc):
        in_template = set(re.findall(r"\{([^}]+)\}", template))
        declared = {p["name"] for p in parameters_of(doc, operation) if p["in"] == "path"}
        assert declared == in_template, (method, template)
        for parameter in parameters_of(doc, operation):
            assert parameter["in"] in {"path", "query", "header", "cookie"}
            assert parameter["in"] != "path" or parameter["required"] is True


def test_security_and_csrf() -> None:
    doc = document()
    scheme = doc["components"]["securitySchemes"]["session"]
    assert scheme == {**scheme, "type": "apiKey", "in": "cookie", "name": "cospai_session"}
    for template, method, operation in operations(doc):
        names = {p["name"] for p in parameters_of(doc, operation)}
        statuses = set(operation["responses"])
        if operation["security"] == [{"session": []}]:
            assert "401" in statuses, (method, template)
            assert ("X-CSRF-Token" in names) == (method in UNSAFE), (method, template)
            if method in UNSAFE:
                assert "403" in statuses, (method, template)
        else:
            assert operation["security"] == [], (method, template)
            assert "X-CSRF-Token" not in names


def test_every_error_response_has_the_error_shape() -> None:
    doc = document()
    for template, _method, operation in operations(doc):
        for status, response in operation["responses"].items():
            if not status.startswith("4"):
                continue
            schema = response["content"]["application/json"]["schema"]
            assert {"$ref": "#/components/schemas/Error"} in schema["allOf"], (template, status)
            codes = schema["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"]
            assert codes and all(re.fullmatch(r"[a-z_0-9]+", c) for c in codes)


def _starlette(tmp_path: Path) -> Starlette:
    """The app create_app wraps (in IsolationHeaders only, without other origins)."""
    app = create_app(
        Settings(dist_dir=tiny_dist(tmp_path / "dist"), allowed_hosts=TEST_HOSTS),
        database_url="unused",
    )
    assert isinstance(app, IsolationHeaders) and isinstance(app.app, Starlette)
    return app.app


def _router_in(mount: Mount) -> Router:
    gzip = mount.app  # GZipMiddleware -> the mirror's Preflight -> Router
    assert isinstance(gzip, GZipMiddleware) and isinstance(gzip.app, Preflight)
    assert isinstance(gzip.app.app, Router)
    return gzip.app.app


def _api_routes(tmp_path: Path) -> dict[str, set[str]]:
    starlette = _starlette(tmp_path)
    mount = next(r for r in starlette.router.routes if isinstance(r, Mount) and r.path == "/api")
    routes: dict[str, set[str]] = {}
    for route in _router_in(mount).routes:
        assert isinstance(route, Route)
        if route.path == "/{rest:path}":  # the catch-all answering 404 / 405
            continue
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        routes.setdefault(template, set()).update(m.lower() for m in route.methods or ())
    return {template: methods - {"head"} for template, methods in routes.items()}


def test_every_route_is_documented_with_its_methods(tmp_path: Path) -> None:
    documented: dict[str, set[str]] = {}
    for template, method, _operation in operations(document()):
        documented.setdefault(template, set()).add(method)
    assert documented == _api_routes(tmp_path)


def test_documented_paths_reach_their_routes(tmp_path: Path) -> None:
    """A concrete URL built from each template reaches the route of that template."""
    mount = next(r for r in _starlette(tmp_path).router.routes if isinstance(r, Mount))
    router = _router_in(mount)
    samples = {
        "project_id": "0b8e5c1e-6a4d-4f7e-9b1a-2c5d8e9f0a1b",
        "number": "3",
        "sha256": "ab" * 32,
        "path": "src/a b.py",
        "token": "t" * 43,
        "package": "@scope/name",
        "tarball": "name-1.0.0.tgz",
        "project": "six",
        "filename": "six-1.0-py3-none-any.whl",
    }
    for template, method, _operation in operations(document()):
        path = re.sub(r"\{(\w+)\}", lambda m: samples[m.group(1)], template)
        scope = {"type": "http", "method": method.upper(), "path": path, "root_path": ""}
        matched = [r for r in router.routes if r.matches(scope)[0] is Match.FULL]
        assert matched, (method, template)
        assert isinstance(matched[0], Route)
        assert re.sub(r"\{(\w+):\w+\}", r"{\1}", matched[0].path) == template


def test_every_fixture_is_in_the_replay_order() -> None:
    assert sorted(contract.ORDER) == contract.fixture_names()


@pytest.mark.parametrize("name", contract.fixture_names())
def test_fixture_matches_the_document(name: str) -> None:
    data = contract.fixture(name)
    request, response = data["request"], data["response"]
    assert data["description"]
    _template, operation = contract.operation_for(request["method"], request["path"])
    assert str(response["status"]) in operation["responses"], "undocumented status"
    schema = contract.response_schema(operation, response["status"])
    if schema is None:
        assert response["body"] is None
    else:
        contract.validator(schema).validate(response["body"])
    if "json" in request:
        contract.validator(contract.request_schema(operation, "application/json")).validate(
            request["json"]
        )
    if "multipart" in request:
        ops_field = contract.request_schema(operation, "multipart/form-data")["properties"]["ops"]
        contract.validator(ops_field["contentSchema"]).validate(request["multipart"]["ops"])
        refs = {op.get("content_ref") for op in request["multipart"]["ops"]["ops"]} - {None}
        assert refs == set(request["multipart"]["files"])
    documented_headers = {
        h.lower() for h in operation["responses"][str(response["status"])].get("headers", {})
    }
    for header in response.get("headers", {}):
        assert header.lower() in documented_headers | {"cache-control"}, header
