"""Fixtures for client.core's tests: the shared sync rules, a fake server, memory storage,
a fake clock and a collecting spawn. Standard library, pytest and client.core only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from client.core.clock import FakeClock
from client.core.engine import ProjectSync
from client.core.ports import MemoryStorage
from contract import rules as rules_module
from contract.rules import SyncRules

from .fake_server import FakeServer, Spawner

PROJECT = "p1"


@pytest.fixture(scope="session")
def rules() -> SyncRules:
    return rules_module.load()


@pytest.fixture
def server(rules: SyncRules) -> FakeServer:
    return FakeServer(rules)


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def sync(storage: MemoryStorage, server: FakeServer, rules: SyncRules) -> ProjectSync:
    return ProjectSync(PROJECT, storage, server, rules)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def spawner() -> Iterator[Spawner]:
    spawn = Spawner()
    yield spawn
    spawn.close()  # never leave an un-awaited coroutine behind (warnings are errors)
