"""A missing or unreadable dist/ stops the server from starting; a rebuilt one is picked
up while serving, and a listed file gone from disk is a 404."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from server.static import DistMissing, DistSite

from .conftest import SITE, assert_refused, get, make_app, sha, write_dist


def test_missing_manifest_is_dist_missing(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>half a build</p>")
    with pytest.raises(DistMissing, match=r"python build\.py"):
        DistSite(tmp_path)
    with pytest.raises(DistMissing, match=r"python build\.py"):
        make_app(tmp_path)
    with pytest.raises(DistMissing, match=r"python build\.py"):
        DistSite(tmp_path / "does-not-exist")


@pytest.mark.parametrize("manifest", ["{not json", '{"files": {}}', '{"build_id": "x"}'])
def test_unreadable_manifest_is_dist_missing(tmp_path: Path, manifest: str) -> None:
    (tmp_path / "manifest.json").write_text(manifest)
    with pytest.raises(DistMissing, match=r"python build\.py"):
        DistSite(tmp_path)


def test_a_rebuild_is_looked_for_at_most_once_a_second(fake_dist: Path) -> None:
    site = DistSite(fake_dist)
    assert site.RECHECK_S == 1.0
    write_dist(fake_dist, {**SITE, "index.html": b"<p>build two</p>"}, "build-2")
    site._maybe_reload()  # within the second of loading: the stamp is not read
    assert site.build_id == "build-1"


def test_rebuilt_dist_is_picked_up_while_serving(
    fake_dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DistSite, "RECHECK_S", 0.0)  # every request looks: no waiting here
    site = DistSite(fake_dist)
    client = TestClient(
        create_app(
            Settings(dist_dir=fake_dist, allowed_hosts=("testserver",)),
            database_url="postgresql://",
            run_migrations=False,
            site=site,
        )
    )
    old_etag = get(client, "/").headers["etag"]
    assert get(client, "/assets/app-2/new.js").status_code == 404

    # A broken rebuild is ignored: the old build stays served.
    broken = fake_dist / "manifest.json.tmp"
    good_manifest = (fake_dist / "manifest.json").read_bytes()
    broken.write_text("{truncated")
    os.replace(broken, fake_dist / "manifest.json")
    assert get(client, "/").headers["etag"] == old_etag
    assert site.build_id == "build-1"
    assert get(client, "/assets/app-1/main.mjs").status_code == 200
    (fake_dist / "manifest.json").write_bytes(good_manifest)

    rebuilt = {**SITE, "index.html": b"<p>build two</p>", "assets/app-2/new.js": b"new();"}
    write_dist(fake_dist, rebuilt, "build-2")
    index = get(client, "/")
    assert index.status_code == 200
    assert index.content == b"<p>build two</p>"
    assert index.headers["etag"] == f'"{sha(b"<p>build two</p>")[:32]}"'
    assert index.headers["etag"] != old_etag
    new = get(client, "/assets/app-2/new.js", "br")
    assert new.status_code == 200
    assert new.headers["content-encoding"] == "br"
    assert new.content == b"new();"
    assert get(client, "/manifest.json").json()["build_id"] == "build-2"
    assert site.build_id == "build-2"


def test_manifest_file_missing_on_disk_is_404_not_500(fake_dist: Path) -> None:
    (fake_dist / "assets/app-1/plain.txt").unlink()
    client = TestClient(make_app(fake_dist))
    response = get(client, "/assets/app-1/plain.txt")
    assert_refused(response, 404, "not_found")
