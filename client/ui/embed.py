"""/embed: the workbench in another site's iframe, on files of its own.

The files come from a share link (`share=<token>`, a saved revision read through the public
API) or from the host page (`set-files`). They live in memory (client/core/embed.py): an
embed never signs in, never opens the owner's IndexedDB and never saves to a project. The
host page drives it with versioned messages ({"cospai": 1, "type": ...}) from the origins
allowed (`origins=` and the server's list), and hears `ready`, `change` and `run-exit`.
Without cross-origin isolation (a host page without COOP/COEP) it runs as the lite tier:
editor, files and the Pyodide runtime work, and "Open in new tab" gives the full IDE page.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from client.adapters.server_api import HttpServerApi
from client.core import sandbox
from client.core.embed import (
    PROTOCOL,
    EmbedOptions,
    MemoryProjectApi,
    allowed_origins,
    command,
)
from client.core.ports import ApiError, MemoryStorage, Offline, Refused, Storage
from client.core.tasks import spawn
from client.ffi import dom, host_page, modules
from client.ffi.events import Listeners
from client.ffi.http import NetworkError, fetch
from client.ui.workbench import Workbench

PROJECT_ID = "embed"  # keys of this embed's own (in-memory) project; never a real project id
PANEL_NAMES = {"tree": "sidebar", "terminal": "bottom", "preview": "preview"}


class EmbedWorkbench(Workbench):
    def __init__(
        self, root: Any, api: MemoryProjectApi, options: EmbedOptions, allowed: frozenset[str]
    ) -> None:
        self.options, self.allowed, self.memory = options, allowed, api
        self._run_pending = False
        self._queued: list[str | None] = []
        query = {"file": options.file} if options.file else {}
        super().__init__(root, api, PROJECT_ID, query)
        # A share's code runs on a sandbox site of its own, never the owner's project's.
        self.sandbox_key = (
            sandbox.share_key(options.share) if options.share else sandbox.project_key(PROJECT_ID)
        )
        self.settings.theme = options.theme
        self.settings.apply_theme(dom.set_theme)
        for name, panel in PANEL_NAMES.items():
            self.layout.state.toggle(panel, name in options.panels)
        self.layout.apply()
        editor_shown = "editor" in options.panels
        self.layout.editor_area.hidden = not editor_shown
        dom.set_state("embed-editor", "shown" if editor_shown else "hidden")
        dom.set_state("embed-readonly", "1" if options.read_only else "0")
        self.terminal.on_state = self._terminal_state
        self.runtime.on_ready.append(self._runtime_ready)
        self.host_listeners = Listeners()
        host_page.listen(self.host_listeners, self._message)

    def _add_share(self) -> None:
        pass  # an embed has nothing of its own to share

    def _make_storage(self) -> Storage:
        return MemoryStorage()  # the owner's IndexedDB is never opened from an embed

    def _save_layout(self) -> None:
        pass  # panels come from the URL; nothing is remembered

    def change_setting(self, name: str, value: object) -> None:
        # Applied to this embed only: the owner's settings in this browser stay as they are.
        self.settings.update(name, value)
        self.settings.apply_theme(dom.set_theme)
        if self.editor is not None:
            self.editor.editor.apply(self.settings)

    def _status_label(self, status: Any) -> str:
        return "Embedded: changes stay in this page"  # "Saved" would promise more than that

    async def _open(self) -> None:
        await super()._open()
        self.tree.actions.read_only = self.options.read_only  # the explorer's too, not only typing
        if self.editor is not None:
            self.editor.editor.force_read_only = self.options.read_only
            if self.editor.tabs.active:
                self.editor.open(self.editor.tabs.active, focus=False)
        dom.set_state("embed", "ready")
        self._emit(
            "ready",
            tier="full" if dom.cross_origin_isolated() else "lite",
            files=sorted(self.model.files),
        )

    async def _settled(self, paths: list[str]) -> None:
        await super()._settled(paths)
        changed: dict[str, str | None] = {}
        for path in paths:
            local = self.model.files.get(path)
            if local is None:
                changed[path] = None
            elif not local.binary:
                changed[path] = local.text
        if changed:
            self._emit("change", files=changed)

    # ------------------------------------------------------------ host page

    def _emit(self, kind: str, **fields: Any) -> None:
        message = {"cospai": PROTOCOL, "type": kind, **fields}
        for origin in sorted(self.allowed):  # only to the allowed origins, never "*"
            host_page.post(message, origin)

    def _message(self, data: Any, origin: str) -> None:
        message = command(data, origin, self.allowed)
        if message is None:
            return  # another origin, another protocol: ignored, not even answered
        try:
            self._handle(message)
        except (KeyError, TypeError, ValueError) as error:
            self._emit("error", id=message.get("id"), message=f"{type(error).__name__}: {error}")

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "set-files":
            files = message["files"]
            if not isinstance(files, dict):
                raise TypeError("files must be an object of path -> text")
            self.set_files({str(p): str(t) for p, t in files.items()}, message.get("open"))
        elif kind == "open-file":
            self.open_file(str(message["path"]))
        elif kind == "run":
            self.run(message.get("path"))
        elif kind == "get-files":
            self._emit("files", id=message.get("id"), files=self._texts())

    def _texts(self) -> dict[str, str]:
        return {p: f.text for p, f in sorted(self.model.files.items()) if not f.binary}

    def set_files(self, files: dict[str, str], open_path: Any = None) -> None:
        """The host's files replace the embed's (each change reaches the runtime as edits do)."""
        model = self.model
        for path in [p for p in model.files if p not in files]:
            model.delete(path)
            self.edited(path)
        for path, text in files.items():
            model.write(path, text.encode("utf-8"))
            self.edited(path)
        target = str(open_path) if open_path else None
        if self.editor is not None:
            for path in list(self.editor.tabs.paths):
                if path not in model.files:
                    self.editor.close(path)
            wanted = target or self.editor.tabs.active or next(iter(sorted(files)), None)
            if wanted is not None and wanted in model.files:
                self.editor.open(wanted, focus=False)
            self.editor.refresh()

    def run(self, path: Any = None) -> None:
        """Run a file (or the main one) in the terminal; run-exit reports its status. Asked
        before the runtime is up, it runs once it is."""
        entry = str(path) if path else None
        if entry is not None and entry not in self.model.files:
            self._emit("run-exit", code=127, path=entry, error=f"{entry} is not in the files")
            return
        if not self.runtime.ready or not self.terminal.tabs:
            self._queued.append(entry)
            return
        self._run_pending = True
        self.terminal.run(entry)

    def _terminal_state(self, kind: str, value: Any) -> None:
        if kind == "idle" and self._run_pending:
            self._run_pending = False
            self._emit("run-exit", code=int(value))

    def _runtime_ready(self) -> None:
        if self.options.run:
            self._queued.insert(0, self.options.file)
        spawn(self._run_queued(), "run what the host page asked for")

    async def _run_queued(self) -> None:
        for _ in range(200):  # the first terminal opens on the same hook; wait for its shell
            if self.terminal.tabs and self.terminal.tabs[0].process is not None:
                break
            await asyncio.sleep(0.05)
        queued, self._queued = self._queued, []
        for entry in queued[:1]:  # one run at a time: the terminal runs typeahead in order
            self.run(entry)

    def dispose(self) -> None:
        self.host_listeners.dispose()
        super().dispose()


class EmbedApp:
    """What client/boot.py starts at /embed instead of the signed-in App."""

    def __init__(self) -> None:
        self.root = dom.by_id("workbench")
        self.options = EmbedOptions.from_query(dom.location_query())
        self.view: EmbedWorkbench | None = None

    async def start(self) -> None:
        modules.use_styles("embed")
        dom.set_state("view", "embed")
        dom.set_state("embed", "loading")
        dom.set_state("embed-tier", "full" if dom.cross_origin_isolated() else "lite")
        self._header()
        api = HttpServerApi()
        memory = MemoryProjectApi()
        configured: tuple[str, ...] = ()
        try:
            config = await api.call("GET", "/embed")
            configured = tuple(str(o) for o in config.get("origins", []))
        except ApiError:
            pass  # offline or an older server: the origins= parameter alone decides
        # Where the embed's code runs (its sandbox origin). Offline: the runtime falls back
        # to what this browser remembered.
        with contextlib.suppress(ApiError):
            memory.runtime_config = await api.call("GET", "/runtime-config")
        if self.options.share:
            try:
                files = await _share_files(api, self.options.share)
            except ApiError as error:
                dom.set_state("embed", "error")
                self.root.replaceChildren(
                    dom.element(
                        "p", f"This shared project cannot be loaded: {error}", class_="embed-error"
                    )
                )
                return
            memory.replace(files)
        allowed = allowed_origins(self.options.origins, configured)
        self.view = EmbedWorkbench(self.root, memory, self.options, allowed)

    def _header(self) -> None:
        """The embed's header: no account; "Open in new tab" for the full (isolated) tier."""
        slot = dom.by_id("header-actions")
        if slot is None:
            return
        link = dom.element(
            "a",
            "Open in new tab ↗",
            href=str(dom.window().location.href),
            target="_blank",
            rel="noopener",
            id="embed-new-tab",
            class_="embed-new-tab",
        )
        if not dom.cross_origin_isolated():
            link.title = (
                "This page around the embed is not cross-origin isolated: Ctrl+C, "
                "input() and the WebContainer engine need the IDE in its own tab."
            )
        slot.append(link)


async def _share_files(api: HttpServerApi, token: str) -> dict[str, tuple[bytes, bool]]:
    body = await api.call("GET", f"/shares/{token}")
    files: dict[str, tuple[bytes, bool]] = {}
    for entry in body["files"]:
        if entry["binary"]:
            url = api.url(f"/shares/{token}/blobs/{entry['sha256']}")
            try:
                response = await fetch("GET", url)
            except NetworkError as error:
                raise Offline(str(error)) from error
            if response.status != 200:
                raise Refused(response.status, "not_found", f"{entry['path']} is missing", {})
            files[entry["path"]] = (response.body, True)
        else:
            files[entry["path"]] = (str(entry["content"]).encode("utf-8"), False)
    return files
