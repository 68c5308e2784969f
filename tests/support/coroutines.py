"""Running a coroutine without an event loop: asyncio.run cannot nest inside Pyodide's
running loop, and the doubles under test never wait on anything real. Standard library
only: the suites that use it also run inside Pyodide."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run `coro` to its end. Bare yields (asyncio.sleep(0)) are stepped through; waiting
    on a real future is an error."""
    try:
        while True:
            if coro.send(None) is not None:
                coro.close()
                raise RuntimeError("the coroutine waited on a real future")
    except StopIteration as stop:
        return stop.value
