"""What the file tree does to the project: create, rename, move, copy, delete (with undo)
and upload, as plain operations on the model.

The model knows only files; a folder exists because a file is in it. A folder the user
creates and leaves empty lives in `folders` (the tree keeps and persists that set) until a
file lands in it. Every operation checks everything first and changes nothing when it
refuses, so a refusal never leaves half a move behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from client.core.model import ProjectModel
from client.core.names import (
    NameRefused,
    copy_name,
    inside,
    join,
    name_of,
    parent_of,
    validate_move,
    validate_name,
    where,
)
from contract.rules import SyncRules, folded, is_text


@dataclass(frozen=True)
class Removed:
    """What a delete took away, enough to put it back: contents, and empty folders."""

    paths: tuple[str, ...]  # what the user chose (files and folders)
    files: tuple[tuple[str, bytes, bool], ...]  # (path, content, binary)
    folders: frozenset[str]

    def __len__(self) -> int:
        return len(self.paths)


@dataclass
class UploadPlan:
    accepted: list[tuple[str, str]] = field(default_factory=list)  # (source name, path)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (source name, reason)
    replaced: int = 0


class FileOps:
    def __init__(self, model: ProjectModel, rules: SyncRules, folders: set[str]) -> None:
        self.model, self.rules, self.folders = model, rules, folders

    # ------------------------------------------------------------ queries

    def is_folder(self, path: str) -> bool:
        if path == "" or path in self.folders:
            return True
        prefix = path + "/"
        return any(p.startswith(prefix) for p in self.model.files) or any(
            f.startswith(prefix) for f in self.folders
        )

    def exists(self, path: str) -> bool:
        return path in self.model.files or self.is_folder(path)

    def siblings(self, parent: str) -> list[str]:
        """Names of the files and folders directly inside `parent`."""
        prefix = f"{parent}/" if parent else ""
        names = set()
        for path in [*self.model.files, *self.folders]:
            if path.startswith(prefix):
                names.add(path[len(prefix) :].partition("/")[0])
        return sorted(names)

    def files_under(self, folder: str) -> list[str]:
        return sorted(p for p in self.model.files if inside(p, folder) and p != folder)

    # ------------------------------------------------------------ create

    def create_file(self, parent: str, name: str) -> str:
        self._need_folder(parent)
        self._need_room(1)
        path = join(parent, validate_name(name, self.rules, parent, self.siblings(parent)))
        self.model.write(path, b"")
        self._landed(path)
        return path

    def create_folder(self, parent: str, name: str) -> str:
        self._need_folder(parent)
        path = join(parent, validate_name(name, self.rules, parent, self.siblings(parent)))
        self.folders.add(path)
        return path

    # ------------------------------------------------------------ rename and move

    def rename(self, path: str, new_name: str) -> tuple[str, str]:
        """Rename a file or a folder (every file under it). Returns (old, new)."""
        if not self.exists(path):
            raise NameRefused(f"“{path}” no longer exists.")
        parent = parent_of(path)
        name = validate_name(
            new_name, self.rules, parent, self.siblings(parent), current=name_of(path)
        )
        new = join(parent, name)
        if new != path:
            self._relocate(path, new)
        return path, new

    def move(self, paths: Iterable[str], target: str) -> list[tuple[str, str]]:
        """Move files and folders into the folder `target` ('' = the root)."""
        self._need_folder(target)
        sources = [p for p in top_level(paths) if parent_of(p) != target]
        siblings = {s.casefold() for s in self.siblings(target)}
        incoming: set[str] = set()
        moves = []
        for source in sources:
            if not self.exists(source):
                raise NameRefused(f"“{source}” no longer exists.")
            validate_move(source, target, self.is_folder(source))
            name = name_of(source)
            if name.casefold() in siblings:
                raise NameRefused(f"A file or folder “{name}” already exists in {where(target)}.")
            if name.casefold() in incoming:
                raise NameRefused(f"Two of the moved items are both named “{name}”.")
            incoming.add(name.casefold())
            new = join(target, name)
            self._check_lengths(source, new)
            moves.append((source, new))
        for source, new in moves:
            self._relocate(source, new)
        return moves

    def _relocate(self, old: str, new: str) -> None:
        if old in self.model.files:
            self.model.rename(old, new)
            self._landed(new)
            return
        self._check_lengths(old, new)
        moving = self.files_under(old)
        for path in moving:
            self.model.rename(path, new + path[len(old) :])
        for folder in [f for f in self.folders if inside(f, old)]:
            self.folders.discard(folder)
            self.folders.add(new + folder[len(old) :])
        if moving:
            self._landed(new + "/")

    def _check_lengths(self, old: str, new: str) -> None:
        """Moving a folder lengthens every path under it: the longest must still fit."""
        longest = max([old, *self.files_under(old)], key=lambda p: len(p.encode()))
        moved = new + longest[len(old) :]
        if len(moved.encode()) > self.rules.max_path_bytes:
            raise NameRefused(f"“{moved}” would be longer than {self.rules.max_path_bytes} bytes.")

    # ------------------------------------------------------------ copy

    def copy(self, paths: Iterable[str], target: str) -> list[str]:
        """Paste copies into `target`; a name already there gets ' copy', ' copy 2'..."""
        self._need_folder(target)
        taken = self.siblings(target)
        plan: list[tuple[str, str]] = []
        count = 0
        for source in top_level(paths):
            if not self.exists(source):
                raise NameRefused(f"“{source}” no longer exists.")
            is_folder = self.is_folder(source)
            if is_folder and inside(target, source):
                raise NameRefused(f"Cannot paste “{name_of(source)}” into itself.")
            name = copy_name(name_of(source), taken, is_folder)
            taken.append(name)
            new = join(target, name)
            self._check_lengths(source, new)
            plan.append((source, new))
            count += len(self.files_under(source)) if is_folder else 1
        self._need_room(count)
        for source, new in plan:
            if source in self.model.files:
                local = self.model.files[source]
                self.model.write(new, local.content, local.binary)
                self._landed(new)
                continue
            self.folders.update(
                new + f[len(source) :] for f in list(self.folders) if inside(f, source)
            )
            self.folders.add(new)
            copied = self.files_under(source)
            for path in copied:
                local = self.model.files[path]
                self.model.write(new + path[len(source) :], local.content, local.binary)
            if copied:
                self._landed(new + "/")
        return [new for _source, new in plan]

    # ------------------------------------------------------------ delete and undo

    def delete(self, paths: Iterable[str]) -> Removed:
        chosen = top_level(paths)
        files: list[tuple[str, bytes, bool]] = []
        gone: set[str] = set()
        for path in chosen:
            targets = [path] if path in self.model.files else self.files_under(path)
            for file_path in targets:
                local = self.model.files[file_path]
                files.append((file_path, local.content, local.binary))
                self.model.delete(file_path)
            for folder in [f for f in self.folders if inside(f, path)]:
                self.folders.discard(folder)
                gone.add(folder)
            if path not in self.model.files and targets != [path]:
                gone.add(path)  # the folder itself: it comes back empty if it was empty
        return Removed(tuple(chosen), tuple(files), frozenset(gone))

    def restore(self, removed: Removed) -> list[str]:
        """Undo a delete: files come back with their contents (a file deleted and written
        again keeps its server identity, model.write), empty folders come back too.
        Returns the paths that could not come back because something now sits there."""
        skipped = []
        self.folders.update(removed.folders)
        for path, content, binary in removed.files:
            if path in self.model.files:
                skipped.append(path)
                continue
            self.model.write(path, content, binary)
            self._landed(path)
        return skipped

    # ------------------------------------------------------------ upload

    def plan_upload(self, entries: Iterable[tuple[str, int]], target: str) -> UploadPlan:
        """Which dropped files may land, by their relative path (a/b.txt for a dropped
        folder) and size, before any byte is read. Too big, bad names and case twins are
        refused with the reason; an existing file of the same path is replaced."""
        plan = UploadPlan()
        existing = {folded(p): p for p in self.model.files}
        folders = {folded(f) for f in self.model.folders() | self.folders}
        seen: set[str] = set()
        room = self.rules.max_project_files - self._synced_count()
        for relative, size in entries:
            try:
                path = self._upload_path(relative, target, existing, folders)
            except NameRefused as error:
                plan.refused.append((relative, str(error)))
                continue
            if size > self.rules.max_file_bytes:
                plan.refused.append(
                    (
                        relative,
                        f"It is {_megabytes(size)}; a file may hold at "
                        f"most {_megabytes(self.rules.max_file_bytes)}.",
                    )
                )
                continue
            key = folded(path)
            twin = existing.get(key)
            if key in seen or (twin is not None and twin != path):
                plan.refused.append(
                    (
                        relative,
                        f"“{twin or path}” already exists with a name that differs only by case.",
                    )
                )
                continue
            if twin is None and not self.rules.ignored(path):
                if room <= 0:
                    plan.refused.append(
                        (
                            relative,
                            "The project already holds "
                            f"{self.rules.max_project_files:,} files, the "
                            "most it may.",
                        )
                    )
                    continue
                room -= 1
            seen.add(key)
            plan.replaced += twin is not None
            plan.accepted.append((relative, path))
        return plan

    def _upload_path(
        self, relative: str, target: str, files: dict[str, str], folders: set[str]
    ) -> str:
        """Where a dropped file lands. A file cannot stand where a folder is, or the other
        way round (the server refuses such a project)."""
        parts = relative.split("/")
        path = target
        for index, part in enumerate(parts):
            path = join(path, validate_name(part, self.rules, path))
            last = index == len(parts) - 1
            if not last and folded(path) in files:
                raise NameRefused(f"“{files[folded(path)]}” is a file, not a folder.")
            if last and folded(path) in folders:
                raise NameRefused(f"“{path}” is a folder.")
        return path

    def write_upload(self, path: str, content: bytes) -> None:
        self.model.write(path, content, not is_text(content))
        self._landed(path)

    # ------------------------------------------------------------ helpers

    def _need_folder(self, folder: str) -> None:
        if not self.is_folder(folder):
            raise NameRefused(f"The folder “{folder}” no longer exists.")

    def _synced_count(self) -> int:
        return sum(not self.rules.ignored(p) for p in self.model.files)

    def _need_room(self, count: int) -> None:
        limit = self.rules.max_project_files
        if self._synced_count() + count > limit:
            raise NameRefused(f"A project holds at most {limit:,} files.")

    def _landed(self, path: str) -> None:
        """A file arrived: the empty folders above it are no longer empty."""
        self.folders.difference_update([f for f in self.folders if path.startswith(f + "/")])


def top_level(paths: Iterable[str]) -> list[str]:
    """The chosen paths without those inside another chosen folder (they go along)."""
    unique = sorted(set(paths), key=lambda p: (p.count("/"), p))
    kept: list[str] = []
    for path in unique:
        if not any(inside(path, k) for k in kept):
            kept.append(path)
    return kept


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB"
