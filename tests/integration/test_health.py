"""GET /api/health through the whole app, with the lifespan running (migrations, pool)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import psycopg
import pytest
from starlette.testclient import TestClient

from server import migrate
from server.app import create_app
from server.repo import health as health_repo
from server.settings import Settings

BUILD_ID = "health-test-build"
ISOLATION = {
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "same-origin",
}


def small_dist(folder: Path) -> Path:
    folder.mkdir()
    index = b"<!doctype html><title>health</title>"
    (folder / "index.html").write_bytes(index)
    manifest = {
        "build_id": BUILD_ID,
        "files": {"index.html": {"sha256": "0" * 64, "size": len(index)}},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        dist_dir=small_dist(tmp_path / "dist"),
        pool_min=1,
        pool_max=2,
        allowed_hosts=("testserver",),
    )


def test_health_ok_after_lifespan_migrations(database_url: str, tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path), database_url=database_url)
    with TestClient(app) as client:
        response = client.get("/api/health")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["build_id"] == BUILD_ID
        assert body["database"]["status"] == "ok"
        assert body["database"]["schema_version"] == len(migrate.discover())
        assert isinstance(body["database"]["latency_ms"], float | int)
        assert body["database"]["latency_ms"] >= 0
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-type"] == "application/json"
        for name, value in ISOLATION.items():
            assert response.headers[name] == value
        # The page is still served alongside the API.
        assert client.get("/").status_code == 200
    # The lifespan really migrated the database.
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        assert row == (len(migrate.discover()),)


def test_health_without_migrations_reports_schema_zero(database_url: str, tmp_path: Path) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_migrations (version integer PRIMARY KEY)")
    app = create_app(settings_for(tmp_path), database_url=database_url, run_migrations=False)
    with TestClient(app) as client:
        body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["database"]["schema_version"] == 0


def test_health_degraded_when_the_database_is_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wait half a second for the database instead of 3: the answer is the same.
    monkeypatch.setattr(health_repo, "TIMEOUT_S", 0.5)
    app = create_app(
        settings_for(tmp_path),
        database_url="postgresql://postgres@127.0.0.1:1/x",
        run_migrations=False,
    )
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.get("/api/health")
        elapsed = time.monotonic() - started
    assert elapsed < 0.5 + 2, elapsed
    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"status", "build_id", "database"}
    assert body["status"] == "degraded"
    assert body["build_id"] == BUILD_ID
    assert body["database"]["status"] == "unavailable"
    assert body["database"]["reason"] in {"PoolTimeout", "TimeoutError", "OperationalError"}
    assert "error" not in body
    assert "Traceback" not in response.text
    assert response.headers["cache-control"] == "no-store"
    for name, value in ISOLATION.items():
        assert response.headers[name] == value


def test_unknown_api_route_is_a_json_404(database_url: str, tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path), database_url=database_url)
    with TestClient(app) as client:
        for method, path in (("GET", "/api/x"), ("POST", "/api/x/y"), ("DELETE", "/api/")):
            response = client.request(method, path)
            assert response.status_code == 404, (method, path)
            assert response.headers["content-type"] == "application/json"
            error = response.json()["error"]
            assert set(error) == {"code", "message", "details"}
            assert error["code"] == "not_found"
            assert path in error["message"]
            assert error["details"] == {}
            for name, value in ISOLATION.items():
                assert response.headers[name] == value


def test_wrong_method_on_an_api_route_is_405_with_allow(database_url: str, tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path), database_url=database_url)
    with TestClient(app) as client:
        response = client.post("/api/health")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert error["details"] == {"allow": ["GET", "HEAD"]}
