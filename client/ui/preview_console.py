"""The preview's console: what the previewed page logs (console.log/info/warn/error/debug)
and its uncaught errors with their stacks, shown under the preview.

The lines come from a small script the preview service worker puts into every HTML page it
serves (service_worker/preview/sw.js); client/glue/preview-host.mjs takes them only from
the preview iframe's own window. Everything is shown as text, never as markup: it is the
previewed program's output.
"""

from __future__ import annotations

from typing import Any

from client.ffi import dom
from client.ffi.events import Listeners

MAX_LINES = 500  # older lines go: a page logging in a loop must not grow the DOM forever


def preview_button(text: str, title: str, **attrs: str) -> Any:
    """A small button of the preview's bars (its address bar, this console's head)."""
    return dom.element("button", text, type="button", class_="pv-btn", title=title, **attrs)


class PreviewConsole:
    def __init__(self, parent: Any, listeners: Listeners) -> None:
        self.node = dom.element(
            "section", class_="pv-console", id="preview-console", aria_label="Preview console"
        )
        head = dom.element("div", class_="pv-console-head")
        self.title = dom.element("span", "Console", class_="pv-console-title")
        self.badge = dom.element("span", class_="pv-console-badge", id="preview-console-errors")
        self.badge.hidden = True
        clear = preview_button("Clear", "Clear the console", id="preview-console-clear")
        self.toggle = preview_button("▾", "Show or hide the console", aria_expanded="true")
        grow = dom.element("span", class_="grow")
        head.append(self.title, self.badge, grow, clear, self.toggle)
        self.lines = dom.element(
            "div",
            class_="pv-console-lines",
            id="preview-console-lines",
            role="log",
            aria_live="polite",
        )
        self.node.append(head, self.lines)
        parent.append(self.node)
        self.errors = 0
        listeners.on(clear, "click", lambda _e: self.clear())
        listeners.on(self.toggle, "click", lambda _e: self._collapse())

    def add(self, level: str, text: str, stack: str = "") -> None:
        kind = "error" if level in ("error", "uncaught") else level
        line = dom.element("div", class_=f"pv-line pv-{kind}", data_level=level)
        message = text
        if level == "uncaught":
            message = f"Uncaught {text}"
        line.append(dom.element("span", message, class_="pv-text"))
        # A stack whose first line repeats the message shows once.
        if stack and stack.strip() != text.strip():
            line.append(dom.element("pre", stack, class_="pv-stack"))
        self.lines.append(line)
        while self.lines.childElementCount > MAX_LINES:
            self.lines.firstElementChild.remove()
        self.lines.scrollTop = self.lines.scrollHeight
        if kind == "error":
            self.errors += 1
            self.badge.textContent = str(self.errors)
            self.badge.hidden = False

    def clear(self) -> None:
        dom.clear(self.lines)
        self.errors = 0
        self.badge.hidden = True

    def _collapse(self) -> None:
        shown = self.lines.hidden
        self.lines.hidden = not shown
        self.toggle.textContent = "▾" if shown else "▸"
        self.toggle.setAttribute("aria-expanded", "true" if shown else "false")
        self.node.classList.toggle("collapsed", not shown)
