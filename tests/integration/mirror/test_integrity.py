"""A file that is not what its metadata promises is refused with 502 and never kept:
tampered bytes, a download that breaks off, one shorter than its stated size, metadata
with no hash, a file over the size limit. The upstream here is tests/support/bad_registry.py,
the one deliberately misbehaving registry of the suite; and 404 when it has no package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.support.api import expect_error
from tests.support.bad_registry import PAYLOAD, bad_registry
from tests.support.databases import scalar
from tests.support.mirror import mirror_client, serving


@pytest.fixture
def liar(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with serving(bad_registry) as (server, _counting):
        settings = {
            "npm_upstream": f"{server.url}/npm/",
            "pypi_upstream": f"{server.url}/pypi/simple/",
            "max_file_bytes": len(PAYLOAD) * 2,
        }
        with mirror_client(database_url, tmp_path, **settings) as client:
            yield client


def kept(database_url: str) -> tuple[int, int]:
    files = scalar(database_url, "SELECT count(*) FROM mirror_files")
    return files, scalar(database_url, "SELECT count(*) FROM mirror_blobs")


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("tampered", "integrity_mismatch"),
        ("cut", "truncated"),
        ("nohash", "no_hash"),
        ("big", "too_large"),
    ],
)
def test_npm_tarball_refused_and_not_kept(
    liar: TestClient, database_url: str, case: str, code: str
) -> None:
    assert liar.get(f"/api/mirror/npm/{case}").status_code == 200
    response = liar.get(f"/api/mirror/npm/{case}/-/{case}-1.0.0.tgz")
    error = expect_error(response, 502, code)
    assert error["message"]
    assert kept(database_url) == (0, 0)
    # Asked again, it is fetched again and refused again: nothing bad was kept meanwhile.
    expect_error(liar.get(f"/api/mirror/npm/{case}/-/{case}-1.0.0.tgz"), 502, code)


@pytest.mark.parametrize(
    ("case", "code"),
    [("tampered", "integrity_mismatch"), ("cut", "truncated"), ("short", "truncated")],
)
def test_pypi_file_refused_and_not_kept(
    liar: TestClient, database_url: str, case: str, code: str
) -> None:
    page = liar.get(f"/api/mirror/pypi/simple/{case}/", headers={"accept": "text/html"})
    assert page.status_code == 200
    response = liar.get(f"/api/mirror/pypi/files/{case}/{case}-1.0-py3-none-any.whl")
    expect_error(response, 502, code)
    assert kept(database_url) == (0, 0)


def test_the_honest_file_is_kept(liar: TestClient, database_url: str) -> None:
    assert liar.get("/api/mirror/npm/good").status_code == 200
    response = liar.get("/api/mirror/npm/good/-/good-1.0.0.tgz")
    assert response.status_code == 200 and response.content == PAYLOAD
    assert kept(database_url) == (1, 1)


def test_no_such_package_upstream_is_404(liar: TestClient) -> None:
    expect_error(liar.get("/api/mirror/npm/left-pad"), 404, "not_found")
    expect_error(liar.get("/api/mirror/pypi/simple/left-pad/"), 404, "not_found")
