"""The WebContainer engine behind the Runtime interface: real Node.js, npm and `jsh` from
StackBlitz's @webcontainer/api (vendored; client/ffi/webcontainer.py and
client/glue/webcontainer.mjs call it).

It runs on StackBlitz's service: unreachable (offline, blocked), boot() never settles, so it
is raced with a timeout and the status says `unavailable` with the reason. A page boots one
container, once: each engine after the first (another project, a switch back) reuses it
from an emptied workdir. The project is mounted as a FileSystemTree under the container's
workdir; paths here are relative to it.
Processes run through `jsh` (the container's shell); a terminal shows their output in JS.
Node's watch events are read back and classified (client/core/container_fs.py), so files
`npm install` or a command creates reach the model, and our own writes are not echoed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from client.adapters.terminal_process import TerminalProcess, TerminalRuntime, terminal_options
from client.core import runtime as rt
from client.core.container_fs import ContainerFiles, clean_name, errno_of, refusal, tree_of
from client.core.tasks import spawn
from client.ffi.events import Listeners
from client.ffi.webcontainer import ContainerBridge

BOOT_TIMEOUT_MS = 20_000  # a reachable service boots in a few seconds
SHELL = "jsh"


class WebContainerFs(rt.RuntimeFs):
    def __init__(self, runtime: WebContainerRuntime) -> None:
        self.runtime = runtime
        self.files = ContainerFiles()
        self._watchers = rt.Watchers()
        self._close: Callable[[], None] | None = None
        self._reading = asyncio.Lock()  # batches are classified in the order they came

    async def _call(self, method: str, path: str, *args: Any) -> Any:
        try:
            return await self.runtime.bridge().call(method, path, *args)
        except OSError as error:
            raise rt.RuntimeRefused(refusal(str(error), path)) from None

    async def read_file(self, path: str) -> bytes:
        return bytes(await self._call("readFile", path))

    async def write_file(self, path: str, content: bytes | str) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        self.files.wrote(path, data)  # before the write: its watch echo may come first
        try:
            await self.runtime.bridge().write_file(path, data)
        except OSError as error:
            self.files.removed(path)
            raise rt.RuntimeRefused(refusal(str(error), path)) from None

    async def readdir(self, path: str = "") -> list[rt.DirEntry]:
        entries = await self._call("readdir", path)
        return sorted(
            (rt.DirEntry(str(name), bool(is_dir)) for name, is_dir in entries),
            key=lambda entry: entry.name,
        )

    async def mkdir(self, path: str, recursive: bool = False) -> None:
        await self._call("mkdir", path, recursive)

    async def rm(self, path: str, recursive: bool = False, force: bool = False) -> None:
        try:
            await self.runtime.bridge().call("rm", path, recursive, force)
        except OSError as error:
            if not (force and errno_of(str(error)) == "ENOENT"):
                raise rt.RuntimeRefused(refusal(str(error), path)) from None
        self.files.removed(path)

    async def rename(self, old: str, new: str) -> None:
        await self._call("rename", old, new)
        self.files.renamed(old, new)

    # ------------------------------------------------------------ watching

    def watch(self, listener: Callable[[list[rt.FileChange]], None]) -> rt.Unsubscribe:
        unsubscribe = self._watchers.add(listener)
        if self._close is None:
            self._close = self.runtime.bridge().watch(
                lambda names: spawn(self._heard(names), "read the files programs changed")
            )
        return unsubscribe

    async def _heard(self, names: list[str]) -> None:
        """Read back each named path (skipping ignored ones: node_modules/ is never read)
        and report what programs changed."""
        workdir, ignored = self.runtime.workdir, self.runtime.ignored
        paths = sorted({clean_name(name, workdir) for name in names} - {""})
        async with self._reading:
            changes = await self._classify([p for p in paths if not ignored(p)])
            if changes:
                self._watchers.tell(changes)

    async def _classify(self, paths: list[str]) -> list[rt.FileChange]:
        """Each path read back (all in one call) as a create, change, delete or nothing."""
        if not paths:
            return []
        try:
            found = await self.runtime.bridge().read_many(paths)
        except OSError:
            return []  # the container went away
        changes: list[rt.FileChange] = []
        for path, content, error in (entry + [None] * (3 - len(entry)) for entry in found):
            if content is not None:
                change = self.files.present(str(path), bytes(content))
                changes += [change] if change is not None else []
                continue
            code = errno_of(str(error))
            if code == "EISDIR":
                changes += await self._walk(str(path))
            elif code in {"ENOENT", "ENOTDIR"}:
                changes += self.files.gone(str(path))
            # unreadable for another reason: the next event tries again
        return changes

    async def _walk(self, folder: str) -> list[rt.FileChange]:
        """A folder appeared (moved in, or made with files): every file in it."""
        try:
            entries = await self.runtime.bridge().call("readdir", folder)
        except OSError:
            return []
        files, changes = [], []
        for name, is_dir in entries:
            path = f"{folder}/{name}"
            if self.runtime.ignored(path):
                continue
            if is_dir:
                changes += await self._walk(path)
            else:
                files.append(path)
        return changes + await self._classify(files)

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None
        self._watchers.clear()


class WebContainerProcess(TerminalProcess):
    """A process in the container (always through `jsh`). `attach(terminal)` shows it in an
    xterm; `on_state("exit", code)` hears it end."""

    @property
    def running(self) -> bool:
        return self.exit_code is None

    def kill(self) -> None:
        if self.exit_code is not None:
            return
        self.handle.kill()
        self._state("exit", 130)  # the container's own exit code may come later, or never


class WebContainerRuntime(TerminalRuntime):
    name = "webcontainer"
    isolated = True  # it boots only where the page is cross-origin isolated

    def __init__(
        self,
        api_key: str = "",
        timeout_ms: int = BOOT_TIMEOUT_MS,
        ignored: Callable[[str], bool] = lambda _path: False,
    ) -> None:
        self.api_key, self.timeout_ms, self.ignored = api_key, timeout_ms, ignored
        self.status = rt.Status(rt.RuntimeState.BOOTING, "not started")
        self.fs: WebContainerFs = WebContainerFs(self)
        self.listeners = Listeners()
        self.workdir = ""
        self._bridge: ContainerBridge | None = None
        self._emitter = rt.Emitter()
        self._booting: asyncio.Future[rt.Status] | None = None
        self._unsubscribe: list[Callable[[], None]] = []
        self._processes: list[WebContainerProcess] = []
        self._torn_down = False

    def on(self, event: str, listener: rt.Listener) -> rt.Unsubscribe:
        return self._emitter.on(event, listener)

    def bridge(self) -> ContainerBridge:
        if self._bridge is None or self.status.state is not rt.RuntimeState.READY:
            raise OSError(f"the runtime is not ready ({self.status.label})")
        return self._bridge

    def _set(self, status: rt.Status) -> None:
        self.status = status
        self._emitter.emit("status", status)

    async def boot(self) -> rt.Status:
        if self._booting is None:
            self._booting = spawn(self._boot(), "boot WebContainer", awaited=True)
        return await self._booting

    async def _boot(self) -> rt.Status:
        if self._torn_down:  # torn down before this task began: no service to reach
            return self.status
        self._set(rt.Status(rt.RuntimeState.BOOTING, "connecting to the WebContainer service"))
        try:
            self._bridge = await ContainerBridge.boot(self.listeners, self.api_key, self.timeout_ms)
        except OSError as error:
            self._set(rt.Status(rt.RuntimeState.UNAVAILABLE, str(error)))
            return self.status
        if self._torn_down:  # torn down while it booted: the container waits for the next
            self._bridge.release()
            self._bridge = None
            return self.status
        self.workdir = self._bridge.workdir
        try:
            await self._empty_workdir(self._bridge)
        except OSError as error:
            self._set(
                rt.Status(rt.RuntimeState.FAILED, f"the project folder cannot be emptied: {error}")
            )
            return self.status
        emit = self._emitter.emit
        self._unsubscribe = [
            self._bridge.on(
                "server-ready", lambda port, url: emit("server-ready", int(port), str(url))
            ),
            self._bridge.on(
                "port", lambda port, kind, url: emit("port", int(port), str(kind), str(url))
            ),
            self._bridge.on("error", lambda message: emit("error", str(message))),
        ]
        self._set(rt.Status(rt.RuntimeState.READY))
        return self.status

    async def _empty_workdir(self, bridge: ContainerBridge) -> None:
        """The page's one container may hold the files of the engine before this one (the
        project opened before, a contract check): this project starts from an empty folder."""
        for name, _is_dir in await bridge.call("readdir", ""):
            await bridge.call("rm", str(name), True, True)

    def on_preview_message(self, listener: Callable[[dict[str, Any]], None]) -> None:
        """Errors of the preview's page (forwardPreviewErrors): {type, message, stack}."""
        if self._bridge is not None:
            self._unsubscribe.append(self._bridge.on("preview-message", listener))

    async def set_preview_script(self) -> None:
        if self._bridge is not None:
            await self._bridge.set_preview_script()

    async def mount(self, tree: rt.FileTree) -> None:
        try:
            await self.bridge().mount(tree_of(tree))
        except OSError as error:
            raise rt.RuntimeRefused(str(error)) from None
        self.fs.files.mounted(tree)

    async def start(
        self, interactive: bool, line: str, options: rt.SpawnOptions | None, history: list[str]
    ) -> WebContainerProcess:
        """jsh, interactive or `jsh -c line` (`history` is the Pyodide shell's; jsh keeps
        its own)."""
        process = WebContainerProcess()
        # WebContainer's cwd is relative to its workdir, as the project's paths are.
        try:
            process.handle = await self.bridge().spawn(
                SHELL,
                [] if interactive else ["-c", line],
                terminal_options(options),
                process._state,
            )
        except OSError as error:
            raise rt.RuntimeRefused(str(error)) from None
        self._processes.append(process)
        return process

    async def teardown(self) -> None:
        self._torn_down = True
        for process in self._processes:
            process.kill()
        self._processes.clear()
        self.fs.close()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        if self._bridge is not None:
            self._bridge.release()
            self._bridge = None
        self.listeners.dispose()
        self._set(rt.Status(rt.RuntimeState.UNAVAILABLE, "stopped"))
