"""The project's runtime, joined to the workbench: picks the engine (the project's runtime
setting: auto, WebContainer or Pyodide; client/core/engine_choice.py), boots it once the
project is open, mounts the files, carries editor changes to it (the scheduler's 300 ms
`write_runtime`) and programs' file changes back to the model, tree, cache and server
(through the watcher queue, a slice at a time).

The status bar item and the line offering the other engine are runtime_status.py's.
Editing and sync never wait for a runtime. Views subscribe with `on()`,
which outlives an engine switch.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any, Protocol

from client.adapters.pyodide_engine import PyodideRuntime
from client.adapters.webcontainer_engine import BOOT_TIMEOUT_MS, WebContainerRuntime
from client.core import sandbox
from client.core.engine_choice import (
    PYODIDE,
    WEBCONTAINER,
    Choice,
    choose,
)
from client.core.ports import ApiError
from client.core.runtime import (
    EVENTS,
    Emitter,
    FileChange,
    Listener,
    Runtime,
    RuntimeRefused,
    RuntimeState,
    Status,
    Unsubscribe,
)
from client.core.runtime_mirror import RuntimeMirror
from client.core.tasks import spawn
from client.ffi import dom
from client.ffi.events import Listeners
from client.ui.layout_view import LayoutView
from client.ui.ports import Notices, ProjectFiles, Saving, Server
from client.ui.preview_console import PreviewConsole
from client.ui.runtime_status import RuntimeStatusView

CONFIG_KEY = "cospai-runtime-config"  # the server's answer, remembered for offline opens
CRASH_WINDOW_S = 60.0
MAX_RESTARTS = 3  # automatic restarts a minute; then the status says so and waits
_unreachable: list[str] = []  # WebContainer boots that timed out in this page (auto skips it)


# The engines a workbench runs: both give terminals (attach, on_state) and keep history.
Engine = PyodideRuntime | WebContainerRuntime


class RuntimeBench(ProjectFiles, Notices, Server, Saving, Protocol):
    """What the runtime link asks of the workbench."""

    layout: LayoutView
    sandbox_key: str

    def changed_elsewhere(self, paths: list[str]) -> None: ...


class RuntimeLink:
    def __init__(self, bench: RuntimeBench) -> None:
        self.bench = bench
        # The preview panel's console, when there is one: a WebContainer preview's errors
        # and console lines go there (the panel sets it).
        self.preview_console: PreviewConsole | None = None
        self.listeners = Listeners()  # the link's own (debug hooks), for its whole life
        self.runtime: Engine = PyodideRuntime()  # until start() chooses
        self.engine = PYODIDE
        self.choice: Choice | None = None
        self.mirror = RuntimeMirror(bench.rules)
        self.on_ready: list[Callable[[], None]] = []
        self.on_switch: list[Callable[[], None]] = []  # the old engine's processes are gone
        self.on_restart: list[Callable[[], None]] = []  # the same, but a fresh one follows
        self._restarting = False
        self._crashes: list[float] = []
        self._emitter = Emitter()
        self._detach: list[Unsubscribe] = []
        self._draining = False
        self._generation = 0  # bumps at each switch: a slow boot of an old engine is ignored
        # One write to the engine at a time: a command's settle must not answer while an
        # earlier write is half-way (its files would reach the worker after the command).
        self._write_lock = asyncio.Lock()
        self.status_view = RuntimeStatusView(
            bench.layout.editor_area, lambda: bench.layout.state.runtime, self.use
        )
        self._attach(self.runtime)
        self._show(self.runtime.status)

    # ------------------------------------------------------------ events, for views

    def on(self, event: str, listener: Listener) -> Unsubscribe:
        """A runtime event from whichever engine runs now (and after a switch)."""
        return self._emitter.on(event, listener)

    def _attach(self, runtime: Runtime) -> None:
        for unsubscribe in self._detach:
            unsubscribe()
        self._detach = [
            runtime.on(name, lambda *args, n=name: self._emitter.emit(n, *args))
            for name in sorted(EVENTS)
        ]
        self._detach.append(runtime.on("status", self._show))
        self._detach.append(
            runtime.on("error", lambda message: self.bench.notify(f"Runtime: {message}", "error"))
        )
        self._detach.append(runtime.on("crashed", self._crashed))
        if isinstance(runtime, PyodideRuntime):  # its worker asks before each command
            runtime.before_command = self._settle

    @property
    def ready(self) -> bool:
        return self.runtime.status.state is RuntimeState.READY

    # ------------------------------------------------------------ choosing, switching

    def use(self, setting: str) -> None:
        """Change the project's runtime setting (kept with its layout) and follow it."""
        self.bench.layout.state.runtime = setting
        self.bench.layout.on_save()
        spawn(self.start(), "start the runtime")

    def _choose(self) -> Choice:
        return choose(
            self.bench.layout.state.runtime,
            set(self.bench.model.files),
            isolated=dom.cross_origin_isolated(),
            webcontainer_known_unreachable=bool(_unreachable),
        )

    async def _config(self) -> dict[str, Any]:
        """The server's runtime settings (the sandbox's pattern, WebContainer's key)."""
        try:
            config = await self.bench.api.call("GET", "/runtime-config")
            dom.local_set(CONFIG_KEY, json.dumps(config))
        except ApiError:
            try:
                config = json.loads(dom.local_get(CONFIG_KEY) or "{}")
            except ValueError:
                config = {}
        return config if isinstance(config, dict) else {}

    async def sandbox_origin(self) -> str:
        """This project's sandbox origin (its code and previews run there); raises
        SandboxUnavailable saying why there is none."""
        pattern = (await self._config()).get("sandbox")
        return sandbox.origin_for(
            pattern if isinstance(pattern, str) else None, self.bench.sandbox_key, dom.page_origin()
        )

    async def make_pyodide(self) -> PyodideRuntime:
        """A Pyodide engine on this project's sandbox origin (or one that says why not);
        its pip installs from the server's package mirror when the server names one."""
        try:
            origin = await self.sandbox_origin()
            config = await self._config()
            return PyodideRuntime(
                origin, mirror=sandbox.pypi_mirror(config), npm=sandbox.npm_mirror(config)
            )
        except sandbox.SandboxUnavailable as error:
            return PyodideRuntime(None, str(error))

    async def _make(self, engine: str) -> Engine:
        if engine == PYODIDE:
            return await self.make_pyodide()
        config = await self._config()
        found = config.get("webcontainer")
        config = found if isinstance(found, dict) else {}
        return WebContainerRuntime(
            api_key=str(config.get("api_key") or ""),
            timeout_ms=int(config.get("boot_timeout_ms") or BOOT_TIMEOUT_MS),
            ignored=self.bench.rules.ignored,
        )

    # ------------------------------------------------------------ crashes, restarts

    def _crashed(self, reason: str) -> None:
        """The engine died (a fatal error in its interpreter): say so, start a fresh one
        with the files mounted again. A crash loop stops after a few tries and offers the
        button instead."""
        now = time.monotonic()
        self._crashes = [t for t in self._crashes if now - t < CRASH_WINDOW_S] + [now]
        # (Views hear "crashed" through the events every engine's are passed on as.)
        if len(self._crashes) > MAX_RESTARTS:
            self._show(
                Status(
                    RuntimeState.FAILED,
                    f"it crashed {len(self._crashes)} times in a minute; the last time: {reason}",
                )
            )
            return
        spawn(self.restart(), "restart the runtime")

    async def restart(self) -> None:
        """A fresh engine of the same kind, the project's files mounted again; terminals
        keep their tabs and get a new shell each ("Restart Runtime", and after a crash)."""
        dom.mark("runtime-restart")
        self._restarting = True
        try:
            await self.start()
        finally:
            self._restarting = False

    async def start(self) -> None:
        """After the project is open (and after each setting change): choose, boot, mount,
        watch. The engine already running stays when the choice has not changed."""
        choice = self._choose()
        running = self.runtime.status.state in {RuntimeState.READY, RuntimeState.BOOTING}
        if (
            not self._restarting
            and self.choice is not None
            and choice.engine == self.engine
            and running
        ):
            self.choice = choice
            self._show(self.runtime.status)
            return
        self._generation += 1
        generation = self._generation
        for unsubscribe in self._detach:
            unsubscribe()
        if self.choice is not None:  # an engine ran: its terminals and processes go with it
            for callback in self.on_restart if self._restarting else self.on_switch:
                callback()
            await self.runtime.teardown()
        self.choice, self.engine = choice, choice.engine
        self.runtime = await self._make(choice.engine)
        self._attach(self.runtime)
        dom.mark("runtime-boot")
        self._show(Status(RuntimeState.BOOTING, "starting"))
        status = await self.runtime.boot()
        if generation != self._generation:
            return  # switched again while this one booted
        if status.state is not RuntimeState.READY:
            if choice.engine == WEBCONTAINER:
                _unreachable.append(status.reason)
            self._show(status)
            return
        try:
            files = self.mirror.seed(self.bench.model)
            await self.runtime.mount(
                {p: c for p, c in files.items() if not self.bench.rules.ignored(p)}
            )
        except RuntimeRefused as error:
            self._show(Status(RuntimeState.FAILED, f"the project could not be mounted: {error}"))
            return
        self.runtime.fs.watch(self._changed)
        if isinstance(self.runtime, WebContainerRuntime):
            await self._preview_hooks(self.runtime)
        dom.mark("runtime-ready")
        for callback in self.on_ready:
            callback()
        if dom.debug_enabled():
            from client.ui.runtime_debug import expose

            expose(self)

    async def _preview_hooks(self, runtime: WebContainerRuntime) -> None:
        """The preview's errors (forwardPreviewErrors) and console (our preview script)
        reach the preview panel's console."""
        console = self.preview_console
        if console is None:
            return
        runtime.on_preview_message(
            lambda message: console.add(
                "uncaught"
                if "EXCEPTION" in str(message.get("type"))
                or "REJECTION" in str(message.get("type"))
                else "error",
                str(message.get("message", "")),
                str(message.get("stack", "")),
            )
        )
        try:
            await runtime.set_preview_script()
        except OSError as error:
            self.bench.notify(f"The preview's console is not forwarded: {error}", "error")

    # ------------------------------------------------------------ model -> runtime

    async def write(self, paths: list[str]) -> None:
        """The scheduler's write_runtime: what the editor or tree changed reaches the
        engine's files (deleted files are removed there)."""
        if not self.ready:
            return  # the mount at boot carries everything
        async with self._write_lock:
            writes, deletes = self.mirror.to_runtime(self.bench.model, paths)
            try:
                for path, content in writes.items():
                    if not self.bench.rules.ignored(path):
                        await self.runtime.fs.write_file(path, content)
                for path in deletes:
                    await self.runtime.fs.rm(path, force=True)
            except RuntimeRefused as error:
                self.bench.notify(f"The runtime did not take a change: {error}", "error")

    async def flush(self) -> None:
        """Everything the model has that the engine has not, now (before a command runs)."""
        await self.write(sorted(self.bench.model.files))

    async def _settle(self) -> None:
        """The worker is about to run a command: what changed in the last 300 ms goes now
        (the scheduler's pending paths), after any write already under way."""
        await self.write(self.bench.syncing.take_runtime_paths())

    # ------------------------------------------------------------ runtime -> model

    def _changed(self, changes: list[FileChange]) -> None:
        self.mirror.add(changes)
        if not self._draining:
            self._draining = True
            spawn(self._drain(), "bring in the runtime's file changes")

    async def _drain(self) -> None:
        """Apply a slice, let the page breathe, repeat (ARCHITECTURE rule 7)."""
        try:
            while self.mirror.pending():
                changed = self.mirror.apply_slice(self.bench.model)
                # Cache in 1 s, server in 5 s: one call per slice, not one per path.
                self.bench.changed_elsewhere(changed)
                await asyncio.sleep(0)
        finally:
            self._draining = False

    def _show(self, status: Status) -> None:
        self.status_view.show(status, self.engine, self.choice)

    def dispose(self) -> None:
        self.status_view.dispose()
        self.listeners.dispose()
        spawn(self.runtime.teardown(), "stop the runtime")
