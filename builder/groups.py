"""Asset groups: each vendored library, the client and the wheelhouse land in
assets/<group>-<content hash>/, so their paths can be cached forever; written
reproducibly (fixed zip timestamps and order), from npm packages checked to be there."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from builder import BuildError

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def npm_package(name: str) -> Path:
    folder = NODE_MODULES / name
    if not folder.is_dir():
        raise BuildError(f"npm package {name} is missing from node_modules/: run `npm ci` first")
    return folder


def npm_version(name: str) -> str:
    return str(json.loads((npm_package(name) / "package.json").read_text())["version"])


def write_zip(target: Path, members: Iterable[tuple[str, bytes]]) -> None:
    """A zip with fixed timestamps and order, so identical sources give identical bytes."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def seal_group(stage: Path, name: str, folder: Path) -> str:
    """Rename a finished asset folder to <name>-<content hash>; return its dist-relative URL."""
    digest = hashlib.sha256()
    for path in files_under(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(sha256_file(path).encode() + b"\n")
    sealed = stage / "assets" / f"{name}-{digest.hexdigest()[:12]}"
    folder.rename(sealed)
    return sealed.relative_to(stage).as_posix() + "/"


def new_group(stage: Path, name: str) -> Path:
    folder = stage / "assets" / f"{name}.tmp"
    folder.mkdir(parents=True)
    return folder
