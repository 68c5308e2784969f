"""Web Locks from Python: one holder at a time across every tab of this origin."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import js
from pyodide.ffi import create_once_callable

from client.core.tasks import spawn


def available() -> bool:
    return hasattr(js.navigator, "locks")


def exclusive(name: str) -> Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]]:
    """An async runner: `await run(action)` runs `action()` while holding lock `name`.
    Without Web Locks (old browsers, some embeds) it runs the action directly."""

    async def run(action: Callable[[], Awaitable[Any]]) -> Any:
        if not available():
            return await action()
        loop = asyncio.get_event_loop()
        outcome: asyncio.Future[Any] = loop.create_future()

        async def locked() -> None:
            try:
                outcome.set_result(await action())
            except BaseException as error:  # handed to the caller below
                outcome.set_exception(error)

        def granted(_lock: Any) -> Any:
            # The lock is held until the promise returned here settles.
            task = spawn(locked(), f"hold the lock {name}")
            return js.Promise.new(
                create_once_callable(
                    lambda resolve, _reject: task.add_done_callback(lambda _t: resolve())
                )
            )

        js.navigator.locks.request(name, create_once_callable(granted))
        return await outcome

    return run
