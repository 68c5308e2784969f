"""The sync rules shared with the client (contract/sync_rules.json): ignored paths, limits."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).resolve().parent.parent / "contract" / "sync_rules.json"


@dataclass(frozen=True)
class SyncRules:
    raw: dict[str, Any]
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

    def ignored(self, path: str) -> bool:
        """True for paths that never sync: inside an ignored folder (node_modules/, .git/,
        dist/, build/) or an env file (.env, .env.*). Case-insensitive, as disks often are."""
        *folders, name = path.casefold().split("/")
        if any(folder in self.ignored_folders for folder in folders):
            return True
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.ignored_file_patterns)


def load(path: Path = RULES_FILE) -> SyncRules:
    raw = json.loads(path.read_text())
    limits = raw["limits"]
    return SyncRules(
        raw=raw,
        ignored_folders=frozenset(f.casefold() for f in raw["ignored_folders"]),
        ignored_file_patterns=tuple(p.casefold() for p in raw["ignored_file_patterns"]),
        compress_over_bytes=int(raw["compress_over_bytes"]),
        **{key: int(value) for key, value in limits.items()},
    )


RULES = load()
