"""Monaco from Python: one editor, one model per file (undo history survives switching),
editor options from the settings, vim mode, and the TypeScript worker's configuration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.core.settings import Settings
from client.ffi import dom, modules
from client.ffi.convert import to_object, to_python
from client.ffi.events import Listeners

ACTIONS = {
    "format": "editor.action.formatDocument",
    "find": "actions.find",
    "replace": "editor.action.startFindReplaceAction",
}


def theme_name() -> str:
    return "vs-dark" if dom.theme_is_dark() else "vs"


class Editor:
    def __init__(self, glue: Any, container: Any, listeners: Listeners, settings: Settings) -> None:
        self.glue, self.monaco = glue, glue.monaco
        self.listeners = listeners
        self.editor = self.monaco.editor.create(
            container,
            to_object(
                {
                    "automaticLayout": True,
                    "fixedOverflowWidgets": True,
                    "model": None,
                    # TypeScript's inlay hints are all off by default (we set no preferences for
                    # them), yet with the editor's switch on, every keystroke asked the TS worker
                    # for hints: a program update each time, a quarter of a core while typing on
                    # a 2-core machine, for an empty answer. Off, nothing visible changes.
                    "inlayHints": {"enabled": "off"},
                    **self._options(settings),
                }
            ),
        )
        self.models: dict[str, Any] = {}
        self.path: str | None = None
        self.force_read_only = False  # a read-only embed: every file, whatever its size
        self._muted = False
        self._vim: Any = None
        self._on_change: Callable[[str, str], None] | None = None
        self._on_cursor: Callable[[int, int], None] | None = None
        self.editor.onDidChangeModelContent(listeners.proxy(self._changed))
        self.editor.onDidChangeCursorPosition(listeners.proxy(self._cursor))
        self._on_open: Callable[[str, int, int], bool] | None = None
        self._compiler_options: dict[str, Any] = {"unset": True}
        self._ignored_codes: list[int] = []
        # Go to definition (and peek's "open") into another file: Monaco asks us to open it.
        self._opener = self.monaco.editor.registerEditorOpener(
            to_object({"openCodeEditor": listeners.proxy(self._open_request)})
        )
        self.apply(settings)

    @classmethod
    async def create(cls, container: Any, listeners: Listeners, settings: Settings) -> Editor:
        dom.add_stylesheet(modules.asset_url("monaco", "monaco.css"))
        glue = await modules.load(modules.asset_url("monaco", "monaco.js"))
        return cls(glue, container, listeners, settings)

    @staticmethod
    def _options(settings: Settings) -> dict[str, Any]:
        return {
            "fontSize": settings.font_size,
            "minimap": {"enabled": settings.minimap},
            "wordWrap": "on" if settings.word_wrap else "off",
            "theme": theme_name(),
        }

    def apply(self, settings: Settings) -> None:
        """Settings changed: font, wrap, minimap and theme now; vim mode on or off."""
        options = self._options(settings)
        self.monaco.editor.setTheme(options.pop("theme"))
        self.editor.updateOptions(to_object(options))
        if settings.vim and self._vim is None:
            status = dom.by_id("status-vim")
            self._vim = self.glue.initVimMode(self.editor, status)
        elif not settings.vim and self._vim is not None:
            self._vim.dispose()
            self._vim = None
        dom.set_state("vim", "on" if self._vim is not None else "off")

    # ------------------------------------------------------------ events

    def on_change(self, handler: Callable[[str, str], None]) -> None:
        """handler(path, text) after every edit of the open file."""
        self._on_change = handler

    def on_cursor(self, handler: Callable[[int, int], None]) -> None:
        self._on_cursor = handler

    def on_open(self, handler: Callable[[str, int, int], bool]) -> None:
        """handler(path, line, column) when Monaco wants another file shown; True if done."""
        self._on_open = handler

    def _open_request(self, _source: Any, resource: Any, where: Any = None) -> bool:
        path = str(resource.path).lstrip("/")
        if self._on_open is None or path not in self.models:
            return False
        line, column = 1, 1
        if dom.present(where):
            line = int(getattr(where, "startLineNumber", 0) or getattr(where, "lineNumber", 1))
            column = int(getattr(where, "startColumn", 0) or getattr(where, "column", 1))
        return self._on_open(path, line, column)

    def _changed(self, _event: Any) -> None:
        if self._on_change is not None and self.path is not None and not self._muted:
            self._on_change(self.path, str(self.editor.getValue()))

    def _cursor(self, event: Any) -> None:
        if self._on_cursor is not None:
            self._on_cursor(int(event.position.lineNumber), int(event.position.column))

    # ------------------------------------------------------------ models

    def ensure_model(self, path: str, text: str) -> Any:
        model = self.models.get(path)
        if model is None:
            # The language comes from the file name (Monaco knows every language it ships).
            model = self.monaco.editor.createModel(text, None, self.monaco.Uri.file("/" + path))
            self.models[path] = model
        return model

    def show(self, path: str, text: str, read_only: bool = False, focus: bool = True) -> None:
        model = self.ensure_model(path, text)
        self.path = path
        self.editor.setModel(model)
        self.editor.updateOptions(to_object({"readOnly": read_only or self.force_read_only}))
        if focus:
            self.editor.focus()

    def hide(self) -> None:
        self.path = None
        self.editor.setModel(None)

    def language(self, path: str) -> str:
        model = self.models.get(path)
        return str(model.getLanguageId()) if model is not None else ""

    def replace_text(self, path: str, text: str) -> None:
        """The file changed elsewhere (server, another tab, runtime): update its model as
        one undoable edit, without reporting it back as a user edit."""
        model = self.models.get(path)
        if model is None or str(model.getValue()) == text:
            return
        self._muted = True
        try:
            model.pushEditOperations(
                to_object([]),
                to_object([{"range": model.getFullModelRange(), "text": text}]),
                self.listeners.proxy(lambda *_a: None),
            )
        finally:
            self._muted = False

    def rename_model(self, old: str, new: str) -> None:
        """Monaco models cannot change URI: make a new one with the text, drop the old."""
        model = self.models.pop(old, None)
        if model is None:
            return
        text = str(model.getValue())
        model.dispose()
        self.ensure_model(new, text)

    def drop_model(self, path: str) -> None:
        model = self.models.pop(path, None)
        if model is not None:
            if self.path == path:
                self.hide()
            model.dispose()

    def reveal(self, line: int, column: int = 1) -> None:
        position = to_object({"lineNumber": max(1, line), "column": max(1, column)})
        self.editor.setPosition(position)
        self.editor.revealPositionInCenter(position)

    def action(self, name: str) -> None:
        action = self.editor.getAction(ACTIONS[name])
        if dom.present(action):
            self.editor.focus()
            action.run()

    def typescript_enums(self) -> dict[str, dict[str, int]]:
        """Monaco's TypeScript enums (ScriptTarget, ModuleKind, ModuleResolutionKind,
        JsxEmit) as {member: number}, without their reverse entries (number -> member)."""
        ts = self.monaco.typescript
        enums = {}
        for name in ("ScriptTarget", "ModuleKind", "ModuleResolutionKind", "JsxEmit"):
            members = to_python(getattr(ts, name))
            enums[name] = {k: v for k, v in members.items() if isinstance(v, int)}
        return enums

    def set_compiler_options(self, options: dict[str, Any]) -> None:
        """The worker's compiler options (unchanged ones are not sent again: each change
        makes the worker check the open files anew)."""
        if options == self._compiler_options:
            return
        self._compiler_options = dict(options)
        ts = self.monaco.typescript
        for defaults in (ts.typescriptDefaults, ts.javascriptDefaults):
            defaults.setCompilerOptions(to_object(options))
            # Every model goes to the worker, not only open ones: imports across files
            # resolve and go-to-definition reaches files that have no tab.
            defaults.setEagerModelSync(True)
        self._diagnostics()

    def set_ignored_codes(self, codes: list[int]) -> None:
        """TypeScript diagnostics not shown as markers (client/core/type_notice.py)."""
        if codes != self._ignored_codes:
            self._ignored_codes = list(codes)
            self._diagnostics()

    def _diagnostics(self) -> None:
        # Only files shown in the editor are checked, as in VS Code: checking every model
        # on each change kept the TS worker busy on a 2-core machine whenever a program or
        # another tab changed files, and took a core from the page's own frames.
        ts = self.monaco.typescript
        check_js = bool(self._compiler_options.get("checkJs", False))
        pairs = ((ts.typescriptDefaults, True), (ts.javascriptDefaults, check_js))
        for defaults, semantic in pairs:
            defaults.setDiagnosticsOptions(
                to_object(
                    {
                        "noSemanticValidation": not semantic,
                        "noSyntaxValidation": False,
                        "onlyVisible": True,
                        "diagnosticCodesToIgnore": self._ignored_codes,
                    }
                )
            )

    def set_declarations(self, files: dict[str, str]) -> None:
        """Declaration files (and the package.json files that lead to them) for the
        worker, at file:///node_modules/... URIs so that TypeScript resolves imports to
        them by itself. They are text handed to the worker, never run. Replaces the
        previous set ({} forgets them, as when another project opens)."""
        libs = [{"filePath": "file:///" + path, "content": text} for path, text in files.items()]
        ts = self.monaco.typescript
        for defaults in (ts.typescriptDefaults, ts.javascriptDefaults):
            defaults.setExtraLibs(to_object(libs))

    def dispose(self) -> None:
        self._opener.dispose()
        if self._vim is not None:
            self._vim.dispose()
        for model in self.models.values():
            model.dispose()
        self.models.clear()
        self.editor.dispose()


class DiffView:
    """Theirs (read-only, left) beside mine (editable, right): the merge happens on the right."""

    def __init__(self, monaco: Any, container: Any, path: str, theirs: str, mine: str) -> None:
        self.diff = monaco.editor.createDiffEditor(
            container,
            to_object(
                {
                    "automaticLayout": True,
                    "originalEditable": False,
                    "renderSideBySide": True,
                    "theme": theme_name(),
                }
            ),
        )
        self.original = monaco.editor.createModel(theirs, None, monaco.Uri.file(f"/.theirs/{path}"))
        self.modified = monaco.editor.createModel(mine, None, monaco.Uri.file(f"/.mine/{path}"))
        self.diff.setModel(to_object({"original": self.original, "modified": self.modified}))

    def merged_text(self) -> str:
        return str(self.modified.getValue())

    def dispose(self) -> None:
        self.diff.dispose()
        self.original.dispose()
        self.modified.dispose()
