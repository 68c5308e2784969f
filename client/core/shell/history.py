"""The lines a shell ran, shared by the `history` builtin and the line editor's ↑/↓.

One list for both, so what ↑ recalls is what `history` prints. The engine persists it per
project with `dump()` and restores it with `load()`; this module never touches storage.
"""

from __future__ import annotations

LIMIT = 1000


class History:
    def __init__(self, entries: list[str] | None = None, limit: int = LIMIT) -> None:
        self.limit = limit
        self.entries: list[str] = []
        self.load(entries or [])

    def add(self, line: str) -> None:
        """Blank lines and a repeat of the previous line are not kept (bash's
        HISTCONTROL=ignoredups); a line starting with a space is kept as typed."""
        line = line.rstrip("\n")
        if not line.strip() or (self.entries and self.entries[-1] == line):
            return
        self.entries.append(line)
        del self.entries[: -self.limit]

    def load(self, lines: list[str]) -> None:
        self.entries = [line for line in lines if isinstance(line, str) and line.strip()]
        del self.entries[: -self.limit]

    def dump(self) -> list[str]:
        return list(self.entries)

    def clear(self) -> None:
        self.entries.clear()

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index: int) -> str:
        return self.entries[index]
