"""Monaco from Python: one editor, one model per file (undo history survives switching)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.ffi import dom, modules
from client.ffi.convert import to_object
from client.ffi.events import Listeners


class Editor:
    def __init__(self, monaco: Any, container: Any, listeners: Listeners) -> None:
        self.monaco = monaco
        self.listeners = listeners
        self.editor = monaco.editor.create(container, to_object({
            "automaticLayout": True, "minimap": {"enabled": False}, "fontSize": 13,
            "theme": "vs-dark" if dom.prefers_dark() else "vs",
        }))  # fmt: skip
        self.models: dict[str, Any] = {}
        self.path: str | None = None
        self._on_change: Callable[[str, str], None] | None = None
        self.editor.onDidChangeModelContent(listeners.proxy(self._changed))

    @classmethod
    async def create(cls, container: Any, listeners: Listeners) -> Editor:
        dom.add_stylesheet(modules.asset_url("monaco", "monaco.css"))
        glue = await modules.load(modules.asset_url("monaco", "monaco.js"))
        return cls(glue.monaco, container, listeners)

    def on_change(self, handler: Callable[[str, str], None]) -> None:
        """handler(path, text) after every edit of the open file."""
        self._on_change = handler

    def _changed(self, _event: Any) -> None:
        if self._on_change is not None and self.path is not None:
            self._on_change(self.path, str(self.editor.getValue()))

    def open(self, path: str, text: str) -> None:
        model = self.models.get(path)
        if model is None:
            uri = self.monaco.Uri.file("/" + path)
            model = self.monaco.editor.createModel(text, None, uri)
            self.models[path] = model
        self.path = path
        self.editor.setModel(model)
        self.editor.focus()

    def replace_text(self, path: str, text: str) -> None:
        """The file changed elsewhere (the server): update its model without an edit event."""
        model = self.models.get(path)
        if model is not None and str(model.getValue()) != text:
            current, self.path = self.path, None  # mute _changed during the update
            model.setValue(text)
            self.path = current

    def dispose(self) -> None:
        for model in self.models.values():
            model.dispose()
        self.editor.dispose()


class DiffView:
    """Theirs (read-only, left) beside mine (editable, right): the merge happens on the right."""

    def __init__(self, monaco: Any, container: Any, path: str, theirs: str, mine: str) -> None:
        self.diff = monaco.editor.createDiffEditor(container, to_object({
            "automaticLayout": True, "originalEditable": False, "renderSideBySide": True,
            "theme": "vs-dark" if dom.prefers_dark() else "vs",
        }))  # fmt: skip
        self.original = monaco.editor.createModel(theirs, None,
                                                  monaco.Uri.file(f"/.theirs/{path}"))
        self.modified = monaco.editor.createModel(mine, None, monaco.Uri.file(f"/.mine/{path}"))
        self.diff.setModel(to_object({"original": self.original, "modified": self.modified}))

    def merged_text(self) -> str:
        return str(self.modified.getValue())

    def dispose(self) -> None:
        self.diff.dispose()
        self.original.dispose()
        self.modified.dispose()
