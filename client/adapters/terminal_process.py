"""What the engines' processes share: the process lives in the page (`handle`, the
engine's JS object), a terminal attaches to it so its bytes never pass through Python,
and Python writes typed input, resizes it and hears its states ("exit" ends it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from client.core.runtime import Process, SpawnOptions


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
