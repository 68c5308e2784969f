"""Project-relative file paths: one normal form, and a clear reason for every refusal.

A stored path is `seg/seg/name`: UTF-8, no leading or trailing slash, no empty, `.` or `..`
segments, no backslash, NUL or control characters, bounded lengths. The same path in a
different case is a different string but the same file on case-insensitive disks, so the
repo refuses a second spelling (see `folded`).
"""

from __future__ import annotations

import unicodedata

from server.sync_rules import RULES


class PathError(ValueError):
    """The path is not acceptable; str(error) says why, in words for the user."""


def normalise(raw: object) -> str:
    """Return the canonical form of a project path, or raise PathError."""
    if not isinstance(raw, str):
        raise PathError("a path must be a string")
    if raw == "":
        raise PathError("the path is empty")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as error:
        raise PathError("the path is not valid UTF-8") from error
    if "\\" in raw:
        raise PathError("the path contains a backslash; use / between folders")
    # Cc: C0 and C1 controls and DEL (U+009B is a terminal escape, U+0085 a line break).
    if any(unicodedata.category(c) == "Cc" for c in raw):
        raise PathError("the path contains a control character")
    if raw.startswith("/"):
        raise PathError("the path must be relative to the project (no leading /)")
    # Lengths are checked on the normal form: NFC can make a string longer.
    path = unicodedata.normalize("NFC", raw)
    if len(path.encode("utf-8")) > RULES.max_path_bytes:
        raise PathError(f"the path is longer than {RULES.max_path_bytes} bytes")
    segments = path.split("/")
    for segment in segments:
        if segment == "":
            raise PathError("the path has an empty folder name (// or a trailing /)")
        if segment in {".", ".."}:
            raise PathError(f"the path may not contain '{segment}' segments")
        if len(segment.encode("utf-8")) > RULES.max_segment_bytes:
            raise PathError(f"a name in the path is longer than {RULES.max_segment_bytes} bytes")
    return path


def folded(path: str) -> str:
    """The key two spellings of one file share (case-insensitive file systems)."""
    return path.casefold()


def parents(path: str) -> list[str]:
    """Folders implied by a path: 'a/b/c.txt' -> ['a', 'a/b']."""
    segments = path.split("/")
    return ["/".join(segments[:i]) for i in range(1, len(segments))]
