"""The sync rules shared with the server (contract/sync_rules.json): what never syncs, the
limits, and what makes a path acceptable. Mirrors the server's checks so that bad input
is refused before any request is made."""

from __future__ import annotations

import fnmatch
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# In the repository and inside the client package alike, the file sits in contract/ beside
# the client/ folder (build.py packs it so).
RULES_FILE = Path(__file__).resolve().parent.parent.parent / "contract" / "sync_rules.json"


class PathError(ValueError):
    """The path is not acceptable; str(error) says why."""


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

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SyncRules:
        return cls(
            ignored_folders=frozenset(f.casefold() for f in raw["ignored_folders"]),
            ignored_file_patterns=tuple(p.casefold() for p in raw["ignored_file_patterns"]),
            compress_over_bytes=int(raw["compress_over_bytes"]),
            **{key: int(value) for key, value in raw["limits"].items()},
        )

    def ignored(self, path: str) -> bool:
        """True for paths that never sync: inside an ignored folder (node_modules/, .git/,
        dist/, build/) or an env file (.env, .env.*). Case-insensitive, as disks often are."""
        *folders, name = path.casefold().split("/")
        if any(folder in self.ignored_folders for folder in folders):
            return True
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.ignored_file_patterns)

    def normalise(self, raw: str) -> str:
        """The canonical project path, or PathError with the reason (as the server says)."""
        if raw == "":
            raise PathError("the path is empty")
        try:
            raw.encode("utf-8")
        except UnicodeEncodeError as error:
            raise PathError("the path is not valid UTF-8") from error
        if "\\" in raw:
            raise PathError("the path contains a backslash; use / between folders")
        if any(unicodedata.category(c) == "Cc" for c in raw):
            raise PathError("the path contains a control character")
        if raw.startswith("/"):
            raise PathError("the path must be relative to the project (no leading /)")
        path = unicodedata.normalize("NFC", raw)  # lengths count the normal form
        if len(path.encode("utf-8")) > self.max_path_bytes:
            raise PathError(f"the path is longer than {self.max_path_bytes} bytes")
        for segment in path.split("/"):
            if segment == "":
                raise PathError("the path has an empty folder name (// or a trailing /)")
            if segment in {".", ".."}:
                raise PathError(f"the path may not contain '{segment}' segments")
            if len(segment.encode("utf-8")) > self.max_segment_bytes:
                raise PathError(f"a name is longer than {self.max_segment_bytes} bytes")
        return path


def folded(path: str) -> str:
    """Two spellings of one file on a case-insensitive disk share this key."""
    return path.casefold()


def parents(path: str) -> list[str]:
    segments = path.split("/")
    return ["/".join(segments[:i]) for i in range(1, len(segments))]


def load(path: Path = RULES_FILE) -> SyncRules:
    return SyncRules.from_json(json.loads(path.read_text()))
