"""The preview origin (server/preview_site.py): on its port (or host) only the relay page,
its script and the preview service worker are served, each with COEP and
`Cross-Origin-Resource-Policy: cross-origin`; the IDE's pages, /api and dist/'s other files
are not, and nothing sets a cookie. Without a database: the lifespan never runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.preview_site import FILES, SplitByOrigin, preview_origin
from server.settings import Settings
from tests.unit.test_static import write_dist

PREVIEW = "http://preview.test"
SITE = {
    "index.html": b"<!doctype html><title>IDE</title>",
    "assets/app-1/main.mjs": b"export const answer = 42;\n",
    "preview-origin/relay.html": b"<!doctype html><script src=/relay.js></script>",
    "preview-origin/relay.js": b"console.log('relay');\n",
    "preview-origin/sw.js": b"self.addEventListener('fetch', () => {});\n",
}


@pytest.fixture
def app(tmp_path: Path) -> object:
    dist = write_dist(tmp_path / "dist", SITE, "build-1")
    settings = Settings(dist_dir=dist, port=8000, preview_port=8001,
                        preview_host="preview.test")  # fmt: skip
    return create_app(settings, database_url="postgresql://", run_migrations=False)


def assert_preview_headers(headers: object) -> None:
    assert headers["cross-origin-embedder-policy"] == "require-corp"  # type: ignore[index]
    assert headers["cross-origin-resource-policy"] == "cross-origin"  # type: ignore[index]
    assert "set-cookie" not in headers  # type: ignore[operator]
    assert "cross-origin-opener-policy" not in headers  # type: ignore[operator]


def test_the_preview_files_are_served_with_their_headers(app: object) -> None:
    client = TestClient(app, base_url=PREVIEW)  # type: ignore[arg-type]
    for url, name in FILES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content == SITE[name]
        assert_preview_headers(response.headers)
        assert response.headers["cache-control"] == "no-cache"
    assert client.get("/relay.html").headers["content-type"].startswith("text/html")
    sw = client.get("/sw.js")
    assert sw.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize("path", [
    "/", "/index.html", "/api/health", "/api/auth/session", "/signin", "/projects",
    "/p/123", "/manifest.json", "/assets/app-1/main.mjs", "/preview-origin/sw.js",
    "/relay.html/..", "/%2e%2e/pyproject.toml",
])  # fmt: skip
def test_nothing_of_the_ide_is_served_there(app: object, path: str) -> None:
    client = TestClient(app, base_url=PREVIEW)  # type: ignore[arg-type]
    response = client.get(path)
    assert response.status_code == 404, path
    assert_preview_headers(response.headers)
    assert b"IDE" not in response.content


def test_preview_urls_without_the_worker_say_so_and_writes_are_refused(app: object) -> None:
    client = TestClient(app, base_url=PREVIEW)  # type: ignore[arg-type]
    response = client.get("/preview/0123456789abcdef/index.html")
    assert response.status_code == 503
    assert "IDE" in response.text
    assert_preview_headers(response.headers)
    refused = client.post("/api/auth/signin", json={"email": "a@b.c", "password": "x"})
    assert refused.status_code == 405
    assert_preview_headers(refused.headers)


def test_the_ide_origin_is_unchanged(app: object) -> None:
    client = TestClient(app, base_url="http://127.0.0.1:8000")  # type: ignore[arg-type]
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["cross-origin-resource-policy"] == "same-origin"
    assert page.headers["cross-origin-opener-policy"] == "same-origin"
    assert client.get("/relay.html").status_code == 404


def test_the_listening_port_decides() -> None:
    seen: list[str] = []

    def app(name: str) -> object:
        async def call(_scope: object, _receive: object, _send: object) -> None:
            seen.append(name)
        return call

    split = SplitByOrigin(app("ide"), app("preview"), 8001, None)  # type: ignore[arg-type]
    assert split.is_preview({"type": "http", "server": ("127.0.0.1", 8001), "headers": []})
    assert not split.is_preview({"type": "http", "server": ("127.0.0.1", 8000),
                                 "headers": [(b"host", b"localhost:8001")]})  # fmt: skip
    by_host = SplitByOrigin(app("ide"), app("preview"), 0, "https://preview.example.com")  # type: ignore[arg-type]
    assert by_host.is_preview({"type": "http", "server": ("10.0.0.1", 80),
                               "headers": [(b"host", b"preview.example.com")]})  # fmt: skip
    assert not by_host.is_preview({"type": "http", "server": ("10.0.0.1", 80),
                                   "headers": [(b"host", b"ide.example.com")]})  # fmt: skip


@pytest.mark.parametrize(("scheme", "ide", "port", "host", "expected"), [
    ("http", "127.0.0.1", 8001, None, "http://localhost:8001"),
    ("http", "localhost", 8001, None, "http://127.0.0.1:8001"),
    ("https", "ide.example.com", 8443, "preview.example.com", "https://preview.example.com:8443"),
    ("https", "ide.example.com", 8001, "https://preview.example.com/",
     "https://preview.example.com"),
])  # fmt: skip
def test_the_origin_the_ide_is_told(scheme: str, ide: str, port: int, host: str | None,
                                    expected: str) -> None:  # fmt: skip
    assert preview_origin(scheme, ide, port, host) == expected


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSPAI_PREVIEW_PORT", "9001")
    monkeypatch.setenv("COSPAI_PREVIEW_HOST", "preview.example.com")
    settings = Settings.from_env()
    assert (settings.preview_port, settings.preview_host) == (9001, "preview.example.com")
    assert Settings.from_env(preview_port=9100).preview_port == 9100
    monkeypatch.delenv("COSPAI_PREVIEW_PORT")
    assert Settings.from_env(port=8000).preview_port_or_default == 8001
    assert Settings.from_env(port=0).preview_port_or_default == 0
