"""Conflicts: the server refused a change because its copy moved on. Both versions are
kept until the user picks mine, theirs, or an edited merge; nothing is dropped."""

from __future__ import annotations

from dataclasses import dataclass, replace

from client.core.model import Base, LocalFile, ProjectModel, ServerFile


@dataclass(frozen=True)
class Conflict:
    path: str  # the local path the user sees
    server_path: str
    mine: bytes | None  # None: I deleted it
    theirs: bytes | None  # None: the server deleted it
    their_version: int | None
    their_sha256: str | None
    binary: bool = False

    @property
    def key(self) -> str:
        return self.path


class ConflictBook:
    """Open conflicts by local path. Paths in here stay out of sync batches."""

    def __init__(self) -> None:
        self.open: dict[str, Conflict] = {}

    def __len__(self) -> int:
        return len(self.open)

    def add(self, conflict: Conflict) -> None:
        self.open[conflict.path] = conflict

    def blocked_paths(self) -> set[str]:
        return set(self.open) | {c.server_path for c in self.open.values()}

    def resolve(
        self, model: ProjectModel, path: str, choice: str, merged: bytes | None = None
    ) -> None:
        """choice: 'mine' (push mine over theirs), 'theirs' (take the server's), or 'merged'
        (push `merged`). Afterwards the file's base is the server's current version, so the
        next sync succeeds unless the server moved again."""
        conflict = self.open.pop(path)
        base = None
        if conflict.their_version is not None and conflict.their_sha256:
            base = Base(conflict.server_path, conflict.their_version, conflict.their_sha256)
        if choice == "theirs":
            model.files.pop(path, None)
            model.tombstones.pop(conflict.server_path, None)
            if conflict.theirs is not None and base is not None:
                server = ServerFile(
                    conflict.server_path,
                    base.version,
                    base.sha256,
                    conflict.binary,
                    len(conflict.theirs),
                )
                model.adopt(server, conflict.theirs)
            return
        if choice not in {"mine", "merged"}:
            raise ValueError(f"unknown choice {choice!r}")
        current = model.files.get(path)
        # 'mine' is the file as it is now: edits made since the conflict are kept, and a file
        # deleted (or moved away) since is a delete. `conflict.mine` is only the copy taken
        # when the conflict was raised: bringing it back undid the user's delete.
        mine = current.content if current is not None else None
        content = merged if choice == "merged" else mine
        if content is None:  # mine was a delete: delete their version
            model.files.pop(path, None)
            if base is not None:
                model.tombstones[conflict.server_path] = base
            else:
                model.tombstones.pop(conflict.server_path, None)
            return
        binary = current.binary if current else conflict.binary
        model.files[path] = LocalFile(path, content, binary, base)
        if (
            current is not None
            and current.base is not None
            and current.base.path not in {path, conflict.server_path}
        ):
            # it came from elsewhere: that origin still has to go (unless it is the server
            # copy this conflict is about: the new base already stands for it)
            model.tombstones.setdefault(current.base.path, current.base)
        model.tombstones.pop(path, None)


def with_theirs(conflict: Conflict, theirs: bytes | None) -> Conflict:
    return replace(conflict, theirs=theirs)
