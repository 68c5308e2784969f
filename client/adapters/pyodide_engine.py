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

from client.core.runtime import (
    DirEntry,
    Emitter,
    FileChange,
    FileTree,
    Listener,
    Process,
    Runtime,
    RuntimeFs,
    RuntimeRefused,
    RuntimeState,
    SpawnOptions,
    Status,
    Unsubscribe,
    command_line,
)
from client.core.sandbox import file_changes
from client.core.tasks import spawn
from client.ffi.events import Listeners
from client.ffi.runtime_worker import WorkerEngine

NOT_ISOLATED = (
    "this page is not cross-origin isolated: Ctrl+C cannot stop a running "
    "program and input() cannot read the keyboard"
)


class PyodideFs(RuntimeFs):
    def __init__(self, runtime: PyodideRuntime) -> None:
        self.runtime = runtime
        self._watchers: list[Callable[[list[FileChange]], None]] = []

    async def _call(self, method: str, *args: Any) -> Any:
        try:
            return await self.runtime.call(method, *args)
        except OSError as error:
            raise RuntimeRefused(str(error)) from None

    async def read_file(self, path: str) -> bytes:
        return bytes(await self._call("read_file", path))

    async def write_file(self, path: str, content: bytes | str) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        await self._call("write_file", path, data)

    async def readdir(self, path: str = "") -> list[DirEntry]:
        return [
            DirEntry(str(name), bool(is_dir)) for name, is_dir in await self._call("readdir", path)
        ]

    async def mkdir(self, path: str, recursive: bool = False) -> None:
        await self._call("mkdir", path, recursive)

    async def rm(self, path: str, recursive: bool = False, force: bool = False) -> None:
        await self._call("rm", path, recursive, force)

    async def rename(self, old: str, new: str) -> None:
        await self._call("rename", old, new)

    def watch(self, listener: Callable[[list[FileChange]], None]) -> Unsubscribe:
        self._watchers.append(listener)
        return lambda: self._watchers.remove(listener) if listener in self._watchers else None

    def _events(self, batch: Any) -> None:
        changes = file_changes(batch)
        if not changes:
            return
        for listener in list(self._watchers):
            listener(changes)


class PyodideProcess(Process):
    """A shell session in the worker. `attach(terminal)` shows it in an xterm (bytes then
    flow in JS only); `on_state(kind, value)` hears running / idle / history / exit."""

    def __init__(self, runtime: PyodideRuntime, sid: str) -> None:
        self.runtime, self.sid = runtime, sid
        self.on_state: Callable[[str, Any], None] = lambda kind, value: None
        self._exit: asyncio.Future[int] = asyncio.get_event_loop().create_future()
        self.handle: Any = None

    def _state(self, kind: str, value: Any) -> None:
        if kind == "exit" and not self._exit.done():
            self.exit_code = int(value)
            self._exit.set_result(self.exit_code)
        self.on_state(kind, value)

    @property
    def running(self) -> bool:
        return bool(self.handle.running)

    def attach(self, terminal: Any) -> None:
        terminal.attach(self.handle)

    def write(self, data: str) -> None:
        self.handle.write(data)

    def resize(self, cols: int, rows: int) -> None:
        if self.exit_code is None:
            self.handle.resize(cols, rows)

    def kill(self) -> None:
        if self.exit_code is not None:
            return
        if self.handle.running:
            self.handle.write("\x03")  # interrupts the running program when isolated
        if self.runtime.status.state is RuntimeState.READY:  # not after a crash
            spawn(self.runtime.call("close", self.sid), "close a shell")
        self.handle.close()
        self._state("exit", 130)

    async def wait(self) -> int:
        return await self._exit

    async def output(self) -> str:
        return str(self.handle.output)


