"""The WebContainer API from Python, through client/glue/webcontainer.mjs.

Calls return plain Python values (bytes, lists); a refused call raises OSError with the
message the container gave (its Node error code included). Callback proxies belong to the
`Listeners` passed in and die with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.ffi import modules
from client.ffi.convert import to_object, to_python
from client.ffi.events import Listeners


async def _glue() -> Any:
    return await modules.load(modules.asset_url("client", "glue/webcontainer.mjs"))


def module_url() -> str:
    """The vendored @webcontainer/api (build.py bundles it into one module)."""
    return modules.asset_url("webcontainer", "webcontainer.mjs")


def _message(error: Exception) -> str:
    return str(getattr(error, "message", error))


class ContainerBridge:
    """One booted WebContainer, as the glue wraps it."""

    def __init__(self, handle: Any, listeners: Listeners) -> None:
        self.handle, self.listeners = handle, listeners
        self.workdir = str(handle.workdir)

    @classmethod
    async def boot(cls, listeners: Listeners, api_key: str, timeout_ms: int) -> ContainerBridge:
        """Raises OSError with the reason when it cannot boot (or did not within the time)."""
        glue = await _glue()
        options = to_object({"apiKey": api_key, "timeoutMs": timeout_ms})
        try:
            handle = await glue.boot(module_url(), options)
        except Exception as error:  # a JsException: the timeout, or the API's own refusal
            raise OSError(_message(error)) from None
        return cls(handle, listeners)

    async def call(self, method: str, *args: Any) -> Any:
        try:
            value = await getattr(self.handle, method)(*args)
        except Exception as error:
            raise OSError(_message(error)) from None
        return to_python(value)

    async def mount(self, tree: dict[str, Any]) -> None:
        await self.call("mount", to_object(tree))

    async def read_many(self, paths: list[str]) -> list[list[Any]]:
        """[path, bytes] per file read, [path, None, message] per path that was not."""
        return list(await self.call("readMany", to_object(paths)))

    async def write_file(self, path: str, content: bytes) -> None:
        await self.call("writeFile", path, to_object(content))

    def watch(self, on_batch: Callable[[list[str]], object]) -> Callable[[], None]:
        close = self.handle.watch(
            self.listeners.proxy(lambda names: on_batch([str(n) for n in names]))
        )
        return lambda: close()

    async def spawn(
        self,
        command: str,
        args: list[str],
        options: dict[str, Any],
        on_state: Callable[[str, Any], None],
    ) -> Any:
        """A process; the returned JS handle writes input, resizes, kills, attaches to a
        terminal, and knows `running`, `exitCode` and `output`."""
        proxy = self.listeners.proxy(lambda kind, value: on_state(str(kind), to_python(value)))
        try:
            return await self.handle.spawn(command, to_object(args), to_object(options), proxy)
        except Exception as error:
            raise OSError(_message(error)) from None

    def on(self, event: str, listener: Callable[..., None]) -> Callable[[], None]:
        unsubscribe = self.handle.on(
            event, self.listeners.proxy(lambda *args: listener(*[to_python(a) for a in args]))
        )
        return lambda: unsubscribe()

    async def set_preview_script(self) -> None:
        glue = await _glue()
        try:
            await self.handle.setPreviewScript(glue.PREVIEW_SCRIPT)
        except Exception as error:
            raise OSError(_message(error)) from None

    def release(self) -> None:
        """This engine is done with the page's container (which stays booted for the next)."""
        self.handle = None


async def listen_console(
    frame: Any, listeners: Listeners, callback: Callable[[str, str], None]
) -> Callable[[], None]:
    """console.log & co. of a WebContainer preview shown in `frame` (see PREVIEW_SCRIPT)."""
    glue = await _glue()
    stop = glue.listenConsole(
        frame, listeners.proxy(lambda level, text: callback(str(level), str(text)))
    )
    return lambda: stop()
