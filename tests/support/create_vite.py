"""create-vite's templates as a new user gets them: `npm pack` of a pinned create-vite on
this machine (its configured npm registry), each `template-<name>/` folder as a project's
files (`_gitignore` renamed as create-vite renames it). Used by the editor-types e2e and
the package benchmark."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

CREATE_VITE = "create-vite@9.3.0"


class Unavailable(Exception):
    """npm cannot give create-vite here; the message says why."""


class Unreachable(Unavailable):
    """The configured npm registry cannot be reached (the only reason to skip)."""


NETWORK_ERRORS = (
    "ENOTFOUND",
    "ECONNREFUSED",
    "ETIMEDOUT",
    "EAI_AGAIN",
    "ECONNRESET",
    "ENETUNREACH",
)


def pack(spec: str, into: Path) -> Path:
    """`npm pack SPEC` into the folder: the tarball's path."""
    into.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Unavailable(f"npm pack {spec} did not run: {error}") from None
    if done.returncode != 0:
        if any(code in done.stderr for code in NETWORK_ERRORS):
            raise Unreachable(f"npm pack {spec}: the npm registry cannot be reached: {done.stderr}")
        raise Unavailable(f"npm pack {spec} failed: {done.stderr}")
    return into / done.stdout.strip().splitlines()[-1]


def members(tarball: Path) -> dict[str, bytes]:
    """The package's files by path inside it (npm's tarballs put them under one folder)."""
    found = {}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None:
                found[member.name.split("/", 1)[1]] = handle.read()
    return found


def template(name: str, folder: Path) -> dict[str, bytes]:
    """The files of create-vite's template `name` ("react-ts", "vue", ...)."""
    prefix = f"template-{name}/"
    files = {
        path.removeprefix(prefix): data
        for path, data in members(pack(CREATE_VITE, folder)).items()
        if path.startswith(prefix)
    }
    if not files:
        raise Unavailable(f"{CREATE_VITE} has no template {name}")
    if "_gitignore" in files:
        files[".gitignore"] = files.pop("_gitignore")
    return files
