"""build.py: the manifest describes dist/ exactly, and rebuilding changes no byte."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.builds import build_site
from tests.support.paths import ROOT


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_build(out: Path) -> dict:
    return build_site(out)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("build") / "a"
    second = tmp_path_factory.mktemp("build") / "b"
    run_build(first)
    run_build(second)
    return first, second


def all_files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}


def test_manifest_lists_every_file_with_its_hash_and_size(two_builds: tuple[Path, Path]) -> None:
    dist, _ = two_builds
    manifest = json.loads((dist / "manifest.json").read_text())
    listed: set[str] = set()
    for name, entry in manifest["files"].items():
        path = dist / name
        assert path.is_file(), name
        assert entry["sha256"] == sha256(path), name
        assert entry["size"] == path.stat().st_size, name
        listed.add(name)
        for encoding, variant in entry.get("encodings", {}).items():
            variant_path = dist / f"{name}.{encoding}"
            assert variant["sha256"] == sha256(variant_path)
            assert variant["size"] < entry["size"]
            listed.add(f"{name}.{encoding}")
    assert set(all_files(dist)) - listed == {"manifest.json"}
    assert len(manifest["build_id"]) == 16


def test_rebuild_is_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    a, b = all_files(first), all_files(second)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name].read_bytes() != b[name].read_bytes()]
    assert different == []


def test_dist_has_every_part_the_issue_names(two_builds: tuple[Path, Path]) -> None:
    dist, _ = two_builds
    names = set(all_files(dist))

    def one(pattern: str) -> str:
        found = sorted(dist.glob(pattern))
        assert len(found) == 1, (pattern, found)
        return found[0].relative_to(dist).as_posix()

    for file in [
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ]:
        one(f"assets/pyodide-*/{file}")
    one("assets/pyscript-*/core.js")
    one("assets/monaco-*/monaco.js")
    for worker in ["editor", "ts", "json", "css", "html"]:
        one(f"assets/monaco-*/{worker}.worker.js")
    one("assets/xterm-*/xterm.mjs")
    one("assets/xterm-*/addon-fit.mjs")
    one("assets/webcontainer-*/webcontainer.mjs")
    client_zip = one("assets/client-*/client.zip")
    with zipfile.ZipFile(dist / client_zip) as packed:
        shipped = set(packed.namelist())
    # What the browser shares with the server travels beside client/ (import contract).
    for path in sorted((ROOT / "contract").iterdir()):
        if path.suffix in {".py", ".json"}:
            assert f"contract/{path.name}" in shipped, path.name
    one("assets/wheelhouse-*/simple/micropip/index.html")
    assert "index.html.br" in names and "index.html.gz" in names
    assert not [n for n in names if n.endswith(".map")]


def test_lock_file_points_micropip_at_the_shipped_wheel(two_builds: tuple[Path, Path]) -> None:
    dist, _ = two_builds
    lock_path = next(dist.glob("assets/pyodide-*/pyodide-lock.json"))
    packages = json.loads(lock_path.read_text())["packages"]
    assert set(packages) == {"micropip", "packaging"}
    for entry in packages.values():
        wheel = lock_path.parent / entry["file_name"]
        assert wheel.is_file()
        assert entry["sha256"] == sha256(wheel)


def test_simple_index_links_resolve_with_their_hashes(two_builds: tuple[Path, Path]) -> None:
    dist, _ = two_builds
    simple = next(dist.glob("assets/wheelhouse-*/simple"))
    pages = sorted(simple.glob("*/index.html"))
    names = [p.parent.name for p in pages]
    assert {"micropip", "packaging", "pytest", "pluggy", "iniconfig", "pygments"} <= set(names)
    for page in pages:
        href = page.read_text().split('href="', 1)[1].split('"', 1)[0]
        relative, digest = href.split("#sha256=")
        wheel = (page.parent / relative).resolve()
        assert wheel.is_file() and sha256(wheel) == digest


def test_build_help_explains_options() -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ["--out", "--offline", "--cache", "--no-compress"]:
        assert option in result.stdout


def test_offline_build_without_cached_wheels_fails_clearly(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "build.py",
            "--offline",
            "--cache",
            str(tmp_path / "empty"),
            "--out",
            str(tmp_path / "out"),
            "--no-compress",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert "not cached" in result.stderr and "micropip==0.11.1" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_webcontainer_module_is_stackblitz_s_and_the_test_double_never_ships(
    two_builds: tuple[Path, Path],
) -> None:
    dist, _ = two_builds
    (vendored,) = dist.glob("assets/webcontainer-*/webcontainer.mjs")
    text = vendored.read_text()
    assert "configureAPIKey" in text and "Unable to create more instances" not in text
    marker = b"A test double of @webcontainer/api"  # tests/doubles/webcontainer.mjs
    assert marker in (ROOT / "tests" / "doubles" / "webcontainer.mjs").read_bytes()
    shipped = [p for p in all_files(dist).values() if marker in p.read_bytes()]
    assert shipped == []
    (client_zip,) = dist.glob("assets/client-*/client.zip")
    with zipfile.ZipFile(client_zip) as archive:
        assert not [n for n in archive.namelist() if "double" in n or n.startswith("tests/")]
