"""Apply a batch of file operations (put, patch, delete, rename; read and checked by
server/sync_ops.py) to a project, all or nothing.

Every operation names the version it was based on. One whose base is stale is answered
`conflict` and changes nothing; the others apply. Bad input anywhere in the batch (a bad
path, a limit, a file where a folder is needed) refuses the whole batch with a 4xx, and
since everything runs in one transaction on a locked project row, nothing half-written
can remain. Folders are implied by paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import AsyncConnection

from contract.rules import folded, parents
from server import blobs
from server.errors import ApiError
from server.repo import blobs as blob_repo
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo.files import StoredFile
from server.repo.projects import Project
from server.sync_ops import Op, op_error
from server.sync_rules import RULES

_NEW = -1  # version placeholder for content written by this batch


@dataclass
class Outcome:
    version: int
    results: list[dict[str, Any]] = field(default_factory=list)
    changed: bool = False


def _who(op: Op) -> str:
    return op.label or f"Operation {op.index}"


def _patched(op: Op, base: bytes) -> bytes:
    text = base.decode("utf-8")
    pieces, cursor = [], 0
    for start, end, insert in op.edits:
        if end > len(text):
            raise op_error(
                op.index,
                "edits",
                f"an edit ends at {end}, past the end of the base text ({len(text)} characters)",
                code="bad_patch",
            )
        pieces += [text[cursor:start], insert]
        cursor = end
    pieces.append(text[cursor:])
    data = "".join(pieces).encode("utf-8")
    if b"\0" in data:
        raise op_error(op.index, "edits", "text may not contain NUL", code="invalid_utf8")
    if len(data) > RULES.max_file_bytes:
        raise op_error(
            op.index,
            "edits",
            f"the file would be larger than {RULES.max_file_bytes} bytes",
            413,
            "file_too_large",
        )
    return data


class _Tree:
    """The project's files as the batch sees them, loaded for the keys it touches."""

    def __init__(self, known: dict[str, StoredFile], keys: set[str], under: list[str]) -> None:
        self.initial: dict[str, StoredFile | None] = {k: known.get(k) for k in keys}
        self.now = dict(self.initial)
        self.contents: dict[bytes, bytes] = {}  # sha256 -> bytes, for patches
        self.made: dict[int, blobs.Blob] = {}  # op index -> the blob a patch produced
        # Stored keys inside folders that new files would occupy, not loaded: they count
        # as present unless the batch itself removes them.
        self._under = set(under)
        # Folder key -> how many present files it holds (loaded or not), kept as the
        # batch goes, so "is this a folder?" costs one look: a 20,000-file import asked
        # it of every new file and scanned the whole batch each time.
        self._holds: dict[str, int] = {}
        for key in self._under | set(self.now):
            if self._present(key):
                self._count(key, 1)

    def _present(self, key: str) -> bool:
        return self.now[key] is not None if key in self.now else key in self._under

    def _count(self, key: str, delta: int) -> None:
        for folder in parents(key):
            self._holds[folder] = self._holds.get(folder, 0) + delta

    def get(self, key: str) -> StoredFile | None:
        return self.now.get(key)

    def set(self, key: str, value: StoredFile | None) -> None:
        was = self._present(key)
        self.now[key] = value
        if was != (value is not None):
            self._count(key, 1 if value is not None else -1)

    def is_folder(self, key: str) -> bool:
        return self._holds.get(key, 0) > 0

    def blocking_parent(self, path: str) -> str | None:
        for parent in parents(path):
            found = self.now.get(folded(parent))
            if found is not None:
                return found.path
        return None


def _conflict(op: Op, current: StoredFile | None, path: str | None = None) -> dict[str, Any]:
    return {
        "index": op.index,
        "status": "conflict",
        "path": path or op.path,
        "current_version": current.version if current else None,
        "current_sha256": current.sha256.hex() if current else None,
    }


def _place(tree: _Tree, op: Op, path: str) -> None:
    """Refuse (4xx, whole batch) a new file whose place is taken by a folder or a file."""
    blocker = tree.blocking_parent(path)
    if blocker is not None:
        raise ApiError(
            409,
            "file_in_the_way",
            f"{_who(op)}: '{blocker}' is a file, so '{path}' cannot be created inside it.",
            {"op": op.index, "path": path, "existing": blocker},
        )
    if tree.is_folder(folded(path)):
        raise ApiError(
            409,
            "folder_in_the_way",
            f"{_who(op)}: '{path}' is a folder.",
            {"op": op.index, "path": path},
        )


def _case_clash(op: Op, current: StoredFile | None, path: str) -> None:
    if current is not None and current.path != path:
        raise ApiError(
            409,
            "case_conflict",
            f"{_who(op)}: '{path}' differs only by case from the existing '{current.path}'.",
            {"op": op.index, "path": path, "existing": current.path},
        )


