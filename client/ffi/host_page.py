"""The page around an embed (window.parent): postMessage out, message events in, and the
clipboard. A message is taken only from the parent window itself (`event.source`), never
from another frame that happens to share an allowed origin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js

from client.ffi.convert import to_object, to_python
from client.ffi.events import Listeners


def embedded() -> bool:
    return bool(js.window.parent != js.window)


def post(data: dict[str, Any], origin: str) -> None:
    """Send to the host page; the browser drops it unless the parent is at `origin`."""
    if embedded():
        js.window.parent.postMessage(to_object(data), origin)


def listen(listeners: Listeners, handler: Callable[[Any, str], None]) -> None:
    """handler(data, origin) for each message the parent window sends."""

    def on_message(event: Any) -> None:
        if event.source != js.window.parent or not embedded():
            return
        handler(to_python(event.data), str(event.origin))

    listeners.on(js.window, "message", on_message)


def copy_text(text: str) -> None:
    """To the clipboard (the Share dialog's Copy buttons)."""
    clipboard = getattr(js.navigator, "clipboard", None)
    if clipboard is not None:
        clipboard.writeText(text).catch(listener_noop)


def _noop(*_args: Any) -> None:
    return None


listener_noop = Listeners().proxy(_noop)  # lives as long as the page
