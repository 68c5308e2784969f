"""Framing rules: the IDE's pages refuse other sites; /embed is made to be framed (by any
site, or by the configured origins only) and may be loaded by a cross-origin isolated host
page; GET /api/embed tells the embed which origins the server allows."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support.api import TEST_HOSTS, tiny_dist


def client_for(
    database_url: str, tmp_path: Path, embed_origins: tuple[str, ...] = ()
) -> TestClient:
    settings = Settings(
        dist_dir=tiny_dist(tmp_path / "dist"), allowed_hosts=TEST_HOSTS, embed_origins=embed_origins
    )
    app = create_app(settings, database_url=database_url)
    return TestClient(app, base_url="http://testserver")


def test_ide_pages_refuse_other_sites_and_embed_allows_any(
    database_url: str, tmp_path: Path
) -> None:
    with client_for(database_url, tmp_path) as client:
        for path in ("/", "/projects", "/api/health"):
            response = client.get(path)
            assert response.headers["content-security-policy"] == "frame-ancestors 'self'", path
        embed = client.get("/embed?share=abc&origins=https://blog.example")
        assert embed.status_code == 200 and embed.text.startswith("<!doctype html>")
        assert embed.headers["content-security-policy"] == "frame-ancestors *"
        assert embed.headers["cross-origin-resource-policy"] == "cross-origin"
        assert embed.headers["cross-origin-embedder-policy"] == "require-corp"
        assert "x-frame-options" not in embed.headers
        assert client.get("/api/embed").json() == {"origins": []}


def test_configured_origins_limit_who_frames_the_embed(database_url: str, tmp_path: Path) -> None:
    origins = ("https://blog.example", "http://localhost:5000")
    with client_for(database_url, tmp_path, embed_origins=origins) as client:
        embed = client.get("/embed")
        assert embed.headers["content-security-policy"] == (
            "frame-ancestors 'self' https://blog.example http://localhost:5000"
        )
        assert client.get("/api/embed").json() == {"origins": list(origins)}
        assert client.get("/").headers["content-security-policy"] == "frame-ancestors 'self'"
