"""Replay the wire-contract fixtures (tests/fixtures/api) against the real app.

The fixtures are replayed in their README order by one browser (a second one signs in at
the end), on a fresh database; each answer must have the fixture's status, the headers it
names, and a body with the same keys and value types. Ids, CSRF tokens and ETags the server
hands out are mapped from the fixture's values to this run's as they appear.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import contract, databases
from tests.support.api import BASE_URL, api_app

# Values that must be equal, not only of the same type: they are the contract's vocabulary.
EXACT_KEYS = {"code", "status", "op", "index", "path", "to", "binary"}
# Values the server hands out, mapped from the fixture's to this run's.
HANDED_OUT = {"id", "csrf_token"}


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted({json.dumps(shape(item), sort_keys=True) for item in value})
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string"}[type(value)]


def exact(value: Any) -> Any:
    """The EXACT_KEYS values of a body, by their place in it."""
    found: dict[str, Any] = {}

    def visit(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                if key in EXACT_KEYS and not isinstance(item, dict | list):
                    found[f"{where}/{key}"] = item
                visit(item, f"{where}/{key}")
        elif isinstance(node, list):
            for index, item in enumerate(node):
                visit(item, f"{where}/{index}")

    visit(value, "")
    return found


def learn(expected: Any, actual: Any, mapping: dict[str, str]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key in HANDED_OUT and isinstance(value, str) and isinstance(actual.get(key), str):
                mapping[value] = actual[key]
            learn(value, actual.get(key), mapping)
    elif isinstance(expected, list) and isinstance(actual, list):
        for e, a in zip(expected, actual, strict=False):
            learn(e, a, mapping)


def substitute(value: Any, mapping: dict[str, str]) -> Any:
    """`value` with every handed-out value of the fixtures replaced, also inside strings."""
    if isinstance(value, dict):
        return {key: substitute(item, mapping) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, mapping) for item in value]
    if isinstance(value, str):
        for old, new in mapping.items():
            value = value.replace(old, new)
    return value


def send(client: Any, request: dict[str, Any]) -> Any:
    headers = dict(request.get("headers", {}))
    if "Origin" in headers:
        headers["Origin"] = BASE_URL
    kwargs: dict[str, Any] = {"headers": headers}
    if "json" in request:
        kwargs["json"] = request["json"]
    if "multipart" in request:
        parts: list[tuple[str, tuple[str | None, str | bytes, str]]] = [
            ("ops", (None, json.dumps(request["multipart"]["ops"]), "application/json"))
        ]
        for name, part in request["multipart"]["files"].items():
            data = base64.b64decode(part["base64"])
            parts.append((name, (part["filename"], data, part["content_type"])))
        kwargs["files"] = parts
    return client.request(request["method"], request["path"], **kwargs)


@pytest.fixture(scope="module")
def replayed(
    pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[dict[str, Any], Any]]]:
    """{fixture name: (fixture with this run's ids, the real response)}."""
    results: dict[str, tuple[dict[str, Any], Any]] = {}
    with databases.fresh_database(pg_admin_url) as url:
        tmp: Path = tmp_path_factory.mktemp("fixtures")
        with api_app(url, tmp) as new_api:
            browser = new_api().client
            mapping: dict[str, str] = {}
            for name in contract.ORDER:
                data = substitute(contract.fixture(name), mapping)
                if name == "signin":
                    browser = new_api().client  # another device
                response = send(browser, data["request"])
                if response.headers.get("content-type", "").startswith("application/json"):
                    learn(data["response"]["body"], response.json(), mapping)
                etag = data["response"].get("headers", {}).get("ETag")
                if etag and "etag" in response.headers:  # opaque: learned like an id
                    mapping[etag] = response.headers["etag"]
                results[name] = (substitute(data, mapping), response)
            yield results


@pytest.mark.parametrize("name", contract.ORDER)
def test_fixture_replays(name: str, replayed: dict[str, tuple[dict[str, Any], Any]]) -> None:
    data, response = replayed[name]
    expected = data["response"]
    assert response.status_code == expected["status"], response.text
    for header, value in expected.get("headers", {}).items():
        assert header in response.headers, header
        if header == "Set-Cookie":
            name_value, _, attributes = response.headers[header].partition(";")
            assert name_value.startswith("cospai_session=")
            assert attributes == value.partition(";")[2]
        else:
            assert response.headers[header] == value, header
    if expected["body"] is None:
        assert response.content == b""
        return
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert shape(body) == shape(expected["body"])
    assert exact(body) == exact(expected["body"])
