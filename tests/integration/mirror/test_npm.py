"""npm through the mirror, from a real upstream (a second mirror instance seeded with real
tarballs): packuments full and abbreviated, scoped names, tarballs with their integrity."""

from __future__ import annotations

import base64
import hashlib

from starlette.testclient import TestClient

from tests.integration.mirror.conftest import Packages, Upstream, document
from tests.support.api import BASE_URL, expect_error
from tests.support.databases import execute, scalar

ABBREVIATED = "application/vnd.npm.install-v1+json"
NPM_ACCEPT = f"{ABBREVIATED}; q=1.0, application/json; q=0.8, */*"
BASE = f"{BASE_URL}/api/mirror/npm"


def test_full_packument_points_every_tarball_at_the_mirror(
    mirror: TestClient, packages: Packages
) -> None:
    seeded = packages.npm["brace-expansion"]
    response = mirror.get("/api/mirror/npm/brace-expansion")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    doc = response.json()
    assert doc["name"] == "brace-expansion"
    assert doc["dist-tags"]["latest"] == seeded.version
    manifest = doc["versions"][seeded.version]
    assert manifest["dependencies"] == seeded.manifest["dependencies"]
    assert "time" in doc
    dist = manifest["dist"]
    assert dist["tarball"] == f"{BASE}/brace-expansion/-/{seeded.filename}"
    assert dist["integrity"] == sri(seeded.expected.hashes["sha512"])
    assert dist["shasum"] == seeded.expected.hashes["sha1"]


def test_abbreviated_packument_for_installers(mirror: TestClient, packages: Packages) -> None:
    seeded = packages.npm["balanced-match"]
    doc = document(mirror, "/api/mirror/npm/balanced-match", NPM_ACCEPT, ABBREVIATED)
    assert set(doc) <= {"name", "dist-tags", "versions", "modified"}
    manifest = doc["versions"][seeded.version]
    assert set(manifest) <= {
        "name", "version", "dist", "engines", "dependencies", "license", "devDependencies",
        "bin", "directories", "funding", "hasInstallScript", "peerDependencies",
    }  # fmt: skip
    assert manifest["dist"]["tarball"] == f"{BASE}/balanced-match/-/{seeded.filename}"
    full = document(mirror, "/api/mirror/npm/balanced-match", "*/*", "application/json")
    assert len(str(doc)) < len(str(full))
    assert full["versions"][seeded.version]["dist"] == manifest["dist"]


def test_scoped_package_by_either_spelling(mirror: TestClient, packages: Packages) -> None:
    seeded = packages.npm["@xterm/addon-fit"]
    encoded = mirror.get("/api/mirror/npm/@xterm%2faddon-fit", headers={"accept": NPM_ACCEPT})
    plain = mirror.get("/api/mirror/npm/@xterm/addon-fit", headers={"accept": NPM_ACCEPT})
    assert encoded.status_code == plain.status_code == 200, encoded.text
    assert encoded.json() == plain.json()
    tarball = encoded.json()["versions"][seeded.version]["dist"]["tarball"]
    assert tarball == f"{BASE}/@xterm/addon-fit/-/{seeded.filename}"
    got = mirror.get(tarball.removeprefix(BASE_URL))
    assert got.status_code == 200
    assert hashlib.sha256(got.content).digest() == seeded.sha256


def test_tarball_matches_its_integrity_and_is_kept(
    mirror: TestClient, packages: Packages, upstream: Upstream, database_url: str
) -> None:
    seeded = packages.npm["@types/estree"]
    doc = mirror.get("/api/mirror/npm/@types%2festree", headers={"accept": NPM_ACCEPT}).json()
    dist = doc["versions"][seeded.version]["dist"]
    path = dist["tarball"].removeprefix(BASE_URL)
    response = mirror.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.content == seeded.path.read_bytes()
    assert sri(hashlib.sha512(response.content).hexdigest()) == dist["integrity"]
    assert response.headers["etag"] == f'"{seeded.sha256.hex()}"'
    assert "immutable" in response.headers["cache-control"]
    # Kept: asked again (and by HEAD, and revalidated), the upstream is not asked again.
    hits = upstream.counting.count("/-/")
    assert mirror.get(path).content == response.content
    head = mirror.head(path)
    assert head.status_code == 200 and head.headers["content-length"] == str(seeded.expected.size)
    again = mirror.get(path, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304
    assert upstream.counting.count("/-/") == hits == 1
    kept = scalar(database_url, "SELECT count(*) FROM mirror_files WHERE ecosystem = 'npm'")
    assert kept == 1
    # Hot in this process (server/mirror/hot_files.py): the next read needs no stored row.
    execute(database_url, "DELETE FROM mirror_chunks")
    assert mirror.get(path).content == response.content


def test_a_package_the_upstream_lacks_and_a_file_no_version_lists(mirror: TestClient) -> None:
    # The upstream is a mirror with no upstream of its own: it cannot say "no such package",
    # only that it does not keep it; the mirror passes that on as unreachable.
    error = expect_error(mirror.get("/api/mirror/npm/left-pad"), 503, "upstream_unreachable")
    assert "left-pad" in error["message"]
    missing = mirror.get("/api/mirror/npm/balanced-match/-/balanced-match-0.0.1.tgz")
    expect_error(missing, 404, "not_found")


def test_no_cookie_is_needed_and_none_is_set(mirror: TestClient) -> None:
    mirror.cookies.clear()
    response = mirror.get("/api/mirror/npm/balanced-match")
    assert response.status_code == 200
    assert "set-cookie" not in response.headers


def sri(sha512_hex: str) -> str:
    return "sha512-" + base64.b64encode(bytes.fromhex(sha512_hex)).decode()
