"""The sandbox origin (server/sandbox_site.py): on its port (or host pattern) only its pages
(the runtime host, the preview relay, the service worker), the runtime's asset groups and
their list are served, each with COEP and `Cross-Origin-Resource-Policy: cross-origin`; the
IDE's pages, /api and dist/'s other files are not, and nothing sets a cookie. Without a
database: the lifespan never runs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from contract.sandbox_files import FILES
from server.app import create_app
from server.sandbox_site import SplitByOrigin, host_regex, other_site, sandbox_pattern
from server.settings import Settings

from .conftest import write_dist

SANDBOX = "http://p0123abcd.sandbox.test"
SITE = {
    "index.html": b"<!doctype html><title>IDE</title>",
    "assets/app-1a2b3c/main.mjs": b"export const answer = 42;\n",
    "assets/monaco-1a2b3c/editor.mjs": b"export const editor = 1;\n",
    "assets/pyodide-abcdef/pyodide.mjs": b"export const loadPyodide = 1;\n",
    "assets/client-abcdef/glue/runtime-worker.mjs": b"self.onmessage = () => {};\n",
    "assets/wheelhouse-abcdef/simple/index.html": b"<a href=x>x</a>",
    "sandbox-origin/relay.html": b"<!doctype html><script src=/relay.js></script>",
    "sandbox-origin/relay.js": b"console.log('relay');\n",
    "sandbox-origin/sw.js": b"self.addEventListener('fetch', () => {});\n",
    "sandbox-origin/runtime.html": b"<!doctype html><script src=runtime.js></script>",
    "sandbox-origin/runtime.js": b"console.log('runtime');\n",
}


@pytest.fixture
def app(tmp_path: Path) -> ASGIApp:
    dist = write_dist(tmp_path / "dist", SITE, "build-1")
    settings = Settings(
        dist_dir=dist, port=8000, sandbox_port=8001, sandbox_host="{project}.sandbox.test"
    )
    return create_app(settings, database_url="postgresql://", run_migrations=False)


def assert_sandbox_headers(headers: Mapping[str, str]) -> None:
    assert headers["cross-origin-embedder-policy"] == "require-corp"
    assert headers["cross-origin-resource-policy"] == "cross-origin"
    assert "set-cookie" not in headers
    assert "cross-origin-opener-policy" not in headers


def test_the_sandbox_pages_are_served_with_their_headers(app: ASGIApp) -> None:
    client = TestClient(app, base_url=SANDBOX)
    for url, name in FILES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content == SITE[name]
        assert_sandbox_headers(response.headers)
        assert response.headers["cache-control"] == "no-cache"
    assert client.get("/relay.html").headers["content-type"].startswith("text/html")
    assert client.get("/runtime.html").headers["content-type"].startswith("text/html")
    sw = client.get("/sw.js")
    assert sw.headers["content-type"].startswith("text/javascript")


def test_the_runtime_groups_are_served_and_listed(app: ASGIApp) -> None:
    client = TestClient(app, base_url=SANDBOX)
    for name in (
        "assets/pyodide-abcdef/pyodide.mjs",
        "assets/client-abcdef/glue/runtime-worker.mjs",
        "assets/wheelhouse-abcdef/simple/index.html",
    ):
        response = client.get("/" + name)
        assert response.status_code == 200, name
        assert response.content == SITE[name]
        assert_sandbox_headers(response.headers)
        assert "immutable" in response.headers["cache-control"]
    listed = client.get("/sandbox-files.json")
    assert listed.status_code == 200
    assert_sandbox_headers(listed.headers)
    body = json.loads(listed.content)
    assert body["build_id"] == "build-1"
    assert "/runtime.html" in body["files"] and "/sw.js" not in body["files"]
    assert "/assets/pyodide-abcdef/pyodide.mjs" in body["files"]
    assert not [f for f in body["files"] if "monaco" in f or "app-" in f]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/index.html",
        "/api/health",
        "/api/auth/session",
        "/signin",
        "/projects",
        "/p/123",
        "/manifest.json",
        "/assets/app-1a2b3c/main.mjs",
        "/sandbox-origin/sw.js",
        "/assets/monaco-1a2b3c/editor.mjs",
        "/assets/pyodide-abcdef/missing.mjs",
        "/assets/pyodide-abcdef/../app-1a2b3c/main.mjs",
        "/assets/client-abcdef/%2e%2e/x",
        "/relay.html/..",
        "/%2e%2e/pyproject.toml",
    ],
)
def test_nothing_of_the_ide_is_served_there(app: ASGIApp, path: str) -> None:
    client = TestClient(app, base_url=SANDBOX)
    response = client.get(path)
    assert response.status_code == 404, path
    assert_sandbox_headers(response.headers)
    assert b"IDE" not in response.content


def test_preview_urls_without_the_worker_say_so_and_writes_are_refused(app: ASGIApp) -> None:
    client = TestClient(app, base_url=SANDBOX)
    response = client.get("/preview/0123456789abcdef/index.html")
    assert response.status_code == 503
    assert "IDE" in response.text
    assert_sandbox_headers(response.headers)
    refused = client.post("/api/auth/signin", json={"email": "a@b.c", "password": "x"})
    assert refused.status_code == 405
    assert_sandbox_headers(refused.headers)


def test_the_ide_origin_is_unchanged(app: ASGIApp) -> None:
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["cross-origin-resource-policy"] == "same-origin"
    assert page.headers["cross-origin-opener-policy"] == "same-origin"
    assert client.get("/relay.html").status_code == 404


def test_the_listening_port_or_the_host_pattern_decides() -> None:
    seen: list[str] = []

    def app(name: str) -> ASGIApp:
        async def call(_scope: Scope, _receive: Receive, _send: Send) -> None:
            seen.append(name)

        return call

    split = SplitByOrigin(app("ide"), app("sandbox"), 8001, None)
    assert split.is_other({"type": "http", "server": ("127.0.0.1", 8001), "headers": []})
    assert not split.is_other(
        {"type": "http", "server": ("127.0.0.1", 8000), "headers": [(b"host", b"localhost:8001")]}
    )
    by_host = SplitByOrigin(app("ide"), app("sandbox"), 0, "https://{project}.sandbox.example.com")

    def host(name: bytes) -> dict[str, object]:
        return {"type": "http", "server": ("10.0.0.1", 80), "headers": [(b"host", name)]}

    assert by_host.is_other(host(b"pabc123.sandbox.example.com"))
    assert by_host.is_other(host(b"PABC123.Sandbox.Example.com:443"))
    for name in (
        b"ide.example.com",
        b"sandbox.example.com",
        b"a.b.sandbox.example.com",
        b"pabc123.sandbox.example.com.evil.test",
        b"-x.sandbox.example.com",
        b"pabc123xsandbox.example.com",
        b"",
    ):
        assert not by_host.is_other(host(name)), name


def test_host_patterns() -> None:
    assert host_regex("{project}.localhost:8001").fullmatch("pabc.localhost")
    assert not host_regex("{project}.localhost:8001").fullmatch("localhost")
    assert host_regex("sandbox.example.com").fullmatch("sandbox.example.com")
    assert not host_regex("sandbox.example.com").fullmatch("sandboxxexample.com")


@pytest.mark.parametrize(
    ("scheme", "ide", "port", "host", "expected"),
    [
        ("http", "127.0.0.1", 8001, None, "http://{project}.localhost:8001"),
        ("http", "localhost", 8001, None, "http://{project}.localhost:8001"),
        ("http", "[::1]", 8001, None, "http://{project}.localhost:8001"),
        ("http", "10.0.0.5", 8001, None, None),  # no safe default: --sandbox-host must be set
        ("https", "ide.example.com", 8001, None, None),
        (
            "https",
            "ide.example.com",
            8443,
            "{project}.sandbox.example.net",
            "https://{project}.sandbox.example.net:8443",
        ),
        (
            "https",
            "ide.example.com",
            8001,
            "https://{project}.sandbox.example.net/",
            "https://{project}.sandbox.example.net",
        ),
        (
            "https",
            "ide.example.com",
            8001,
            "https://sandbox.example.net",
            "https://sandbox.example.net",
        ),
    ],
)
def test_the_pattern_the_ide_is_told(
    scheme: str, ide: str, port: int, host: str | None, expected: str | None
) -> None:
    assert sandbox_pattern(scheme, ide, port, host) == expected


def test_share_links_stay_on_another_site() -> None:
    assert other_site("http", "127.0.0.1", 8002, None) == "http://localhost:8002"
    assert other_site("http", "localhost", 8002, None) == "http://127.0.0.1:8002"
    assert other_site("https", "x", 1, "https://share.example.com/") == "https://share.example.com"


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSPAI_SANDBOX_PORT", "9001")
    monkeypatch.setenv("COSPAI_SANDBOX_HOST", "{project}.sandbox.example.com")
    settings = Settings.from_env()
    assert (settings.sandbox_port, settings.sandbox_host) == (9001, "{project}.sandbox.example.com")
    assert Settings.from_env(sandbox_port=9100).sandbox_port == 9100
    monkeypatch.delenv("COSPAI_SANDBOX_PORT")
    assert Settings.from_env(port=8000).sandbox_port_or_default == 8001
    assert Settings.from_env(port=0).sandbox_port_or_default == 0