class PyodideRuntime(Runtime):
    def __init__(self, sandbox_origin: str | None = None, unavailable: str = "") -> None:
        """`sandbox_origin`: where the worker runs; None with `unavailable` saying why
        there is none (the runtime then never starts: never on the IDE's origin)."""
        self.sandbox_origin = sandbox_origin
        self.unavailable = unavailable or "no sandbox origin"
        self.status = Status(RuntimeState.BOOTING, "not started")
        self.fs: PyodideFs = PyodideFs(self)
        self.listeners = Listeners()
        self.engine: WorkerEngine | None = None
        self._emitter = Emitter()
        self._ready: asyncio.Future[Status] | None = None
        self._ids = itertools.count(1)
        # Awaited when the worker is about to run a command (its "settle" message): the
        # workbench writes the editor's pending changes, so `python main.py` typed right
        # after an edit runs the new text, not the one 300 ms old.
        self.before_command: Callable[[], Awaitable[None]] | None = None

    def on(self, event: str, listener: Listener) -> Unsubscribe:
        return self._emitter.on(event, listener)

    @property
    def isolated(self) -> bool:
        return self.engine is not None and self.engine.isolated

    async def boot(self) -> Status:
        if self._ready is None:
            self._ready = asyncio.get_event_loop().create_future()
            if self.sandbox_origin is None:
                self._set(Status(RuntimeState.UNAVAILABLE, self.unavailable))
                return await self._ready
            try:
                self.engine = await WorkerEngine.create(
                    self.sandbox_origin, self.listeners, self._message
                )
                self.engine.boot()
            except Exception as error:
                self._set(Status(RuntimeState.UNAVAILABLE, f"the worker cannot start: {error}"))
        return await self._ready

    def _set(self, status: Status) -> None:
        self.status = status
        self._emitter.emit("status", status)
        done = status.state is not RuntimeState.BOOTING
        if done and self._ready is not None and not self._ready.done():
            self._ready.set_result(status)

    def _message(self, message: Any) -> None:
        if not isinstance(message, dict):
            return
        op = message.get("op")
        if op == "status":
            try:
                state = RuntimeState(message.get("state"))
            except ValueError:
                return
            reason = str(message.get("reason") or "")[:500]
            if state is RuntimeState.READY and not self.isolated:
                reason = NOT_ISOLATED
            self._set(Status(state, reason))
        elif op == "settle" and isinstance(message.get("id"), int):
            spawn(self._settle(message["id"]), "write the editor's changes before a command")
        elif op == "events":
            self.fs._events(message.get("batch"))
        elif op == "crashed":
            reason = str(message.get("reason") or "the Python engine stopped")[:500]
            self._set(Status(RuntimeState.FAILED, f"crashed: {reason}"))
            self._emitter.emit("crashed", reason)
        elif op == "error":
            self._emitter.emit("error", str(message.get("message", ""))[:500])
        elif op == "server-ready":  # preview: serve(app, port) ran (client/worker/serve.py)
            port = message.get("port")
            if isinstance(port, int) and 0 < port < 65536:
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
        if self.engine is None or self.status.state is not RuntimeState.READY:
            raise OSError(f"the runtime is not ready ({self.status.label})")
        return await self.engine.call(method, *args)

    async def mount(self, tree: FileTree) -> None:
        await self.call("mount", tree)

    async def spawn(
        self,
        command: str,
        args: list[str] | None = None,
        options: SpawnOptions | None = None,
        history: list[str] | None = None,
    ) -> PyodideProcess:
        if self.engine is None or self.status.state is not RuntimeState.READY:
            raise RuntimeRefused(f"the runtime is not ready ({self.status.label})")
        options = options or SpawnOptions()
        interactive, line = command_line(command, list(args or []))
        process = PyodideProcess(self, f"s{next(self._ids)}")
        process.handle = self.engine.open(
            process.sid,
            {
                "interactive": interactive,
                "line": line,
                "cols": options.cols,
                "rows": options.rows,
                "cwd": options.cwd or "",
                "env": dict(options.env),
                "history": list(history or []),
            },
            process._state,
        )
        return process

    async def teardown(self) -> None:
        if self.engine is not None:
            self.engine.terminate()
            self.engine = None
        self.listeners.dispose()
        self._set(Status(RuntimeState.UNAVAILABLE, "stopped"))
