"""Unpacking an npm tarball into node_modules, and its `.bin` links, as npm lays them out.

A tarball is untrusted input: its entries are placed under the package's folder with the
first path component dropped (npm's `package/`, whatever it is called), and an entry
that would land outside that folder (absolute, `..`), a link (npm installs neither
symlinks nor hard links from tarballs) or a device is skipped. What a tarball may unpack
to is capped (UNPACKED_LIMIT), so a small archive cannot fill the worker's memory.

`.bin` links follow npm: each `bin` entry of a package at `<dir>/node_modules/<name>`
becomes the symlink `<dir>/node_modules/.bin/<bin>` → `../<name>/<path>`, and its target
is made executable. A bin name with a "/" or one that points outside its package is
ignored, as npm's bin-links does."""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import stat
import tarfile
import zlib

EXECUTABLE = stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
UNPACKED_LIMIT = 512 * 1024 * 1024  # bytes one tarball may unpack to


class UnpackError(Exception):
    """A tarball that cannot be unpacked (corrupt, or past the size limit)."""


def _inside(relative: str) -> str | None:
    """The entry's path below the package folder, or None when it would leave it."""
    parts = relative.replace("\\", "/").split("/")[1:]  # npm strips one level
    clean = posixpath.normpath("/".join(p for p in parts if p not in ("", ".")))
    if clean in (".", "") or clean.startswith("../") or clean == ".." or clean.startswith("/"):
        return None
    return clean


def unpack(data: bytes, target: str) -> int:
    """Unpack a .tgz into `target` (made afresh: an older copy is removed first); the
    number of bytes written."""
    if os.path.lexists(target):
        remove(target)
    os.makedirs(target, exist_ok=True)
    written = 0
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115 - with below
    except (tarfile.TarError, OSError, EOFError) as error:
        raise UnpackError(f"not a tarball ({error})") from None
    with archive:
        try:
            for member in archive:
                where = _inside(member.name)
                if where is None:
                    continue
                path = os.path.join(target, where)
                if member.isdir():
                    os.makedirs(path, exist_ok=True)
                    continue
                if not member.isfile():
                    continue  # links, devices, fifos: never installed
                written += member.size
                if written > UNPACKED_LIMIT:
                    raise UnpackError(
                        f"unpacks to more than {UNPACKED_LIMIT // (1024 * 1024)} MB; refused"
                    )
                source = archive.extractfile(member)
                content = source.read() if source is not None else b""
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if os.path.lexists(path) and not os.path.isfile(path):
                    remove(path)
                with open(path, "wb") as out:
                    out.write(content)
                if member.mode & 0o111:
                    os.chmod(path, 0o755)  # noqa: S103 - a program's file, as npm keeps it
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise UnpackError(f"corrupt tarball ({error})") from None
    return written


def remove(path: str) -> None:
    """Remove a file, a link or a whole folder; nothing there is fine."""
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)


def bin_folder(package_dir: str) -> str:
    """`<dir>/node_modules/.bin` for a package at `<dir>/node_modules/<name>` (or
    `<dir>/node_modules/@scope/<name>`)."""
    parent = os.path.dirname(package_dir)
    if os.path.basename(parent).startswith("@"):
        parent = os.path.dirname(parent)
    return os.path.join(parent, ".bin")


def link_bins(package_dir: str, bins: dict[str, str]) -> list[str]:
    """Make the `.bin` links of a package just unpacked; the names linked."""
    if not bins:
        return []
    folder = bin_folder(package_dir)
    relative_package = os.path.relpath(package_dir, folder)
    made = []
    for name, target in sorted(bins.items()):
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            continue
        inside = posixpath.normpath(target.replace("\\", "/"))
        if inside.startswith("../") or inside == ".." or inside.startswith("/"):
            continue
        real = os.path.join(package_dir, inside)
        if not os.path.isfile(real):
            continue
        os.chmod(real, os.stat(real).st_mode | EXECUTABLE)  # noqa: S103 - bins run
        os.makedirs(folder, exist_ok=True)
        link = os.path.join(folder, name)
        if os.path.lexists(link):
            remove(link)
        os.symlink(posixpath.join(relative_package, inside), link)
        made.append(name)
    return made


def unlink_bins(package_dir: str, bins: dict[str, str]) -> None:
    """Remove the `.bin` links a package being removed had made."""
    folder = bin_folder(package_dir)
    for name in bins:
        if name and "/" not in name and name not in (".", ".."):
            link = os.path.join(folder, name)
            if os.path.islink(link):
                os.unlink(link)
