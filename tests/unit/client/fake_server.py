"""In-memory doubles for client.core's ports, and a driver for coroutines.

`FakeServer` implements client.core.ports.ServerApi with the per-op semantics of
server/sync.py: the project version is a counter bumped once per batch that applies
something; a stale base answers `conflict` for that op alone; bad input anywhere refuses
the whole batch (ports.Refused, nothing applied). It logs every call, can fail the next
calls on demand, and lets a test change files directly as "another client".

Standard library, client.core and contract only: these tests also run inside Pyodide.
"""

from __future__ import annotations

import hashlib
import json
import types
from collections import deque
from collections.abc import Callable, Coroutine, Generator
from dataclasses import dataclass, field
from typing import Any

from client.core import ports
from client.core.model import ServerFile
from contract.rules import PathError, SyncRules, folded, is_text, parents

_NEW = -1  # version placeholder for content written by the batch being applied


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to its end without an event loop (asyncio.run cannot nest inside
    Pyodide's running loop). Bare yields (asyncio.sleep(0)) are stepped through; waiting on
    a real future is an error: the fakes never need one."""
    try:
        while True:
            if coro.send(None) is not None:
                coro.close()
                raise RuntimeError("the coroutine waited on a real future")
    except StopIteration as stop:
        return stop.value


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


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Row:
    path: str
    content: bytes
    binary: bool
    version: int

    @property
    def sha256(self) -> str:
        return sha(self.content)


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any] = field(default_factory=dict)
    at: float = 0.0  # the test clock's time of the call


@types.coroutine
def _suspend() -> Generator[None, None, None]:
    """Give control back once (a request in flight), without an event loop."""
    yield


def _refused(status: int, code: str, message: str, **details: Any) -> ports.Refused:
    return ports.Refused(status, code, message, details)


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
        self.fail_next(_refused(status, "invalid", message), times)

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
            op.update(content_ref=sha(content), binary=True)
            parts[sha(content)] = content
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
        raise _refused(404, "not_found", "No such content in this project.")

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
                raise _refused(422, "invalid", "'revision_message' is too long.")
            self.revisions.append(message)
            answer["revision"] = {"message": message, "version": self.version}
        return answer

    # ------------------------------------------------------------ server/sync.py

    def apply(self, raw_ops: object, parts: dict[str, bytes]) -> dict[str, Any]:
        ops = self._parse(raw_ops, parts)
        now: dict[str, Row | None] = dict(self.rows)
        initial = dict(self.rows)
        results: list[dict[str, Any]] = []
        applied: list[dict[str, Any]] = []
        for op in ops:
            conflict = self._step(now, op)
            if conflict is None:
                applied.append(op)
            else:
                results.append(conflict)
        if not applied:
            return {"version": self.version, "results": results}
        final = {k: r for k, r in now.items() if r is not None}
        if len(final) > self.rules.max_project_files:
            raise _refused(413, "too_many_files", "A project holds too many files.")
        if sum(len(r.content) for r in final.values()) > self.rules.max_project_bytes:
            raise _refused(413, "project_too_large", "A project holds too many bytes.")
        self.version += 1
        self.rows = {
            k: (Row(r.path, r.content, r.binary, self.version) if r is not initial.get(k) else r)
            for k, r in final.items()
        }
        for op in applied:
            result: dict[str, Any] = {
                "index": op["index"],
                "status": "ok",
                "path": op["path"],
                "version": self.version,
            }
            if op["op"] == "put":
                result["sha256"] = sha(op["data"])
            if op["op"] == "rename":
                result["to"] = op["to"]
            results.append(result)
        results.sort(key=lambda r: r["index"])
        return {"version": self.version, "results": results}

    def _parse(self, raw_ops: object, parts: dict[str, bytes]) -> list[dict[str, Any]]:
        if not isinstance(raw_ops, list):
            raise _refused(422, "invalid", "'ops' must be a list of operations.", field="ops")
        if len(raw_ops) > self.rules.max_ops_per_sync:
            raise _refused(413, "too_many_ops", "Too many operations in one sync.")
        ops = []
        for index, raw in enumerate(raw_ops):
            if not isinstance(raw, dict) or raw.get("op") not in {"put", "delete", "rename"}:
                raise _refused(422, "invalid", f"Operation {index}: bad op", op=index)
            op = {
                "index": index,
                "op": raw["op"],
                "path": self._path(raw, index, "path"),
                "base_version": self._base(raw, index, raw["op"] != "put"),
            }
            if raw["op"] == "put":
                op["data"], op["binary"] = self._content(raw, index, parts)
                if len(op["data"]) > self.rules.max_file_bytes:
                    raise _refused(413, "file_too_large", f"Operation {index}: too large")
            if raw["op"] == "rename":
                op["to"] = self._path(raw, index, "to")
            ops.append(op)
        return ops

    def _path(self, raw: dict[str, Any], index: int, name: str) -> str:
        value = raw.get(name)
        try:
            if not isinstance(value, str):
                raise PathError("a path must be a string")
            path = self.rules.normalise(value)
        except PathError as error:
            raise _refused(422, "invalid_path", f"Operation {index}: {error}") from None
        if self.rules.ignored(path):
            raise _refused(422, "ignored_path", f"Operation {index}: '{path}' never syncs")
        return path

    @staticmethod
    def _base(raw: dict[str, Any], index: int, required: bool) -> int | None:
        value = raw.get("base_version")
        if value is None:
            if required:
                raise _refused(422, "invalid", f"Operation {index}: base_version is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _refused(422, "invalid", f"Operation {index}: bad base_version")
        return value

    @staticmethod
    def _content(raw: dict[str, Any], index: int, parts: dict[str, bytes]) -> tuple[bytes, bool]:
        if ("content" in raw) == ("content_ref" in raw):
            raise _refused(422, "invalid", f"Operation {index}: one of content or content_ref")
        if "content" in raw:
            if not isinstance(raw["content"], str):
                raise _refused(422, "invalid", f"Operation {index}: content must be a string")
            return raw["content"].encode("utf-8"), False
        ref = raw["content_ref"]
        if not isinstance(ref, str) or ref not in parts:
            raise _refused(422, "invalid", f"Operation {index}: content_ref names no part")
        data, binary = parts[ref], raw.get("binary")
        if binary is None:
            return data, not is_text(data)
        if not isinstance(binary, bool) or (not binary and not is_text(data)):
            raise _refused(422, "invalid_utf8", f"Operation {index}: bad binary flag")
        return data, binary

    def _step(self, now: dict[str, Row | None], op: dict[str, Any]) -> dict[str, Any] | None:
        key = folded(op["path"])
        current = now.get(key)
        if op["op"] == "put":
            if current is not None and current.path != op["path"]:
                raise _refused(409, "case_conflict", f"Operation {op['index']}: case clash")
            base = op["base_version"]
            stale = (
                current is not None
                if base is None
                else (current is None or current.version != base)
            )
            if stale:
                return _conflict(op, current)
            if current is None:
                _place(now, op, op["path"])
            now[key] = Row(op["path"], op["data"], op["binary"], _NEW)
            return None
        if current is None or current.path != op["path"] or current.version != op["base_version"]:
            return _conflict(op, current if current and current.path == op["path"] else None)
        if op["op"] == "delete":
            now[key] = None
            return None
        to_key = folded(op["to"])
        target = now.get(to_key)
        if to_key != key and target is not None:
            return _conflict(op, target, op["to"])
        now[key] = None
        if to_key != key:
            _place(now, op, op["to"])
        now[to_key] = Row(op["to"], current.content, current.binary, _NEW)
        return None


def _conflict(op: dict[str, Any], current: Row | None, path: str | None = None) -> dict[str, Any]:
    return {
        "index": op["index"],
        "status": "conflict",
        "path": path or op["path"],
        "current_version": current.version if current else None,
        "current_sha256": current.sha256 if current else None,
    }


def _place(now: dict[str, Row | None], op: dict[str, Any], path: str) -> None:
    """A new file needs its parents free of files and its own path free of a folder."""
    for parent in parents(path):
        found = now.get(folded(parent))
        if found is not None:
            raise _refused(409, "file_in_the_way", f"'{found.path}' is a file", op=op["index"])
    prefix = folded(path) + "/"
    if any(k.startswith(prefix) and r is not None for k, r in now.items()):
        raise _refused(409, "folder_in_the_way", f"'{path}' is a folder", op=op["index"])


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
                    "content_ref": sha(content),
                    "binary": True,
                }
            )
            parts[sha(content)] = content
    if ops:
        server._other(ops, parts)
    return server
