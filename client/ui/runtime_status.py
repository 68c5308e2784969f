"""The runtime as the user sees it: the status bar item (#status-engine) names the engine
and its state, and a click opens the menu that changes the project's runtime setting; an
engine that cannot run says why in one line above the editor, with a button for the
other engine.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from client.core.engine_choice import (
    NAMES,
    PYODIDE,
    SETTING_LABELS,
    SETTINGS,
    WEBCONTAINER,
    Choice,
)
from client.core.runtime import RuntimeState, Status
from client.ffi import dom
from client.ffi.events import Listeners
from client.ui.popup_menu import MenuItem, PopupMenu

STATE_WORDS = {
    "booting": "starting…",
    "ready": "ready",
    "failed": "failed",
    "unavailable": "unavailable",
}


class RuntimeStatusView:
    def __init__(
        self, above_editor: Any, setting: Callable[[], str], use: Callable[[str], None]
    ) -> None:
        """`setting()` is the project's runtime setting now; `use(setting)` changes it."""
        self.setting, self.use = setting, use
        self._offer_listeners = Listeners()
        self.node = dom.element(
            "button", type="button", class_="status-item status-engine", id="status-engine"
        )
        footer = dom.document().querySelector("footer")
        build = dom.by_id("status-build")
        if dom.present(footer):
            footer.insertBefore(self.node, build) if build is not None else footer.append(self.node)
        self.menu = PopupMenu(
            self.node, self._menu_items, "Runtime", lambda: "Runtime for this project"
        )
        self.offer = dom.element("div", class_="runtime-offer", id="runtime-offer", role="alert")
        self.offer.hidden = True
        above_editor.prepend(self.offer)

    def show(self, status: Status, engine: str, choice: Choice | None) -> None:
        text = f"{NAMES[engine]}: {STATE_WORDS[status.state.value]}"
        if status.state is not RuntimeState.READY and status.reason:
            text += f" ({status.reason})"
        elif status.reason:  # ready, but without cross-origin isolation: the title says what
            text += " (limited)"
        self.node.textContent = text
        why = f" Chosen by {choice.why}." if choice else ""
        self.node.title = f"The runtime: {status.label}.{why} Click to change."
        self.node.setAttribute("data-state", status.state.value)
        self.node.setAttribute("data-engine", engine)
        dom.set_state("engine", status.state.value)
        dom.set_state("runtime-engine", engine)
        failed = status.state in {RuntimeState.UNAVAILABLE, RuntimeState.FAILED}
        restarting = status.reason.startswith("crashed")  # a fresh engine is on its way
        offered = failed and status.reason != "stopped" and not restarting
        self._offer(status if offered else None, engine)

    def _offer(self, status: Status | None, engine: str) -> None:
        """One line on why the engine cannot run, and a button for the other one."""
        self._offer_listeners.dispose()
        if status is None:
            self.offer.hidden = True
            self.offer.replaceChildren()
            return
        other = PYODIDE if engine == WEBCONTAINER else WEBCONTAINER
        line = dom.element(
            "span",
            f"{NAMES[engine]} is {status.state.value}: {status.reason}.",
            class_="runtime-offer-text",
        )
        button = dom.element(
            "button",
            f"Use {NAMES[other]} instead",
            type="button",
            class_="runtime-offer-use",
            data_engine=other,
        )
        self._offer_listeners.on(button, "click", lambda _e: self.use(other))
        self.offer.replaceChildren(line, button)
        self.offer.hidden = False

    def _menu_items(self) -> list[MenuItem]:
        current = self.setting()
        return [
            MenuItem(
                ("✓ " if setting == current else "  ") + SETTING_LABELS[setting],
                partial(self.use, setting),
                id=f"runtime-setting-{setting}",
            )
            for setting in SETTINGS
        ]

    def dispose(self) -> None:
        self.menu.dispose()
        self._offer_listeners.dispose()
        self.node.remove()
        self.offer.remove()
