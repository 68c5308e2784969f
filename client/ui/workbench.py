"""The workbench: file tree, editor with tabs, preview and terminal panels, status bar.

Opening shows the cached copy at once, then reconciles with the server in the background.
Every edit lands in the model at once; the scheduler carries it to IndexedDB (1 s) and to
the server (5 s, or Ctrl+S). Views talk to the workbench through a few methods
(open_file, renamed, deleted, notify, commands), never to each other.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Protocol

from client.adapters.indexeddb import IndexedDbStore, StorageUnavailable
from client.core import sandbox
from client.core.clock import AsyncioClock
from client.core.commands import CommandRegistry, chord
from client.core.engine import ProjectSync
from client.core.layout_state import Layout
from client.core.ports import ApiError, MemoryStorage, ServerApi, Storage
from client.core.scheduler import SyncScheduler
from client.core.settings import Settings
from client.core.status import SyncState, SyncStatus
from client.core.status_display import StatusDisplay
from client.ffi import dom, locks, modules
from client.ffi.channel import TabChannel
from client.ffi.events import Listeners
from client.ffi.monaco import Editor
from client.ui.conflict_view import ConflictBanner, ConflictResolver
from client.ui.editor_view import EditorView
from client.ui.file_tree import FileTree
from client.ui.layout_view import LayoutView
from client.ui.palette import CommandPalette
from client.ui.preview_view import PreviewView
from client.ui.quick_open import QuickOpen
from client.ui.runtime_link import RuntimeLink
from client.ui.search_view import SearchView
from client.ui.settings_view import SettingsDialog
from client.ui.terminal_view import TerminalPanel
from contract.rules import load as load_rules

RENDER_WAIT_MS = 100  # the longest a change waits for an idle moment before it shows
# The status bar's colour for states that need the user's eye (workbench.css); kept apart
# from data-sync-state, which changes on every sync and would restyle the footer each time.
SYNC_ALERTS = {SyncState.OFFLINE: "warn", SyncState.ERROR: "warn", SyncState.CONFLICT: "bad"}


class WorkbenchApi(ServerApi, Protocol):
    """What a workbench asks of its server: the sync protocol, and plain calls (the
    project's name, shares, runtime settings). The embed's in-memory one answers too."""

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any: ...


class Workbench:
    def __init__(
        self, root: Any, api: WorkbenchApi, project_id: str, query: dict[str, str] | None = None
    ) -> None:
        self.api, self.project_id = api, project_id
        # Whose sandbox site runs this project's code (client/core/sandbox.py).
        self.sandbox_key = sandbox.project_key(project_id)
        self.query = query or {}
        self._render_pending = self._disposed = False
        self._profiler: Any = None  # cospaiDebug.profile("start") sets it
        self.listeners = Listeners()
        self.commands = CommandRegistry()
        self.settings = Settings.load(dom.local_get(Settings.KEY))
        self.settings.apply_theme(dom.set_theme)
        modules.use_styles("workbench")
        self._layout_key = f"cospai-layout-{project_id}"
        saved = Layout.from_json(dom.local_get(self._layout_key))
        self.layout = LayoutView(root, self.listeners, saved, self._save_layout)
        self.main = self.layout.editor_area
        self.banner = ConflictBanner(self.main, self._resolve_conflict)
        self.resolver: ConflictResolver | None = None
        storage = self._make_storage()
        self.sync = ProjectSync(project_id, storage, api, load_rules(), on_change=self.render)
        self.rules = self.sync.rules
        self._journal_key = f"cospai-journal-{project_id}"
        self.sync.on_persisted = lambda: dom.local_remove(self._journal_key)
        clock = AsyncioClock()
        self.status_display = StatusDisplay(clock, self._draw_status)
        self.scheduler = SyncScheduler(
            self.sync,
            clock,
            asyncio.ensure_future,
            on_status=self._show_status,
            exclusive=locks.exclusive(f"cospai-push-{project_id}"),
            write_runtime=lambda paths: self._settled(paths),
        )
        self.editor: EditorView | None = None
        self.views: list[Any] = []  # the tree, search and other views: refresh() on change
        window = dom.window()
        # Capture phase: our shortcuts win over Monaco's and the browser's where allowed.
        self.listeners.on_capture(window, "keydown", self._keys)
        self.listeners.on(window, "online", lambda _e: self.scheduler.went_online())
        self.listeners.on(window, "pagehide", self.flush)
        self.listeners.on(dom.document(), "visibilitychange", self.flush)
        self.listeners.on(window, "offline", lambda _e: self.scheduler.went_offline())
        # With the "auto" theme the page's CSS follows the system by itself; Monaco and
        # xterm are told in code.
        dom.on_system_theme(self.listeners, self._system_theme_changed)
        # Another tab of this project pushed: fetch what it sent (our clean copies update;
        # a file we changed too becomes a conflict, never a silent overwrite).
        self.tabs_channel = TabChannel(
            f"cospai-project-{project_id}", self.listeners, self._tab_said
        )
        self.scheduler.on_pushed = self._announce_push
        self._register_commands()
        self._add_finders()
        self.tree = FileTree(self.layout.sidebar_body("explorer"), self)
        self.views.append(self.tree)
        self.runtime = RuntimeLink(self)  # WebContainer or Pyodide; boots once the project is open
        self.terminal = TerminalPanel(self.layout.panels["bottom"], self, self.runtime)
        self.views.append(self.terminal)
        self.preview = PreviewView(self)  # the preview panel, on the preview origin
        self.views.append(self.preview)
        self._add_share()
        asyncio.ensure_future(self._open_or_say_why())

    def _add_share(self) -> None:
        """Share links and the embed snippet (issues 7 and 8)."""
        from client.ui.share_dialog import ShareButton

        self.views.append(ShareButton(self))

    def _make_storage(self) -> Storage:
        """The local store; an embed (client/ui/embed.py) keeps its files in memory only."""
        return IndexedDbStore()

    # ------------------------------------------------------------ commands

    def _register_commands(self) -> None:
        add = self.commands.add
        add("file.save", "Save", lambda: self.scheduler.save("Saved with Ctrl+S"), "Ctrl+S", "File")
        add(
            "view.toggleSidebar",
            "Toggle File Tree",
            lambda: self.layout.toggle("sidebar"),
            "Ctrl+B",
            "View",
        )
        add(
            "view.toggleTerminal",
            "Toggle Terminal",
            lambda: self.layout.toggle("bottom"),
            "Ctrl+`",
            "View",
        )
        add(
            "view.togglePreview",
            "Toggle Preview",
            lambda: self.layout.toggle("preview"),
            "Ctrl+Alt+P",
            "View",
        )
        add(
            "view.explorer",
            "Show Explorer",
            lambda: self.layout.show_sidebar("explorer"),
            "Ctrl+Shift+E",
            "View",
        )
        add("editor.closeTab", "Close Tab", self._close_active, ("Ctrl+W", "Alt+W"), "Editor")
        add("editor.closeOthers", "Close Other Tabs", self._close_others, (), "Editor")
        add(
            "editor.nextTab",
            "Next Tab",
            lambda: self._cycle(1),
            ("Ctrl+PageDown", "Alt+]"),
            "Editor",
        )
        add(
            "editor.previousTab",
            "Previous Tab",
            lambda: self._cycle(-1),
            ("Ctrl+PageUp", "Alt+["),
            "Editor",
        )
        add(
            "editor.format",
            "Format Document",
            lambda: self._editor_action("format"),
            "Shift+Alt+F",
            "Editor",
        )
        add("editor.find", "Find", lambda: self._editor_action("find"), (), "Editor")
        add("editor.replace", "Replace", lambda: self._editor_action("replace"), (), "Editor")
        add("settings.open", "Open Settings", self._open_settings, "Ctrl+,", "Preferences")
        add(
            "settings.vim",
            "Toggle Vim Mode",
            lambda: self._set("vim", not self.settings.vim),
            (),
            "Preferences",
        )
        add(
            "settings.minimap",
            "Toggle Minimap",
            lambda: self._set("minimap", not self.settings.minimap),
            (),
            "Preferences",
        )
        add(
            "settings.wordWrap",
            "Toggle Word Wrap",
            lambda: self._set("word_wrap", not self.settings.word_wrap),
            "Alt+Z",
            "Preferences",
        )
        add(
            "settings.fontBigger",
            "Increase Font Size",
            lambda: self._set("font_size", self.settings.font_size + 1),
            "Ctrl+=",
            "Preferences",
        )
        add(
            "settings.fontSmaller",
            "Decrease Font Size",
            lambda: self._set("font_size", self.settings.font_size - 1),
            "Ctrl+-",
            "Preferences",
        )
        add("settings.theme", "Toggle Light/Dark Theme", self._toggle_theme, (), "Preferences")

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

    def _keys(self, event: Any) -> None:
        pressed = chord(
            str(event.key),
            bool(event.ctrlKey),
            bool(event.shiftKey),
            bool(event.altKey),
            bool(event.metaKey),
        )
        command = self.commands.for_chord(pressed)
        if command is None:
            return
        if command.id.startswith("editor.") and in_terminal(event):
            # In the terminal, editor keys belong to the shell (Ctrl+W cuts a word there),
            # as in VS Code; workbench keys (Ctrl+P, Ctrl+`, Ctrl+B...) still work.
            return
        event.preventDefault()
        event.stopPropagation()
        command.run()

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
        loading = asyncio.ensure_future(
            Editor.create(self.layout.editor_box, self.listeners, self.settings)
        )
        try:
            cached = await self.sync.open_cached()
            dom.mark("cache")
        except StorageUnavailable as error:
            self.sync.storage = MemoryStorage()  # keep working; the status says why
            self.sync.storage_fallback = f"{error}; edits are kept in memory only"
            self.sync.storage_error = self.sync.storage_fallback
            cached = False
        saved = dom.local_get(self._journal_key)
        if saved is not None:  # the last tab went away before its cache write finished
            self.sync.replay(json.loads(saved))
            cached = True
            await self.sync.persist()  # on_persisted drops the journal once all is stored
        dom.set_state("project-source", "cache" if cached else "server")
        asyncio.ensure_future(self._show_title())
        self.render_now()
        dom.mark("tree")  # the files are on screen (from the cache when there was one)
        self.editor = EditorView(self, await loading)
        dom.mark("editor")
        self._show_vim_state()
        if cached:
            self._restore_tabs()
            dom.mark("tabs")
        asyncio.ensure_future(self.editor.start_models())
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
            dom.expose(
                "cospaiDebug",
                {
                    "touchAll": self.listeners.proxy(self._touch_all),
                    "write": self.listeners.proxy(self._debug_write),
                    "remove": self.listeners.proxy(self._debug_remove),
                    "files": self.listeners.proxy(self._debug_files),
                    "profile": self.listeners.proxy(self._debug_profile),
                },
            )
        if self.sync.pending():
            self.scheduler.edited("")  # push what waited in the cache
        asyncio.ensure_future(self.runtime.start())

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
        saved = self.layout.state
        for path in saved.tabs:
            if path in self.sync.model.files:
                self.editor.open(path, focus=False)
        if saved.active is not None and saved.active in self.sync.model.files:
            self.editor.open(saved.active, focus=False)
        if not self.editor.tabs.paths and self.sync.model.files:
            self.editor.open(default_file(list(self.sync.model.files)), focus=False)

    def _open_from_query(self) -> None:
        """/p/<id>?file=src/App.jsx&line=12 opens that file at that line."""
        path = self.query.get("file")
        if not path or self.editor is None:
            return
        if path not in self.sync.model.files:
            self.notify(f"{path} is not in this project", "error")
            return
        line = self.query.get("line", "")
        self.open_file(path, int(line) if line.isdigit() else None)

    # ------------------------------------------------------------ what views call

    def open_file(self, path: str, line: int | None = None, column: int | None = None) -> None:
        if self.editor is not None and path in self.sync.model.files:
            self.editor.open(path, line=line, column=column)

    def active_path(self) -> str | None:
        return self.editor.tabs.active if self.editor is not None else None

    def renamed(self, old: str, new: str) -> None:
        """A file or folder moved (tree, runtime): tabs and editor models follow."""
        if self.editor is not None:
            self.editor.renamed(old, new)

    def deleted(self, paths: list[str]) -> None:
        self.render_now()

    def edited(self, path: str) -> None:
        """A view changed the model (create, upload, rename, delete): store and sync it. The
        views are redrawn at once: the one acting goes on with what it just made."""
        self.scheduler.edited(path)
        self.render_now()

    def notify(self, text: str, level: str = "info") -> None:
        """A short message in the status bar; errors stay until the next message."""
        node = dom.by_id("status-notice")
        if node is not None:
            node.textContent = text
            node.setAttribute("data-level", level)
        dom.set_state("notice", level)

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

    # ------------------------------------------------------------ conflicts

    def _resolve_conflict(self, path: str) -> None:
        conflict = self.sync.conflicts.open.get(path)
        if conflict is None or self.editor is None:
            return
        if self.resolver is not None:
            self.resolver.dispose()
        self.resolver = ConflictResolver(
            self.main, self.editor.editor.monaco, self.sync, conflict, self._resolved
        )

    def _resolved(self) -> None:
        self.resolver = None
        self.render()
        self.scheduler.save()

    # ------------------------------------------------------------ tabs, layout, settings

    def _close_active(self) -> None:
        if self.editor is not None and self.editor.tabs.active is not None:
            self.editor.close(self.editor.tabs.active)

    def _close_others(self) -> None:
        if self.editor is not None and self.editor.tabs.active is not None:
            self.editor.close_others(self.editor.tabs.active)

    def _cycle(self, step: int) -> None:
        if self.editor is not None:
            self.editor.cycle(step)

    def _editor_action(self, name: str) -> None:
        if self.editor is not None:
            self.editor.editor.action(name)

    def tabs_changed(self) -> None:
        assert self.editor is not None
        self.layout.state.tabs = list(self.editor.tabs.paths)
        self.layout.state.active = self.editor.tabs.active
        self._save_layout()

    def _save_layout(self) -> None:
        dom.local_set(self._layout_key, self.layout.state.to_json())

    def _set(self, name: str, value: object) -> None:
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

    def _toggle_theme(self) -> None:
        self._set("theme", "light" if dom.theme_is_dark() else "dark")

    def _open_settings(self) -> None:
        SettingsDialog(self.settings, self._set)

    def _show_vim_state(self) -> None:
        node = dom.by_id("status-vim")
        if node is not None:  # monaco-vim writes its mode (-- NORMAL --) into this node
            node.hidden = not self.settings.vim

    # ------------------------------------------------------------ sync plumbing

    def _announce_push(self) -> None:
        self.tabs_channel.post({"pushed": self.sync.model.server_version})

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

    def changed_elsewhere(self, paths: list[str]) -> None:
        """The model changed outside the views (the runtime's files, a debug write): store
        and sync it, and redraw the views in the next idle moment, once per burst."""
        if paths:
            self.scheduler.edited_many(paths)
            self.render()

    def _debug_write(self, path: str, text: str) -> None:
        """As the runtime's watcher writes a file (runtime_link)."""
        self.sync.model.write(path, text.encode("utf-8"))
        self.changed_elsewhere([path])

    def _debug_remove(self, path: str) -> None:
        self.sync.model.delete(path)
        self.changed_elsewhere([path])

    def _debug_profile(self, action: str, limit: int = 40) -> str:
        """cProfile over the page's Python: "start", then "stop" returns the tables by own
        and by cumulative time (what a benchmark costs the main thread; see
        bench/workbench.py --profile)."""
        import cProfile
        import io
        import pstats

        if action == "start":
            self._profiler = cProfile.Profile()
            self._profiler.enable()
            return ""
        profiler, self._profiler = self._profiler, None
        if profiler is None:
            return "no profile running"
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        for sort in ("tottime", "cumulative"):
            stats.sort_stats(sort).print_stats(int(limit))
        return out.getvalue()

    def _debug_files(self) -> str:
        return json.dumps({p: f.text for p, f in self.sync.model.files.items() if not f.binary})

    def flush(self, _event: Any = None) -> None:
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
        self.edited("")
        return count

    def text_edited(self, path: str, text: str) -> None:
        """The editor changed a file (every keystroke)."""
        self.sync.model.write(path, text.encode("utf-8"))
        self.scheduler.edited(path)
        if self.editor is not None:
            self.editor.mark_dirty(path)

    def _show_status(self, status: SyncStatus) -> None:
        # The state is told at once: tests and tools wait on it, and no style reads it, so
        # a change costs no frame. The label and the tabs' marks follow StatusDisplay's pace.
        dom.set_state("sync-state", status.state.value)
        dom.set_state("sync-alert", SYNC_ALERTS.get(status.state, "none"))
        self.status_display.update(status)

    def _draw_status(self, status: SyncStatus) -> None:
        node = dom.by_id("status-text")
        label = self._status_label(status)
        if node is not None and node.textContent != label:
            node.textContent = label
        if self.editor is not None:
            self.editor.refresh_dirty()  # a tab turns unsaved at once on a keystroke, not here

    def _status_label(self, status: SyncStatus) -> str:
        return status.label

    def dispose(self) -> None:
        self._disposed = True
        self.flush()  # what is not stored yet goes to the journal, then no timer runs
        self.scheduler.stop()
        self.status_display.stop()
        self._set_title("")
        dom.document().title = "CosPAI IDE"
        for view in self.views:
            view.dispose()
        self.listeners.dispose()
        self.tabs_channel.close()
        self.banner.dispose()
        if self.resolver is not None:
            self.resolver.dispose()
        if self.editor is not None:
            self.editor.dispose()
        self.layout.dispose()


def in_terminal(event: Any) -> bool:
    target = event.target
    return (
        dom.present(target)
        and hasattr(target, "closest")
        and dom.present(target.closest("#bottom-panel"))
    )


def default_file(paths: list[str]) -> str:
    """The file to show first in a project nobody has opened here: a README or an entry
    point, else the first file in tree order."""
    preferred = (
        "README.md",
        "readme.md",
        "index.html",
        "main.py",
        "src/App.jsx",
        "src/main.jsx",
        "index.js",
        "src/index.ts",
    )
    for name in preferred:
        if name in paths:
            return name
    return sorted(paths, key=lambda p: (p.count("/"), p.casefold()))[0]
