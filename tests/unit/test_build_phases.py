"""The build's asset phases one by one, on a small stage of our own (tests/unit/test_build.py
builds the whole site): asset groups named by their content, reproducible zips, .br/.gz
variants kept only when they save 5% and cached by content hash, and the manifest and build
id derived from the versioned files only."""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from pathlib import Path

import brotli
import pytest

from builder import BuildError
from builder.compress import MIN_SAVING, precompress
from builder.groups import (
    ZIP_EPOCH,
    files_under,
    new_group,
    npm_package,
    seal_group,
    sha256_bytes,
    sha256_file,
    write_zip,
)
from builder.manifest import (
    UNVERSIONED,
    FileEntry,
    compute_build_id,
    describe_files,
    write_manifest,
)

SOURCE = b"export function answer() { return 42; }\n" * 200


def write(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


# --- groups ------------------------------------------------------------------------------


def test_a_zip_is_the_same_bytes_whatever_order_its_members_come_in(tmp_path: Path) -> None:
    members = [("b/two.py", b"2"), ("a/one.py", b"1" * 1000), ("c.json", b"{}")]
    write_zip(tmp_path / "first.zip", members)
    write_zip(tmp_path / "second.zip", list(reversed(members)))
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "first.zip") as archive:
        infos = archive.infolist()
        assert [info.filename for info in infos] == ["a/one.py", "b/two.py", "c.json"]
        for info in infos:
            assert info.date_time == ZIP_EPOCH
            assert info.external_attr >> 16 == 0o644
            assert info.compress_type == zipfile.ZIP_DEFLATED
        assert archive.read("a/one.py") == b"1" * 1000


def test_a_sealed_group_is_named_after_its_content(tmp_path: Path) -> None:
    def sealed(stage: Path, files: dict[str, bytes]) -> str:
        return seal_group(stage, "lib", write(new_group(stage, "lib"), files))

    files = {"index.mjs": b"export default 1;\n", "sub/util.mjs": b"export const x = 2;\n"}
    first = sealed(tmp_path / "one", files)
    assert first.startswith("assets/lib-") and first.endswith("/")
    assert len(first) == len("assets/lib-") + 12 + 1
    assert (tmp_path / "one" / first / "sub" / "util.mjs").read_bytes() == files["sub/util.mjs"]
    assert not (tmp_path / "one" / "assets" / "lib.tmp").exists()
    # The same files elsewhere: the same name. A byte changed, or a file renamed: another.
    assert sealed(tmp_path / "two", files) == first
    changed = {**files, "index.mjs": b"export default 2;\n"}
    assert sealed(tmp_path / "three", changed) != first
    renamed = {"index.mjs": files["index.mjs"], "sub/helper.mjs": files["sub/util.mjs"]}
    assert sealed(tmp_path / "four", renamed) != first


def test_a_group_is_made_once_per_stage(tmp_path: Path) -> None:
    new_group(tmp_path, "client")
    with pytest.raises(FileExistsError):
        new_group(tmp_path, "client")  # two phases writing one group is a bug, not a merge


def test_a_missing_npm_package_says_what_to_run() -> None:
    with pytest.raises(BuildError, match=r"no-such-package-x is missing .* run `npm ci` first"):
        npm_package("no-such-package-x")


def test_hashes_and_file_listing(tmp_path: Path) -> None:
    write(tmp_path, {"b.txt": b"b", "a/c.txt": b"c", "a/b/d.txt": b"d" * (3 << 20)})
    (tmp_path / "empty").mkdir()
    listed = [p.relative_to(tmp_path).as_posix() for p in files_under(tmp_path)]
    assert listed == ["a/b/d.txt", "a/c.txt", "b.txt"]  # files only, sorted
    big = tmp_path / "a" / "b" / "d.txt"  # read in chunks: larger than one
    assert sha256_file(big) == sha256_bytes(big.read_bytes())


# --- compress ----------------------------------------------------------------------------


@pytest.fixture
def stage(tmp_path: Path) -> Path:
    return write(
        tmp_path / "stage",
        {
            "assets/app/main.mjs": SOURCE,
            "assets/app/style.css": b"body { color: red; }\n" * 100,
            "assets/app/tiny.json": b"{}",  # nothing to save
            "assets/app/logo.png": SOURCE,  # compressible bytes, but not a compressible type
            "index.html": b"<!doctype html>" + b"<p>hello</p>" * 100,
        },
    )


