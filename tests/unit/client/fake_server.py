"""In-memory doubles for client.core's ports, and a driver for coroutines.

`FakeServer` implements client.core.ports.ServerApi with the per-op semantics of
server/sync.py (fake_batches.py). It logs every call, can fail the next calls on demand,
and lets a test change files directly as "another client".

Standard library, client.core and contract only: these tests also run inside Pyodide.
"""

from __future__ import annotations

import json
import types
from collections import deque
from collections.abc import Callable, Coroutine, Generator
from dataclasses import dataclass, field
from typing import Any

from client.core import ports
from client.core.model import ServerFile, sha256_hex
from contract.rules import SyncRules, folded, is_text
from tests.support.coroutines import run

from .fake_batches import Row, apply_batch, refused


class Spawner:
    """The scheduler's `spawn`: collects coroutines; the test runs them with run_all()."""

    def __init__(self) -> None:
        self.queue: deque[Coroutine[Any, Any, None]] = deque()
        self.spawned = 0

    def __call__(self, coro: Coroutine[Any, Any, None]) -> None:
        self.queue.append(coro)
        self.spawned += 1

    def run_all(self) -> int:
        """Run what was spawned, and what that spawns, until nothing is left."""
        count = 0
        while self.queue:
            run(self.queue.popleft())
            count += 1
        return count

    def close(self) -> None:
        while self.queue:
            self.queue.popleft().close()


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any] = field(default_factory=dict)
    at: float = 0.0  # the test clock's time of the call


@types.coroutine
def _suspend() -> Generator[None, None, None]:
    """Give control back once (a request in flight), without an event loop."""
    yield


