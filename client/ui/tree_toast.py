"""The explorer's toast: one line under the tree after a delete, a restore or an upload,
with an Undo button after a delete. It hides by itself after TOAST_SECONDS (a newer
message starts the wait again), or when one of its buttons is clicked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from client.core.tasks import spawn
from client.ffi import dom

TOAST_SECONDS = 15


class TreeToast:
    def __init__(self, node: Any, run: Callable[[str], None]) -> None:
        """`node`: the toast's element; `run(action)` runs a button's data-action."""
        self.node, self.run = node, run
        self._token = 0

    def show(self, text: str, undo: bool = False) -> None:
        self._token += 1
        token = self._token
        self.node.replaceChildren(dom.element("span", text))
        if undo:
            self.node.append(
                dom.element(
                    "button",
                    "Undo",
                    type="button",
                    data_action="undo",
                    id="tree-undo",
                    title="Undo (Ctrl+Z in the tree)",
                )
            )
        self.node.hidden = False
        spawn(self._hide_later(token), "hide the message")

    async def _hide_later(self, token: int) -> None:
        await asyncio.sleep(TOAST_SECONDS)
        if token == self._token:
            self.node.hidden = True

    def click(self, event: Any) -> None:
        button = event.target.closest("button[data-action]")
        if dom.present(button):
            self.node.hidden = True
            self.run(str(button.getAttribute("data-action")))

    def dispose(self) -> None:
        self._token += 1  # a wait still running hides nothing
