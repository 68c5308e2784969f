"""What client/core needs from the outside world, as protocols: the server API and the
local store. Adapters (client/adapters) implement them over fetch and IndexedDB; tests
implement them in memory. Every Storage keeps one contract:
tests/contract/storage_contract.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from client.core.conflicts import Conflict
from client.core.model import Base, LocalFile, ServerFile

# One push as the wire contract has it: the operations, and the binary contents they name.
SyncOps = list[dict[str, Any]]
SyncParts = dict[str, bytes]


class ApiError(Exception):
    """Base of the failures a server call can end in."""


class Offline(ApiError):
    """No answer: network down, server unreachable. Retry later."""


class ServerFailed(ApiError):
    """A 5xx: the server is there but failing. Retry later."""


class SignedOut(ApiError):
    """401: the session is gone. Keep everything; wait for the same user to sign in."""


class Refused(ApiError):
    """A 4xx other than 401: retrying the same request will not help."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.status, self.code, self.details = status, code, details


@dataclass(frozen=True)
class ServerSnapshot:
    version: int
    etag: str
    files: list[ServerFile]


class ServerApi(Protocol):
    async def load(self, project_id: str, etag: str | None) -> ServerSnapshot | None:
        """The project's files; None when `etag` still matches (nothing changed)."""

    async def blob(self, project_id: str, sha256: str) -> bytes: ...

    async def sync(
        self, project_id: str, ops: SyncOps, parts: SyncParts, revision_message: str | None
    ) -> dict[str, Any]: ...


@dataclass
class StoredProject:
    """What the local store keeps of one project."""

    files: dict[str, LocalFile] = field(default_factory=dict)
    tombstones: dict[str, Base] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    server_version: int = 0
    etag: str | None = None
    inflight: dict[str, str] = field(default_factory=dict)


class Storage(Protocol):
    async def load(self, project_id: str) -> StoredProject | None: ...

    async def save(
        self,
        project_id: str,
        changed: list[LocalFile],
        removed: list[str],
        meta: StoredProject,
    ) -> None:
        """Write changed files, drop removed paths; `meta` carries tombstones, conflicts,
        server_version and etag (its `files` is ignored)."""


class MemoryStorage:
    """Storage in a dict: for tests, and for a browser without IndexedDB."""

    def __init__(self) -> None:
        self.projects: dict[str, StoredProject] = {}
        self.fail_with: Exception | None = None
        self.writes = 0

    async def load(self, project_id: str) -> StoredProject | None:
        stored = self.projects.get(project_id)
        if stored is None:
            return None
        return StoredProject(
            dict(stored.files),
            dict(stored.tombstones),
            dict(stored.conflicts),
            stored.server_version,
            stored.etag,
            dict(stored.inflight),
        )

    async def save(
        self, project_id: str, changed: list[LocalFile], removed: list[str], meta: StoredProject
    ) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.writes += 1
        stored = self.projects.setdefault(project_id, StoredProject())
        for path in removed:
            stored.files.pop(path, None)
        for local in changed:
            stored.files[local.path] = local
        stored.tombstones = dict(meta.tombstones)
        stored.conflicts = dict(meta.conflicts)
        stored.server_version, stored.etag = meta.server_version, meta.etag
        stored.inflight = dict(meta.inflight)
