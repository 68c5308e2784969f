"""One project's sync scheduler driven by hand: a fake clock moved in exact steps, memory
storage, a fake server, and a spawn that collects coroutines; what it did when."""

from __future__ import annotations

from typing import Any

import pytest

from client.core.clock import FakeClock
from client.core.engine import ProjectSync
from client.core.ports import MemoryStorage
from client.core.scheduler import SyncScheduler
from client.core.status import SyncState, SyncStatus
from contract.rules import SyncRules

from .fake_server import FakeServer, Spawner

STEP = 1 / 64  # exact in binary: the clock never drifts


class Harness:
    """One project's scheduler, its fakes, and what it did when."""

    def __init__(
        self,
        rules: SyncRules,
        unit_random: float = 0.5,
        clock: FakeClock | None = None,
        spawner: Spawner | None = None,
    ) -> None:
        self.clock = clock or FakeClock()
        self.spawner = spawner or Spawner()
        self.storage = MemoryStorage()
        self.server = FakeServer(rules, now=self.clock.now)
        self.sync = ProjectSync("p1", self.storage, self.server, rules)
        self.statuses: list[SyncStatus] = []
        self.runtime: list[tuple[float, list[str]]] = []
        self.scheduler = SyncScheduler(
            self.sync,
            self.clock,
            self.spawner,
            write_runtime=self._write_runtime,
            on_status=self.statuses.append,
            unit_random=lambda: unit_random,
        )

    async def _write_runtime(self, paths: list[str]) -> None:
        self.runtime.append((self.clock.now(), paths))

    def edit(self, path: str, content: bytes = b"x") -> None:
        self.sync.model.write(path, content)
        self.scheduler.edited(path)

    def advance(self, seconds: float) -> None:
        """Move time on in small steps, running what the timers spawned at each step."""
        self.spawner.run_all()
        target = self.clock.now() + seconds
        while self.clock.now() + STEP <= target:
            self.clock.advance(STEP)
            self.spawner.run_all()
        self.clock.advance(target - self.clock.now())
        self.spawner.run_all()

    def start_sync_request(self) -> Any:
        """Let the 5 s timer fire and the request leave, then hold it in flight."""
        self.server.hold = True
        self.advance(5 - STEP)
        self.clock.advance(2 * STEP)
        [flying] = self.spawner.queue
        self.spawner.queue.clear()
        assert flying.send(None) is None
        assert self.scheduler.in_flight
        return flying

    def sync_times(self) -> list[float]:
        return [call.at for call in self.server.sync_calls()]

    def states(self) -> list[SyncState]:
        """The states reported, each run of one state counted once."""
        states = [status.state for status in self.statuses]
        return [s for i, s in enumerate(states) if i == 0 or states[i - 1] is not s]

    def status(self) -> SyncStatus:
        return self.scheduler.status()


def near(value: float) -> Any:
    return pytest.approx(value, abs=STEP + 1e-9)


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
