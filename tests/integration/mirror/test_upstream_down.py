"""When the upstream is down (or there is none), what the mirror keeps is still served, and
everything else gets a clear 503 in the one error shape."""

from __future__ import annotations

from pathlib import Path

from tests.integration.mirror.conftest import MirrorFactory, Packages, Upstream
from tests.support.api import BASE_URL, expect_error
from tests.support.mirror import mirror_client

ABBREVIATED = "application/vnd.npm.install-v1+json"


def test_kept_metadata_and_files_outlive_the_upstream(
    new_mirror: MirrorFactory, upstream: Upstream, packages: Packages
) -> None:
    mirror = new_mirror(metadata_ttl_s=0)  # every request would ask the upstream first
    seeded = packages.npm["balanced-match"]
    full = mirror.get("/api/mirror/npm/balanced-match")
    tarball = full.json()["versions"][seeded.version]["dist"]["tarball"].removeprefix(BASE_URL)
    assert mirror.get(tarball).status_code == 200
    wheel = packages.wheels["iniconfig"]
    page = mirror.get("/api/mirror/pypi/simple/iniconfig/").text
    assert mirror.get(f"/api/mirror/pypi/files/iniconfig/{wheel.filename}").status_code == 200

    upstream.server.stop()

    stale = mirror.get("/api/mirror/npm/balanced-match")
    assert stale.status_code == 200
    assert stale.json() == full.json()
    assert "x-mirror-stale" in stale.headers and stale.headers["cache-control"] == "no-cache"
    # Only the full form was kept: the abbreviated one is made from it.
    short = mirror.get("/api/mirror/npm/balanced-match", headers={"accept": ABBREVIATED})
    assert short.status_code == 200 and short.headers["content-type"] == ABBREVIATED
    assert short.json()["versions"][seeded.version]["dist"]["tarball"].endswith(seeded.filename)
    assert mirror.get(tarball).content == seeded.path.read_bytes()
    assert mirror.get("/api/mirror/pypi/simple/iniconfig/").text == page
    kept_wheel = mirror.get(f"/api/mirror/pypi/files/iniconfig/{wheel.filename}")
    assert kept_wheel.content == wheel.path.read_bytes()

    error = expect_error(mirror.get("/api/mirror/npm/brace-expansion"), 503, "upstream_unreachable")
    assert "brace-expansion" in error["message"] and "not kept" in error["message"]
    expect_error(mirror.get("/api/mirror/pypi/simple/mdurl/"), 503, "upstream_unreachable")


def test_an_upstream_answering_errors_counts_as_down(
    new_mirror: MirrorFactory, upstream: Upstream
) -> None:
    mirror = new_mirror(metadata_ttl_s=0)
    assert mirror.get("/api/mirror/npm/brace-expansion").status_code == 200
    upstream.counting.down = True  # 503 for everything
    assert mirror.get("/api/mirror/npm/brace-expansion").status_code == 200
    asked = upstream.counting.count("/npm/")
    # Having just failed, the upstream is not asked again for what is kept (30 s)...
    assert mirror.get("/api/mirror/npm/brace-expansion").status_code == 200
    assert upstream.counting.count("/npm/") == asked
    # ...but it is for what is not.
    expect_error(mirror.get("/api/mirror/npm/balanced-match"), 503, "upstream_unreachable")
    assert upstream.counting.count("/npm/") == asked + 1


def test_fresh_metadata_does_not_ask_the_upstream(
    new_mirror: MirrorFactory, upstream: Upstream
) -> None:
    mirror = new_mirror(metadata_ttl_s=3600)
    for _ in range(3):
        assert mirror.get("/api/mirror/npm/balanced-match").status_code == 200
    assert upstream.counting.count("/npm/balanced-match") == 1


def test_stale_metadata_is_revalidated(new_mirror: MirrorFactory, upstream: Upstream) -> None:
    mirror = new_mirror(metadata_ttl_s=0)
    first = mirror.get("/api/mirror/npm/balanced-match")
    second = mirror.get("/api/mirror/npm/balanced-match")
    assert first.json() == second.json() and "x-mirror-stale" not in second.headers
    assert upstream.counting.count("/npm/balanced-match") == 2


def test_no_upstream_at_all(database_url: str, tmp_path: Path) -> None:
    with mirror_client(database_url, tmp_path) as mirror:  # both upstreams "none"
        error = expect_error(mirror.get("/api/mirror/npm/balanced-match"), 503, "not_mirrored")
        assert "COSPAI_NPM_UPSTREAM=none" in error["message"]
        expect_error(mirror.get("/api/mirror/pypi/simple/six/"), 503, "not_mirrored")
        missing = mirror.get("/api/mirror/pypi/files/six/six-1.0-py3-none-any.whl")
        expect_error(missing, 503, "not_mirrored")
