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


def skip_if_unreachable(response: Any, what: str) -> None:
    if response.status_code in (502, 503):
        pytest.skip(f"the configured upstream did not serve {what}: {response.text[:200]}")


def test_is_number_from_the_configured_npm_registry(database_url: str, tmp_path: Path) -> None:
    url = configured("npm")
    with mirror_client(database_url, tmp_path, npm_upstream=url) as mirror:
        accept = {"accept": "application/vnd.npm.install-v1+json"}
        response = mirror.get("/api/mirror/npm/is-number", headers=accept)
        skip_if_unreachable(response, "is-number's packument")
        assert response.status_code == 200, response.text
        doc = response.json()
        dist = doc["versions"][doc["dist-tags"]["latest"]]["dist"]
        assert dist["tarball"].startswith(f"{BASE_URL}/api/mirror/npm/is-number/-/")
        tarball = mirror.get(dist["tarball"].removeprefix(BASE_URL))
        skip_if_unreachable(tarball, "is-number's tarball")
        assert tarball.status_code == 200, tarball.text
        algo, _, digest = dist["integrity"].partition("-")
        assert base64.b64encode(hashlib.new(algo, tarball.content).digest()).decode() == digest


def test_six_from_the_configured_python_index(database_url: str, tmp_path: Path) -> None:
    url = configured("pypi")
    with mirror_client(database_url, tmp_path, pypi_upstream=url) as mirror:
        accept = {"accept": "application/vnd.pypi.simple.v1+json"}
        response = mirror.get("/api/mirror/pypi/simple/six/", headers=accept)
        skip_if_unreachable(response, "six's project page")
        assert response.status_code == 200, response.text
        wheels = [f for f in response.json()["files"] if f["filename"].endswith(".whl")]
        newest = wheels[-1]
        assert newest["url"].startswith(f"{BASE_URL}/api/mirror/pypi/files/six/")
        wheel = mirror.get(newest["url"].removeprefix(BASE_URL))
        skip_if_unreachable(wheel, "six's wheel")
        assert wheel.status_code == 200, wheel.text
        assert hashlib.sha256(wheel.content).hexdigest() == newest["hashes"]["sha256"]
