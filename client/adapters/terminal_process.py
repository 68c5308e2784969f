"""What the engines and their processes share. Every process is the engine's shell
(`TerminalRuntime` turns a spawn's command into a shell line once, for both engines). The
process lives in the page (`handle`, the engine's JS object), a terminal attaches to it so
its bytes never pass through Python, and Python writes typed input, resizes it and hears
its states ("exit" ends it).
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Callable
from typing import Any

from client.core.runtime import Process, Runtime, SpawnOptions, command_line


class TerminalProcess(Process):
    def __init__(self) -> None:
        self.on_state: Callable[[str, Any], None] = lambda kind, value: None
        self._exit: asyncio.Future[int] = asyncio.get_event_loop().create_future()
        self.handle: Any = None

    def _state(self, kind: str, value: Any) -> None:
        if kind == "exit" and not self._exit.done():
            self.exit_code = int(value)
            self._exit.set_result(self.exit_code)
        self.on_state(kind, value)

    def attach(self, terminal: Any) -> None:
        terminal.attach(self.handle)

    def write(self, data: str) -> None:
        self.handle.write(data)

    def resize(self, cols: int, rows: int) -> None:
        if self.exit_code is None:
            self.handle.resize(cols, rows)

    async def wait(self) -> int:
        return await self._exit

    async def output(self) -> str:
        return str(self.handle.output)


def terminal_options(options: SpawnOptions | None) -> dict[str, Any]:
    """A spawn's size, folder (project-relative) and environment, as the engines' JS
    takes them."""
    options = options or SpawnOptions()
    return {
        "cols": options.cols,
        "rows": options.rows,
        "cwd": options.cwd or "",
        "env": dict(options.env),
    }


class TerminalRuntime(Runtime):
    """An engine whose every process is its shell: interactive, or running one line."""

    async def spawn(
        self,
        command: str,
        args: list[str] | None = None,
        options: SpawnOptions | None = None,
        history: list[str] | None = None,
    ) -> TerminalProcess:
        """As Runtime.spawn; `history` is what was typed in the terminal's earlier shells
        (the Pyodide shell takes it up, jsh keeps its own)."""
        interactive, line = command_line(command, list(args or []))
        return await self.start(interactive, line, options, list(history or []))

    @abstractmethod
    async def start(
        self, interactive: bool, line: str, options: SpawnOptions | None, history: list[str]
    ) -> TerminalProcess:
        """The engine's shell, interactive or running `line` and then exiting."""
