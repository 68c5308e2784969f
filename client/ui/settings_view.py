"""The settings dialog: theme, font size, word wrap, minimap, vim mode. Each change applies
at once and is remembered (the workbench stores it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.core.settings import FONT_SIZES, THEMES, Settings
from client.ffi import dom
from client.ffi.events import Listeners


class SettingsDialog:
    def __init__(self, settings: Settings, change: Callable[[str, object], None]) -> None:
        self.listeners = Listeners()
        self.change = change
        self.backdrop = dom.element("div", class_="dialog-backdrop", id="settings-dialog")
        box = dom.element(
            "div", class_="dialog", role="dialog", aria_modal="true", aria_label="Settings"
        )
        box.append(dom.element("h2", "Settings"))
        theme = dom.element("select", name="theme")
        for value in THEMES:
            option = dom.element("option", value.capitalize(), value=value)
            if value == settings.theme:
                option.setAttribute("selected", "")
            theme.append(option)
        low, high = FONT_SIZES
        size = dom.element(
            "input",
            type="number",
            name="font_size",
            min=str(low),
            max=str(high),
            value=str(settings.font_size),
        )
        box.append(self._row("Theme", theme), self._row("Font size", size))
        for name, label in (
            ("word_wrap", "Word wrap"),
            ("minimap", "Minimap"),
            ("vim", "Vim mode"),
        ):
            toggle = dom.element("input", type="checkbox", name=name)
            toggle.checked = bool(getattr(settings, name))

            def toggled(e: Any, n: str = name) -> None:
                self.change(n, bool(e.target.checked))

            self.listeners.on(toggle, "change", toggled)
            box.append(self._row(label, toggle))
        self.listeners.on(theme, "change", lambda e: self.change("theme", str(e.target.value)))
        self.listeners.on(size, "change", self._size)
        close = dom.element("button", "Close", type="button", id="settings-close")
        actions = dom.element("div", class_="actions")
        actions.append(close)
        box.append(actions)
        self.backdrop.append(box)
        dom.document().body.append(self.backdrop)
        self.listeners.on(close, "click", lambda _e: self.close())
        self.listeners.on(self.backdrop, "keydown", self._key)
        self.listeners.on(self.backdrop, "mousedown", self._outside)
        theme.focus()

    @staticmethod
    def _row(label: str, control: Any) -> Any:
        row = dom.element("label", label)
        row.append(control)
        return row

    def _size(self, event: Any) -> None:
        text = str(event.target.value)
        if text.strip().lstrip("-").isdigit():
            self.change("font_size", int(text))

    def _key(self, event: Any) -> None:
        if str(event.key) == "Escape":
            event.stopPropagation()
            self.close()

    def _outside(self, event: Any) -> None:
        if event.target == self.backdrop:
            self.close()

    def close(self) -> None:
        self.backdrop.remove()
        self.listeners.dispose()
