"""The workbench: file tree, editor with tabs, preview and terminal panels, status bar.

Opening shows the cached copy at once, then reconciles with the server in the background.
Every edit lands in the model at once; the sync link (sync_link.py) carries it to
IndexedDB (1 s) and to the server (5 s, or Ctrl+S). Each view sees the workbench through
a small Protocol of what it needs (client/ui/ports.py), never the other views; the
workbench's own commands are in workbench_commands.py, the ?debug=1 hooks in
workbench_debug.py.
"""

from __future__ import annotations

from typing import Any, Protocol

from client.adapters.indexeddb import IndexedDbStore, StorageUnavailable
from client.core import sandbox
from client.core.commands import CommandRegistry
from client.core.engine import ProjectSync
from client.core.layout_state import Layout
from client.core.model import ProjectModel
from client.core.ports import ApiError, MemoryStorage, ServerApi, Storage
from client.core.settings import Settings
from client.core.status import SyncStatus
from client.core.tabs import default_file
from client.core.tasks import spawn
from client.ffi import dom, modules
from client.ffi.events import Listeners
from client.ffi.monaco import Editor
from client.ui import status_notice, workbench_commands
from client.ui.conflict_view import ConflictBanner, ConflictResolver
from client.ui.editor_view import EditorView
from client.ui.file_tree import FileTree
from client.ui.layout_view import LayoutView
from client.ui.palette import CommandPalette
from client.ui.ports import ServerCalls
from client.ui.preview_view import PreviewView
from client.ui.quick_open import QuickOpen
from client.ui.runtime_link import RuntimeLink
from client.ui.search_view import SearchView
from client.ui.sync_link import SyncLink
from client.ui.terminal_view import TerminalPanel
from client.ui.workbench_debug import DebugHooks
from contract.rules import load as load_rules

RENDER_WAIT_MS = 100  # the longest a change waits for an idle moment before it shows


class WorkbenchApi(ServerApi, ServerCalls, Protocol):
    """What a workbench asks of its server: the sync protocol, and plain calls (the
    project's name, shares, runtime settings). The embed's in-memory one answers too."""


