"""When the Pyodide worker looks for files a still-running program wrote.

After every command the host compares the project folder with its last snapshot
(runtime_host.report_changes). A program that keeps running (a script writing files and
sleeping, a loop, a served app writing as it answers) would show its files only at its end,
so the host also scans while it runs, from the places a busy worker still passes through:
its output, its `time.sleep`, and a timer when the event loop is free. Those places can be
hit thousands of times a second, so this pacer says when a scan is due: never more often
than `interval`, and spaced out on a large project so that scanning takes at most
`share` of the time (a scan of n files costs n stat calls).
"""

from __future__ import annotations

import time
from collections.abc import Callable

INTERVAL_S = 0.5  # files show within about a second of being written
SHARE = 0.1  # at most a tenth of a running program's time goes to scanning


class ScanPacer:
    def __init__(
        self,
        interval: float = INTERVAL_S,
        share: float = SHARE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval, self.share, self.clock = interval, share, clock
        self.gap = interval
        self.last = clock()

    def due(self) -> bool:
        return self.clock() - self.last >= self.gap

    def reset(self) -> None:
        """A full scan just happened (a command ended): the next one is a gap away."""
        self.last = self.clock()

    def scanned(self, took: float) -> None:
        """A scan that took `took` seconds ended now: wait at least `took / share` before
        the next one, and never less than `interval`."""
        self.gap = max(self.interval, took / self.share)
        self.last = self.clock()
