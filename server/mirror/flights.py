"""One fetch for many askers, within a process: the first request for a key starts the
work as a task, and every request for the same key while it runs waits for that task's
result. The task is shielded, so a client that goes away does not cancel the others' fetch.
Across processes, server/repo/mirror_files.py's advisory lock does the same for files."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class SingleFlight:
    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Task[Any]] = {}

    def running(self, key: Hashable) -> bool:
        return key in self._running

    async def run(self, key: Hashable, work: Callable[[], Awaitable[T]]) -> T:
        task = self._running.get(key)
        if task is None:

            async def wrapped() -> T:
                return await work()

            task = asyncio.get_running_loop().create_task(wrapped())
            self._running[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        result: T = await asyncio.shield(task)
        return result

    def _finished(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled():
            task.exception()  # retrieved: every waiter may have gone away
