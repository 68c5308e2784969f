"""The editor area: tabs over Monaco (or a viewer for images and binary files), the
status-bar cursor and language, and the models that keep IntelliSense project-wide
(with the compiler options and installed packages' types of editor_types.py).

Every script file of the project gets a model when the project opens, so the TypeScript
worker sees them all: imports resolve, go-to-definition crosses files, type errors show.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

from client.core.editor_rules import EAGER_MODEL_LIMIT, present, wants_eager_model
from client.core.model import LocalFile
from client.core.tabs import TabList
from client.ffi import dom
from client.ffi.events import Listeners
from client.ffi.monaco import Editor
from client.ui.editor_types import EditorTypes, RuntimeSide
from client.ui.layout_view import LayoutView
from client.ui.ports import Notices, ProjectFiles
from client.ui.tabs_view import TabStrip
from client.ui.viewers import show_binary


class EditorBench(ProjectFiles, Notices, Protocol):
    """What the editor asks of the workbench."""

    layout: LayoutView
    listeners: Listeners

    @property
    def runtime(self) -> RuntimeSide: ...

    def text_edited(self, path: str, text: str) -> None: ...

    def tabs_changed(self) -> None: ...


class EditorView:
    def __init__(self, bench: EditorBench, editor: Editor) -> None:
        self.bench, self.editor = bench, editor
        self.tabs = TabList()
        self.strip = TabStrip(bench.layout.tabs_host, bench.listeners, self)
        self._seen: dict[str, LocalFile] = {}  # the LocalFile each model was last filled from
        # Compiler options from the tsconfig files, declarations from node_modules.
        self.types = EditorTypes(bench, editor, bench.runtime)
        self._object_urls: list[str] = []
        editor.on_change(bench.text_edited)
        editor.on_cursor(self._cursor)
        editor.on_open(self._open_definition)
        # The project's other files become models (for cross-file IntelliSense) after the
        # first file is on screen, in slices: see start_models().
        self._models_started = False
        self.refresh()

    # ------------------------------------------------------------ opening and closing

    def open(
        self, path: str, line: int | None = None, column: int | None = None, focus: bool = True
    ) -> None:
        local = self.bench.model.files.get(path)
        if local is None:
            return
        self.tabs.open(path)
        self._show(path, focus)
        if line is not None and self.editor.path == path:
            self.editor.reveal(line, column or 1)
        self.strip.render()
        self.bench.tabs_changed()

    def _show(self, path: str, focus: bool = True) -> None:
        local = self.bench.model.files[path]
        view = present(path, len(local.content), local.binary)
        layout = self.bench.layout
        layout.empty.hidden = True
        layout.notice.hidden = not view.notice or view.kind != "text"
        layout.notice.textContent = view.notice if view.kind == "text" else ""
        if view.kind == "text":
            layout.viewer.hidden = True
            layout.viewer.replaceChildren()
            self._release_urls()
            self.editor.show(path, local.text, read_only=view.read_only, focus=focus)
            self.types.show(path)
            self._seen[path] = local
            self._status(path)
        else:
            self.editor.hide()
            self._release_urls()
            url = show_binary(layout.viewer, path, local.content, view, self.bench.listeners)
            if url:
                self._object_urls.append(url)
            layout.viewer.hidden = False
            self._status(path)
        dom.set_state("open-file", path)
        dom.set_state("open-kind", view.kind + ("-readonly" if view.read_only else ""))

    def _open_definition(self, path: str, line: int, column: int) -> bool:
        if path not in self.bench.model.files:
            return False
        self.open(path, line, column)
        return True

    def close(self, path: str) -> None:
        active = self.tabs.close(path)
        self._after_close(active)

    def close_others(self, keep: str) -> None:
        self.tabs.close_others(keep)
        self._after_close(self.tabs.active)

    def _after_close(self, active: str | None) -> None:
        if active is not None:
            self._show(active)
        else:
            self.editor.hide()
            self._release_urls()
            layout = self.bench.layout
            layout.viewer.hidden = True
            layout.notice.hidden = True
            layout.empty.hidden = False
            dom.set_state("open-file", "")
            self._status(None)
        self.strip.render()
        self.bench.tabs_changed()

    def cycle(self, step: int) -> None:
        paths = self.tabs.paths
        if len(paths) < 2 or self.tabs.active is None:
            return
        at = (paths.index(self.tabs.active) + step) % len(paths)
        self.open(paths[at])

    def move(self, path: str, index: int) -> None:
        self.tabs.move(path, index)
        self.strip.render()
        self.bench.tabs_changed()

    def renamed(self, old: str, new: str) -> None:
        for path in list(self.editor.models):
            if path == old or path.startswith(old + "/"):
                self.editor.rename_model(path, new + path[len(old) :])
                self._seen.pop(path, None)
        self.tabs.rename(old, new)
        if self.tabs.active is not None and self.tabs.active in self.bench.model.files:
            self._show(self.tabs.active, focus=False)
        self.strip.render()
        self.bench.tabs_changed()

    # ------------------------------------------------------------ keeping up with the model

    def refresh(self) -> None:
        """The model changed (server, another tab, tree, runtime): update models, drop those
        of deleted files, close their tabs, apply a changed tsconfig."""
        files = self.bench.model.files
        for path in list(self.editor.models):
            local = files.get(path)
            if local is None or local.binary:
                self.editor.drop_model(path)
                self._seen.pop(path, None)
            elif self._seen.get(path) is not local:
                self.editor.replace_text(path, local.text)
                self._seen[path] = local
        if self._models_started:
            self._eager_models(files)
        self.types.refresh(files)
        gone = self.tabs.keep_only(set(files))
        if gone:
            self._after_close(self.tabs.active)
        else:
            self.strip.render()

    async def start_models(self) -> None:
        """Make a model of every source file (so imports resolve and go-to-definition
        crosses files), yielding to the page every few milliseconds: a 200-file project
        would otherwise hold the first editable file back by a hundred milliseconds."""
        self._models_started = True
        while self._eager_models(self.bench.model.files, budget_ms=8):
            await asyncio.sleep(0)

    def _eager_models(self, files: dict[str, LocalFile], budget_ms: float | None = None) -> bool:
        """Models for the files that want one; True when the time budget ran out first."""
        rules = self.bench.rules
        deadline = None if budget_ms is None else time.perf_counter() + budget_ms / 1000
        for path, local in list(files.items()):
            if path in self.editor.models or local.binary:
                continue
            if len(self.editor.models) >= EAGER_MODEL_LIMIT:
                break
            if wants_eager_model(path, len(local.content), rules.ignored(path)):
                self.editor.ensure_model(path, local.text)
                self._seen[path] = local
                if deadline is not None and time.perf_counter() > deadline:
                    return True
        return False

    # ------------------------------------------------------------ dirty markers, status

    def dirty(self, path: str) -> bool:
        local = self.bench.model.files.get(path)
        return local is not None and not local.clean

    def mark_dirty(self, path: str) -> None:
        self._seen[path] = self.bench.model.files[path]
        self.strip.update_dirty(path)

    def refresh_dirty(self) -> None:
        for path in self.tabs.paths:
            self.strip.update_dirty(path)

    def _cursor(self, line: int, column: int) -> None:
        node = dom.by_id("status-cursor")
        if node is not None:
            node.textContent = f"Ln {line}, Col {column}"

    def _status(self, path: str | None) -> None:
        language = dom.by_id("status-language")
        if language is not None:
            language.textContent = self._language_label(path) if path else ""
        cursor = dom.by_id("status-cursor")
        if cursor is not None and (path is None or self.editor.path != path):
            cursor.textContent = ""

    def _language_label(self, path: str) -> str:
        language = self.editor.language(path)
        if not language:
            local = self.bench.model.files.get(path)
            return "Binary" if local is not None and local.binary else ""
        return {
            "javascript": "JavaScript",
            "typescript": "TypeScript",
            "plaintext": "Plain Text",
            "json": "JSON",
            "html": "HTML",
            "css": "CSS",
            "markdown": "Markdown",
            "python": "Python",
        }.get(language, language.capitalize())

    def _release_urls(self) -> None:
        from client.ui.viewers import revoke

        for url in self._object_urls:
            revoke(url)
        self._object_urls.clear()

    def dispose(self) -> None:
        self._release_urls()
        self.types.dispose()
        self.editor.dispose()
