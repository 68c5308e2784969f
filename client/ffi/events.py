"""DOM event listeners from Python. Every listener is a proxy; a Listeners set owns them
and destroys them all when its view goes away, so none leaks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyodide.ffi import create_proxy


class Listeners:
    def __init__(self) -> None:
        self._items: list[tuple[Any, ...]] = []

    def on(self, target: Any, event: str, handler: Callable[[Any], Any]) -> None:
        proxy = create_proxy(handler)
        target.addEventListener(event, proxy)
        self._items.append((target, event, proxy, False))

    def on_capture(self, target: Any, event: str, handler: Callable[[Any], Any]) -> None:
        """Listen in the capture phase: the handler runs before the target's own (Monaco
        swallows keys it knows, so workbench shortcuts must see them first)."""
        proxy = create_proxy(handler)
        target.addEventListener(event, proxy, True)
        self._items.append((target, event, proxy, True))

    def proxy(self, handler: Callable[..., Any]) -> Any:
        """A proxy for a JS callback API (not addEventListener); destroyed with the rest."""
        proxy = create_proxy(handler)
        self._items.append((None, "", proxy, False))
        return proxy

    def dispose(self) -> None:
        for target, event, proxy, capture in self._items:
            if target is not None:
                target.removeEventListener(event, proxy, capture)
            proxy.destroy()
        self._items.clear()
