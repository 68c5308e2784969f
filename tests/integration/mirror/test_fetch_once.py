"""Concurrent requests for one file fetch it from the upstream once: within one process
(a single flight), and across server processes sharing one database (PostgreSQL's
advisory lock). The upstream holds tarballs back a while, so the requests overlap, and
counts what it is asked."""

from __future__ import annotations

import hashlib
import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from tests.integration.mirror.conftest import Packages, Upstream
from tests.support.api import tiny_dist
from tests.support.live_server import LiveServer
from tests.support.mirror import mirror_app, serving

ABBREVIATED = "application/vnd.npm.install-v1+json"


def fetch(url: str, accept: str = "*/*") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


def test_many_askers_in_one_process_one_fetch(
    database_url: str, tmp_path: Path, upstream: Upstream, packages: Packages
) -> None:
    seeded = packages.npm["brace-expansion"]
    upstream.counting.slow.update({"/-/": 1.0, "/npm/brace-expansion": 0.3})
    app = mirror_app(database_url, tmp_path, **upstream.settings())
    with serving(app) as (mirror, _counting):
        url = f"{mirror.url}/api/mirror/npm/brace-expansion/-/{seeded.filename}"
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(fetch, [url] * 12))
        also = fetch(f"{mirror.url}/api/mirror/npm/brace-expansion", ABBREVIATED)
    assert {status for status, _ in answers} == {200}
    assert {hashlib.sha256(body).digest() for _, body in answers} == {seeded.sha256}
    assert upstream.counting.count("/-/") == 1
    assert upstream.counting.hits["/api/mirror/npm/brace-expansion"] == 1  # one flight too
    assert json.loads(also[1])["name"] == "brace-expansion"


def test_two_server_processes_on_one_database_fetch_once(
    database_url: str, tmp_path: Path, upstream: Upstream, packages: Packages
) -> None:
    wheel = packages.wheels["idna"]
    upstream.counting.slow.update({"/pypi/files/": 1.5})
    env = {
        "COSPAI_NPM_UPSTREAM": upstream.settings()["npm_upstream"],
        "COSPAI_PYPI_UPSTREAM": upstream.settings()["pypi_upstream"],
    }
    dist = tiny_dist(tmp_path / "dist")
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                LiveServer(
                    database_url=database_url,
                    data_dir=tmp_path / f"data{n}",
                    dist_dir=dist,
                    extra_env=env,
                )
            )
            for n in range(2)
        ]
        urls = [f"{s.url}/api/mirror/pypi/files/idna/{wheel.filename}" for s in servers] * 5
        with ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(fetch, urls))
    assert {status for status, _ in answers} == {200}
    assert {body for _, body in answers} == {wheel.path.read_bytes()}
    assert upstream.counting.count("/pypi/files/") == 1
    assert upstream.counting.count("/pypi/simple/idna/") <= 2  # a page per process at most
