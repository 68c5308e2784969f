"""The Pyodide engine behind the Runtime interface: a worker with its own Python running
client/core/runtime_host.py (see client/glue/runtime-worker.mjs), in an iframe on the
project's sandbox origin (client/glue/sandbox.mjs), never on the IDE's.

Works offline after one visit. With cross-origin isolation, programs can read the keyboard
(`input()`) and Ctrl+C interrupts them; without it the shell still works and the status
says what is missing. What the sandbox sends is untrusted (it runs the project's code):
messages are checked here before they reach the workbench.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from client.adapters.terminal_process import TerminalProcess, TerminalRuntime, terminal_options
from client.core import runtime as rt
from client.core.sandbox import file_changes
from client.core.tasks import spawn
from client.ffi.events import Listeners
from client.ffi.runtime_worker import WorkerEngine

NOT_ISOLATED = (
    "this page is not cross-origin isolated: Ctrl+C cannot stop a running "
    "program and input() cannot read the keyboard"
)


class PyodideFs(rt.RuntimeFs):
    def __init__(self, runtime: PyodideRuntime) -> None:
        self.runtime = runtime
        self._watchers = rt.Watchers()

    async def _call(self, method: str, *args: Any) -> Any:
        try:
            return await self.runtime.call(method, *args)
        except OSError as error:
            raise rt.RuntimeRefused(str(error)) from None

    async def read_file(self, path: str) -> bytes:
        return bytes(await self._call("read_file", path))

    async def write_file(self, path: str, content: bytes | str) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        await self._call("write_file", path, data)

    async def readdir(self, path: str = "") -> list[rt.DirEntry]:
        entries = await self._call("readdir", path)
        return [rt.DirEntry(str(name), bool(is_dir)) for name, is_dir in entries]

    async def mkdir(self, path: str, recursive: bool = False) -> None:
        await self._call("mkdir", path, recursive)

    async def rm(self, path: str, recursive: bool = False, force: bool = False) -> None:
        await self._call("rm", path, recursive, force)

    async def rename(self, old: str, new: str) -> None:
        await self._call("rename", old, new)

    def watch(self, listener: Callable[[list[rt.FileChange]], None]) -> rt.Unsubscribe:
        return self._watchers.add(listener)

    def _events(self, batch: Any) -> None:
        changes = file_changes(batch)
        if changes:
            self._watchers.tell(changes)


class PyodideProcess(TerminalProcess):
    """A shell session in the worker. `attach(terminal)` shows it in an xterm (bytes then
    flow in JS only); `on_state(kind, value)` hears running / idle / history / exit."""

    def __init__(self, runtime: PyodideRuntime, sid: str) -> None:
        super().__init__()
        self.runtime, self.sid = runtime, sid

    @property
    def running(self) -> bool:
        return bool(self.handle.running)

    def kill(self) -> None:
        if self.exit_code is not None:
            return
        if self.handle.running:
            self.handle.write("\x03")  # interrupts the running program when isolated
        if self.runtime.status.state is rt.RuntimeState.READY:  # not after a crash
            spawn(self.runtime.call("close", self.sid), "close a shell")
        self.handle.close()
        self._state("exit", 130)


class PyodideRuntime(TerminalRuntime):
    def __init__(
        self,
        sandbox_origin: str | None = None,
        unavailable: str = "",
        mirror: str | None = None,
        npm: str | None = None,
    ) -> None:
        """`sandbox_origin`: where the worker runs; None with `unavailable` saying why
        there is none (the runtime then never starts: never on the IDE's origin).
        `mirror`: the server's PyPI index for pip (None: the wheelhouse only); `npm`: its npm
        registry for npm (None: npm cannot install)."""
        self.sandbox_origin = sandbox_origin
        self.mirror = mirror
        self.npm = npm
        self.unavailable = unavailable or "no sandbox origin"
        self.status = rt.Status(rt.RuntimeState.BOOTING, "not started")
        self.fs: PyodideFs = PyodideFs(self)
        self.listeners = Listeners()
        self.engine: WorkerEngine | None = None
        self._emitter = rt.Emitter()
        self._ready: asyncio.Future[rt.Status] | None = None
        self._ids = itertools.count(1)
        # Awaited when the worker is about to run a command (its "settle" message): the
        # workbench writes the editor's pending changes, so `python main.py` typed right
        # after an edit runs the new text, not the one 300 ms old.
        self.before_command: Callable[[], Awaitable[None]] | None = None

    def on(self, event: str, listener: rt.Listener) -> rt.Unsubscribe:
        return self._emitter.on(event, listener)

    @property
    def isolated(self) -> bool:
        return self.engine is not None and self.engine.isolated

    async def boot(self) -> rt.Status:
        if self._ready is None:
            self._ready = asyncio.get_event_loop().create_future()
            if self.sandbox_origin is None:
                self._set(rt.Status(rt.RuntimeState.UNAVAILABLE, self.unavailable))
                return await self._ready
            try:
                self.engine = await WorkerEngine.create(
                    self.sandbox_origin, self.listeners, self._message
                )
                self.engine.boot(self.mirror, self.npm)
            except Exception as error:
                self._set(
                    rt.Status(rt.RuntimeState.UNAVAILABLE, f"the worker cannot start: {error}")
                )
        return await self._ready

    def _set(self, status: rt.Status) -> None:
        self.status = status
        self._emitter.emit("status", status)
        done = status.state is not rt.RuntimeState.BOOTING
        if done and self._ready is not None and not self._ready.done():
            self._ready.set_result(status)

    def _message(self, message: Any) -> None:
        if not isinstance(message, dict):
            return
        op = message.get("op")
        if op == "status":
            try:
                state = rt.RuntimeState(message.get("state"))
            except ValueError:
                return
            reason = str(message.get("reason") or "")[:500]
            if state is rt.RuntimeState.READY and not self.isolated:
                reason = NOT_ISOLATED
            self._set(rt.Status(state, reason))
        elif op == "settle" and isinstance(message.get("id"), int):
            spawn(self._settle(message["id"]), "write the editor's changes before a command")
        elif op == "events":
            self.fs._events(message.get("batch"))
        elif op == "crashed":
            reason = str(message.get("reason") or "the Python engine stopped")[:500]
            self._set(rt.Status(rt.RuntimeState.FAILED, f"crashed: {reason}"))
            self._emitter.emit("crashed", reason)
        elif op == "error":
            self._emitter.emit("error", str(message.get("message", ""))[:500])
        elif op == "server-ready":  # preview: serve(app, port) ran (client/worker/serve.py)
            port = message.get("port")
            # JSON's true is an int to Python: a bool is no port.
            if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536:
                # No URL passes on: the preview shows the app on the sandbox origin, never
                # an address the sandbox picks.
                self._emitter.emit("server-ready", port, "")
                self._emitter.emit("port", port, "open", "")

    async def _settle(self, request: int) -> None:
        try:
            if self.before_command is not None:
                await self.before_command()
        finally:  # answered even when the write failed (the link has said why)
            if self.engine is not None:
                self.engine.settled(request)

    async def call(self, method: str, *args: Any) -> Any:
        if self.engine is None or self.status.state is not rt.RuntimeState.READY:
            raise OSError(f"the runtime is not ready ({self.status.label})")
        return await self.engine.call(method, *args)

    async def mount(self, tree: rt.FileTree) -> None:
        await self.call("mount", tree)

    async def start(
        self, interactive: bool, line: str, options: rt.SpawnOptions | None, history: list[str]
    ) -> PyodideProcess:
        if self.engine is None or self.status.state is not rt.RuntimeState.READY:
            raise rt.RuntimeRefused(f"the runtime is not ready ({self.status.label})")
        process = PyodideProcess(self, f"s{next(self._ids)}")
        session = {"interactive": interactive, "line": line, **terminal_options(options)}
        session["history"] = history
        process.handle = self.engine.open(process.sid, session, process._state)
        return process

    async def teardown(self) -> None:
        if self.engine is not None:
            self.engine.terminate()
            self.engine = None
        self.listeners.dispose()
        self._set(rt.Status(rt.RuntimeState.UNAVAILABLE, "stopped"))
