"""The Runtime interface: what the IDE asks of any engine that runs the user's project.

Shaped on the WebContainer API (boot, mount, fs, spawn, on) so that engine is a thin
adapter, and the offline Pyodide engine offers the same surface. Names are Python's
(`read_file` for `readFile`), meanings are WebContainer's:

- `boot()` brings the engine up; `status` says where it is (`booting`, `ready`,
  `unavailable` when it cannot run here at all, `failed` when it tried and broke) with a
  reason a person can read. Every status change is also an event ("status").
- `mount(tree)` writes a whole tree of files (project path -> bytes) under the project
  folder; `fs` reads and changes single files, and `fs.watch` reports what programs wrote.
- `spawn(command, args, options)` starts a process and returns its handle: the output
  stream, an input writer, resize, kill and the exit code. A terminal pipes the output
  straight to xterm in JS (ARCHITECTURE rule 6); tools and tests read it as text.
- `on(event, listener)` for "server-ready" (port, url), "port" (port, "open"|"close", url),
  "error" (message) and "status" (Status); it returns the unsubscribe function.

Everything here is pure: the engines live in client/adapters, the contract tests in
tests/contract, which every engine must pass.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from client.core.watcher import FsEvent

Listener = Callable[..., None]
Unsubscribe = Callable[[], None]
FileTree = dict[str, bytes]  # project-relative path -> content (folders are implied)
EVENTS = frozenset({"server-ready", "port", "error", "status", "crashed"})


class RuntimeState(Enum):
    BOOTING = "booting"
    READY = "ready"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"


@dataclass(frozen=True)
class Status:
    state: RuntimeState
    reason: str = ""  # said to the user as is: "Python is starting", "no SharedArrayBuffer"

    @property
    def label(self) -> str:
        text = self.state.value.capitalize()
        return f"{text}: {self.reason}" if self.reason else text


@dataclass(frozen=True)
class SpawnOptions:
    cols: int = 80
    rows: int = 24
    cwd: str | None = None  # project-relative; None is the project folder
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DirEntry:
    name: str
    is_dir: bool


@dataclass(frozen=True)
class FileChange:
    """A watcher event with the file's content when it was written (saves a read back)."""

    event: FsEvent
    content: bytes | None = None


class RuntimeRefused(Exception):
    """An fs operation or spawn refused by the engine; str() says why, as `ls` would."""


class RuntimeFs(ABC):
    """The engine's file system, addressed with project-relative paths ("src/a.py")."""

    @abstractmethod
    async def read_file(self, path: str) -> bytes: ...

    @abstractmethod
    async def write_file(self, path: str, content: bytes | str) -> None:
        """Creates missing parent folders, as the IDE's model has no empty-folder step."""

    @abstractmethod
    async def readdir(self, path: str = "") -> list[DirEntry]: ...

    @abstractmethod
    async def mkdir(self, path: str, recursive: bool = False) -> None: ...

    @abstractmethod
    async def rm(self, path: str, recursive: bool = False, force: bool = False) -> None: ...

    @abstractmethod
    async def rename(self, old: str, new: str) -> None: ...

    @abstractmethod
    def watch(self, listener: Callable[[list[FileChange]], None]) -> Unsubscribe:
        """Batches of events for files that processes created, changed, deleted or renamed.
        Changes made through this interface are not reported back (the caller knows)."""


class Process(ABC):
    """A spawned process. `exit_code` is None while it runs."""

    exit_code: int | None = None

    @abstractmethod
    def write(self, data: str) -> None:
        """Input, as typed (keystrokes in a terminal, or lines ending in "\\n")."""

    @abstractmethod
    def resize(self, cols: int, rows: int) -> None: ...

    @abstractmethod
    def kill(self) -> None: ...

    @abstractmethod
    async def wait(self) -> int:
        """The exit code, once the process has ended."""

    @abstractmethod
    async def output(self) -> str:
        """Everything written so far (for tools and tests; terminals get it in JS)."""


class Emitter:
    """The `on()` half of the interface, for engines to reuse."""

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = {name: [] for name in EVENTS}

    def on(self, event: str, listener: Listener) -> Unsubscribe:
        if event not in EVENTS:
            raise ValueError(f"unknown runtime event {event!r}")
        self._listeners[event].append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners[event]:
                self._listeners[event].remove(listener)

        return unsubscribe

    def emit(self, event: str, *args: Any) -> None:
        for listener in list(self._listeners[event]):
            listener(*args)


class Watchers:
    """The listeners of `fs.watch`, for engines to reuse: each hears every batch."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[list[FileChange]], None]] = []

    def add(self, listener: Callable[[list[FileChange]], None]) -> Unsubscribe:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def tell(self, changes: list[FileChange]) -> None:
        for listener in list(self._listeners):
            listener(changes)

    def clear(self) -> None:
        self._listeners.clear()


class Runtime(ABC):
    fs: RuntimeFs
    status: Status

    @abstractmethod
    async def boot(self) -> Status:
        """Start the engine; returns the final status (ready, unavailable or failed)."""

    @abstractmethod
    async def mount(self, tree: FileTree) -> None: ...

    @abstractmethod
    async def spawn(
        self, command: str, args: list[str] | None = None, options: SpawnOptions | None = None
    ) -> Process:
        """`spawn("sh")` is an interactive shell; `spawn("sh", ["-c", line])` runs one line
        and ends; any other command runs as that program through the shell."""

    @abstractmethod
    def on(self, event: str, listener: Listener) -> Unsubscribe: ...

    @abstractmethod
    async def teardown(self) -> None: ...


def command_line(command: str, args: list[str]) -> tuple[bool, str]:
    """(interactive, line) for a spawn: a shell with no arguments is interactive; `sh -c X`
    runs X; anything else runs as a quoted command line."""
    if command in {"sh", "bash", "cospai-sh"}:
        if not args:
            return True, ""
        if args[0] == "-c" and len(args) >= 2:
            return False, args[1]
    return False, " ".join(quote(word) for word in [command, *args])


def quote(word: str) -> str:
    safe = word and all(c.isalnum() or c in "-_./=:,+@%" for c in word)
    return word if safe else "'" + word.replace("'", "'\\''") + "'"
