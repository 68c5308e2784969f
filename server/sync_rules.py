"""The sync rules shared with the client (contract/sync_rules.json): ignored paths, limits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).resolve().parent.parent / "contract" / "sync_rules.json"


@dataclass(frozen=True)
class SyncRules:
    raw: dict[str, Any]
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

    def ignored(self, path: str) -> bool:
        """True for paths that never sync: under an ignored folder, or a .env* file."""
        segments = path.split("/")
        if any(segment in self.ignored_folders for segment in segments[:-1]):
            return True
        name = segments[-1]
        return name in self.ignored_folders or name.startswith(self.ignored_file_prefixes)


def load(path: Path = RULES_FILE) -> SyncRules:
    raw = json.loads(path.read_text())
    limits = raw["limits"]
    return SyncRules(
        raw=raw,
        ignored_folders=frozenset(raw["ignored_folders"]),
        ignored_file_prefixes=tuple(raw["ignored_file_prefixes"]),
        compress_over_bytes=int(raw["compress_over_bytes"]),
        **{key: int(value) for key, value in limits.items()},
    )


RULES = load()
