"""Nothing outside the manifest is ever served, whatever the request target; and the real
build is served whole, each file as listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server.static import IMMUTABLE
from tests.support.paths import DIST

from .conftest import SECRET, assert_error_shape, assert_isolated, get, make_app, raw_request

TRAVERSALS = [
    "/../pyproject.toml",
    "/../../pyproject.toml",
    "/assets/../../pyproject.toml",
    "/assets/%2e%2e/%2e%2e/pyproject.toml",
    "/assets/%2E%2E/%2E%2E/pyproject.toml",
    "/%2e%2e/pyproject.toml",
    "/%2e%2e/server/app.py",
    "/assets/..%2f..%2fpyproject.toml",
    "/assets/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/..%2fpyproject.toml",
    "//etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/etc/passwd",
    "/..\\pyproject.toml",
    "/assets\\..\\..\\pyproject.toml",
    "/assets/%5c..%5c..%5cpyproject.toml",
    "/%5c..%5cserver%5capp.py",
    "/index.html%00",
    "/%00/../pyproject.toml",
    "/assets/app-1/main.mjs%00.txt",
    "/../dist/index.html",
    "/assets/app-1/../../../pyproject.toml",
    "/not-listed.txt",  # on disk in dist/, but not in the manifest
    "/index.html.br",  # a variant is never a name of its own
    "/assets/app-1/main.mjs.gz",
    "/manifest.json.tmp",
]


@pytest.mark.parametrize("raw_path", TRAVERSALS)
def test_paths_outside_the_manifest_are_404(fake_dist: Path, raw_path: str) -> None:
    app = make_app(fake_dist)
    for method in ("GET", "HEAD"):
        status, headers, body = raw_request(app, raw_path, method)
        assert status == 404, (method, raw_path)
        assert SECRET not in body
        assert b"root:" not in body
        assert_isolated(headers)
        if method == "GET":
            assert_error_shape(json.loads(body), "not_found")


def test_real_dist() -> None:
    manifest = json.loads((DIST / "manifest.json").read_text())
    client = TestClient(make_app(DIST))

    index = get(client, "/", "gzip, deflate, br")
    assert index.status_code == 200
    assert index.headers["content-encoding"] == "br"
    assert index.content == (DIST / "index.html").read_bytes()
    assert_isolated(index.headers)
    assert get(client, "/manifest.json").json()["build_id"] == manifest["build_id"]

    # Every listed file is there, with the listed size and a known media type.
    for name, meta in manifest["files"].items():
        response = client.head(f"/{name}", headers={"accept-encoding": "identity"})
        assert response.status_code == 200, name
        assert int(response.headers["content-length"]) == meta["size"], name
        assert response.headers["content-type"] != "application/octet-stream", name
        expected_cache = IMMUTABLE if name.startswith("assets/") else "no-cache"
        assert response.headers["cache-control"] == expected_cache, name
        suffix = Path(name).suffix
        if suffix in (".js", ".mjs"):
            assert response.headers["content-type"].startswith("text/javascript"), name
        if suffix == ".wasm":
            assert response.headers["content-type"] == "application/wasm", name

    app = make_app(DIST)
    for raw_path in TRAVERSALS:
        status, _headers, body = raw_request(app, raw_path)
        assert status == 404, raw_path
        assert b"[build-system]" not in body and b"create_app" not in body
