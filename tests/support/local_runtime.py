"""The Pyodide engine's host (client/core/runtime_host.py) driven under CPython on a
temporary folder, behind the Runtime interface: what the worker's JS does, in Python.

It lets the runtime contract and the host's logic run in milliseconds without a browser;
the same contract also runs against the real worker in Chromium.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import tempfile
from collections.abc import Callable
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
from client.core.runtime_host import Host
from client.core.watcher import FsEvent
from contract import rules as rules_module


class Bridge:
    def __init__(self, runtime: LocalRuntime) -> None:
        self.runtime = runtime
        self.typed: dict[str, str] = {}

    def write(self, sid: str, text: str) -> None:
        self.runtime.processes[sid].out += text

    def read(self, sid: str, _timeout_ms: int) -> str:
        text, self.typed[sid] = self.typed.get(sid, ""), ""
        return text

    def can_block(self) -> bool:
        return False  # one thread: nothing could type while a program waits

    def check_interrupt(self) -> bool:
        return False

    def state(self, sid: str, kind: str, value: Any) -> None:
        process = self.runtime.processes.get(sid)
        if process is not None and kind == "exit" and not process.done.done():
            process.exit_code = int(value)
            process.done.set_result(int(value))

    def events(self, batch: list[list[Any]]) -> None:
        changes = [FileChange(FsEvent(kind, path), content) for kind, path, content in batch]
        for listener in list(self.runtime.fs.watchers):
            listener(changes)


class LocalFs(RuntimeFs):
    def __init__(self, runtime: LocalRuntime) -> None:
        self.runtime = runtime
        self.watchers: list[Callable[[list[FileChange]], None]] = []

    def _do(self, method: str, *args: Any) -> Any:
        try:
            return getattr(self.runtime.host, method)(*args)
        except OSError as error:
            raise RuntimeRefused(f"{error.strerror or error}: {args[0]}") from None

    async def read_file(self, path: str) -> bytes:
        return bytes(self._do("read_file", path))

    async def write_file(self, path: str, content: bytes | str) -> None:
        self._do("write_file", path, content.encode() if isinstance(content, str) else content)

    async def readdir(self, path: str = "") -> list[DirEntry]:
        return [DirEntry(name, is_dir) for name, is_dir in self._do("readdir", path)]

    async def mkdir(self, path: str, recursive: bool = False) -> None:
        self._do("mkdir", path, recursive)

    async def rm(self, path: str, recursive: bool = False, force: bool = False) -> None:
        self._do("rm", path, recursive, force)

    async def rename(self, old: str, new: str) -> None:
        self._do("rename", old, new)

    def watch(self, listener: Callable[[list[FileChange]], None]) -> Unsubscribe:
        self.watchers.append(listener)
        return lambda: self.watchers.remove(listener)


class LocalProcess(Process):
    def __init__(self, runtime: LocalRuntime, sid: str) -> None:
        self.runtime, self.sid, self.out = runtime, sid, ""
        self.done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def write(self, data: str) -> None:
        bridge = self.runtime.bridge
        bridge.typed[self.sid] = bridge.typed.get(self.sid, "") + data
        self.runtime.pump(self.sid)

    def resize(self, cols: int, rows: int) -> None:
        self.runtime.host.resize(self.sid, cols, rows)

    def kill(self) -> None:
        self.runtime.host.close(self.sid)
        if not self.done.done():
            self.exit_code = 130
            self.done.set_result(130)

    async def wait(self) -> int:
        return await self.done

    async def output(self) -> str:
        return self.out


class LocalRuntime(Runtime):
    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="cospai-runtime-")
        self.cwd = os.getcwd()
        self.status = Status(RuntimeState.BOOTING)
        self.fs: LocalFs = LocalFs(self)
        self.bridge = Bridge(self)
        self.processes: dict[str, LocalProcess] = {}
        self.emitter = Emitter()
        self.ids = itertools.count(1)
        self.host: Host
        self._pumping: asyncio.Future[None] | None = None

    async def boot(self) -> Status:
        root = os.path.join(self.folder.name, "project")
        self.host = Host(self.bridge, root, rules_module.load())
        self.status = Status(RuntimeState.READY)
        return self.status

    def on(self, event: str, listener: Listener) -> Unsubscribe:
        return self.emitter.on(event, listener)

    async def mount(self, tree: FileTree) -> None:
        self.host.mount(tree)

    async def spawn(
        self, command: str, args: list[str] | None = None, options: SpawnOptions | None = None
    ) -> LocalProcess:
        options = options or SpawnOptions()
        interactive, line = command_line(command, list(args or []))
        process = LocalProcess(self, f"s{next(self.ids)}")
        self.processes[process.sid] = process
        self.host.open(
            process.sid,
            interactive,
            line,
            options.cols,
            options.rows,
            options.cwd or "",
            dict(options.env),
            [],
        )
        await asyncio.sleep(0)
        return process

    def pump(self, sid: str) -> None:
        previous = self._pumping

        async def after() -> None:
            if previous is not None:
                await previous
            await self.host.pump(sid)

        self._pumping = asyncio.ensure_future(after())

    async def teardown(self) -> None:
        os.chdir(self.cwd)  # the host chdirs into the project to run commands
        self.folder.cleanup()
        self.status = Status(RuntimeState.UNAVAILABLE, "stopped")
