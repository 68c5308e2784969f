"""The project as the client holds it: every file's content, and what the server last had.

Sync is state-based. Each local file remembers its *origin*: the server path it came from,
with that file's server version and content hash (`base`). What must be pushed is the
difference between the local files and their bases (see outbox.py), so there is no
operation log to lose or replay: a crash, reload or offline week leaves a state that still
diffs correctly. A deleted server file leaves a tombstone until the server confirms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import NoReturn, TypeVar, overload

_T = TypeVar("_T")

# The value `ProjectModel.inflight` holds for a path sent to be deleted (never a sha256).
SENT_DELETE = "delete"


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Base:
    """What the server held when this file was last in step with it."""

    path: str
    version: int
    sha256: str


@dataclass(frozen=True)
class LocalFile:
    path: str
    content: bytes
    binary: bool
    base: Base | None = None  # None: created here, never on the server
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", sha256_hex(self.content))

    @property
    def clean(self) -> bool:
        return (
            self.base is not None
            and self.base.path == self.path
            and self.base.sha256 == self.sha256
        )

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


@dataclass(frozen=True)
class ServerFile:
    """One entry of the server's project load."""

    path: str
    version: int
    sha256: str
    binary: bool
    size: int
    content: bytes | None = None  # None for binary until fetched


class TrackedFiles(dict[str, LocalFile]):
    """A dict of files that remembers which paths changed, for incremental saving, and
    which files differ from the server (`dirty`), kept as they change: the sync status
    asks on every keystroke, and walking every file of a large project each time showed
    in the typing latency."""

    def __init__(
        self, files: Mapping[str, LocalFile] | Iterable[tuple[str, LocalFile]] = (), /
    ) -> None:
        super().__init__(files)
        self._touched: set[str] = set(self)
        self._dirty: set[str] = {p for p, f in self.items() if not f.clean}

    def __setitem__(self, key: str, value: LocalFile) -> None:
        super().__setitem__(key, value)
        self._touched.add(key)
        if value.clean:
            self._dirty.discard(key)
        else:
            self._dirty.add(key)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._touched.add(key)
        self._dirty.discard(key)

    @overload
    def pop(self, key: str, /) -> LocalFile: ...
    @overload
    def pop(self, key: str, default: LocalFile, /) -> LocalFile: ...
    @overload
    def pop(self, key: str, default: _T, /) -> LocalFile | _T: ...
    def pop(self, key: str, *default: object) -> object:
        self._touched.add(key)
        self._dirty.discard(key)
        return super().pop(key, *default)

    # Every other way of changing a dict would bypass the bookkeeping above.
    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("TrackedFiles changes one path at a time ([]=, del, pop)")

    update = setdefault = popitem = clear = __ior__ = _refuse

    def dirty_count(self) -> int:
        return len(self._dirty)

    def dirty(self) -> list[tuple[str, LocalFile]]:
        """(path, file) of every file not in step with the server, by path."""
        return sorted((p, self[p]) for p in self._dirty)

    def take_touched(self) -> set[str]:
        touched, self._touched = self._touched, set()
        return touched

    def peek_touched(self) -> set[str]:
        return set(self._touched)

    def touch(self, paths: list[str]) -> None:
        self._touched.update(paths)


@dataclass(init=False)
class ProjectModel:
    """Local files by path, tombstones by server path, conflicts by local path."""

    files: TrackedFiles
    tombstones: dict[str, Base]
    server_version: int
    etag: str | None
    # Server path -> hash of content sent and not yet answered, or SENT_DELETE for a path
    # sent to be deleted (a delete, or the source of a rename). When an answer is lost (a
    # reload or a crash mid-request), this tells the server's copy apart from another
    # device's: if it is what we sent, it is ours, not a conflict; if the path is gone and
    # we deleted it, a local file still based on it was made again here since.
    inflight: dict[str, str]

    def __init__(
        self,
        files: Mapping[str, LocalFile] | None = None,
        tombstones: dict[str, Base] | None = None,
        server_version: int = 0,
        etag: str | None = None,
        inflight: dict[str, str] | None = None,
    ) -> None:
        # Plain files (the store's, a test's) are taken into a TrackedFiles of their own.
        if files is None:
            files = TrackedFiles()
        self.files = files if isinstance(files, TrackedFiles) else TrackedFiles(files)
        self.tombstones = {} if tombstones is None else tombstones
        self.server_version = server_version
        self.etag = etag
        self.inflight = {} if inflight is None else inflight

    def take_touched(self) -> tuple[list[LocalFile], list[str]]:
        """(files to write, paths to drop) since the last call: the local store's diff."""
        touched = self.files.take_touched()
        changed = [self.files[p] for p in sorted(touched) if p in self.files]
        removed = sorted(p for p in touched if p not in self.files)
        return changed, removed

    # ------------------------------------------------------------ queries

    def get(self, path: str) -> LocalFile | None:
        return self.files.get(path)

    def pending_count(self) -> int:
        return self.files.dirty_count() + len(self.tombstones)

    def has_pending(self) -> bool:
        return self.pending_count() > 0

    def folders(self) -> set[str]:
        found: set[str] = set()
        for path in self.files:
            parts = path.split("/")
            found.update("/".join(parts[:i]) for i in range(1, len(parts)))
        return found

    def children(self, folder: str) -> tuple[list[str], list[str]]:
        """(sub-folder names, file names) directly inside `folder` ('' = the root)."""
        prefix = f"{folder}/" if folder else ""
        dirs, names = set(), []
        for path in self.files:
            if not path.startswith(prefix):
                continue
            rest = path[len(prefix) :]
            head, sep, _tail = rest.partition("/")
            if sep:
                dirs.add(head)
            else:
                names.append(rest)
        return sorted(dirs, key=str.casefold), sorted(names, key=str.casefold)

    # ------------------------------------------------------------ local edits

    def write(self, path: str, content: bytes, binary: bool = False) -> LocalFile:
        """Create or change a file here (editor, upload, runtime)."""
        current = self.files.get(path)
        if current is not None:
            updated = replace(current, content=content, binary=binary, sha256="")
        else:
            # A file deleted and created again here keeps its server identity: one put
            # with the old base instead of a delete and a conflicting create.
            base = self.tombstones.pop(path, None)
            updated = LocalFile(path, content, binary, base)
        self.files[path] = updated
        return updated

    def delete(self, path: str) -> None:
        current = self.files.pop(path, None)
        if current is not None and current.base is not None:
            self.tombstones[current.base.path] = current.base

    def rename(self, old: str, new: str) -> LocalFile:
        """Move a file; it keeps its origin, so the server sees a rename (outbox.py)."""
        current = self.files.pop(old)
        if new in self.files:
            self.delete(new)  # replaced: its server copy must go too
        moved = replace(current, path=new)
        self.files[new] = moved
        return moved

    # ------------------------------------------------------------ server answers

    def adopt(self, server: ServerFile, content: bytes) -> LocalFile:
        """Take the server's copy of a file as ours, clean."""
        base = Base(server.path, server.version, server.sha256)
        local = LocalFile(server.path, content, server.binary, base, server.sha256)
        self.files[server.path] = local
        self.tombstones.pop(server.path, None)
        return local

    def rebase(self, path: str, base: Base | None) -> None:
        """The server accepted our content for `path`: it is now the base."""
        current = self.files.get(path)
        if current is not None:
            self.files[path] = replace(current, base=base)

    def forget_tombstone(self, server_path: str) -> None:
        self.tombstones.pop(server_path, None)
