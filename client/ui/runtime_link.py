"""The project's runtime, joined to the workbench: boots the Pyodide engine once the project
is open, mounts its files, carries editor changes to it (the scheduler's 300 ms
`write_runtime`) and programs' file changes back to the model, tree, cache and server
(through the watcher queue, a slice at a time). The engine's state shows in the status
bar (#status-engine)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from client.adapters.pyodide_engine import PyodideRuntime
from client.core.runtime import FileChange, RuntimeRefused, RuntimeState, Status
from client.core.runtime_mirror import RuntimeMirror
from client.ffi import dom


class RuntimeLink:
    def __init__(self, bench: Any) -> None:
        self.bench = bench
        self.runtime = PyodideRuntime()
        self.mirror = RuntimeMirror(bench.rules)
        self.on_ready: list[Callable[[], None]] = []
        self._draining = False
        # One write to the engine at a time: a command's settle must not answer while an
        # earlier write is half-way (its files would reach the worker after the command).
        self._write_lock = asyncio.Lock()
        self.node = dom.element("span", class_="status-item", id="status-engine",
                                title="The runtime that runs the terminal")  # fmt: skip
        footer = dom.document().querySelector("footer")
        build = dom.by_id("status-build")
        if dom.present(footer):
            footer.insertBefore(self.node, build) if build is not None else footer.append(self.node)
        self.runtime.before_command = self._settle
        self.runtime.on("status", self._show)
        self.runtime.on("error", lambda message: bench.notify(f"Runtime: {message}", "error"))
        self._show(self.runtime.status)

    @property
    def ready(self) -> bool:
        return self.runtime.status.state is RuntimeState.READY

    def _show(self, status: Status) -> None:
        label = {"booting": "Runtime: starting…", "ready": "Runtime: ready",
                 "failed": "Runtime: failed", "unavailable": "Runtime: unavailable"}  # fmt: skip
        text = label[status.state.value]
        if status.state is not RuntimeState.READY and status.reason:
            text += f" ({status.reason})"
        elif status.reason:  # ready, but without cross-origin isolation: the title says what
            text += " (limited)"
        self.node.textContent = text
        self.node.title = status.label
        self.node.setAttribute("data-state", status.state.value)
        dom.set_state("engine", status.state.value)

    async def start(self) -> None:
        """After the project is open: boot, mount, watch."""
        dom.mark("runtime-boot")
        self._show(Status(RuntimeState.BOOTING, "starting Python in a worker"))
        status = await self.runtime.boot()
        if status.state is not RuntimeState.READY:
            return
        try:
            await self.runtime.mount(self.mirror.seed(self.bench.sync.model))
        except RuntimeRefused as error:
            self._show(Status(RuntimeState.FAILED, f"the project could not be mounted: {error}"))
            return
        self.runtime.fs.watch(self._changed)
        dom.mark("runtime-ready")
        for callback in self.on_ready:
            callback()
        if dom.debug_enabled():
            from client.ui.runtime_debug import expose

            expose(self)

    # ------------------------------------------------------------ model -> runtime

    async def write(self, paths: list[str]) -> None:
        """The scheduler's write_runtime: what the editor or tree changed reaches the
        engine's files (deleted files are removed there)."""
        if not self.ready:
            return  # the mount at boot carries everything
        async with self._write_lock:
            writes, deletes = self.mirror.to_runtime(self.bench.sync.model, paths)
            try:
                for path, content in writes.items():
                    await self.runtime.fs.write_file(path, content)
                for path in deletes:
                    await self.runtime.fs.rm(path, force=True)
            except RuntimeRefused as error:
                self.bench.notify(f"The runtime did not take a change: {error}", "error")

    async def flush(self) -> None:
        """Everything the model has that the engine has not, now (before a command runs)."""
        await self.write(sorted(self.bench.sync.model.files))

    async def _settle(self) -> None:
        """The worker is about to run a command: what changed in the last 300 ms goes now
        (the scheduler's pending paths), after any write already under way."""
        await self.write(self.bench.scheduler.take_runtime_paths())

    # ------------------------------------------------------------ runtime -> model

    def _changed(self, changes: list[FileChange]) -> None:
        self.mirror.add(changes)
        if not self._draining:
            self._draining = True
            asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        """Apply a slice, let the page breathe, repeat (ARCHITECTURE rule 7)."""
        try:
            while self.mirror.pending():
                changed = self.mirror.apply_slice(self.bench.sync.model)
                # Cache in 1 s, server in 5 s: one call per slice where the scheduler has
                # edited_many (its status walks every file; per path it would cost n^2).
                many = getattr(self.bench.scheduler, "edited_many", None)
                if many is not None:
                    many(changed)
                else:
                    for path in changed:
                        self.bench.scheduler.edited(path)
                if changed:
                    self.bench.render()
                await asyncio.sleep(0)
        finally:
            self._draining = False

    def dispose(self) -> None:
        self.node.remove()
        asyncio.ensure_future(self.runtime.teardown())
