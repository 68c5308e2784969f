"""The batch semantics of server/sync.py, for FakeServer: the project version is a counter
bumped once per batch that applies something; a stale base answers `conflict` for that op
alone; bad input anywhere refuses the whole batch (ports.Refused, nothing applied).

Standard library, client.core and contract only: these tests also run inside Pyodide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from client.core import ports
from client.core.model import sha256_hex
from contract.rules import PathError, SyncRules, folded, is_text, parents

_NEW = -1  # version placeholder for content written by the batch being applied


@dataclass(frozen=True)
class Row:
    path: str
    content: bytes
    binary: bool
    version: int

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)


def refused(status: int, code: str, message: str, **details: Any) -> ports.Refused:
    return ports.Refused(status, code, message, details)


def apply_batch(
    rules: SyncRules, rows: dict[str, Row], version: int, raw_ops: object, parts: dict[str, bytes]
) -> tuple[dict[str, Row], int, dict[str, Any]]:
    """A batch applied to `rows` at `version`: (the rows, the version, the answer). A
    refusal raises ports.Refused and changes nothing."""
    ops = _parse(rules, raw_ops, parts)
    now: dict[str, Row | None] = dict(rows)
    initial = dict(rows)
    results: list[dict[str, Any]] = []
    applied: list[dict[str, Any]] = []
    for op in ops:
        conflict = _step(now, op)
        if conflict is None:
            applied.append(op)
        else:
            results.append(conflict)
    if not applied:
        return rows, version, {"version": version, "results": results}
    final = {k: r for k, r in now.items() if r is not None}
    if len(final) > rules.max_project_files:
        raise refused(413, "too_many_files", "A project holds too many files.")
    if sum(len(r.content) for r in final.values()) > rules.max_project_bytes:
        raise refused(413, "project_too_large", "A project holds too many bytes.")
    version += 1
    rows = {
        k: (Row(r.path, r.content, r.binary, version) if r is not initial.get(k) else r)
        for k, r in final.items()
    }
    for op in applied:
        result: dict[str, Any] = {
            "index": op["index"],
            "status": "ok",
            "path": op["path"],
            "version": version,
        }
        if op["op"] == "put":
            result["sha256"] = sha256_hex(op["data"])
        if op["op"] == "rename":
            result["to"] = op["to"]
        results.append(result)
    results.sort(key=lambda r: r["index"])
    return rows, version, {"version": version, "results": results}


def _parse(rules: SyncRules, raw_ops: object, parts: dict[str, bytes]) -> list[dict[str, Any]]:
    if not isinstance(raw_ops, list):
        raise refused(422, "invalid", "'ops' must be a list of operations.", field="ops")
    if len(raw_ops) > rules.max_ops_per_sync:
        raise refused(413, "too_many_ops", "Too many operations in one sync.")
    ops = []
    for index, raw in enumerate(raw_ops):
        if not isinstance(raw, dict) or raw.get("op") not in {"put", "delete", "rename"}:
            raise refused(422, "invalid", f"Operation {index}: bad op", op=index)
        op = {
            "index": index,
            "op": raw["op"],
            "path": _path(rules, raw, index, "path"),
            "base_version": _base(raw, index, raw["op"] != "put"),
        }
        if raw["op"] == "put":
            op["data"], op["binary"] = _content(raw, index, parts)
            if len(op["data"]) > rules.max_file_bytes:
                raise refused(413, "file_too_large", f"Operation {index}: too large")
        if raw["op"] == "rename":
            op["to"] = _path(rules, raw, index, "to")
        ops.append(op)
    return ops


def _path(rules: SyncRules, raw: dict[str, Any], index: int, name: str) -> str:
    value = raw.get(name)
    try:
        if not isinstance(value, str):
            raise PathError("a path must be a string")
        path = rules.normalise(value)
    except PathError as error:
        raise refused(422, "invalid_path", f"Operation {index}: {error}") from None
    if rules.ignored(path):
        raise refused(422, "ignored_path", f"Operation {index}: '{path}' never syncs")
    return path


def _base(raw: dict[str, Any], index: int, required: bool) -> int | None:
    value = raw.get("base_version")
    if value is None:
        if required:
            raise refused(422, "invalid", f"Operation {index}: base_version is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise refused(422, "invalid", f"Operation {index}: bad base_version")
    return value


def _content(raw: dict[str, Any], index: int, parts: dict[str, bytes]) -> tuple[bytes, bool]:
    if ("content" in raw) == ("content_ref" in raw):
        raise refused(422, "invalid", f"Operation {index}: one of content or content_ref")
    if "content" in raw:
        if not isinstance(raw["content"], str):
            raise refused(422, "invalid", f"Operation {index}: content must be a string")
        return raw["content"].encode("utf-8"), False
    ref = raw["content_ref"]
    if not isinstance(ref, str) or ref not in parts:
        raise refused(422, "invalid", f"Operation {index}: content_ref names no part")
    data, binary = parts[ref], raw.get("binary")
    if binary is None:
        return data, not is_text(data)
    if not isinstance(binary, bool) or (not binary and not is_text(data)):
        raise refused(422, "invalid_utf8", f"Operation {index}: bad binary flag")
    return data, binary


def _step(now: dict[str, Row | None], op: dict[str, Any]) -> dict[str, Any] | None:
    key = folded(op["path"])
    current = now.get(key)
    if op["op"] == "put":
        if current is not None and current.path != op["path"]:
            raise refused(409, "case_conflict", f"Operation {op['index']}: case clash")
        base = op["base_version"]
        stale = (
            current is not None if base is None else (current is None or current.version != base)
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
            raise refused(409, "file_in_the_way", f"'{found.path}' is a file", op=op["index"])
    prefix = folded(path) + "/"
    if any(k.startswith(prefix) and r is not None for k, r in now.items()):
        raise refused(409, "folder_in_the_way", f"'{path}' is a folder", op=op["index"])
