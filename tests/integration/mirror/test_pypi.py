"""PyPI through the mirror, from a real upstream (a second mirror instance seeded with the
build's wheels): the simple index as PEP 503 HTML and PEP 691 JSON, and the files."""

from __future__ import annotations

import hashlib
import re

from starlette.testclient import TestClient

from tests.integration.mirror.conftest import Packages, document
from tests.support.api import BASE_URL, expect_error

JSON = "application/vnd.pypi.simple.v1+json"
PIP_ACCEPT = f"{JSON}, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"
FILES = f"{BASE_URL}/api/mirror/pypi/files"


def test_pep_503_page_links_each_file_with_its_hash(mirror: TestClient, packages: Packages) -> None:
    wheel = packages.wheels["iniconfig"]
    response = mirror.get("/api/mirror/pypi/simple/iniconfig/")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    sha = wheel.expected.hashes["sha256"]
    link = f'href="{FILES}/iniconfig/{wheel.filename}#sha256={sha}"'
    assert link in response.text
    assert f">{wheel.filename}</a>" in response.text
    requires = wheel.extra["requires-python"].replace(">", "&gt;").replace("<", "&lt;")
    assert f'data-requires-python="{requires}"' in response.text


def test_pep_691_json_by_accept(mirror: TestClient, packages: Packages) -> None:
    wheel = packages.wheels["mdurl"]
    doc = document(mirror, "/api/mirror/pypi/simple/mdurl/", PIP_ACCEPT, JSON)
    assert doc["meta"]["api-version"] in ("1.0", "1.1")
    assert doc["name"] == "mdurl" and doc["versions"] == [wheel.version]
    (entry,) = doc["files"]
    assert entry["filename"] == wheel.filename
    assert entry["url"] == f"{FILES}/mdurl/{wheel.filename}"
    assert entry["hashes"]["sha256"] == wheel.expected.hashes["sha256"]
    assert entry["size"] == wheel.expected.size
    html = mirror.get("/api/mirror/pypi/simple/mdurl/", headers={"accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    v1_html = "application/vnd.pypi.simple.v1+html"
    assert (
        mirror.get("/api/mirror/pypi/simple/mdurl/", headers={"accept": v1_html}).headers[
            "content-type"
        ]
        == v1_html
    )
    refused = mirror.get("/api/mirror/pypi/simple/mdurl/", headers={"accept": "image/png"})
    expect_error(refused, 406, "not_acceptable")


def test_a_name_not_normalised_redirects(mirror: TestClient) -> None:
    response = mirror.get("/api/mirror/pypi/simple/MDurl/", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"{BASE_URL}/api/mirror/pypi/simple/mdurl/"


def test_file_download_matches_its_hash(mirror: TestClient, packages: Packages) -> None:
    wheel = packages.wheels["idna"]
    page = mirror.get("/api/mirror/pypi/simple/idna/", headers={"accept": JSON}).json()
    url = page["files"][0]["url"]
    response = mirror.get(url.removeprefix(BASE_URL))
    assert response.status_code == 200, response.text
    assert hashlib.sha256(response.content).hexdigest() == page["files"][0]["hashes"]["sha256"]
    assert response.content == wheel.path.read_bytes()
    # The file route takes a name in any spelling; the page is kept under the normal one.
    other = mirror.get(f"/api/mirror/pypi/files/IDNA/{wheel.filename}")
    assert other.status_code == 200 and other.content == response.content


def test_root_lists_the_projects_kept(mirror: TestClient) -> None:
    assert mirror.get("/api/mirror/pypi/simple/iniconfig/").status_code == 200
    html = mirror.get("/api/mirror/pypi/simple/")
    assert html.status_code == 200
    assert re.search(r'<a href="iniconfig/">iniconfig</a>', html.text)
    doc = mirror.get("/api/mirror/pypi/simple/", headers={"accept": JSON}).json()
    assert doc["projects"] == [{"name": "iniconfig"}]