class Workbench:
    def __init__(
        self, root: Any, api: WorkbenchApi, project_id: str, query: dict[str, str] | None = None
    ) -> None:
        self.api, self.project_id = api, project_id
        # Whose sandbox site runs this project's code (client/core/sandbox.py).
        self.sandbox_key = sandbox.project_key(project_id)
        self.query = query or {}
        self._render_pending = self._disposed = False
        self.listeners = Listeners()
        self.commands = CommandRegistry()
        self.settings = Settings.load(dom.local_get(Settings.KEY))
        self.settings.apply_theme(dom.set_theme)
        modules.use_styles("workbench")
        self._layout_key = f"cospai-layout-{project_id}"
        saved = Layout.from_json(dom.local_get(self._layout_key))
        self.layout = LayoutView(root, self.listeners, saved, self._save_layout)
        self.banner = ConflictBanner(self.layout.editor_area, self._resolve_conflict)
        self.resolver: ConflictResolver | None = None
        storage = self._make_storage()
        self.sync = ProjectSync(project_id, storage, api, load_rules(), on_change=self.render)
        self.rules = self.sync.rules
        self.syncing = SyncLink(
            self.sync,
            self.listeners,
            self.render,
            write_runtime=self._settled,
            label=self._status_label,
            drawn=self._status_drawn,
        )
        self.scheduler = self.syncing.scheduler
        self.editor: EditorView | None = None
        self.views: list[Any] = []  # the tree, search and other views: refresh() on change
        # Capture phase: our shortcuts win over Monaco's and the browser's where allowed.
        self.listeners.on_capture(
            dom.window(), "keydown", lambda event: workbench_commands.on_key(self.commands, event)
        )
        # With the "auto" theme the page's CSS follows the system by itself; Monaco and
        # xterm are told in code.
        dom.on_system_theme(self.listeners, self._system_theme_changed)
        workbench_commands.register(self)
        self._add_finders()
        self.tree = FileTree(self.layout.sidebar_body("explorer"), self)
        self.views.append(self.tree)
        self.runtime = RuntimeLink(self)  # WebContainer or Pyodide; boots once the project is open
        self.terminal = TerminalPanel(self.layout.panels["bottom"], self, self.runtime)
        self.views.append(self.terminal)
        self.preview = PreviewView(self, self.runtime)  # the preview panel, on its own origin
        self.views.append(self.preview)
        self._add_share()
        spawn(self._open_or_say_why(), "open the project")

    def _add_share(self) -> None:
        """Share links and the embed snippet (issues 7 and 8)."""
        from client.ui.share_dialog import ShareButton

        self.views.append(ShareButton(self))

    def _make_storage(self) -> Storage:
        """The local store; an embed (client/ui/embed.py) keeps its files in memory only."""
        return IndexedDbStore()

    def _add_finders(self) -> None:
        """Quick open, the command palette and search in files, with their commands."""
        self.search_view = SearchView(self.layout.sidebar_body("search"), self)
        self.palette = CommandPalette(self)
        self.quick_open = QuickOpen(self, self.palette)
        self.views += [self.search_view, self.quick_open, self.palette]
        add = self.commands.add
        add("quickOpen.show", "Go to File…", self.quick_open.show, "Ctrl+P", "View")
        add("palette.show", "Show All Commands", self.palette.show, ("Ctrl+Shift+P", "F1"), "View")
        add("search.show", "Search in Files", self.search_view.show, "Ctrl+Shift+F", "View")

    # ------------------------------------------------------------ opening

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
        # Monaco loads while the cache is read: the tree shows as soon as the files are
        # here, and the first file is editable as soon as both are.
        loading = spawn(
            Editor.create(self.layout.editor_box, self.listeners, self.settings),
            "load the editor",
            awaited=True,
        )
        try:
            cached = await self.sync.open_cached()
            dom.mark("cache")
        except StorageUnavailable as error:
            self.sync.storage = MemoryStorage()  # keep working; the status says why
            self.sync.storage_fallback = f"{error}; edits are kept in memory only"
            self.sync.storage_error = self.sync.storage_fallback
            cached = False
        if await self.syncing.restore_journal():
            cached = True
        dom.set_state("project-source", "cache" if cached else "server")
        spawn(self._show_title(), "show the project's name")
        self.render_now()
        dom.mark("tree")  # the files are on screen (from the cache when there was one)
        self.editor = EditorView(self, await loading)
        dom.mark("editor")
        self._show_vim_state()
        if cached:
            self._restore_tabs()
            dom.mark("tabs")
        spawn(self.editor.start_models(), "prepare the editor's models")
        if not dom.navigator_online():
            self.scheduler.went_offline()
        try:
            await self.sync.refresh()
        except ApiError:
            self.scheduler.went_offline()
        self.render_now()
        if not self.editor.tabs.paths:
            self._restore_tabs()
        self._open_from_query()
        dom.set_state("workbench", "ready")
        self.scheduler.report()
        if dom.debug_enabled():
            # ?debug=1 only: lets benchmarks change many files at once, as a tool would.
            DebugHooks(self).expose()
        if self.sync.pending():
            self.scheduler.edited("")  # push what waited in the cache
        spawn(self.runtime.start(), "start the runtime")

    async def _settled(self, paths: list[str]) -> None:
        """300 ms after the model last changed: the preview reloads, the runtime's files follow."""
        self.preview.changed(paths)
        await self.runtime.write(paths)

    async def _show_title(self) -> None:
        """The project's name in the header (remembered, so it shows offline too)."""
        key = f"cospai-project-name-{self.project_id}"
        self._set_title(dom.local_get(key) or "")
        try:
            project = await self.api.call("GET", f"/projects/{self.project_id}")
        except ApiError:
            return
        name = str(project.get("project", project).get("name", ""))
        dom.local_set(key, name)
        self._set_title(name)

    def _set_title(self, name: str) -> None:
        node = dom.by_id("header-title")
        if node is not None:
            node.textContent = name  # text, never markup: names are user input
        if name:
            dom.document().title = f"{name} · CosPAI IDE"

    def _restore_tabs(self) -> None:
        assert self.editor is not None
        saved, files = self.layout.state, self.model.files
        for path in saved.tabs:
            if path in files:
                self.editor.open(path, focus=False)
        if saved.active is not None and saved.active in files:
            self.editor.open(saved.active, focus=False)
        if not self.editor.tabs.paths and files:
            self.editor.open(default_file(list(files)), focus=False)

    def _open_from_query(self) -> None:
        """/p/<id>?file=src/App.jsx&line=12 opens that file at that line."""
        path = self.query.get("file")
        if not path or self.editor is None:
            return
        if path not in self.model.files:
            self.notify(f"{path} is not in this project", "error")
            return
        line = self.query.get("line", "")
        self.open_file(path, int(line) if line.isdigit() else None)

    # ------------------------------------------------------------ what views call

    @property
    def model(self) -> ProjectModel:
        """The project's files now (the sync engine replaces the model when it opens)."""
        return self.sync.model

    def open_file(self, path: str, line: int | None = None, column: int | None = None) -> None:
        if self.editor is not None and path in self.model.files:
            self.editor.open(path, line=line, column=column)

    def active_path(self) -> str | None:
        return self.editor.tabs.active if self.editor is not None else None

    def renamed(self, old: str, new: str) -> None:
        """A file or folder moved (tree, runtime): tabs and editor models follow."""
        if self.editor is not None:
            self.editor.renamed(old, new)

    def edited(self, *paths: str) -> None:
        """A view changed the model (create, upload, rename, delete): store and sync every
        path (the runtime needs each; one status walk for them all). The views are
        redrawn at once: the one acting goes on with what it just made."""
        *others, last = paths or ("",)
        self.scheduler.edited_many(others)
        self.scheduler.edited(last)
        self.render_now()

    def changed_elsewhere(self, paths: list[str]) -> None:
        """The model changed outside the views (the runtime's files, a debug write): store
        and sync it, and redraw the views in the next idle moment, once per burst."""
        if paths:
            self.scheduler.edited_many(paths)
            self.render()

    def text_edited(self, path: str, text: str) -> None:
        """The editor changed a file (every keystroke)."""
        self.model.write(path, text.encode("utf-8"))
        self.scheduler.edited(path)
        if self.editor is not None:
            self.editor.mark_dirty(path)

    def export_url(self) -> str | None:
        """Where the server zips this project; None when there is no server copy (an
        embed, a static-only site): the page then zips what it holds."""
        base = getattr(self.api, "base", None)
        return f"{base}/projects/{self.project_id}/export" if isinstance(base, str) else None

    def notify(self, text: str, level: str = "info") -> None:
        status_notice.notify(text, level)

    def render(self) -> None:
        """Bring the views up to date with the model, soon: in the browser's next idle
        moment (RENDER_WAIT_MS at most), once for however many changes came meanwhile. A
        burst of writes (the runtime, sync answers, another tab) then costs one render,
        and it runs after a frame has painted, not between a keystroke and its frame."""
        if not self._render_pending:
            self._render_pending = True
            dom.when_idle(self._render_if_pending, RENDER_WAIT_MS)

    def _render_if_pending(self) -> None:
        if self._render_pending and not self._disposed:
            self.render_now()

    def render_now(self) -> None:
        self._render_pending = False
        self.banner.show(self.sync.conflicts.open)
        dom.set_state("conflicts", str(len(self.sync.conflicts)))
        for view in self.views:
            view.refresh()
        if self.editor is not None:
            self.editor.refresh()

    def tabs_changed(self) -> None:
        assert self.editor is not None
        self.layout.state.tabs = list(self.editor.tabs.paths)
        self.layout.state.active = self.editor.tabs.active
        self._save_layout()

    def flush(self, _event: Any = None) -> None:
        """The tab or the project is going away: what is not stored yet goes to the journal."""
        self.syncing.flush()

    # ------------------------------------------------------------ conflicts

    def _resolve_conflict(self, path: str) -> None:
        conflict = self.sync.conflicts.open.get(path)
        if conflict is None or self.editor is None:
            return
        if self.resolver is not None:
            self.resolver.dispose()
        self.resolver = ConflictResolver(
            self.layout.editor_area, self.editor.editor.monaco, self.sync, conflict, self._resolved
        )

    def _resolved(self) -> None:
        self.resolver = None
        self.render()
        self.syncing.save()

    # ------------------------------------------------------------ layout, settings, status

    def _save_layout(self) -> None:
        dom.local_set(self._layout_key, self.layout.state.to_json())

    def change_setting(self, name: str, value: object) -> None:
        self.settings.update(name, value)
        dom.local_set(Settings.KEY, self.settings.to_json())
        self.settings.apply_theme(dom.set_theme)
        if self.editor is not None:
            self.editor.editor.apply(self.settings)
        self._show_vim_state()

    def _system_theme_changed(self) -> None:
        if self.settings.theme != "auto":
            return
        if self.editor is not None:
            self.editor.editor.apply(self.settings)
        self.terminal.refresh()

    def _show_vim_state(self) -> None:
        node = dom.by_id("status-vim")
        if node is not None:  # monaco-vim writes its mode (-- NORMAL --) into this node
            node.hidden = not self.settings.vim

    def _status_label(self, status: SyncStatus) -> str:
        return status.label

    def _status_drawn(self) -> None:
        if self.editor is not None:
            self.editor.refresh_dirty()  # a tab turns unsaved at once on a keystroke, not here

    def dispose(self) -> None:
        self._disposed = True
        self.flush()  # what is not stored yet goes to the journal, then no timer runs
        self.syncing.dispose()
        self._set_title("")
        dom.document().title = "CosPAI IDE"
        for view in self.views:
            view.dispose()
        self.listeners.dispose()
        self.banner.dispose()
        if self.resolver is not None:
            self.resolver.dispose()
        if self.editor is not None:
            self.editor.dispose()
        self.layout.dispose()
