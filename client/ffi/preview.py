"""The preview origin's link, from Python: loads client/glue/preview-host.mjs, which keeps
the hidden relay iframe and the MessagePort to the preview service worker. Requests come to
`on_request` (answered with a Python Answer, or an awaitable of one, sent as a plain JS
object with the body as a Uint8Array copy); console lines and the preview's location come
to their callbacks."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import js

from client.core.preview_site import Answer, AppAnswer
from client.ffi import modules
from client.ffi.convert import to_object, to_python
from client.ffi.events import Listeners


class PreviewHost:
    def __init__(self, listeners: Listeners) -> None:
        self.listeners = listeners
        self._handle: Any = None

    async def connect(
        self,
        origin: str,
        sid: str,
        *,
        on_request: Callable[..., Answer | AppAnswer | Awaitable[Answer | AppAnswer]],
        on_console: Callable[[str, str, str], None],
        on_location: Callable[[str], None],
        on_ready: Callable[[], None],
        on_error: Callable[[str], None],
    ) -> None:
        module = await modules.load(modules.asset_url("client", "glue/preview-host.mjs"))

        async def request(method: str, path: str, query: str, headers: Any, body: Any) -> Any:
            result = on_request(
                method, path, query, to_python(headers) or {}, to_python(body) or b""
            )
            answer = await result if inspect.isawaitable(result) else result
            return to_object(
                {"status": answer.status, "headers": answer.headers, "body": answer.body}
            )

        options = js.Object.new()
        options.origin = origin
        options.sid = sid
        options.onRequest = self.listeners.proxy(request)
        options.onConsole = self.listeners.proxy(on_console)
        options.onLocation = self.listeners.proxy(on_location)
        options.onReady = self.listeners.proxy(on_ready)
        options.onError = self.listeners.proxy(on_error)
        self._handle = module.connect(options)

    def watch(self, frame: Any) -> None:
        """Console and location messages are taken from this iframe's window only."""
        if self._handle is not None:
            self._handle.watch(frame)

    def dispose(self) -> None:
        if self._handle is not None:
            self._handle.dispose()
            self._handle = None


def observe_hidden(node: Any, listeners: Listeners, callback: Callable[[], None]) -> Any:
    """Call back when `node`'s hidden attribute changes (the layout shows or hides the panel
    from several places); returns the observer, to disconnect."""
    observer = js.MutationObserver.new(listeners.proxy(lambda _records, _observer: callback()))
    options = js.Object.new()
    options.attributes = True
    options.attributeFilter = to_object(["hidden"])
    observer.observe(node, options)
    return observer


def open_tab(url: str) -> None:
    # noopener: the preview's code gets no handle on the IDE's window.
    js.window.open(url, "_blank", "noopener")
