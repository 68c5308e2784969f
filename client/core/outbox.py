"""What to send: the difference between the local files and their server bases, as sync
operations in an order the server can apply one after another.

Order: deletes first (they free paths), then renames, then puts. A renamed file whose
content also changed goes as delete + put, because a put in the same batch cannot name
the version the rename is about to create.
"""

from __future__ import annotations

from dataclasses import dataclass

from client.core.model import LocalFile, ProjectModel
from contract.rules import PathError, SyncRules, folded


@dataclass(frozen=True)
class Op:
    kind: str  # put | delete | rename
    path: str  # the server path the op acts on
    base_version: int | None
    to: str | None = None
    file: LocalFile | None = None  # the local file a put or rename comes from

    def payload(self) -> dict[str, object]:
        """The op as the sync endpoint takes it (binary content travels separately)."""
        body: dict[str, object] = {
            "op": self.kind,
            "path": self.path,
            "base_version": self.base_version,
        }
        if self.kind == "rename":
            body["to"] = self.to
        if self.kind == "put" and self.file is not None:
            if self.as_part:
                body["content_ref"] = self.file.sha256
                body["binary"] = True
            else:
                body["content"] = self.file.text
        return body

    @property
    def as_part(self) -> bool:
        """A put whose bytes travel as a part of the request: binary content, or content
        that is not UTF-8 whatever the flag says (it cannot go as JSON text)."""
        if self.kind != "put" or self.file is None:
            return False
        if self.file.binary:
            return True
        try:
            self.file.content.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    @property
    def local_path(self) -> str:
        if self.kind == "rename":
            assert self.to is not None
            return self.to
        return self.path

    @property
    def size(self) -> int:
        return len(self.file.content) if self.kind == "put" and self.file else 0


def pending_ops(model: ProjectModel, skip: set[str] | frozenset[str] = frozenset()) -> list[Op]:
    """Every op needed to bring the server to the local state; paths in `skip` (local paths
    and server paths in conflict) are left out until the user resolves them."""
    deletes, renames, puts = [], [], []
    for server_path, tombstone in sorted(model.tombstones.items()):
        if server_path not in skip:
            deletes.append(Op("delete", server_path, tombstone.version))
    # Only changed files are looked at (kept by TrackedFiles): the status asks on every
    # keystroke, and a walk over every file of a 20,000-file project would show in typing.
    dirty = [(p, f) for p, f in model.files.dirty() if p not in skip]
    origins: set[str] | None = None
    for path, local in dirty:
        base = local.base
        if base is None:
            puts.append(Op("put", path, None, file=local))
        elif base.path in skip:
            continue
        elif base.path == path:
            puts.append(Op("put", path, base.version, file=local))
        else:
            # A rename onto a server path another local file still comes from would be
            # refused (the path is taken until that file moves): delete + put instead.
            if origins is None:
                origins = {f.base.path for f in model.files.values() if f.base is not None}
            if base.sha256 == local.sha256 and path not in origins:
                renames.append(Op("rename", base.path, base.version, to=path, file=local))
            else:
                deletes.append(Op("delete", base.path, base.version))
                puts.append(Op("put", path, None, file=local))
    return deletes + renames + puts


def batches(ops: list[Op], max_ops: int, max_bytes: int) -> list[list[Op]]:
    """Split ops into requests within the server's limits, keeping their order."""
    out: list[list[Op]] = []
    current: list[Op] = []
    size = 0
    budget = max(1, max_bytes // 2)  # JSON escaping can double text; leave room
    for op in ops:
        if current and (len(current) >= max_ops or size + op.size > budget):
            out.append(current)
            current, size = [], 0
        current.append(op)
        size += op.size
    if current:
        out.append(current)
    return out


def unsyncable(model: ProjectModel, rules: SyncRules) -> tuple[set[str], dict[str, str]]:
    """(ignored paths, {path: why it cannot sync}) among the files with pending changes.

    Ignored paths (node_modules/, .env, ...) stay in this browser by design. The others
    would make the server refuse a whole batch, so they are held back, each with the reason
    to show the user, while every other file keeps syncing."""
    ignored: set[str] = set()
    problems: dict[str, str] = {}
    dirty = model.files.dirty()
    new_keys = {folded(p) for p, f in dirty if f.base is None}
    if new_keys:
        # A new file whose name differs only by case from an earlier one (in path order)
        # would collide on a case-insensitive disk.
        seen: dict[str, str] = {}
        for path in sorted(p for p in model.files if folded(p) in new_keys):
            key = folded(path)
            if key in seen and model.files[path].base is None:
                problems[path] = f"differs only by case from {seen[key]}"
            seen.setdefault(key, path)
    for path, local in dirty:
        if rules.ignored(path):
            ignored.add(path)
            continue
        try:
            if rules.normalise(path) != path:
                problems[path] = "the name is not in Unicode normal form (NFC)"
        except PathError as error:
            problems[path] = str(error)
            continue
        if len(local.content) > rules.max_file_bytes:
            problems[path] = f"larger than {rules.max_file_bytes // (1024 * 1024)} MB"
    return ignored, problems
