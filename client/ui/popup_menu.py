"""A menu that drops from a button (the dashboard's "⋯", the account menu).

It follows the WAI-ARIA menu-button pattern, because people reach it by keyboard too:
the button says aria-haspopup/aria-expanded; opening focuses the first item; arrows,
Home and End move; Enter or Space picks; Escape closes and gives focus back to the button;
Tab, a click elsewhere or a pick closes it. The menu exists only while open, so its
listeners live exactly that long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from client.ffi import dom, modules
from client.ffi.events import Listeners


@dataclass(frozen=True)
class MenuItem:
    label: str
    action: Callable[[], object] | None = None  # None with href: a link (a download)
    id: str = ""
    href: str = ""
    download: bool = False  # with href: save the answer (named by the server), not show it
    danger: bool = False


class PopupMenu:
    def __init__(
        self,
        button: Any,
        items: Callable[[], list[MenuItem]],
        label: str,
        heading: Callable[[], str] | None = None,
    ) -> None:
        """`items` is asked at each opening, so the menu always reflects the current state."""
        modules.use_styles("popups")
        self.button, self.items, self.label, self.heading = button, items, label, heading
        button.setAttribute("aria-haspopup", "menu")
        button.setAttribute("aria-expanded", "false")
        self.listeners = Listeners()  # the button's own, for the menu's whole life
        self.open_listeners: Listeners | None = None  # only while open
        self.node: Any = None
        self.entries: list[Any] = []
        self.listeners.on(button, "click", self._toggle)
        self.listeners.on(button, "keydown", self._button_key)

    @property
    def is_open(self) -> bool:
        return self.node is not None

    def _toggle(self, event: Any) -> None:
        event.preventDefault()
        if self.is_open:
            self.close(focus_button=True)
        else:
            self.open()

    def _button_key(self, event: Any) -> None:
        key = str(event.key)
        if key in {"ArrowDown", "ArrowUp"} and not self.is_open:
            event.preventDefault()
            self.open(last=key == "ArrowUp")

    def open(self, last: bool = False) -> None:
        self.node = dom.element("div", class_="popup-menu", role="menu", aria_label=self.label)
        if self.heading is not None:
            self.node.append(
                dom.element("div", self.heading(), class_="popup-heading", role="presentation")
            )
        self.entries = []
        self.open_listeners = Listeners()
        for item in self.items():
            entry = dom.element(
                "a" if item.href else "button",
                item.label,
                role="menuitem",
                tabindex="-1",
                class_="popup-item",
            )
            if item.href:
                entry.setAttribute("href", item.href)
                if item.download:
                    entry.setAttribute("download", "")
            else:
                entry.setAttribute("type", "button")
            if item.id:
                entry.setAttribute("id", item.id)
            if item.danger:
                entry.classList.add("danger")

            def picked(e: Any, it: MenuItem = item) -> None:
                self._pick(e, it)

            self.open_listeners.on(entry, "click", picked)
            self.entries.append(entry)
            self.node.append(entry)
        # Beside the button in the DOM: it scrolls with it, and reads in order for screen readers.
        self.button.after(self.node)
        self.button.setAttribute("aria-expanded", "true")
        self.open_listeners.on(self.node, "keydown", self._menu_key)
        self.open_listeners.on(self.node, "focusout", self._focus_left)
        self.open_listeners.on_capture(dom.document(), "mousedown", self._outside)
        if self.entries:
            self.entries[-1 if last else 0].focus()

    def _pick(self, event: Any, item: MenuItem) -> None:
        if item.action is None:
            # A link (a download): the browser follows it after this click; close after.
            asyncio.get_event_loop().call_soon(lambda: self.close(focus_button=True))
            return
        event.preventDefault()
        # Focus goes back to the button first, so a dialog the action opens returns there.
        self.close(focus_button=True)
        item.action()

    def _menu_key(self, event: Any) -> None:
        key = str(event.key)
        if key == "Escape":
            event.preventDefault()
            event.stopPropagation()  # a dialog or view behind must not also close
            self.close(focus_button=True)
            return
        if key == "Tab":
            self.close(focus_button=False)
            return
        if not self.entries:
            return
        current = next(
            (i for i, e in enumerate(self.entries) if e.isSameNode(dom.document().activeElement)),
            -1,
        )
        moves = {
            "ArrowDown": current + 1,
            "ArrowUp": current - 1,
            "Home": 0,
            "End": len(self.entries) - 1,
        }
        if key in moves:
            event.preventDefault()
            self.entries[moves[key] % len(self.entries)].focus()

    def _focus_left(self, event: Any) -> None:
        # Focus moved somewhere outside the menu (and not to its button): close quietly.
        target = event.relatedTarget
        if not dom.present(target):
            return
        if not self.node.contains(target) and not self.button.contains(target):
            self.close(focus_button=False)

    def _outside(self, event: Any) -> None:
        target = event.target
        if not self.node.contains(target) and not self.button.contains(target):
            self.close(focus_button=False)

    def close(self, focus_button: bool) -> None:
        if self.node is None:
            return
        self.node.remove()
        self.node = None
        self.entries = []
        if self.open_listeners is not None:
            # Later, not now: we may be inside one of these very listeners.
            asyncio.get_event_loop().call_soon(self.open_listeners.dispose)
            self.open_listeners = None
        self.button.setAttribute("aria-expanded", "false")
        if focus_button:
            self.button.focus()

    def dispose(self) -> None:
        self.close(focus_button=False)
        self.listeners.dispose()