def test_variants_are_written_beside_the_files_that_shrink(stage: Path, tmp_path: Path) -> None:
    precompress(stage, tmp_path / "cache")
    for name in ("assets/app/main.mjs", "assets/app/style.css", "index.html"):
        original = (stage / name).read_bytes()
        br = (stage / f"{name}.br").read_bytes()
        gz = (stage / f"{name}.gz").read_bytes()
        assert brotli.decompress(br) == original
        assert gzip.decompress(gz) == original
        assert len(br) <= len(original) * (1 - MIN_SAVING)
        assert gz[4:8] == b"\0\0\0\0"  # no timestamp: the same bytes on every build
    for name in ("assets/app/tiny.json", "assets/app/logo.png"):
        assert not (stage / f"{name}.br").exists(), name
        assert not (stage / f"{name}.gz").exists(), name


def test_variants_are_cached_by_content_hash(stage: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    precompress(stage, cache)
    digest = sha256_file(stage / "assets/app/main.mjs")
    assert (cache / f"{digest}.br").is_file() and (cache / f"{digest}.gz").is_file()
    assert not list(cache.glob("*.tmp"))
    # A second build finds the cached bytes for the same content and uses them as they are
    # (brotli at 11 is slow): planted ones show that nothing was compressed again.
    planted = brotli.compress(SOURCE, quality=1)
    (cache / f"{digest}.br").write_bytes(planted)
    second = write(tmp_path / "second", {"main.mjs": SOURCE})
    precompress(second, cache)
    assert (second / "main.mjs.br").read_bytes() == planted


def test_only_the_files_named_are_compressed(stage: Path, tmp_path: Path) -> None:
    precompress(stage, tmp_path / "cache", only=[stage / "index.html"])
    assert (stage / "index.html.br").is_file()
    assert not (stage / "assets/app/main.mjs.br").exists()


# --- manifest ----------------------------------------------------------------------------


def test_the_manifest_lists_files_with_their_variants(stage: Path, tmp_path: Path) -> None:
    precompress(stage, tmp_path / "cache")
    write(stage, {"assets/app/archive.tar.gz": b"\x1f\x8b not ours"})  # a .gz of its own
    manifest = write_manifest(stage, "build-x")
    on_disk = json.loads((stage / "manifest.json").read_text())
    assert on_disk == manifest
    assert manifest["build_id"] == "build-x" and manifest["format"] == 1
    files = manifest["files"]
    assert set(files) == {
        "assets/app/main.mjs",
        "assets/app/style.css",
        "assets/app/tiny.json",
        "assets/app/logo.png",
        "assets/app/archive.tar.gz",
        "index.html",
    }
    main = files["assets/app/main.mjs"]
    assert main["sha256"] == sha256_bytes(SOURCE) and main["size"] == len(SOURCE)
    br = (stage / "assets/app/main.mjs.br").read_bytes()
    assert main["encodings"]["br"] == {"sha256": sha256_bytes(br), "size": len(br)}
    assert set(main["encodings"]) == {"br", "gz"}
    assert "encodings" not in files["assets/app/logo.png"]
    assert "encodings" not in files["assets/app/archive.tar.gz"]


def test_the_build_id_follows_the_versioned_files_only(stage: Path) -> None:
    files = describe_files(stage)
    build_id = compute_build_id(files)
    assert len(build_id) == 16 and int(build_id, 16) >= 0
    assert compute_build_id(dict(reversed(list(files.items())))) == build_id
    for name in UNVERSIONED:  # they name the build id themselves, so cannot be part of it
        other: dict[str, FileEntry] = {**files, name: {"sha256": "f" * 64, "size": 1}}
        assert compute_build_id(other) == build_id, name
    changed: dict[str, FileEntry] = {
        **files,
        "assets/app/tiny.json": {"sha256": "0" * 64, "size": 2},
    }
    assert compute_build_id(changed) != build_id
    assert compute_build_id(files, static_only=True) != build_id


def test_an_empty_stage_still_has_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    manifest = write_manifest(tmp_path / "empty", compute_build_id({}))
    assert manifest["files"] == {}
    assert os.path.getsize(tmp_path / "empty" / "manifest.json") > 0
