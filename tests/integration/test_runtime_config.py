"""GET /api/runtime-config: the sandbox origin's pattern, the WebContainer API key and boot
timeout from the server's configuration (COSPAI_SANDBOX_HOST, COSPAI_WEBCONTAINER_API_KEY,
COSPAI_WEBCONTAINER_TIMEOUT_MS), through the whole app with its lifespan."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.integration.test_health import small_dist


def get(settings: Settings, database_url: str) -> dict:
    with TestClient(create_app(settings, database_url=database_url)) as client:
        response = client.get("/api/runtime-config")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    return response.json()


def test_defaults_and_configured_values(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = small_dist(tmp_path / "dist")
    plain = Settings(dist_dir=dist, pool_min=1, pool_max=2, allowed_hosts=("testserver",))
    # The test client's host ("testserver") is no loopback name: no safe default sandbox.
    assert get(plain, database_url) == {
        "sandbox": None,
        "webcontainer": {"api_key": None, "boot_timeout_ms": 20_000},
        "mirror": {
            "pypi": "http://testserver/api/mirror/pypi/simple",
            "npm": "http://testserver/api/mirror/npm/",
        },
    }
    monkeypatch.setenv("COSPAI_WEBCONTAINER_API_KEY", "wc_api_example")
    monkeypatch.setenv("COSPAI_WEBCONTAINER_TIMEOUT_MS", "1500")
    monkeypatch.setenv("COSPAI_SANDBOX_HOST", "https://{project}.sandbox.example.net")
    configured = Settings.from_env(
        dist_dir=dist, database_url=database_url, allowed_hosts=("testserver",)
    )
    assert get(configured, database_url) == {
        "sandbox": "https://{project}.sandbox.example.net",
        "webcontainer": {"api_key": "wc_api_example", "boot_timeout_ms": 1500},
        "mirror": {
            "pypi": "http://testserver/api/mirror/pypi/simple",
            "npm": "http://testserver/api/mirror/npm/",
        },
    }
