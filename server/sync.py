"""Apply a batch of file operations (put, delete, rename) to a project, all or nothing.

Every operation names the version it was based on. One whose base is stale is answered
`conflict` and changes nothing; the others apply. Bad input anywhere in the batch (a bad
path, a limit, a file where a folder is needed) refuses the whole batch with a 4xx, and
since everything runs in one transaction on a locked project row, nothing half-written
can remain. Folders are implied by paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg import AsyncConnection

from server import blobs, paths
from server.errors import ApiError
from server.models.requests import DeleteOp, PatchOp, PutOp, RenameOp
from server.repo import blobs as blob_repo
from server.repo import files as file_repo
from server.repo import projects as project_repo
from server.repo.files import StoredFile
from server.repo.projects import Project
from server.sync_rules import RULES

_NEW = -1  # version placeholder for content written by this batch


@dataclass(frozen=True)
class Op:
    index: int
    kind: str
    path: str
    base_version: int | None
    to: str | None = None
    blob: blobs.Blob | None = None
    is_binary: bool = False
    content: bytes | None = None  # a put's raw bytes (a later patch in the batch reads them)
    edits: tuple[tuple[int, int, str], ...] = ()  # a patch: (start, end, text) in characters
    label: str = ""  # how refusals name it; "" = "Operation <index>" (a sync's own ops)


@dataclass
class Outcome:
    version: int
    results: list[dict[str, Any]] = field(default_factory=list)
    changed: bool = False


def put_op(index: int, path: str, data: bytes, base_version: int | None = None) -> Op:
    """A put of trusted, already-checked content (templates, imports): binary unless text."""
    return Op(
        index,
        "put",
        path,
        base_version,
        blob=blobs.pack(data),
        is_binary=not blobs.is_text(data),
        content=data,
        label=f"The imported file '{path}'",
    )


def _who(op: Op) -> str:
    return op.label or f"Operation {op.index}"


def _op_error(
    index: int, field_name: str, message: str, status: int = 422, code: str = "invalid"
) -> ApiError:
    return ApiError(
        status, code, f"Operation {index}: {message}", {"op": index, "field": field_name}
    )


def _path(raw: str, index: int, name: str) -> str:
    try:
        path = paths.normalise(raw)
    except paths.PathError as error:
        raise _op_error(index, name, str(error), code="invalid_path") from None
    if RULES.ignored(path):
        raise _op_error(
            index,
            name,
            f"'{path}' is never synced (node_modules/, .git/, dist/, "
            "build/ and .env files stay local)",
            code="ignored_path",
        )
    return path


def _text(text: str, index: int, field_name: str) -> bytes:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which a JSON \u escape can carry
        raise _op_error(
            index, field_name, "the text is not valid UTF-8", code="invalid_utf8"
        ) from None
    if b"\0" in data:  # text never holds NUL (blobs.is_text); such files go as binary
        raise _op_error(
            index,
            field_name,
            "text may not contain NUL; send the file as binary (content_ref)",
            code="invalid_utf8",
        )
    return data


def _content(raw: PutOp, index: int, parts: dict[str, bytes]) -> tuple[bytes, bool]:
    if isinstance(raw.content, str) == isinstance(raw.content_ref, str):
        raise _op_error(index, "content", "a put needs exactly one of content or content_ref")
    if isinstance(raw.content, str):
        return _text(raw.content, index, "content"), False
    if raw.content_ref not in parts:
        raise _op_error(index, "content_ref", "content_ref must name a part of this request")
    data = parts[raw.content_ref]
    if raw.binary is None:
        return data, not blobs.is_text(data)
    if not raw.binary and not blobs.is_text(data):
        raise _op_error(
            index,
            "content_ref",
            "the content is declared text but is not valid UTF-8",
            code="invalid_utf8",
        )
    return data, raw.binary


def _edits(raw: PatchOp, index: int) -> tuple[tuple[int, int, str], ...]:
    """A patch's edits (start, end, text): character offsets into the base text, sorted
    and not overlapping. Checked against the base's length when it is applied."""
    previous_end = 0
    for edit in raw.edits:
        if not previous_end <= edit.start <= edit.end:
            raise _op_error(
                index,
                "edits",
                "edits must be sorted, not overlap, and have start <= end",
                code="bad_patch",
            )
        _text(edit.text, index, "edits")
        previous_end = edit.end
    return tuple((edit.start, edit.end, edit.text) for edit in raw.edits)


