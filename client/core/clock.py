"""Time, injected: the browser's timers in the page, a hand-driven clock in tests."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Protocol


class Handle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def now(self) -> float: ...

    def call_later(self, delay: float, callback: Callable[[], object]) -> Handle: ...


class _FakeHandle:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class FakeClock:
    """A clock that only moves when told to; due callbacks run in order of their time."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._queue: list[tuple[float, int, Callable[[], object], _FakeHandle]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    def call_later(self, delay: float, callback: Callable[[], object]) -> _FakeHandle:
        handle = _FakeHandle()
        heapq.heappush(
            self._queue, (self._now + max(0.0, delay), next(self._order), callback, handle)
        )
        return handle

    def advance(self, seconds: float) -> None:
        target = self._now + seconds
        while self._queue and self._queue[0][0] <= target:
            when, _, callback, handle = heapq.heappop(self._queue)
            self._now = when
            if not handle.cancelled:
                callback()
        self._now = target

    def pending(self) -> int:
        return sum(not h.cancelled for *_rest, h in self._queue)


class AsyncioClock:
    """The running event loop's clock: in the page, Pyodide's loop runs on setTimeout."""

    def now(self) -> float:
        import asyncio

        return asyncio.get_event_loop().time()

    def call_later(self, delay: float, callback: Callable[[], object]) -> Handle:
        import asyncio

        return asyncio.get_event_loop().call_later(delay, callback)
