"""The workbench frame: sidebar (explorer / search), editor area, bottom panel (terminal),
preview, with draggable dividers and panels that hide. Sizes and hidden panels are saved
per project through `on_save`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.core.layout_state import SIDEBAR_VIEWS, Layout
from client.ffi import dom
from client.ffi.events import Listeners

# (divider, the panel it resizes, axis, +1 when dragging right/down grows the panel)
DIVIDERS = (("sidebar", "x", 1), ("preview", "x", -1), ("bottom", "y", -1))
STATUS_ITEMS = ("status-notice", "status-cursor", "status-language", "status-vim")


class LayoutView:
    def __init__(
        self, root: Any, listeners: Listeners, state: Layout, on_save: Callable[[], None]
    ) -> None:
        self.state, self.on_save, self.listeners = state, on_save, listeners
        self.frame = dom.element("div", class_="wb", id="workbench-layout")
        # Sidebar: a switch between its views, one body per view.
        self.panels: dict[str, Any] = {}
        sidebar = dom.element("aside", class_="wb-sidebar", id="sidebar", aria_label="Sidebar")
        switch = dom.element("div", class_="panel-title sidebar-switch")
        self._bodies: dict[str, Any] = {}
        self._switches: dict[str, Any] = {}
        for view in SIDEBAR_VIEWS:
            button = dom.element(
                "button", view.capitalize(), type="button", data_view=view, class_="sidebar-tab"
            )

            def show(_e: Any, v: str = view) -> None:
                self.show_sidebar(v)

            self.listeners.on(button, "click", show)
            switch.append(button)
            self._switches[view] = button
            self._bodies[view] = dom.element(
                "div", class_="panel-body sidebar-body", id=f"sidebar-{view}"
            )
        sidebar.append(switch, *self._bodies.values())
        self.panels["sidebar"] = sidebar
        # Centre: the editor area over the bottom panel.
        center = dom.element("div", class_="wb-center")
        self.editor_area = dom.element("div", class_="editor-area", id="editor-area")
        self.tabs_host = dom.element("div", class_="tabs", id="tabs", role="tablist")
        self.notice = dom.element("div", class_="editor-notice", id="editor-notice", role="status")
        self.notice.hidden = True
        host = dom.element("div", class_="editor-host")
        self.editor_box = dom.element("div", class_="editor", id="editor")
        self.viewer = dom.element("div", class_="viewer", id="viewer")
        self.viewer.hidden = True
        self.empty = dom.element(
            "div", "No file open. Ctrl+P finds one.", class_="editor-empty", id="editor-empty"
        )
        host.append(self.editor_box, self.viewer, self.empty)
        self.editor_area.append(self.tabs_host, self.notice, host)
        bottom = self._panel(
            "bottom", "Terminal", "section", "wb-bottom", "The terminal arrives with the runtime."
        )
        preview = self._panel(
            "preview",
            "Preview",
            "section",
            "wb-preview",
            "Run the project to see its preview here.",
        )
        self.dividers = {
            name: dom.element(
                "div",
                class_=f"divider {'v' if axis == 'x' else 'h'}",
                data_divider=name,
                role="separator",
            )
            for name, axis, _sign in DIVIDERS
        }
        center.append(self.editor_area, self.dividers["bottom"], bottom)
        self.frame.append(
            sidebar, self.dividers["sidebar"], center, self.dividers["preview"], preview
        )
        root.replaceChildren(self.frame)
        self._status = self._status_items()
        self._drag: tuple[str, str, int, float, int] | None = None
        for name, axis, sign in DIVIDERS:
            start = lambda e, n=name, a=axis, s=sign: self._start(e, n, a, s)  # noqa: E731
            self.listeners.on(self.dividers[name], "pointerdown", start)

            def reset(_e: Any, n: str = name) -> None:
                self._reset(n)

            self.listeners.on(self.dividers[name], "dblclick", reset)
        self.listeners.on(self.frame, "pointermove", self._move)
        self.listeners.on(self.frame, "pointerup", self._end)
        self.listeners.on(self.frame, "pointercancel", self._end)
        self.apply()

    def _panel(self, name: str, title: str, tag: str, css: str, empty: str) -> Any:
        panel = dom.element(tag, class_=css, id=f"{name}-panel", aria_label=title)
        head = dom.element("div", class_="panel-title")
        head.append(dom.element("span", title), dom.element("span", class_="grow"))
        close = dom.element(
            "button", "×", type="button", title=f"Hide {title.lower()}", data_hide=name
        )
        self.listeners.on(close, "click", lambda _e: self.toggle(name, False))
        head.append(close)
        body = dom.element("div", class_="panel-body", id=f"{name}-host")
        body.append(dom.element("div", empty, class_="panel-empty"))
        panel.append(head, body)
        self.panels[name] = panel
        return panel

    def _status_items(self) -> list[Any]:
        footer = dom.document().querySelector("footer")
        build = dom.by_id("status-build")
        items = []
        for item_id in STATUS_ITEMS:
            old = dom.by_id(item_id)
            if old is not None:
                old.remove()
            node = dom.element("span", class_="status-item", id=item_id)
            if dom.present(footer):
                footer.insertBefore(node, build) if build is not None else footer.append(node)
            items.append(node)
        return items

    # ------------------------------------------------------------ panels

    def sidebar_body(self, view: str) -> Any:
        return self._bodies[view]

    def show_sidebar(self, view: str) -> None:
        self.state.sidebar_view = view
        self.toggle("sidebar", True)

    def toggle(self, panel: str, show: bool | None = None) -> bool:
        shown = self.state.toggle(panel, show)
        self.apply()
        self.on_save()
        return shown

    def apply(self) -> None:
        for name, panel in self.panels.items():
            visible = self.state.visible(name)
            panel.hidden = not visible
            self.dividers[name].hidden = not visible
            dom.set_state(f"panel-{name}", "shown" if visible else "hidden")
        self.panels["sidebar"].style.width = f"{self.state.sizes['sidebar']}px"
        self.panels["preview"].style.width = f"{self.state.sizes['preview']}px"
        self.panels["bottom"].style.height = f"{self.state.sizes['bottom']}px"
        for view, body in self._bodies.items():
            body.hidden = view != self.state.sidebar_view
            self._switches[view].setAttribute(
                "aria-pressed", "true" if view == self.state.sidebar_view else "false"
            )
        dom.set_state("sidebar-view", self.state.sidebar_view)

    # ------------------------------------------------------------ dragging a divider

    def _start(self, event: Any, name: str, axis: str, sign: int) -> None:
        event.preventDefault()
        self.dividers[name].setPointerCapture(event.pointerId)
        self.dividers[name].classList.add("dragging")
        at = float(event.clientX if axis == "x" else event.clientY)
        self._drag = (name, axis, sign, at, self.state.sizes[name])

    def _move(self, event: Any) -> None:
        if self._drag is None:
            return
        name, axis, sign, start, size = self._drag
        at = float(event.clientX if axis == "x" else event.clientY)
        self.state.resize(name, size + sign * (at - start))
        self.apply()

    def _end(self, _event: Any) -> None:
        if self._drag is None:
            return
        self.dividers[self._drag[0]].classList.remove("dragging")
        self._drag = None
        self.on_save()

    def _reset(self, name: str) -> None:
        from client.core.layout_state import SIZES

        self.state.resize(name, SIZES[name][0])
        self.apply()
        self.on_save()

    def dispose(self) -> None:
        for node in self._status:
            node.remove()