def _patched(op: Op, base: bytes) -> bytes:
    text = base.decode("utf-8")
    pieces, cursor = [], 0
    for start, end, insert in op.edits:
        if end > len(text):
            raise _op_error(
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
        raise _op_error(op.index, "edits", "text may not contain NUL", code="invalid_utf8")
    if len(data) > RULES.max_file_bytes:
        raise _op_error(
            op.index,
            "edits",
            f"the file would be larger than {RULES.max_file_bytes} bytes",
            413,
            "file_too_large",
        )
    return data


def parse_ops(
    requested: Sequence[PutOp | PatchOp | DeleteOp | RenameOp],
    parts: dict[str, bytes] | None = None,
) -> list[Op]:
    """Check what the request models cannot (paths, content, the order of edits) before
    touching the database; pack content into blobs."""
    parts = parts or {}
    ops = []
    for index, raw in enumerate(requested):
        path = _path(raw.path, index, "path")
        if isinstance(raw, PutOp):
            data, is_binary = _content(raw, index, parts)
            if len(data) > RULES.max_file_bytes:
                raise _op_error(
                    index,
                    "content",
                    f"the file is larger than {RULES.max_file_bytes} bytes",
                    413,
                    "file_too_large",
                )
            blob = blobs.pack(data)
            ops.append(
                Op(
                    index,
                    "put",
                    path,
                    raw.base_version,
                    blob=blob,
                    is_binary=is_binary,
                    content=data,
                )
            )
        elif isinstance(raw, PatchOp):
            ops.append(Op(index, "patch", path, raw.base_version, edits=_edits(raw, index)))
        elif isinstance(raw, DeleteOp):
            ops.append(Op(index, "delete", path, raw.base_version))
        else:
            ops.append(Op(index, "rename", path, raw.base_version, to=_path(raw.to, index, "to")))
    return ops


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
        for folder in paths.parents(key):
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
        for parent in paths.parents(path):
            found = self.now.get(paths.folded(parent))
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
    if tree.is_folder(paths.folded(path)):
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
    key = paths.folded(op.path)
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
            raise _op_error(
                op.index, "path", f"'{op.path}' is binary; a patch needs text", code="not_text"
            )
        data = _patched(op, tree.contents[current.sha256])
        blob = blobs.pack(data)
        tree.made[op.index] = blob
        tree.contents[blob.sha256] = data
        tree.set(key, StoredFile(op.path, blob.sha256, blob.size, False, _NEW))
        return None
    assert op.to is not None
    to_key = paths.folded(op.to)
    target = tree.get(to_key)
    if to_key != key and target is not None:
        return _conflict(op, target, op.to)
    tree.set(key, None)
    if to_key != key:
        _place(tree, op, op.to)
    tree.set(to_key, StoredFile(op.to, current.sha256, current.size, current.is_binary, _NEW))
    return None


async def apply(conn: AsyncConnection, project: Project, ops: list[Op]) -> Outcome:
    """Run inside a transaction, with the project row locked (FOR UPDATE)."""
    keys: set[str] = set()
    fresh: list[str] = []
    for op in ops:
        for path in filter(None, (op.path, op.to)):
            keys.add(paths.folded(path))
            keys.update(paths.folded(p) for p in paths.parents(path))
            fresh.append(paths.folded(path))
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
    if count > RULES.max_project_files:
        raise ApiError(
            413,
            "too_many_files",
            f"A project holds at most {RULES.max_project_files} files.",
            {"limit": RULES.max_project_files},
        )
    if size > RULES.max_project_bytes:
        raise ApiError(
            413,
            "project_too_large",
            f"A project holds at most {RULES.max_project_bytes} bytes.",
            {"limit": RULES.max_project_bytes},
        )

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
