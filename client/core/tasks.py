"""Background tasks with an owner. `spawn(coro, name)` starts one, keeps a reference until
it ends (the event loop holds tasks only weakly, so an unreferenced one can vanish midway),
names it, and hands a failure to the reporter: the UI sets one at start that shows it in
the status bar and logs it to the console. Without one, failures go to the log.

A task whose result someone awaits (`awaited=True`) is still kept and named, but its
failure is the awaiter's to handle, so it is not reported twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
Reporter = Callable[[str, BaseException], None]

_log = logging.getLogger(__name__)
_running: set[asyncio.Task[Any]] = set()


def _log_failure(name: str, error: BaseException) -> None:
    _log.error("background task %r failed", name, exc_info=error)


_reporter: Reporter = _log_failure


def set_reporter(reporter: Reporter | None) -> None:
    """Where failures go from now on: `reporter(task name, exception)`; None: the log."""
    global _reporter
    _reporter = reporter or _log_failure


def spawn(coro: Coroutine[Any, Any, T], name: str, *, awaited: bool = False) -> asyncio.Task[T]:
    """Run `coro` in the background as a task called `name` (what it does, for the
    message: "refresh the project list"). Returns the task, to cancel or await."""
    task = asyncio.ensure_future(coro)
    task.set_name(name)
    _running.add(task)
    task.add_done_callback(lambda done: _finished(done, name, awaited))
    return task


def _finished(task: asyncio.Task[Any], name: str, awaited: bool) -> None:
    _running.discard(task)
    if awaited or task.cancelled():
        return
    error = task.exception()
    if error is not None:
        try:
            _reporter(name, error)
        except Exception:  # a broken reporter must not hide the failure itself
            _log_failure(name, error)


def running() -> int:
    """How many spawned tasks have not finished (for tests and leak checks)."""
    return len(_running)
