"""`cospai mirror seed|status|prune` as a person runs them, on a real database: an
air-gapped mirror seeded from real tarballs and wheels serves them with no upstream."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from tests.integration.mirror.conftest import Packages
from tests.support.api import BASE_URL
from tests.support.databases import execute, scalar
from tests.support.mirror import cli, mirror_client

NO_UPSTREAM = {"COSPAI_NPM_UPSTREAM": "none", "COSPAI_PYPI_UPSTREAM": "none"}


def test_seeded_mirror_serves_without_any_upstream(
    database_url: str, tmp_path: Path, packages: Packages
) -> None:
    done = cli(database_url, "mirror", "seed", str(packages.folder), env=NO_UPSTREAM)
    assert done.returncode == 0, done.stderr
    total = len(packages.npm) + len(packages.wheels)
    assert f"seeded {total} files" in done.stdout
    for seeded in [*packages.npm.values(), *packages.wheels.values()]:
        assert f"kept {seeded.ecosystem:<4} {seeded.package} {seeded.version}" in done.stdout
    with mirror_client(database_url, tmp_path) as mirror:  # upstreams "none"
        fit = packages.npm["@xterm/addon-fit"]
        doc = mirror.get("/api/mirror/npm/@xterm%2faddon-fit").json()
        tarball = doc["versions"][fit.version]["dist"]["tarball"]
        assert mirror.get(tarball.removeprefix(BASE_URL)).content == fit.path.read_bytes()
        abbreviated = mirror.get(
            "/api/mirror/npm/brace-expansion",
            headers={"accept": "application/vnd.npm.install-v1+json"},
        )
        assert abbreviated.status_code == 200 and "readme" not in abbreviated.text
        wheel = packages.wheels["mdurl"]
        page = mirror.get("/api/mirror/pypi/simple/mdurl/")
        assert f"#sha256={wheel.expected.hashes['sha256']}" in page.text
        got = mirror.get(f"/api/mirror/pypi/files/mdurl/{wheel.filename}")
        assert hashlib.sha256(got.content).digest() == wheel.sha256


def test_seeding_again_adds_versions_and_keeps_bytes_once(
    database_url: str, tmp_path: Path, packages: Packages
) -> None:
    first = packages.npm["balanced-match"]
    assert cli(database_url, "mirror", "seed", str(first.path)).returncode == 0
    newer = tmp_path / "newer"
    newer.mkdir()
    manifest = {**first.manifest, "version": "99.0.0"}
    make_tarball(newer / "balanced-match-99.0.0.tgz", manifest)
    assert cli(database_url, "mirror", "seed", str(newer)).returncode == 0
    assert cli(database_url, "mirror", "seed", str(first.path)).returncode == 0  # again
    with mirror_client(database_url, tmp_path) as mirror:
        doc = mirror.get("/api/mirror/npm/balanced-match").json()
    assert set(doc["versions"]) == {first.version, "99.0.0"}
    assert doc["dist-tags"]["latest"] == "99.0.0"
    assert scalar(database_url, "SELECT count(*) FROM mirror_blobs") == 2


def test_files_that_cannot_be_seeded_are_named(
    database_url: str, tmp_path: Path, packages: Packages
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.tgz").write_bytes(b"not gzip")
    make_tarball(folder / "evil.tgz", {"name": "../evil", "version": "1.0.0"})
    (folder / "weird.whl").write_bytes(b"PK")
    (folder / "ok.tgz").write_bytes(packages.npm["balanced-match"].path.read_bytes())
    done = cli(database_url, "mirror", "seed", str(folder))
    assert done.returncode == 1
    assert "seeded 1 files" in done.stdout
    for name in ("broken.tgz", "evil.tgz", "weird.whl"):
        assert f"{name}:" in done.stdout
    assert "not a valid name" in done.stdout
    missing = cli(database_url, "mirror", "seed", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_status_and_prune(database_url: str, packages: Packages) -> None:
    assert cli(database_url, "mirror", "seed", str(packages.folder)).returncode == 0
    status = cli(database_url, "mirror", "status", env=NO_UPSTREAM)
    assert status.returncode == 0, status.stderr
    npm_bytes = sum(s.expected.size or 0 for s in packages.npm.values())
    assert "npm: upstream none (COSPAI_NPM_UPSTREAM=none)" in status.stdout
    assert f"{len(packages.npm)} seeded; {len(packages.npm)} files ({npm_bytes} bytes)" in (
        status.stdout
    )
    assert f"{len(packages.wheels)} seeded" in status.stdout
    assert "200 MB a file" in status.stdout
    configured = cli(
        database_url, "mirror", "status", env={"COSPAI_NPM_UPSTREAM": "http://127.0.0.1:9/npm"}
    )
    assert "npm: upstream http://127.0.0.1:9/npm/ (COSPAI_NPM_UPSTREAM" in configured.stdout

    pruned = cli(database_url, "mirror", "prune")
    assert pruned.returncode == 0 and "removed 0 contents" in pruned.stdout
    blobs = scalar(database_url, "SELECT count(*) FROM mirror_blobs")
    execute(database_url, "UPDATE mirror_files SET used_at = now() - interval '10 days' "
            "WHERE ecosystem = 'pypi'")  # fmt: skip
    pruned = cli(database_url, "mirror", "prune", "--older-than", "7")
    assert pruned.returncode == 0, pruned.stderr
    assert f"forgot {len(packages.wheels)} files unused" in pruned.stdout
    assert f"removed {len(packages.wheels)} contents" in pruned.stdout
    assert scalar(database_url, "SELECT count(*) FROM mirror_blobs") == blobs - len(packages.wheels)
    # Seeded metadata stays, so the pruned files are named but can be seeded back.
    assert scalar(database_url, "SELECT count(*) FROM mirror_meta WHERE origin = 'seed'") > 0


@pytest.mark.parametrize("action", ["seed", "status", "prune"])
def test_each_action_has_help(database_url: str, action: str) -> None:
    done = cli(database_url, "mirror", action, "--help")
    assert done.returncode == 0 and f"usage: cospai mirror {action}" in done.stdout
    assert "--data-dir" in done.stdout


def make_tarball(path: Path, manifest: dict[str, object]) -> None:
    """An npm tarball (package/package.json and a file) as `npm pack` lays it out."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in (
            ("package/package.json", json.dumps(manifest).encode()),
            ("package/index.js", b"module.exports = 1;\n"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
