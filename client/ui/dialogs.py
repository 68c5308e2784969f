"""Modal dialogs on the browser's own <dialog>: showModal() makes the rest of the page inert,
keeps Tab inside, and turns Escape into a "cancel"; we add focus going back to where it was.

`confirm()` is the question before something that cannot be undone. Its safe answer,
Cancel, has the focus, so Enter or Escape pressed by reflex loses nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from client.ffi import dom, modules
from client.ffi.events import Listeners


class Dialog:
    def __init__(self, title: str, dialog_id: str) -> None:
        modules.use_styles("popups")
        self.returns_to = dom.document().activeElement
        self.node = dom.element(
            "dialog", class_="modal", id=dialog_id, aria_labelledby=f"{dialog_id}-title"
        )
        self.body = dom.element("div", class_="modal-body")
        self.actions = dom.element("div", class_="modal-actions")
        self.node.append(dom.element("h2", title, id=f"{dialog_id}-title"), self.body, self.actions)
        self.listeners = Listeners()
        self.on_close: Callable[[], None] | None = None
        self.listeners.on(self.node, "close", self._closed)

    def button(
        self,
        label: str,
        action: Callable[[], None],
        *,
        kind: str = "",
        button_id: str = "",
        submit: bool = False,
    ) -> Any:
        """A button in the action row; kind: '' (primary), 'secondary' or 'danger'."""
        node = dom.element("button", label, type="submit" if submit else "button")
        if kind:
            node.setAttribute("class", kind)
        if button_id:
            node.setAttribute("id", button_id)
        if not submit:
            self.listeners.on(node, "click", lambda _e: action())
        self.actions.append(node)
        return node

    def show(self, focus: Any = None) -> None:
        dom.document().body.append(self.node)
        self.node.showModal()
        if focus is not None:
            focus.focus()

    def close(self) -> None:
        if bool(self.node.open):
            self.node.close()

    def _closed(self, _event: Any) -> None:
        self.node.remove()
        back = self.returns_to
        if dom.present(back) and bool(back.isConnected):
            back.focus()
        # Later, not now: this runs inside one of the listeners being destroyed.
        asyncio.get_event_loop().call_soon(self.listeners.dispose)
        if self.on_close is not None:
            self.on_close()


async def confirm(
    title: str,
    message: str,
    confirm_label: str,
    *,
    dialog_id: str = "confirm-dialog",
    danger: bool = True,
) -> bool:
    """True when the person chose `confirm_label`; False on Cancel, Escape or closing."""
    answer = asyncio.get_event_loop().create_future()
    chosen: list[bool] = []
    dialog = Dialog(title, dialog_id)
    dialog.body.append(dom.element("p", message))

    def choose(value: bool) -> None:
        chosen.append(value)
        dialog.close()

    cancel = dialog.button(
        "Cancel", lambda: choose(False), kind="secondary", button_id=f"{dialog_id}-cancel"
    )
    dialog.button(
        confirm_label,
        lambda: choose(True),
        kind="danger" if danger else "",
        button_id=f"{dialog_id}-confirm",
    )

    def closed() -> None:
        if not answer.done():
            answer.set_result(bool(chosen and chosen[0]))

    dialog.on_close = closed
    dialog.show(focus=cancel)
    return bool(await answer)
