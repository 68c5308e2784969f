"""The workbench's sync plumbing: the scheduler that carries edits to the cache (1 s) and
the server (5 s, or Ctrl+S), the sync state in the status bar, the journal that keeps
what the cache has not got when the tab goes away, and the channel on which the tabs of
one project tell each other they pushed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from client.core.clock import AsyncioClock
from client.core.engine import ProjectSync
from client.core.ports import ApiError
from client.core.scheduler import SyncScheduler
from client.core.status import SyncState, SyncStatus
from client.core.status_display import StatusDisplay
from client.core.tasks import spawn
from client.ffi import dom, locks
from client.ffi.channel import TabChannel
from client.ffi.events import Listeners

# The status bar's colour for states that need the user's eye (workbench.css); kept apart
# from data-sync-state, which changes on every sync and would restyle the footer each time.
SYNC_ALERTS = {SyncState.OFFLINE: "warn", SyncState.ERROR: "warn", SyncState.CONFLICT: "bad"}


class SyncLink:
    def __init__(
        self,
        sync: ProjectSync,
        listeners: Listeners,
        render: Callable[[], None],
        write_runtime: Callable[[list[str]], Coroutine[Any, Any, None]],
        label: Callable[[SyncStatus], str],
        drawn: Callable[[], None],
    ) -> None:
        """`render` redraws the views soon, `write_runtime` is the scheduler's 300 ms
        write to the runtime, `label` words a status for the status bar, `drawn` runs
        after the status bar changed (the tabs' unsaved marks follow)."""
        project_id = sync.project_id
        self.sync, self._render, self._label, self._drawn = sync, render, label, drawn
        self._journal_key = f"cospai-journal-{project_id}"
        sync.on_persisted = lambda: dom.local_remove(self._journal_key)
        clock = AsyncioClock()
        self.status_display = StatusDisplay(clock, self._draw_status)
        self.scheduler = SyncScheduler(
            sync,
            clock,
            lambda coro: spawn(coro, "sync the project"),
            on_status=self._show_status,
            exclusive=locks.exclusive(f"cospai-push-{project_id}"),
            write_runtime=write_runtime,
        )
        window = dom.window()
        listeners.on(window, "online", lambda _e: self.scheduler.went_online())
        listeners.on(window, "pagehide", self.flush)
        listeners.on(dom.document(), "visibilitychange", self.flush)
        listeners.on(window, "offline", lambda _e: self.scheduler.went_offline())
        # Another tab of this project pushed: fetch what it sent (our clean copies update;
        # a file we changed too becomes a conflict, never a silent overwrite).
        self.channel = TabChannel(f"cospai-project-{project_id}", listeners, self._tab_said)
        self.scheduler.on_pushed = self._announce_push

    # ------------------------------------------------------------ what views ask

    def pending(self) -> bool:
        """Edits the server has not got yet."""
        return bool(self.sync.pending())

    def settled(self) -> bool:
        """Nothing waiting for the server, nothing on its way there."""
        return not self.scheduler.in_flight and not self.sync.pending()

    def save(self, revision_message: str | None = None) -> None:
        """As Ctrl+S: store and push now."""
        self.scheduler.save(revision_message)

    async def push(self) -> None:
        await self.scheduler.push()

    def take_runtime_paths(self) -> list[str]:
        return self.scheduler.take_runtime_paths()

    # ------------------------------------------------------------ the journal

    async def restore_journal(self) -> bool:
        """The last tab went away before its cache write finished: what the journal kept
        goes back into the model and the store. True when there was one."""
        saved = dom.local_get(self._journal_key)
        if saved is None:
            return False
        self.sync.replay(json.loads(saved))
        await self.sync.persist()  # on_persisted drops the journal once all is stored
        return True

    def flush(self, _event: Any = None) -> None:
        """The tab is going away (reload, close, switch). An IndexedDB write started now
        may never finish, so what it has not got goes to a synchronous journal first."""
        journal = self.sync.journal()
        if journal["files"] or journal["removed"] or journal["inflight"]:
            dom.local_set(self._journal_key, json.dumps(journal))
        spawn(self.sync.persist(), "store the edits in this browser")

    # ------------------------------------------------------------ other tabs

    def _announce_push(self) -> None:
        self.channel.post({"pushed": self.sync.model.server_version})

    def _tab_said(self, message: dict[str, Any]) -> None:
        if int(message.get("pushed", 0)) > self.sync.model.server_version:
            spawn(self._refresh(), "fetch what another tab pushed")

    async def _refresh(self) -> None:
        try:
            await self.sync.refresh()
        except ApiError:
            return  # the next push or online event tries again
        self._render()
        self.scheduler.report()

    # ------------------------------------------------------------ the status bar

    def _show_status(self, status: SyncStatus) -> None:
        # The state is told at once: tests and tools wait on it, and no style reads it, so
        # a change costs no frame. The label and the tabs' marks follow StatusDisplay's pace.
        dom.set_state("sync-state", status.state.value)
        dom.set_state("sync-alert", SYNC_ALERTS.get(status.state, "none"))
        self.status_display.update(status)

    def _draw_status(self, status: SyncStatus) -> None:
        node = dom.by_id("status-text")
        label = self._label(status)
        if node is not None and node.textContent != label:
            node.textContent = label
        self._drawn()

    def dispose(self) -> None:
        """After a last flush(): no timer runs after this."""
        self.scheduler.stop()
        self.status_display.stop()
        self.channel.close()
