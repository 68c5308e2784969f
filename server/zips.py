"""Zip export and a defensive zip import.

Import refuses, before anything is stored: entries escaping the root (zip slip) or with
otherwise bad paths, symlinks, more entries or more bytes than a project may hold, and
entries that inflate past their limits (zip bombs: sizes are counted while inflating,
never taken from the headers).
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterable

from server import paths
from server.errors import ApiError
from server.sync_rules import RULES

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def build(files: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _refuse(code: str, message: str, entry: str | None = None) -> ApiError:
    return ApiError(422 if code != "zip_too_large" else 413, code, message,
                    {"entry": entry} if entry else {})  # fmt: skip


def _common_root(names: list[str]) -> str:
    """A single top folder that every entry shares (as in GitHub's zips), or ''."""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return tops.pop() + "/"
    return ""


def read(data: bytes) -> tuple[dict[str, bytes], list[str]]:
    """Return ({path: content}, [skipped ignored paths]) or raise ApiError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse("bad_zip", "The upload is not a readable zip file.") from None
    with archive:
        entries = [i for i in archive.infolist() if not i.is_dir()]
        if len(entries) > RULES.max_project_files:
            raise _refuse("zip_too_large", f"The zip has more than {RULES.max_project_files} "
                          "files.")  # fmt: skip
        for info in entries:
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse("zip_symlink", "The zip contains a symbolic link.", info.filename)
            raw = info.filename
            if raw.startswith("/") or "\\" in raw or any(p == ".." for p in raw.split("/")):
                raise _refuse("zip_slip", "A zip entry points outside the project.", raw)
        root = _common_root([i.filename for i in entries])
        files: dict[str, bytes] = {}
        skipped: list[str] = []
        total = 0
        seen: dict[str, str] = {}
        for info in entries:
            try:
                path = paths.normalise(info.filename[len(root):])
            except paths.PathError as error:
                raise _refuse("zip_bad_path", f"Bad path in zip: {error}.", info.filename) from None
            if RULES.ignored(path):
                skipped.append(path)
                continue
            if paths.folded(path) in seen:
                raise _refuse("zip_duplicate", "Two zip entries name the same file.", path)
            seen[paths.folded(path)] = path
            content = _inflate(archive, info, RULES.max_file_bytes)
            total += len(content)
            if total > RULES.max_project_bytes:
                raise _refuse("zip_too_large", f"The zip holds more than "
                              f"{RULES.max_project_bytes} bytes.")  # fmt: skip
            files[path] = content
        return files, skipped


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > limit:
                    raise _refuse("zip_too_large", f"A zip entry inflates past {limit} bytes.",
                                  info.filename)  # fmt: skip
                chunks.append(chunk)
    except ApiError:
        raise
    except Exception as error:  # zlib.error, lzma.LZMAError, BadZipFile, CRC errors, ...
        raise _refuse("bad_zip", f"A zip entry cannot be read: {error}.", info.filename) from None
    return b"".join(chunks)
