"""Runtime file events, normalised: bursts coalesced per path, ignored paths dropped, and
handed out in bounded slices so that `npm install` writing thousands of files never blocks
the page for long.

A runtime reports create, change, delete and rename. What matters to the model is each
path's last word: written (read its content again) or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.rules import SyncRules

WRITE, DELETE = "write", "delete"


@dataclass(frozen=True)
class FsEvent:
    kind: str  # create | change | delete | rename
    path: str
    to: str | None = None


class EventQueue:
    def __init__(self, rules: SyncRules, *, keep_ignored: bool = False) -> None:
        # keep_ignored: the tree still shows node_modules/ (dimmed); sync never sends it.
        self.rules, self.keep_ignored = rules, keep_ignored
        self._net: dict[str, str] = {}  # insertion order = order of each path's last event

    def __len__(self) -> int:
        return len(self._net)

    def add(self, event: FsEvent) -> None:
        if event.kind == "rename" and event.to is not None:
            self._note(event.path, DELETE)
            self._note(event.to, WRITE)
        elif event.kind in {"create", "change"}:
            self._note(event.path, WRITE)
        elif event.kind == "delete":
            self._note(event.path, DELETE)
        else:
            raise ValueError(f"unknown file event {event.kind!r}")

    def _note(self, path: str, what: str) -> None:
        if not self.keep_ignored and self.rules.ignored(path):
            return
        self._net.pop(path, None)  # move to the end: the latest word wins, in order
        self._net[path] = what

    def take(self, limit: int) -> list[tuple[str, str]]:
        """Up to `limit` (what, path) pairs, oldest first; the rest wait for the next slice."""
        out = []
        for path in list(self._net)[:limit]:
            out.append((self._net.pop(path), path))
        return out