class FakeServer:
    """One user's projects in memory (the project id is only logged)."""

    def __init__(self, rules: SyncRules, now: Callable[[], float] = lambda: 0.0) -> None:
        self.rules = rules
        self.now = now  # stamps the call log
        self.hold = False  # sync() suspends once before answering: a request "in flight"
        self.lose_next_answer = False  # the next sync applies, then raises Offline
        self.rows: dict[str, Row] = {}  # by folded path
        self.version = 0
        self.calls: list[Call] = []
        self.revisions: list[str] = []
        self._failures: deque[Exception] = deque()

    # ------------------------------------------------------------ test controls

    def fail_next(self, error: Exception, times: int = 1) -> None:
        """The next `times` calls (any method) raise `error`."""
        self._failures.extend([error] * times)

    def go_offline(self, times: int = 1) -> None:
        self.fail_next(ports.Offline("network down"), times)

    def fail_server(self, times: int = 1) -> None:
        self.fail_next(ports.ServerFailed("the server answered 503"), times)

    def sign_out(self, times: int = 1) -> None:
        self.fail_next(ports.SignedOut("the session has ended"), times)

    def refuse(self, message: str = "nope", status: int = 422, times: int = 1) -> None:
        self.fail_next(refused(status, "invalid", message), times)

    def sync_calls(self) -> list[Call]:
        return [c for c in self.calls if c.method == "sync"]

    def files(self) -> dict[str, bytes]:
        """Path -> content: what the server holds."""
        return {row.path: row.content for row in self.rows.values()}

    def row(self, path: str) -> Row | None:
        return self.rows.get(folded(path))

    def row_of(self, path: str) -> Row:
        """The row at `path`, which the test expects to be there."""
        row = self.row(path)
        assert row is not None, f"no row at {path}"
        return row

    def other_put(self, path: str, content: bytes, binary: bool | None = None) -> int:
        """Another client writes `path` (creating it or changing it); the new version."""
        row = self.row(path)
        op: dict[str, Any] = {
            "op": "put",
            "path": path,
            "base_version": row.version if row else None,
        }
        parts = {}
        if binary or (binary is None and not is_text(content)):
            op.update(content_ref=sha256_hex(content), binary=True)
            parts[sha256_hex(content)] = content
        else:
            op["content"] = content.decode("utf-8")
        return self._other([op], parts)

    def other_delete(self, path: str) -> int:
        row = self.row(path)
        assert row is not None, path
        return self._other([{"op": "delete", "path": row.path, "base_version": row.version}])

    def other_rename(self, path: str, to: str) -> int:
        row = self.row(path)
        assert row is not None, path
        return self._other(
            [{"op": "rename", "path": row.path, "to": to, "base_version": row.version}]
        )

    def _other(self, ops: list[dict[str, Any]], parts: dict[str, bytes] | None = None) -> int:
        answer = self.apply(ops, parts or {})
        assert all(r["status"] == "ok" for r in answer["results"]), answer
        return int(answer["version"])

    # ------------------------------------------------------------ ServerApi

    def _enter(self, method: str, **args: Any) -> None:
        self.calls.append(Call(method, args, self.now()))
        if method != "sync":
            self._fail_if_asked()

    def _fail_if_asked(self) -> None:
        if self._failures:
            raise self._failures.popleft()

    def etag(self, project_id: str) -> str:
        return f'"{project_id}:{self.version}"'

    async def load(self, project_id: str, etag: str | None) -> ports.ServerSnapshot | None:
        self._enter("load", project_id=project_id, etag=etag)
        if etag is not None and etag == self.etag(project_id):
            return None
        files = [
            ServerFile(
                r.path,
                r.version,
                r.sha256,
                r.binary,
                len(r.content),
                None if r.binary else r.content,
            )
            for r in sorted(self.rows.values(), key=lambda r: r.path)
        ]
        return ports.ServerSnapshot(self.version, self.etag(project_id), files)

    async def blob(self, project_id: str, sha256: str) -> bytes:
        self._enter("blob", project_id=project_id, sha256=sha256)
        for row in self.rows.values():
            if row.sha256 == sha256:
                return row.content
        raise refused(404, "not_found", "No such content in this project.")

    async def sync(
        self,
        project_id: str,
        ops: list[dict[str, Any]],
        parts: dict[str, bytes],
        revision_message: str | None,
    ) -> dict[str, Any]:
        self._enter(
            "sync",
            project_id=project_id,
            ops=ops,
            parts=dict(parts),
            revision_message=revision_message,
        )
        if self.hold:
            await _suspend()
        self._fail_if_asked()
        # What goes over the wire: the ops as JSON, the parts as bytes.
        assert all(isinstance(v, bytes) for v in parts.values()), parts
        wire = json.loads(json.dumps(ops))
        answer = self.apply(wire, parts)
        if self.lose_next_answer:  # applied, but the answer never reaches the client
            self.lose_next_answer = False
            raise ports.Offline("the connection dropped before the answer")
        answer["revision"] = None
        if revision_message is not None:
            message = revision_message.strip()
            if len(message) > 500:
                raise refused(422, "invalid", "'revision_message' is too long.")
            self.revisions.append(message)
            answer["revision"] = {"message": message, "version": self.version}
        return answer

    # ------------------------------------------------------------ server/sync.py

    def apply(self, raw_ops: object, parts: dict[str, bytes]) -> dict[str, Any]:
        self.rows, self.version, answer = apply_batch(
            self.rules, self.rows, self.version, raw_ops, parts
        )
        return answer


def seeded(rules: SyncRules, files: dict[str, bytes]) -> FakeServer:
    """A server holding `files`, written as one batch (version 1) by another client."""
    server = FakeServer(rules)
    ops: list[dict[str, Any]] = []
    parts: dict[str, bytes] = {}
    for path, content in files.items():
        if is_text(content):
            ops.append(
                {
                    "op": "put",
                    "path": path,
                    "base_version": None,
                    "content": content.decode("utf-8"),
                }
            )
        else:
            ops.append(
                {
                    "op": "put",
                    "path": path,
                    "base_version": None,
                    "content_ref": sha256_hex(content),
                    "binary": True,
                }
            )
            parts[sha256_hex(content)] = content
    if ops:
        server._other(ops, parts)
    return server
