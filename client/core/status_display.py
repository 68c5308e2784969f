"""What the status bar's sync label shows, and when it changes.

The scheduler reports every change of state. Drawn as they came, a quick sync flickered
"Unsaved changes (3)", "Saving…", "Saved" within a few tens of milliseconds, two or three
times a second while a program wrote files. Each change costs a frame, and with frames
in flight a keystroke's own frame waits for the display's next refresh instead of
starting at once: typing got slower while sync ran (issue 5's latency benchmark).

So the everyday states (saved, saving, unsaved) are drawn once they have held still for
HOLD_S, and at the latest MAX_WAIT_S after the label fell behind, so a label that changes
all the time still moves. Problems (offline, error, conflict, signed out) are drawn at
once, and so is the first state after one: the user must learn of a problem, and of its
end, without delay. `data-sync-state`, which tests and tools read, is never held back.
"""

from __future__ import annotations

from collections.abc import Callable

from client.core.clock import Clock, Handle
from client.core.status import SyncState, SyncStatus

HOLD_S = 0.4
MAX_WAIT_S = 2.0
EVERYDAY = frozenset({SyncState.SAVED, SyncState.SAVING, SyncState.UNSAVED})


class StatusDisplay:
    def __init__(
        self,
        clock: Clock,
        draw: Callable[[SyncStatus], None],
        *,
        hold_s: float = HOLD_S,
        max_wait_s: float = MAX_WAIT_S,
    ) -> None:
        self.clock, self._draw = clock, draw
        self.hold_s, self.max_wait_s = hold_s, max_wait_s
        self.shown: SyncStatus | None = None
        self._latest: SyncStatus | None = None
        self._behind_since: float | None = None  # when the label stopped telling the latest
        self._timer: Handle | None = None

    def update(self, status: SyncStatus) -> None:
        self._latest = status
        shown = self.shown
        if shown is None or status.state not in EVERYDAY or shown.state not in EVERYDAY:
            self._show(status)
            return
        now = self.clock.now()
        if self._behind_since is None:
            self._behind_since = now
        due = min(now + self.hold_s, self._behind_since + self.max_wait_s)
        self._cancel()
        self._timer = self.clock.call_later(max(0.0, due - now), self._due)

    def _due(self) -> None:
        self._timer = None
        if self._latest is not None:
            self._show(self._latest)

    def _show(self, status: SyncStatus) -> None:
        # Drawn even when the label reads the same: what goes with it (the tabs' unsaved
        # marks) may have changed under an unchanged label. The drawer skips what is equal.
        self._cancel()
        self._behind_since = None
        self.shown = status
        self._draw(status)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def stop(self) -> None:
        self._cancel()
