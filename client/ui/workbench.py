"""The workbench: the project's files, the editor, and the sync status.

Opening shows the cached copy at once, then reconciles with the server in the background.
Every edit lands in the model at once; the scheduler carries it to IndexedDB (1 s) and to
the server (5 s, or Ctrl+S).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from client.adapters.indexeddb import IndexedDbStore, StorageUnavailable
from client.adapters.server_api import HttpServerApi
from client.core.clock import AsyncioClock
from client.core.engine import ProjectSync
from client.core.ports import ApiError, MemoryStorage, Storage
from client.core.rules import load as load_rules
from client.core.scheduler import SyncScheduler
from client.core.status import SyncStatus
from client.ffi import dom
from client.ffi.channel import TabChannel
from client.ffi.events import Listeners
from client.ffi.monaco import Editor
from client.ui.conflict_view import ConflictBanner, ConflictResolver


class Workbench:
    def __init__(self, root: Any, api: HttpServerApi, project_id: str) -> None:
        self.api, self.project_id = api, project_id
        self.listeners = Listeners()
        self.editor: Editor | None = None
        layout = dom.element("div", class_="workbench-layout", id="workbench-layout")
        self.tree = dom.element("nav", class_="file-list", id="file-list",
                                aria_label="Files")  # fmt: skip
        self.editor_box = dom.element("div", class_="editor", id="editor")
        self.main = dom.element("div", class_="editor-area")
        self.main.append(self.editor_box)
        layout.append(self.tree, self.main)
        root.replaceChildren(layout)
        self.banner = ConflictBanner(self.main, self._resolve_conflict)
        self._shown: list[str] = []
        self.listeners.on(self.tree, "click", self._tree_click)
        self.resolver: ConflictResolver | None = None
        storage: Storage = IndexedDbStore()
        self.sync = ProjectSync(project_id, storage, api, load_rules(), on_change=self.render)
        self._journal_key = f"cospai-journal-{project_id}"
        self.sync.on_persisted = lambda: dom.local_remove(self._journal_key)
        self.scheduler = SyncScheduler(self.sync, AsyncioClock(), asyncio.ensure_future,
                                       on_status=self._show_status)  # fmt: skip
        window = dom.window()
        self.listeners.on(window, "keydown", self._keys)
        self.listeners.on(window, "online", lambda _e: self.scheduler.went_online())
        self.listeners.on(window, "pagehide", self._flush)
        self.listeners.on(dom.document(), "visibilitychange", self._flush)
        self.listeners.on(window, "offline", lambda _e: self.scheduler.went_offline())
        # Another tab of this project pushed: fetch what it sent (our clean copies update;
        # a file we changed too becomes a conflict, never a silent overwrite).
        self.tabs = TabChannel(f"cospai-project-{project_id}", self.listeners, self._tab_said)
        self.scheduler.on_pushed = self._announce_push
        asyncio.ensure_future(self._open_or_say_why())

    async def _open_or_say_why(self) -> None:
        try:
            await self._open()
        except Exception as error:  # shown, not only logged: the user must know
            dom.set_state("workbench", "error")
            node = dom.by_id("status-text")
            if node is not None:
                node.textContent = f"Cannot open the project: {type(error).__name__}: {error}"
            raise

    async def _open(self) -> None:
        self.editor = await Editor.create(self.editor_box, self.listeners)
        self.editor.on_change(self._edited)
        try:
            cached = await self.sync.open_cached()
        except StorageUnavailable as error:
            self.sync.storage = MemoryStorage()  # keep working; the status says why
            self.sync.storage_error = str(error)
            cached = False
        saved = dom.local_get(self._journal_key)
        if saved is not None:  # the last tab went away before its cache write finished
            self.sync.replay(json.loads(saved))
            cached = True
            await self.sync.persist()  # on_persisted drops the journal once all is stored
        dom.set_state("project-source", "cache" if cached else "server")
        self.render()
        dom.mark("tree")  # the files are on screen (from the cache when there was one)
        if not dom.navigator_online():
            self.scheduler.went_offline()
        try:
            await self.sync.refresh()
        except ApiError:
            self.scheduler.went_offline()
        self.render()
        if self.sync.model.files and self.editor.path is None:
            first = sorted(self.sync.model.files)[0]
            self.open_file(first)
        dom.set_state("workbench", "ready")
        self.scheduler.report()
        if dom.debug_enabled():
            # ?debug=1 only: lets benchmarks change many files at once, as a tool would.
            dom.expose("cospaiDebug", {
                "touchAll": self.listeners.proxy(self._touch_all),
                "write": self.listeners.proxy(self._debug_write),
                "remove": self.listeners.proxy(self._debug_remove),
                "files": self.listeners.proxy(self._debug_files),
            })  # fmt: skip
        if self.sync.pending():
            self.scheduler.edited("")  # push what waited in the cache

    def render(self) -> None:
        self.banner.show(self.sync.conflicts.open)
        dom.set_state("conflicts", str(len(self.sync.conflicts)))
        # One click listener on the list (see __init__), none per file: a render of
        # thousands of files creates no proxies.
        paths = sorted(self.sync.model.files)
        if paths != self._shown:
            self.tree.replaceChildren(*[dom.element("button", p, class_="file", data_path=p)
                                        for p in paths])  # fmt: skip
            self._shown = paths
        if self.editor is not None:
            for path, model in list(self.editor.models.items()):
                local = self.sync.model.files.get(path)
                if local is not None and not local.binary:
                    self.editor.replace_text(path, local.text)
                elif local is None:
                    model.dispose()
                    del self.editor.models[path]

    def _tree_click(self, event: Any) -> None:
        path = event.target.getAttribute("data-path")
        if dom.present(path):
            self.open_file(str(path))

    def _resolve_conflict(self, path: str) -> None:
        conflict = self.sync.conflicts.open.get(path)
        if conflict is None or self.editor is None:
            return
        if self.resolver is not None:
            self.resolver.dispose()
        self.resolver = ConflictResolver(self.main, self.editor.monaco, self.sync, conflict,
                                         self._resolved)  # fmt: skip

    def _resolved(self) -> None:
        self.resolver = None
        self.render()
        self.scheduler.save()

    def open_file(self, path: str) -> None:
        local = self.sync.model.files.get(path)
        if local is None or self.editor is None:
            return
        text = local.text if not local.binary else f"(binary file, {len(local.content)} bytes)"
        self.editor.open(path, text)
        dom.set_state("open-file", path)

    def _announce_push(self) -> None:
        self.tabs.post({"pushed": self.sync.model.server_version})

    def _tab_said(self, message: dict[str, Any]) -> None:
        if int(message.get("pushed", 0)) > self.sync.model.server_version:
            asyncio.ensure_future(self._refresh())

    async def _refresh(self) -> None:
        try:
            await self.sync.refresh()
        except ApiError:
            return  # the next push or online event tries again
        self.render()
        self.scheduler.report()

    def _debug_write(self, path: str, text: str) -> None:
        self.sync.model.write(path, text.encode("utf-8"))
        self.scheduler.edited(path)
        self.render()

    def _debug_remove(self, path: str) -> None:
        self.sync.model.delete(path)
        self.scheduler.edited(path)
        self.render()

    def _debug_files(self) -> str:
        import json

        return json.dumps({p: f.text for p, f in self.sync.model.files.items() if not f.binary})

    def _flush(self, _event: Any = None) -> None:
        """The tab is going away (reload, close, switch). An IndexedDB write started now
        may never finish, so what it has not got goes to a synchronous journal first."""
        journal = self.sync.journal()
        if journal["files"] or journal["removed"] or journal["inflight"]:
            dom.local_set(self._journal_key, json.dumps(journal))
        asyncio.ensure_future(self.sync.persist())

    def _touch_all(self, line: str) -> int:
        """Append a line to every text file (as a formatter or codemod would)."""
        count = 0
        for path, local in list(self.sync.model.files.items()):
            if not local.binary:
                self.sync.model.write(path, local.content + line.encode("utf-8"))
                count += 1
        self.scheduler.edited("")
        self.render()
        return count

    def _edited(self, path: str, text: str) -> None:
        self.sync.model.write(path, text.encode("utf-8"))
        self.scheduler.edited(path)

    def _keys(self, event: Any) -> None:
        if (event.ctrlKey or event.metaKey) and str(event.key).lower() == "s":
            event.preventDefault()
            self.scheduler.save("Saved with Ctrl+S")

    def _show_status(self, status: SyncStatus) -> None:
        dom.set_state("sync-state", status.state.value)
        node = dom.by_id("status-text")
        if node is not None:
            node.textContent = status.label

    def dispose(self) -> None:
        self.listeners.dispose()
        self.tabs.close()
        self.banner.dispose()
        if self.resolver is not None:
            self.resolver.dispose()
        if self.editor is not None:
            self.editor.dispose()
