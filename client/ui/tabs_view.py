"""The tab strip above the editor: click to switch, middle-click or × to close, drag to
reorder, a dot for unsaved changes, right-click for Close / Close Others. One delegated
listener per event type on the strip (no proxy per tab)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from client.ffi import dom
from client.ffi.convert import to_object
from client.ffi.events import Listeners

if TYPE_CHECKING:
    from client.ui.editor_view import EditorView


def _tab_of(event: Any) -> Any:
    node = event.target.closest(".tab")
    return node if dom.present(node) else None


class TabStrip:
    def __init__(self, host: Any, listeners: Listeners, view: EditorView) -> None:
        self.host, self.view, self.listeners = host, view, listeners
        self._nodes: dict[str, Any] = {}
        self._shown: tuple[tuple[str, ...], str | None] | None = None  # (paths, active) drawn
        self._dirty: dict[str, bool] = {}  # the marker each tab node shows
        self._dragging: str | None = None
        self._menu: Any = None
        listeners.on(host, "click", self._click)
        listeners.on(host, "auxclick", self._aux)
        listeners.on(host, "mousedown", self._mousedown)
        listeners.on(host, "dragstart", self._drag_start)
        listeners.on(host, "dragover", self._drag_over)
        listeners.on(host, "drop", self._drop)
        listeners.on(host, "dragend", lambda _e: self._clear_drop())
        listeners.on(host, "contextmenu", self._context)
        listeners.on(dom.document(), "mousedown", self._close_menu)

    def render(self) -> None:
        tabs = self.view.tabs
        shown = (tuple(tabs.paths), tabs.active)
        if shown == self._shown:
            # The workbench redraws on every model change (each file a tool writes): the
            # same tabs keep their nodes; rebuilding them and scrolling the active one
            # into view forced a layout in the middle of typing.
            for path in tabs.paths:
                self.update_dirty(path)
            return
        self._shown = shown
        nodes = []
        self._nodes, self._dirty = {}, {}
        for path in tabs.paths:
            name = path.rsplit("/", 1)[-1]
            tab = dom.element(
                "div",
                class_="tab",
                role="tab",
                draggable="true",
                data_path=path,
                title=path,
                aria_selected="true" if path == tabs.active else "false",
            )
            tab.append(dom.element("span", name, class_="tab-name"))
            close = dom.element(
                "button",
                type="button",
                class_="tab-close",
                aria_label=f"Close {name}",
                title="Close (Ctrl+W)",
            )
            close.append(dom.element("span", "×"))
            tab.append(close)
            dirty = self._dirty[path] = self.view.dirty(path)
            tab.setAttribute("data-dirty", "true" if dirty else "false")
            nodes.append(tab)
            self._nodes[path] = tab
        self.host.replaceChildren(*nodes)
        active = self._nodes.get(tabs.active) if tabs.active else None
        if active is not None:
            active.scrollIntoView(to_object({"block": "nearest", "inline": "nearest"}))

    def update_dirty(self, path: str) -> None:
        node = self._nodes.get(path)
        dirty = self.view.dirty(path)
        if node is not None and self._dirty.get(path) != dirty:
            self._dirty[path] = dirty
            node.setAttribute("data-dirty", "true" if dirty else "false")

    # ------------------------------------------------------------ events

    def _click(self, event: Any) -> None:
        tab = _tab_of(event)
        if tab is None:
            return
        path = str(tab.getAttribute("data-path"))
        if dom.present(event.target.closest(".tab-close")):
            event.stopPropagation()
            self.view.close(path)
        else:
            self.view.open(path)

    def _mousedown(self, event: Any) -> None:
        if int(event.button) == 1:  # middle: no autoscroll cursor
            event.preventDefault()

    def _aux(self, event: Any) -> None:
        tab = _tab_of(event)
        if tab is not None and int(event.button) == 1:
            event.preventDefault()
            self.view.close(str(tab.getAttribute("data-path")))

    def _drag_start(self, event: Any) -> None:
        tab = _tab_of(event)
        if tab is None:
            return
        self._dragging = str(tab.getAttribute("data-path"))
        event.dataTransfer.effectAllowed = "move"
        event.dataTransfer.setData("text/plain", self._dragging)

    def _target_index(self, event: Any) -> int:
        """Where a drop lands: before the tab under the pointer, or after it when past
        its middle."""
        tab = _tab_of(event)
        paths = self.view.tabs.paths
        if tab is None:
            return len(paths)
        index = paths.index(str(tab.getAttribute("data-path")))
        box = tab.getBoundingClientRect()
        return index + (1 if float(event.clientX) > float(box.left) + float(box.width) / 2 else 0)

    def _drag_over(self, event: Any) -> None:
        if self._dragging is None:
            return
        event.preventDefault()
        self._clear_drop()
        index = self._target_index(event)
        paths = self.view.tabs.paths
        if index < len(paths):
            self._nodes[paths[index]].classList.add("drop-before")

    def _drop(self, event: Any) -> None:
        if self._dragging is None:
            return
        event.preventDefault()
        self.view.move(self._dragging, self._target_index(event))
        self._dragging = None

    def _clear_drop(self) -> None:
        for node in self._nodes.values():
            node.classList.remove("drop-before")

    # ------------------------------------------------------------ context menu

    def _context(self, event: Any) -> None:
        tab = _tab_of(event)
        if tab is None:
            return
        event.preventDefault()
        path = str(tab.getAttribute("data-path"))
        self._close_menu()
        menu = dom.element("div", class_="context-menu", role="menu", id="tab-menu")
        for label, action in (
            ("Close", lambda: self.view.close(path)),
            ("Close Others", lambda: self.view.close_others(path)),
        ):
            item = dom.element("button", label, type="button", role="menuitem")

            def clicked(_e: Any, act: Callable[[], None] = action) -> None:
                self._close_menu()
                act()

            item.onclick = self.listeners.proxy(clicked)
            menu.append(item)
        menu.style.left = f"{int(event.clientX)}px"
        menu.style.top = f"{int(event.clientY)}px"
        dom.document().body.append(menu)
        self._menu = menu

    def _close_menu(self, event: Any = None) -> None:
        if self._menu is None:
            return
        if event is not None and dom.present(event.target.closest("#tab-menu")):
            return
        self._menu.remove()
        self._menu = None
