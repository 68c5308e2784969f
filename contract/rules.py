"""The sync rules both sides enforce (sync_rules.json beside this file): what never syncs,
the limits, and the one normal form of a project path with a reason for every refusal.
The server refuses what breaks them; the client checks first, so bad input is refused
before any request is made.

A stored path is `seg/seg/name`: UTF-8, no leading or trailing slash, no empty, `.` or `..`
segments, no backslash, NUL or control characters, bounded lengths. The same path in a
different case is a different string but the same file on case-insensitive disks, so a
project refuses a second spelling (see `folded`).
"""

from __future__ import annotations

import fnmatch
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Beside this module in the repository, in the installed package and in the browser's
# copy alike (build.py packs contract/ whole).
RULES_FILE = Path(__file__).resolve().parent / "sync_rules.json"


class PathError(ValueError):
    """The path is not acceptable; str(error) says why, in words for the user."""


@dataclass(frozen=True)
class SyncRules:
    ignored_folders: frozenset[str]
    ignored_file_patterns: tuple[str, ...]
    max_file_bytes: int
    max_project_bytes: int
    max_project_files: int
    max_request_bytes: int
    max_path_bytes: int
    max_segment_bytes: int
    max_ops_per_sync: int
    compress_over_bytes: int
    # The document as read, which GET /api/sync-rules answers verbatim.
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SyncRules:
        return cls(
            ignored_folders=frozenset(f.casefold() for f in raw["ignored_folders"]),
            ignored_file_patterns=tuple(p.casefold() for p in raw["ignored_file_patterns"]),
            compress_over_bytes=int(raw["compress_over_bytes"]),
            raw=raw,
            **{key: int(value) for key, value in raw["limits"].items()},
        )

    def ignored(self, path: str) -> bool:
        """True for paths that never sync: inside an ignored folder (node_modules/, .git/,
        dist/, build/) or an env file (.env, .env.*). Case-insensitive, as disks often are."""
        *folders, name = path.casefold().split("/")
        if any(folder in self.ignored_folders for folder in folders):
            return True
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.ignored_file_patterns)

    def normalise(self, raw: object) -> str:
        """The canonical form of a project path, or PathError with the reason."""
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
        if len(path.encode("utf-8")) > self.max_path_bytes:
            raise PathError(f"the path is longer than {self.max_path_bytes} bytes")
        for segment in path.split("/"):
            if segment == "":
                raise PathError("the path has an empty folder name (// or a trailing /)")
            if segment in {".", ".."}:
                raise PathError(f"the path may not contain '{segment}' segments")
            if len(segment.encode("utf-8")) > self.max_segment_bytes:
                raise PathError(f"a name in the path is longer than {self.max_segment_bytes} bytes")
        return path


def is_text(content: bytes) -> bool:
    """Text is valid UTF-8 without NUL bytes; anything else is stored (and sent) as binary."""
    if b"\0" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def folded(path: str) -> str:
    """The key two spellings of one file share (case-insensitive file systems)."""
    return path.casefold()


def parents(path: str) -> list[str]:
    """Folders implied by a path: 'a/b/c.txt' -> ['a', 'a/b']."""
    segments = path.split("/")
    return ["/".join(segments[:i]) for i in range(1, len(segments))]


def load(path: Path = RULES_FILE) -> SyncRules:
    return SyncRules.from_json(json.loads(path.read_text()))
