"""The sync rules shared with the server (contract/sync_rules.json): what never syncs, the
limits, and what makes a path acceptable. Mirrors the server's checks so that bad input
is refused before any request is made."""

from __future__ import annotations

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
    ignored_file_prefixes: tuple[str, ...]
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
            ignored_folders=frozenset(raw["ignored_folders"]),
            ignored_file_prefixes=tuple(raw["ignored_file_prefixes"]),
            compress_over_bytes=int(raw["compress_over_bytes"]),
            **{key: int(value) for key, value in raw["limits"].items()},
        )

    def ignored(self, path: str) -> bool:
        segments = path.split("/")
        if any(segment in self.ignored_folders for segment in segments[:-1]):
            return True
        name = segments[-1]
        return name in self.ignored_folders or name.startswith(self.ignored_file_prefixes)

    def normalise(self, raw: str) -> str:
        """The canonical project path, or PathError with the reason (as the server says)."""
        if raw == "":
            raise PathError("the path is empty")
        try:
            encoded = raw.encode("utf-8")
        except UnicodeEncodeError as error:
            raise PathError("the path is not valid UTF-8") from error
        if len(encoded) > self.max_path_bytes:
            raise PathError(f"the path is longer than {self.max_path_bytes} bytes")
        if "\\" in raw:
            raise PathError("the path contains a backslash; use / between folders")
        if any(ord(c) < 32 or ord(c) == 127 for c in raw):
            raise PathError("the path contains a control character")
        if raw.startswith("/"):
            raise PathError("the path must be relative to the project (no leading /)")
        path = unicodedata.normalize("NFC", raw)
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
