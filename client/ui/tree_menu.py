"""The file tree's context menu and its delete confirmation.

The menu opens at the pointer (right click) or under the focused row (Shift+F10, the
ContextMenu key), takes the focus, and is driven by arrows, Home/End, Enter/Space and
Escape. It exists only while open: its listeners are made on opening and disposed on
closing. The confirmation is a native <dialog> (showModal keeps the page inert and turns
Escape into cancel) listing what would go.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from client.ffi import dom
from client.ffi.events import Listeners

SHOWN_IN_CONFIRM = 12  # more than this and the list ends with "and N more"


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    keys: str = ""  # the shortcut shown at the right, when the tree has the focus
    enabled: bool = True
    separator_before: bool = False


class TreeMenu:
    def __init__(self, on_pick: Callable[[str], None], on_close: Callable[[], None]) -> None:
        self.on_pick, self.on_close = on_pick, on_close
        self.node: Any = None
        self.listeners: Listeners | None = None

    @property
    def is_open(self) -> bool:
        return self.node is not None

    def open(self, items: list[Item], x: float, y: float) -> None:
        self.close(give_back=False)
        node = dom.element(
            "div",
            class_="tree-menu",
            role="menu",
            aria_label="File actions",
            id="tree-menu",
            tabindex="-1",
        )
        for item in items:
            if item.separator_before:
                node.append(dom.element("div", class_="tree-menu-sep", role="separator"))
            button = dom.element(
                "button", type="button", role="menuitem", data_action=item.id, tabindex="-1"
            )
            button.append(dom.element("span", item.label))
            if item.keys:
                button.append(dom.element("kbd", item.keys))
            if not item.enabled:
                button.setAttribute("aria-disabled", "true")
            node.append(button)
        dom.document().body.append(node)
        # Keep it on screen: flip left/up when it would cross the window's edge.
        window = dom.window()
        width, height = float(node.offsetWidth), float(node.offsetHeight)
        x = min(x, float(window.innerWidth) - width - 4)
        y = y if y + height <= float(window.innerHeight) - 4 else max(4.0, y - height)
        node.style.left = f"{max(4.0, x)}px"
        node.style.top = f"{y}px"
        self.node = node
        self.listeners = Listeners()
        self.listeners.on(node, "click", self._click)
        self.listeners.on(node, "keydown", self._key)
        self.listeners.on(node, "focusout", self._focus_out)
        self.listeners.on(dom.window(), "mousedown", self._outside)
        self.listeners.on(dom.window(), "blur", lambda _e: self.close())
        self._move(0, absolute=True)

    def close(self, give_back: bool = True) -> None:
        if self.node is None:
            return
        node, self.node = self.node, None
        if self.listeners is not None:
            # Later, not now: the handler running this may be one of those proxies.
            asyncio.get_event_loop().call_soon(self.listeners.dispose)
            self.listeners = None
        node.remove()
        if give_back:
            self.on_close()

    # ------------------------------------------------------------ events

    def _entries(self) -> list[Any]:
        found = self.node.querySelectorAll("[role=menuitem]:not([aria-disabled=true])")
        return [found.item(i) for i in range(int(found.length))]

    def _move(self, step: int, absolute: bool = False) -> None:
        entries = self._entries()
        if not entries:
            self.node.focus()
            return
        active = dom.document().activeElement
        current = next((i for i, e in enumerate(entries) if e == active), -1)
        index = step if absolute else (current + step) % len(entries)
        entries[index % len(entries)].focus()

    def _click(self, event: Any) -> None:
        button = event.target.closest("[role=menuitem]")
        if not dom.present(button) or button.getAttribute("aria-disabled") == "true":
            return
        self._pick(str(button.getAttribute("data-action")))

    def _pick(self, action: str) -> None:
        self.close()
        self.on_pick(action)

    def _key(self, event: Any) -> None:
        key = str(event.key)
        event.stopPropagation()
        moves = {"ArrowDown": 1, "ArrowUp": -1}
        if key in moves:
            event.preventDefault()
            self._move(moves[key])
        elif key in {"Home", "End"}:
            event.preventDefault()
            self._move(0 if key == "Home" else -1, absolute=True)
        elif key in {"Enter", " "}:
            event.preventDefault()
            active = dom.document().activeElement
            if (
                dom.present(active)
                and active.getAttribute("role") == "menuitem"
                and active.getAttribute("aria-disabled") != "true"
            ):
                self._pick(str(active.getAttribute("data-action")))
        elif key in {"Escape", "Tab"}:
            event.preventDefault()
            self.close()

    def _focus_out(self, event: Any) -> None:
        after = event.relatedTarget
        if self.node is not None and dom.present(after) and not self.node.contains(after):
            self.close(give_back=False)

    def _outside(self, event: Any) -> None:
        if self.node is not None and not self.node.contains(event.target):
            self.close(give_back=False)


def confirm_delete(paths: list[str], kinds: dict[str, str], on_yes: Callable[[], None]) -> None:
    """Ask before deleting `paths` (kinds: path -> 'file'|'folder'); `on_yes` if confirmed."""
    listeners = Listeners()
    returns_to = dom.document().activeElement
    dialog = dom.element(
        "dialog", class_="tree-confirm", id="tree-confirm", aria_labelledby="tree-confirm-title"
    )
    what = f"“{paths[0].rpartition('/')[2]}”" if len(paths) == 1 else f"these {len(paths)} items"
    dialog.append(dom.element("h2", f"Delete {what}?", id="tree-confirm-title"))
    listing = dom.element("ul", class_="tree-confirm-list")
    for path in paths[:SHOWN_IN_CONFIRM]:
        suffix = "/ (folder and everything in it)" if kinds.get(path) == "folder" else ""
        listing.append(dom.element("li", path + suffix, data_path=path))
    if len(paths) > SHOWN_IN_CONFIRM:
        listing.append(dom.element("li", f"and {len(paths) - SHOWN_IN_CONFIRM} more"))
    dialog.append(listing)
    dialog.append(dom.element("p", "You can undo this right after.", class_="tree-confirm-note"))
    actions = dom.element("div", class_="tree-confirm-actions")
    yes = dom.element("button", "Delete", type="button", class_="danger", id="tree-confirm-yes")
    no = dom.element("button", "Cancel", type="button", class_="secondary", id="tree-confirm-no")
    actions.append(no, yes)
    dialog.append(actions)
    answer: list[bool] = []

    def close(yes_pressed: bool) -> None:
        answer.append(yes_pressed)
        dialog.close()

    def closed(_event: Any) -> None:
        asyncio.get_event_loop().call_soon(listeners.dispose)  # not from inside its own proxy
        dialog.remove()
        if dom.present(returns_to):
            returns_to.focus()
        if answer and answer[0]:
            on_yes()

    listeners.on(yes, "click", lambda _e: close(True))
    listeners.on(no, "click", lambda _e: close(False))
    listeners.on(dialog, "close", closed)  # Escape comes here too, with no answer
    dom.document().body.append(dialog)
    dialog.showModal()
    yes.focus()  # deleting can be undone, so Enter may confirm (as in VS Code)
