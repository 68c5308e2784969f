"""Reading the files `cospai mirror seed` loads: npm tarballs (`.tgz`: name and version from
the package.json inside) and Python distributions (`.whl`, `.tar.gz`, `.zip`: name and
version from the file name; a wheel's Requires-Python from its METADATA). Each is hashed
once (sha512 and sha1 for npm's integrity and shasum, sha256 for PyPI and as the address
it is kept under). Nothing here touches the database."""

from __future__ import annotations

import hashlib
import json
import tarfile
import zipfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path
from typing import Any, Literal

from server.errors import ApiError
from server.mirror import names
from server.mirror.integrity import Expected

MANIFEST_MAX = 1024 * 1024  # a package.json or METADATA larger than this is refused
_SUFFIXES = {".tgz": "npm", ".whl": "pypi", ".tar.gz": "pypi", ".zip": "pypi"}


class SeedError(Exception):
    """A file that cannot be seeded; the message says why."""


@dataclass(frozen=True)
class SeedFile:
    ecosystem: Literal["npm", "pypi"]
    package: str  # npm name, or PyPI's normalised project name
    version: str
    filename: str  # as the mirror serves it
    path: Path
    expected: Expected  # every hash, and the size
    manifest: dict[str, Any] = field(default_factory=dict)  # npm: package.json
    extra: dict[str, Any] = field(default_factory=dict)  # PyPI: requires-python

    @property
    def sha256(self) -> bytes:
        return bytes.fromhex(self.expected.hashes["sha256"])


def find(root: Path) -> list[Path]:
    """The seedable files at `root` (a file, or a folder searched recursively)."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and _kind(p.name) is not None)


def _kind(filename: str) -> str | None:
    return next((kind for sfx, kind in _SUFFIXES.items() if filename.endswith(sfx)), None)


def read(path: Path, max_bytes: int) -> SeedFile:
    kind = _kind(path.name)
    if kind is None:
        raise SeedError("not a .tgz, .whl, .tar.gz or .zip file")
    size = path.stat().st_size
    if size > max_bytes:
        raise SeedError(
            f"{size} bytes is over the limit of {max_bytes} (COSPAI_MIRROR_MAX_FILE_MB)"
        )
    expected = _hashes(path)
    try:
        return _npm(path, expected) if kind == "npm" else _python(path, expected)
    except ApiError as error:  # a name or file name the mirror would refuse
        raise SeedError(error.message) from None
    except (OSError, tarfile.TarError, zipfile.BadZipFile, ValueError, KeyError) as error:
        raise SeedError(f"unreadable: {error}") from None


def _hashes(path: Path) -> Expected:
    digests = {algo: hashlib.new(algo) for algo in ("sha512", "sha256", "sha1")}
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            size += len(block)
            for digest in digests.values():
                digest.update(block)
    return Expected({algo: d.hexdigest() for algo, d in digests.items()}, size)


def _npm(path: Path, expected: Expected) -> SeedFile:
    with tarfile.open(path, "r:gz") as archive:
        members = [
            m
            for m in archive.getmembers()
            if m.isfile() and m.name.count("/") == 1 and m.name.endswith("/package.json")
        ]
        if not members:
            raise SeedError("no package.json at the top of the tarball (is it an npm package?)")
        member = min(members, key=lambda m: (m.name != "package/package.json", m.name))
        if member.size > MANIFEST_MAX:
            raise SeedError("its package.json is larger than 1 MB")
        handle = archive.extractfile(member)
        assert handle is not None
        manifest = json.loads(handle.read())
    if not isinstance(manifest, dict):
        raise SeedError("its package.json is not a JSON object")
    name, version = manifest.get("name"), manifest.get("version")
    if not isinstance(name, str) or not isinstance(version, str):
        raise SeedError("its package.json has no name or version")
    names.npm_name(name)
    if not names.is_version(version):
        raise SeedError(f"its version {version[:40]!r} is not one")
    filename = f"{name.rsplit('/', 1)[-1]}-{version}.tgz"
    names.npm_tarball(filename)
    return SeedFile("npm", name, version, filename, path, expected, manifest=manifest)


def _python(path: Path, expected: Expected) -> SeedFile:
    filename = names.pypi_filename(path.name)
    if filename.endswith(".whl"):
        parts = filename[: -len(".whl")].split("-")
        if len(parts) not in (5, 6):
            raise SeedError("not a wheel name (name-version[-build]-python-abi-platform.whl)")
        project, version = parts[0], parts[1]
        extra = _wheel_metadata(path)
    else:
        stem = filename.removesuffix(".zip").removesuffix(".tar.gz")
        project, dash, version = stem.rpartition("-")
        if not dash:
            raise SeedError("not an sdist name (name-version.tar.gz)")
        extra = {}
    names.pypi_project(project)
    if not names.is_version(version):
        raise SeedError(f"its version {version[:40]!r} is not one")
    normal = names.pypi_normalize(project)
    return SeedFile("pypi", normal, version, filename, path, expected, extra=extra)


def _wheel_metadata(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        found = [
            n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")
        ]
        if not found or archive.getinfo(found[0]).file_size > MANIFEST_MAX:
            return {}
        text = archive.read(found[0]).decode("utf-8", errors="replace")
    requires = HeaderParser().parsestr(text).get("Requires-Python")
    return {"requires-python": requires.strip()} if requires else {}
