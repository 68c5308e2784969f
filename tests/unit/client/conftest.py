"""Fixtures for client.core's tests: the shared sync rules, a fake server, memory storage,
a fake clock and a collecting spawn; a project sync opened in step with the server.
Standard library, pytest and client.core only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from client.core.clock import FakeClock
from client.core.engine import ProjectSync
from client.core.model import ProjectModel, ServerFile
from client.core.outbox import Op, pending_ops
from client.core.ports import MemoryStorage
from client.core.reply import apply_results
from contract import rules as rules_module
from contract.rules import SyncRules

from .fake_server import FakeServer, Spawner, run, seeded
from .scheduler_harness import Harness

PROJECT = "p1"
BINARY = bytes(range(256))


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


@pytest.fixture
def h(rules: SyncRules, clock: FakeClock, spawner: Spawner) -> Harness:
    """A scheduler harness (scheduler_harness.py) on the shared clock and spawn."""
    return Harness(rules, clock=clock, spawner=spawner)  # the spawner fixture cleans up


def contents(sync: ProjectSync) -> dict[str, bytes]:
    return {path: local.content for path, local in sync.model.files.items()}


def opened(sync: ProjectSync, server: FakeServer, files: dict[str, bytes]) -> ProjectSync:
    """`sync` in step with a server holding `files` (written by another client)."""
    for path, content in files.items():
        server.other_put(path, content)
    run(sync.refresh())
    assert contents(sync) == files
    return sync


def mirror(server: FakeServer) -> ProjectModel:
    """A model in step with everything `server` holds."""
    model = ProjectModel()
    for row in server.rows.values():
        model.adopt(
            ServerFile(
                row.path, row.version, row.sha256, row.binary, len(row.content), row.content
            ),
            row.content,
        )
    model.server_version = server.version
    model.take_touched()
    return model


def in_step(rules: SyncRules, files: dict[str, bytes]) -> tuple[FakeServer, ProjectModel]:
    """A server holding `files` (fake_server.seeded) and a model in step with it."""
    server = seeded(rules, files)
    return server, mirror(server)


def send(server: FakeServer, ops: list[Op]) -> dict[str, Any]:
    parts = {op.file.sha256: op.file.content for op in ops if op.as_part and op.file is not None}
    return run(server.sync("p1", [op.payload() for op in ops], parts, None))


def push(model: ProjectModel, server: FakeServer) -> list[Any]:
    """Send what `model` has pending and fold the answer back; the results."""
    ops = pending_ops(model)
    return apply_results(model, ops, send(server, ops))


def shape(ops: list[Op]) -> list[tuple[str, str, int | None, str | None]]:
    return [(op.kind, op.path, op.base_version, op.to) for op in ops]
