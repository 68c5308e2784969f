"""npm's progress line in the terminal: what is resolved, what is fetched and how many
bytes, rewritten in place (carriage return, erase line) at most ten times a second, and
erased before the summary is printed. npm writes its progress to stderr; so do we."""

from __future__ import annotations

import time
from collections.abc import Callable

Writer = Callable[[str], object]
INTERVAL = 0.1  # seconds between redraws


def megabytes(count: int) -> str:
    """A byte count as people read it: "12 kB" below a megabyte, else "3.4 MB"."""
    if count < 1_000_000:
        return f"{max(1, round(count / 1000))} kB" if count else "0 kB"
    return f"{count / 1_000_000:.1f} MB"


class Progress:
    def __init__(self, write: Writer, clock: Callable[[], float] = time.monotonic) -> None:
        self._write = write
        self._clock = clock
        self._last = float("-inf")  # the first line is drawn at once
        self._shown = False
        self.resolved = 0
        self.fetched = 0
        self.total = 0
        self.bytes = 0

    def on_resolve(self, _kind: str, count: int) -> None:
        self.resolved = count
        self._draw(f"resolving: {count} packages")

    def start_fetch(self, total: int) -> None:
        self.total = total
        self._draw(f"fetching: 0/{total} packages", force=True)

    def on_fetch(self, size: int) -> None:
        self.fetched += 1
        self.bytes += size
        self._draw(
            f"fetching: {self.fetched}/{self.total} packages, {megabytes(self.bytes)}",
            force=self.fetched == self.total,
        )

    def _draw(self, text: str, force: bool = False) -> None:
        now = self._clock()
        if not force and now - self._last < INTERVAL:
            return
        self._last = now
        self._shown = True
        self._write(f"\r\x1b[2K{text}")

    def clear(self) -> None:
        if self._shown:
            self._write("\r\x1b[2K")
            self._shown = False
