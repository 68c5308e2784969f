"""The workbench's own commands with their shortcuts (the views add theirs: explorer,
terminal, preview, search...), and the window's keydown handler that runs a command
when its chord is pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from client.core.commands import CommandRegistry, chord
from client.core.settings import Settings
from client.ffi import dom
from client.ui.ports import Frame, Saving
from client.ui.settings_view import SettingsDialog

if TYPE_CHECKING:
    from client.ui.editor_view import EditorView


class CommandsBench(Frame, Saving, Protocol):
    settings: Settings
    editor: EditorView | None

    def change_setting(self, name: str, value: object) -> None: ...


Entry = tuple[str, str, Callable[[], object], str | tuple[str, ...]]  # id, title, run, keys


def register(bench: CommandsBench) -> None:
    layout = bench.layout

    def on_editor(action: Callable[[EditorView], object]) -> Callable[[], None]:
        def run() -> None:
            if bench.editor is not None:
                action(bench.editor)

        return run

    def on_active(action: Callable[[EditorView, str], object]) -> Callable[[], None]:
        return on_editor(lambda e: e.tabs.active is not None and action(e, e.tabs.active))

    def cycle(step: int) -> Callable[[], None]:
        return on_editor(lambda e: e.cycle(step))

    def monaco(action: str) -> Callable[[], None]:
        return on_editor(lambda e: e.editor.action(action))

    def setting(name: str, value: Callable[[Settings], object]) -> Callable[[], None]:
        return lambda: bench.change_setting(name, value(bench.settings))

    def flip(name: str) -> Callable[[], None]:
        return setting(name, lambda s: not getattr(s, name))

    def font(step: int) -> Callable[[], None]:
        return setting("font_size", lambda s: s.font_size + step)

    def theme(_settings: Settings) -> str:
        return "light" if dom.theme_is_dark() else "dark"

    def open_settings() -> None:
        SettingsDialog(bench.settings, bench.change_setting)

    files: tuple[Entry, ...] = (
        ("file.save", "Save", lambda: bench.syncing.save("Saved with Ctrl+S"), "Ctrl+S"),
    )
    views: tuple[Entry, ...] = (
        ("view.toggleSidebar", "Toggle File Tree", lambda: layout.toggle("sidebar"), "Ctrl+B"),
        ("view.toggleTerminal", "Toggle Terminal", lambda: layout.toggle("bottom"), "Ctrl+`"),
        ("view.togglePreview", "Toggle Preview", lambda: layout.toggle("preview"), "Ctrl+Alt+P"),
        ("view.explorer", "Show Explorer", lambda: layout.show_sidebar("explorer"), "Ctrl+Shift+E"),
    )
    editor: tuple[Entry, ...] = (
        ("editor.closeTab", "Close Tab", on_active(lambda e, p: e.close(p)), ("Ctrl+W", "Alt+W")),
        ("editor.closeOthers", "Close Other Tabs", on_active(lambda e, p: e.close_others(p)), ()),
        ("editor.nextTab", "Next Tab", cycle(1), ("Ctrl+PageDown", "Alt+]")),
        ("editor.previousTab", "Previous Tab", cycle(-1), ("Ctrl+PageUp", "Alt+[")),
        ("editor.format", "Format Document", monaco("format"), "Shift+Alt+F"),
        ("editor.find", "Find", monaco("find"), ()),
        ("editor.replace", "Replace", monaco("replace"), ()),
        ("editor.reloadTypes", "Reload Types from node_modules", on_editor(_reload_types), ()),
    )
    preferences: tuple[Entry, ...] = (
        ("settings.open", "Open Settings", open_settings, "Ctrl+,"),
        ("settings.vim", "Toggle Vim Mode", flip("vim"), ()),
        ("settings.minimap", "Toggle Minimap", flip("minimap"), ()),
        ("settings.wordWrap", "Toggle Word Wrap", flip("word_wrap"), "Alt+Z"),
        ("settings.fontBigger", "Increase Font Size", font(1), "Ctrl+="),
        ("settings.fontSmaller", "Decrease Font Size", font(-1), "Ctrl+-"),
        ("settings.theme", "Toggle Light/Dark Theme", setting("theme", theme), ()),
    )
    for category, entries in (
        ("File", files),
        ("View", views),
        ("Editor", editor),
        ("Preferences", preferences),
    ):
        for command_id, title, run, keys in entries:
            bench.commands.add(command_id, title, run, keys, category)


def _reload_types(editor: EditorView) -> None:
    editor.types.reload()


def on_key(commands: CommandRegistry, event: Any) -> None:
    """A keydown anywhere in the page (capture phase: our shortcuts win over Monaco's and
    the browser's where allowed) that is a command's chord runs that command."""
    pressed = chord(
        str(event.key),
        bool(event.ctrlKey),
        bool(event.shiftKey),
        bool(event.altKey),
        bool(event.metaKey),
    )
    command = commands.for_chord(pressed)
    if command is None:
        return
    if command.id.startswith("editor.") and in_terminal(event):
        # In the terminal, editor keys belong to the shell (Ctrl+W cuts a word there),
        # as in VS Code; workbench keys (Ctrl+P, Ctrl+`, Ctrl+B...) still work.
        return
    event.preventDefault()
    event.stopPropagation()
    command.run()


def in_terminal(event: Any) -> bool:
    target = event.target
    return (
        dom.present(target)
        and hasattr(target, "closest")
        and dom.present(target.closest("#bottom-panel"))
    )
