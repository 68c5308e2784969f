"""Zip export and a defensive zip import.

Import refuses, before anything is stored: entries escaping the root (zip slip) or with
otherwise bad paths (the name as stored, NUL included: zipfile cuts `evil.txt\0.png` to
`evil.txt`), symlinks, encrypted entries, more entries or more bytes than a project may
hold, and entries that inflate past their limits (zip bombs: sizes are counted while
inflating, never taken from the headers).

Memory: the files are held inflated until they are stored, so what a zip may inflate to is
bounded by its own size too: at most MAX_RATIO times the zip, or FLOOR_BYTES for a small one
(a 279 KB zip used to inflate 200 MB before it was refused). Real projects compress 3 to 10
times; a zip bomb, thousands of times.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterable

from contract.rules import PathError, folded
from server.errors import ApiError
from server.sync_rules import RULES

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MAX_RATIO = 50
FLOOR_BYTES = 16 * 1024 * 1024


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
    return ApiError(
        422 if code != "zip_too_large" else 413, code, message, {"entry": entry} if entry else {}
    )


def inflate_budget(zip_bytes: int) -> int:
    """How many bytes a zip of this size may inflate to, in all."""
    return min(RULES.max_project_bytes, max(FLOOR_BYTES, MAX_RATIO * zip_bytes))


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
        # Not ZipInfo.is_dir(): it reads the cut name, and fails on an empty one ("\0").
        entries = [i for i in archive.infolist() if not i.orig_filename.endswith("/")]
        if len(entries) > RULES.max_project_files:
            raise _refuse(
                "zip_too_large", f"The zip has more than {RULES.max_project_files} files."
            )
        for info in entries:
            raw = info.orig_filename  # as stored; info.filename stops at a NUL
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse(
                    "zip_symlink",
                    f"The zip entry {raw!r} is a symbolic link; links are not imported.",
                    raw,
                )
            if raw.startswith("/") or "\\" in raw or any(p == ".." for p in raw.split("/")):
                raise _refuse("zip_slip", f"The zip entry {raw!r} points outside the project.", raw)
            if info.flag_bits & 0x1:
                raise _refuse(
                    "zip_encrypted",
                    f"The zip entry {raw!r} is encrypted "
                    "(password-protected); zip the files again without a password.",
                    raw,
                )
        root = _common_root([i.orig_filename for i in entries])
        files: dict[str, bytes] = {}
        skipped: list[str] = []
        total, budget = 0, inflate_budget(len(data))
        seen: dict[str, str] = {}
        for info in entries:
            try:
                path = RULES.normalise(info.orig_filename[len(root) :])
            except PathError as error:
                raise _refuse(
                    "zip_bad_path",
                    f"The zip entry {info.orig_filename!r} has a bad name: {error}.",
                    info.orig_filename,
                ) from None
            if RULES.ignored(path):
                skipped.append(path)
                continue
            if folded(path) in seen:
                raise _refuse(
                    "zip_duplicate", f"Two zip entries name the same file, {path!r}.", path
                )
            seen[folded(path)] = path
            content = _inflate(archive, info, RULES.max_file_bytes, budget, total)
            total += len(content)
            files[path] = content
        return files, skipped


def _too_much(budget: int) -> ApiError:
    if budget >= RULES.max_project_bytes:
        return _refuse(
            "zip_too_large",
            f"The zip holds more than {budget} bytes, more than a project may hold.",
        )
    return _refuse(
        "zip_too_large",
        f"The zip inflates to more than {MAX_RATIO} times its size "
        f"(over {budget} bytes): a zip bomb, or files that compress unusually "
        "well. Import a smaller zip, or upload the files themselves.",
    )


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: int, spent: int
) -> bytes:
    """The entry's bytes, counted as they inflate: past `limit` (one file) or past `budget`
    with the `spent` bytes of earlier entries (the whole zip) it stops at once."""
    name = info.orig_filename
    if info.file_size > limit:  # declared; the count below is what holds
        raise _refuse("zip_too_large", f"The zip entry {name!r} inflates past {limit} bytes.", name)
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > limit:
                    raise _refuse(
                        "zip_too_large",
                        f"The zip entry {name!r} inflates past {limit} bytes.",
                        name,
                    )
                if spent + size > budget:
                    raise _too_much(budget)
                chunks.append(chunk)
    except ApiError:
        raise
    except NotImplementedError:  # a compression method zipfile lacks
        raise _refuse(
            "bad_zip",
            f"The zip entry {name!r} uses a compression method that "
            "cannot be read here; zip it again with the usual one (deflate).",
            name,
        ) from None
    except Exception as error:  # zlib.error, lzma.LZMAError, BadZipFile, CRC errors, ...
        raise _refuse(
            "bad_zip",
            f"The zip entry {name!r} cannot be read ({error}); the zip may be damaged.",
            name,
        ) from None
    return b"".join(chunks)
