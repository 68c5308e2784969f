"""The Pyodide engine's worker in its sandbox (client/glue/sandbox.mjs) and xterm terminals
(client/glue/terminal.mjs), from Python.

Python holds handles and gets told about states and file events; keystrokes and output
travel between xterm and the worker in JS only. Every callback proxy made here belongs to
the `Listeners` passed in and dies with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js

from client.ffi import modules
from client.ffi.convert import to_object, to_python
from client.ffi.events import Listeners


async def _glue() -> Any:
    return await modules.load(modules.asset_url("client", "glue/terminal.mjs"))


def _site_path(url: str) -> str:
    """An asset's path on the sandbox origin, for it to fetch on its own: its path under
    the IDE's base (`/ide/assets/...` -> `/assets/...` for a site served under /ide/; the
    sandbox site always has its assets at its root)."""
    path = str(js.URL.new(url).pathname)
    base = str(js.URL.new(js.document.baseURI).pathname)
    return "/" + path[len(base) :] if path.startswith(base) else path


class WorkerEngine:
    """The runtime worker in its sandbox (client/glue/sandbox.mjs): its calls (file
    operations, resize, close) and its sessions. Everything it sends is untrusted."""

    def __init__(
        self,
        glue: Any,
        sandbox_origin: str,
        listeners: Listeners,
        on_message: Callable[[dict[str, Any]], None],
    ) -> None:
        self.listeners = listeners
        self.handle = glue.createEngine(
            f"{sandbox_origin}/runtime.html",
            str(js.location.origin),
            listeners.proxy(lambda message: on_message(to_python(message))),
        )

    @classmethod
    async def create(
        cls, sandbox_origin: str, listeners: Listeners, on_message: Callable[[dict[str, Any]], None]
    ) -> WorkerEngine:
        glue = await modules.load(modules.asset_url("client", "glue/sandbox.mjs"))
        return cls(glue, sandbox_origin, listeners, on_message)

    @property
    def isolated(self) -> bool:
        """SharedArrayBuffer is there in the sandbox: input() can block, Ctrl+C interrupts."""
        return bool(self.handle.isolated)

    def boot(self, mirror: str | None = None, npm: str | None = None) -> None:
        """Start the worker: its files by path on the sandbox origin; `mirror`, the package
        mirror's PyPI index on the IDE's origin (absolute; None: the wheelhouse only);
        `npm`, the mirror's npm registry (absolute; None: npm cannot install)."""
        self.handle.boot(
            to_object(
                {
                    "pyodide": _site_path(modules.asset_url("pyodide", "")),
                    "client": _site_path(modules.asset_url("client", "client.zip")),
                    "worker": _site_path(modules.asset_url("client", "glue/runtime-worker.mjs")),
                    "wheelhouse": _site_path(modules.asset_url("wheelhouse", "simple")),
                    "mirror": mirror,
                    "npm": npm,
                }
            )
        )

    async def call(self, method: str, *args: Any) -> Any:
        """A host method in the worker; its error message becomes an OSError."""
        try:
            value = await self.handle.call(method, to_object(list(args)))
        except Exception as error:  # a JsException carrying the worker's message
            raise OSError(str(getattr(error, "message", error))) from None
        return to_python(value)

    def open(self, sid: str, options: dict[str, Any], on_state: Callable[[str, Any], None]) -> Any:
        """A session (shell) in the worker; the returned JS handle writes input (`write`),
        attaches to a terminal, and knows `running`, `exitCode` and `output`."""
        proxy = self.listeners.proxy(lambda kind, value: on_state(str(kind), to_python(value)))
        return self.handle.open(sid, to_object(options), proxy)

    def settled(self, request: int) -> None:
        """Answer the worker's "settle": what it must see before a command is written."""
        self.handle.settled(request)

    def terminate(self) -> None:
        self.handle.terminate()


class XTerm:
    """One xterm.js terminal in a DOM element, fitted to it."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    @classmethod
    async def create(cls, element: Any, options: dict[str, Any]) -> XTerm:
        glue = await _glue()
        base = modules.asset_url("xterm", "")
        return cls(await glue.createTerminal(element, base, to_object(options)))

    def attach(self, session: Any) -> None:
        self.handle.attach(session)

    def on_resize(self, listeners: Listeners, callback: Callable[[int, int], None]) -> None:
        self.handle.onResize(listeners.proxy(lambda cols, rows: callback(int(cols), int(rows))))

    def fit(self) -> tuple[int, int]:
        size = self.handle.fit()
        return int(size.cols), int(size.rows)

    def write(self, text: str) -> None:
        self.handle.write(text)

    def clear(self) -> None:
        self.handle.clear()

    def focus(self) -> None:
        self.handle.focus()

    def set_theme(self, theme: dict[str, str]) -> None:
        self.handle.setTheme(to_object(theme))

    def dispose(self) -> None:
        self.handle.dispose()


def on_theme_change(listeners: Listeners, callback: Callable[[], None]) -> Any:
    """Call back when the page's theme attribute changes (settings, palette, tests);
    returns the observer, to disconnect."""
    observer = js.MutationObserver.new(listeners.proxy(lambda *_args: callback()))
    observer.observe(
        js.document.documentElement,
        to_object({"attributes": True, "attributeFilter": ["data-theme"]}),
    )
    return observer