def _step(tree: _Tree, op: Op) -> dict[str, Any] | None:
    """Apply one operation to the tree; return a conflict result, or None when applied."""
    key = folded(op.path)
    current = tree.get(key)
    if op.kind == "put":
        _case_clash(op, current, op.path)
        stale = (
            current is not None
            if op.base_version is None
            else (current is None or current.version != op.base_version)
        )
        if stale:
            return _conflict(op, current)
        if current is None:
            _place(tree, op, op.path)
        assert op.blob is not None and op.content is not None
        tree.set(key, StoredFile(op.path, op.blob.sha256, op.blob.size, op.is_binary, _NEW))
        tree.contents[op.blob.sha256] = op.content
        return None
    if current is None or current.path != op.path or current.version != op.base_version:
        return _conflict(op, current if current and current.path == op.path else None)
    if op.kind == "delete":
        tree.set(key, None)
        return None
    if op.kind == "patch":
        if current.is_binary:
            raise op_error(
                op.index, "path", f"'{op.path}' is binary; a patch needs text", code="not_text"
            )
        data = _patched(op, tree.contents[current.sha256])
        blob = blobs.pack(data)
        tree.made[op.index] = blob
        tree.contents[blob.sha256] = data
        tree.set(key, StoredFile(op.path, blob.sha256, blob.size, False, _NEW))
        return None
    assert op.to is not None
    to_key = folded(op.to)
    target = tree.get(to_key)
    if to_key != key and target is not None:
        return _conflict(op, target, op.to)
    tree.set(key, None)
    if to_key != key:
        _place(tree, op, op.to)
    tree.set(to_key, StoredFile(op.to, current.sha256, current.size, current.is_binary, _NEW))
    return None


def _within(amount: int, limit: int, code: str, unit: str) -> None:
    """Refuse (413, whole batch) a project that would grow past one of its limits."""
    if amount > limit:
        raise ApiError(413, code, f"A project holds at most {limit} {unit}.", {"limit": limit})


async def apply(conn: AsyncConnection, project: Project, ops: list[Op]) -> Outcome:
    """Run inside a transaction, with the project row locked (FOR UPDATE)."""
    keys: set[str] = set()
    fresh: list[str] = []
    for op in ops:
        for path in filter(None, (op.path, op.to)):
            keys.add(folded(path))
            keys.update(folded(p) for p in parents(path))
            fresh.append(folded(path))
    known = await file_repo.by_keys(conn, project.id, sorted(keys))
    under = await file_repo.keys_under(conn, project.id, sorted(set(fresh) - set(known)))
    tree = _Tree(known, keys, under)
    if any(op.kind == "patch" for op in ops):
        # Patches read their base text; any text file the batch touches may be one (a
        # rename earlier in the batch can bring it to the patched path).
        tree.contents.update(
            await blob_repo.read(conn, [f.sha256 for f in known.values() if not f.is_binary])
        )
    outcome = Outcome(project.version)
    applied: list[Op] = []
    for op in ops:
        conflict = _step(tree, op)
        if conflict is None:
            applied.append(op)
        else:
            outcome.results.append(conflict)
    if not applied:
        return outcome

    replaced = [
        (k, old) for k, old in tree.initial.items() if old is not None and tree.now[k] is not old
    ]
    removed = [
        old.path for k, old in replaced if (now := tree.now[k]) is None or now.path != old.path
    ]
    written = [
        (k, new) for k, new in tree.now.items() if new is not None and new is not tree.initial[k]
    ]
    count = project.file_count - len(replaced) + len(written)
    size = (
        project.total_bytes
        - sum(old.size for _k, old in replaced)
        + sum(new.size for _k, new in written)
    )
    _within(count, RULES.max_project_files, "too_many_files", "files")
    _within(size, RULES.max_project_bytes, "project_too_large", "bytes")

    version = await project_repo.advance(conn, project.id, count, size)
    made = [op.blob or tree.made.get(op.index) for op in applied]
    await blob_repo.store(conn, [blob for blob in made if blob is not None])
    await file_repo.delete(conn, project.id, removed)
    await file_repo.upsert(
        conn, project.id, [(f.path, k, f.sha256, f.size, f.is_binary) for k, f in written], version
    )
    outcome.version, outcome.changed = version, True
    for earlier in outcome.results:  # a conflict with a file this batch wrote: its version
        if earlier["status"] == "conflict" and earlier["current_version"] == _NEW:
            earlier["current_version"] = version
    for op in applied:
        result: dict[str, Any] = {
            "index": op.index,
            "status": "ok",
            "path": op.path,
            "version": version,
        }
        if op.kind == "put" and op.blob is not None:
            result["sha256"] = op.blob.sha256.hex()
        if op.kind == "patch":
            result["sha256"] = tree.made[op.index].sha256.hex()
        if op.kind == "rename":
            result["to"] = op.to
        outcome.results.append(result)
    outcome.results.sort(key=lambda r: r["index"])
    return outcome
