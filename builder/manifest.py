"""Phase 6, manifest: every file of dist/ with its sha256, size and encodings, and the
build id, derived from the versioned files (so the same inputs give the same id)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NotRequired, TypedDict

from builder.groups import files_under, sha256_bytes, sha256_file

UNVERSIONED = ("index.html", "pyscript.json", "manifest.json", "sw.js")


class Variant(TypedDict):
    sha256: str
    size: int


class FileEntry(TypedDict):
    sha256: str
    size: int
    encodings: NotRequired[dict[str, Variant]]  # "br", "gz": the precompressed copies


class Manifest(TypedDict):
    build_id: str
    files: dict[str, FileEntry]
    format: int


def describe_files(stage: Path) -> dict[str, FileEntry]:
    files: dict[str, FileEntry] = {}
    for path in files_under(stage):
        relative = path.relative_to(stage).as_posix()
        if path.suffix in {".br", ".gz"} and path.with_suffix("").exists():
            continue  # a variant: listed under its original
        entry: FileEntry = {"sha256": sha256_file(path), "size": path.stat().st_size}
        encodings: dict[str, Variant] = {}
        for encoding in ("br", "gz"):
            variant = path.with_name(f"{path.name}.{encoding}")
            if variant.exists():
                size = variant.stat().st_size
                encodings[encoding] = {"sha256": sha256_file(variant), "size": size}
        if encodings:
            entry["encodings"] = encodings
        files[relative] = entry
    return files


def compute_build_id(
    files: dict[str, FileEntry], static_only: bool = False, sandbox: str = ""
) -> str:
    canonical = json.dumps(
        {k: v for k, v in files.items() if k not in UNVERSIONED}, sort_keys=True
    ).encode()
    # The two kinds of site (and static sites with other sandbox origins) must not share a
    # build id: the service worker names its cache after it, and the shells differ.
    kind = (b"static-only" if static_only else b"") + (
        b" sandbox " + sandbox.encode() if sandbox else b""
    )
    return sha256_bytes(canonical + kind)[:16]


def write_manifest(stage: Path, build_id: str) -> Manifest:
    manifest: Manifest = {"build_id": build_id, "files": describe_files(stage), "format": 1}
    (stage / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest
