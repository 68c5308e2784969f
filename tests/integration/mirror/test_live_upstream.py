"""The mirror against the real upstreams this machine's configuration names (npm's
registry setting, pip's index; or COSPAI_NPM_UPSTREAM / COSPAI_PYPI_UPSTREAM): a small
package each way, its file checked against its metadata. Skips, saying why, where the
configuration names none or the upstream cannot be reached."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from server.mirror import upstreams
from server.mirror.config import MirrorSettings
from tests.support.api import BASE_URL
from tests.support.mirror import mirror_client


def configured(ecosystem: upstreams.Ecosystem) -> str:
    setting = getattr(MirrorSettings.from_env(os.environ), f"{ecosystem}_upstream")
    found = upstreams.resolve(ecosystem, setting)
    if found.url is None:
        pytest.skip(f"no {ecosystem} upstream: {found.origin}")
    return found.url


def served(mirror: TestClient, path: str, what: str, accept: str = "*/*") -> Any:
    """The mirror's answer at `path`; a skip only when the upstream could not be reached
    (503 upstream_unreachable). Anything else it says, a refused download (502) included,
    is a failure."""
    response = mirror.get(path.removeprefix(BASE_URL), headers={"accept": accept})
    if response.status_code == 503 and "upstream_unreachable" in response.text:
        pytest.skip(f"the configured upstream is unreachable for {what}: {response.text[:200]}")
    assert response.status_code == 200, response.text
    return response


def test_is_number_from_the_configured_npm_registry(database_url: str, tmp_path: Path) -> None:
    with mirror_client(database_url, tmp_path, npm_upstream=configured("npm")) as mirror:
        abbreviated = "application/vnd.npm.install-v1+json"
        doc = served(mirror, "/api/mirror/npm/is-number", "its packument", abbreviated).json()
        dist = doc["versions"][doc["dist-tags"]["latest"]]["dist"]
        assert dist["tarball"].startswith(f"{BASE_URL}/api/mirror/npm/is-number/-/")
        tarball = served(mirror, dist["tarball"], "its tarball").content
        algo, _, digest = dist["integrity"].partition("-")
        assert base64.b64encode(hashlib.new(algo, tarball).digest()).decode() == digest


def test_six_from_the_configured_python_index(database_url: str, tmp_path: Path) -> None:
    with mirror_client(database_url, tmp_path, pypi_upstream=configured("pypi")) as mirror:
        json_v1 = "application/vnd.pypi.simple.v1+json"
        page = served(mirror, "/api/mirror/pypi/simple/six/", "six's page", json_v1).json()
        newest = [f for f in page["files"] if f["filename"].endswith(".whl")][-1]
        assert newest["url"].startswith(f"{BASE_URL}/api/mirror/pypi/files/six/")
        wheel = served(mirror, newest["url"], "six's wheel").content
        assert hashlib.sha256(wheel).hexdigest() == newest["hashes"]["sha256"]
