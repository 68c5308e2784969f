"""When things happen: debounced writes to the runtime and the local store, batched
syncs, retries with backoff, and the status that says where the user's work is.

The scheduler owns no I/O: it arms timers on an injected clock and hands coroutines to an
injected `spawn`, so tests drive it with a fake clock and the page with the browser's.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from client.core.clock import Clock, Handle
from client.core.engine import ProjectSync
from client.core.ports import Offline, Refused, ServerFailed, SignedOut
from client.core.status import SyncState, SyncStatus
from client.core.timing import DEFAULT_TIMING, Timing

Spawn = Callable[[Coroutine[Any, Any, None]], object]  # what it returns (a task) is not kept


class SyncScheduler:
    def __init__(
        self,
        sync: ProjectSync,
        clock: Clock,
        spawn: Spawn,
        *,
        timing: Timing = DEFAULT_TIMING,
        write_runtime: Callable[[list[str]], Coroutine[Any, Any, None]] | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
        unit_random: Callable[[], float] = random.random,
        exclusive: Callable[[Callable[[], Awaitable[object]]], Awaitable[object]] | None = None,
    ) -> None:
        self.sync, self.clock, self.spawn, self.timing = sync, clock, spawn, timing
        self._write_runtime = write_runtime
        self._on_status = on_status or (lambda status: None)
        self._random = unit_random
        # Runs a push while holding a lock shared by every tab of the project (Web Locks in
        # the browser), so two tabs never push at once: the second sends after the first
        # has answered, against the versions it produced.
        self._exclusive = exclusive or (lambda action: action())
        self._runtime_paths: set[str] = set()
        self._timers: dict[str, Handle] = {}
        self.online = True
        self.signed_out = False
        self.stopped = False
        self.in_flight = False
        self.attempt = 0
        self.last_error = ""
        self._again: tuple[str | None] | None = None
        self.on_pushed: Callable[[], None] = lambda: None  # e.g. tell the other tabs
        self._last_status: SyncStatus | None = None

    # ------------------------------------------------------------ timers

    def _arm(self, name: str, delay: float, action: Callable[[], object], restart: bool) -> None:
        if self.stopped:
            return
        current = self._timers.get(name)
        if current is not None:
            if not restart:
                return
            current.cancel()

        def fire() -> None:
            self._timers.pop(name, None)
            action()

        self._timers[name] = self.clock.call_later(delay, fire)

    def stop(self) -> None:
        """The view went away (sign-out, another project): no timer fires after this, and
        nothing new is scheduled. What is pending stays in the store for the next open."""
        self.stopped = True
        for name in list(self._timers):
            self._cancel(name)

    def _cancel(self, name: str) -> None:
        timer = self._timers.pop(name, None)
        if timer is not None:
            timer.cancel()

    # ------------------------------------------------------------ events

    def edited(self, path: str) -> None:
        """The model changed at `path` (editor, tree, runtime): schedule the three writes."""
        self.edited_many([path])

    def edited_many(self, paths: list[str]) -> None:
        """Many paths changed at once (a runtime burst, an upload, a paste): the timers are
        armed and the status worked out once, not once per path (the status walks every
        file, so per-path reporting made a burst of n files cost n^2)."""
        if not paths:
            return
        self._runtime_paths.update(paths)
        self._arm("runtime", self.timing.runtime_s, self._flush_runtime, restart=True)
        self._arm("cache", self.timing.cache_s, lambda: self.spawn(self._persist()), restart=True)
        if "retry" not in self._timers:
            self._arm("sync", self.timing.sync_s, lambda: self.spawn(self.push()), restart=False)
        self.report()

    def save(self, revision_message: str | None = None) -> None:
        """Ctrl+S: store locally and push now; with a message, also record a revision."""
        for name in ("cache", "sync", "retry"):
            self._cancel(name)
        self.spawn(self._save(revision_message))

    def went_online(self) -> None:
        self.online = True
        self._cancel("retry")
        self.attempt = 0
        if self.sync.model.has_pending():
            self.spawn(self.push())
        self.report()

    def went_offline(self) -> None:
        self.online = False
        self.report()

    def signed_in(self) -> None:
        self.signed_out = False
        self.spawn(self.push())

    # ------------------------------------------------------------ work

    def take_runtime_paths(self) -> list[str]:
        """A command is about to run in the runtime: the paths changed in the last 300 ms,
        for the caller to write now; the debounced write then has nothing left to do."""
        self._cancel("runtime")
        paths, self._runtime_paths = sorted(self._runtime_paths), set()
        return paths

    def _flush_runtime(self) -> None:
        paths, self._runtime_paths = sorted(self._runtime_paths), set()
        if self._write_runtime is not None and paths:
            self.spawn(self._write_runtime(paths))

    async def _persist(self) -> None:
        await self.sync.persist()
        self.report()

    async def _save(self, revision_message: str | None) -> None:
        await self.sync.persist()
        await self.push(revision_message)

    async def push(self, revision_message: str | None = None) -> None:
        if self.stopped:
            return
        if self.in_flight:
            # One request at a time; whatever changed meanwhile goes right after.
            if self._again is None or revision_message:
                self._again = (revision_message,)
            return
        if self.signed_out:
            self.report()
            return
        self._cancel("sync")
        self.in_flight = True
        self.report()
        try:
            await self._exclusive(lambda: self.sync.push(revision_message))
        except (Offline, ServerFailed) as error:
            self.online = not isinstance(error, Offline)
            self.last_error = "" if isinstance(error, Offline) else "the server failed; retrying"
            self.attempt += 1
            delay = self.timing.backoff(self.attempt, self._random())
            self._cancel("sync")  # armed by an edit while the request flew: retry decides
            self._arm("retry", delay, lambda: self.spawn(self.push(revision_message)), restart=True)
        except SignedOut:
            self.signed_out = True
        except Refused as error:
            self.last_error = str(error)
        else:
            self.online, self.attempt, self.last_error = True, 0, ""
            self.on_pushed()
            # Only what can be sent: files held by an open conflict wait for the user.
            if self.sync.pending() and "retry" not in self._timers:
                self._arm(
                    "sync", self.timing.sync_s, lambda: self.spawn(self.push()), restart=False
                )
        finally:
            self.in_flight = False
            again, self._again = self._again, None
            if again is not None:
                self.spawn(self.push(again[0]))
            self.report()

    # ------------------------------------------------------------ status

    def status(self) -> SyncStatus:
        pending = self.sync.pending_count()
        conflicts = len(self.sync.conflicts)
        if conflicts:
            return SyncStatus(SyncState.CONFLICT, pending, conflicts)
        if self.signed_out:
            return SyncStatus(SyncState.SIGNED_OUT, pending)
        if self.sync.storage_error:
            return SyncStatus(
                SyncState.ERROR,
                pending,
                0,
                f"cannot store changes in this browser ({self.sync.storage_error})",
            )
        if self.in_flight:
            return SyncStatus(SyncState.SAVING, pending)
        if not self.online and pending:
            return SyncStatus(SyncState.OFFLINE, pending)
        if self.last_error and pending:
            return SyncStatus(SyncState.ERROR, pending, 0, self.last_error)
        if pending:
            return SyncStatus(SyncState.UNSAVED, pending)
        if self.sync.problems:
            path, why = next(iter(sorted(self.sync.problems.items())))
            more = len(self.sync.problems) - 1
            extra = f" (and {more} more)" if more else ""
            return SyncStatus(SyncState.ERROR, 0, 0, f"{path} cannot sync: {why}{extra}")
        return SyncStatus(SyncState.SAVED)

    def report(self) -> None:
        status = self.status()
        if status != self._last_status:
            self._last_status = status
            self._on_status(status)
