"""Keeping the runtime's files and the project model in step, both ways, without echoes.

Runtime -> model: file events from programs go through the watcher's EventQueue
(coalesced, ignored paths dropped) and are applied in bounded slices, so a burst of
thousands of files never blocks the page.

Model -> runtime: the scheduler's debounced `write_runtime(paths)` asks what to write.

Both directions remember what the runtime holds (`known`: path -> sha256, or None when
deleted), so a file a program wrote is not written back to it 300 ms later, where it
could overwrite a newer version the next command wrote meanwhile.
"""

from __future__ import annotations

import hashlib

from client.core.model import ProjectModel
from client.core.runtime import FileChange
from client.core.watcher import DELETE, WRITE, EventQueue
from contract.rules import SyncRules, is_text

SLICE = 200  # files applied per slice: a few ms of work under Pyodide


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class RuntimeMirror:
    def __init__(self, rules: SyncRules, slice_size: int = SLICE) -> None:
        self.queue = EventQueue(rules)
        self.slice_size = slice_size
        self.known: dict[str, str | None] = {}
        self._contents: dict[str, bytes] = {}

    # ------------------------------------------------------------ runtime -> model

    def add(self, changes: list[FileChange]) -> None:
        for change in changes:
            self.queue.add(change.event)
            target = change.event.to or change.event.path
            if change.content is not None:
                self._contents[target] = change.content

    def pending(self) -> int:
        return len(self.queue)

    def apply_slice(self, model: ProjectModel) -> list[str]:
        """Apply up to one slice of queued events; the paths the model changed at."""
        changed = []
        for what, path in self.queue.take(self.slice_size):
            if what == WRITE:
                content = self._contents.pop(path, None)
                if content is None:
                    continue  # written then vanished before we heard: a delete follows
                self.known[path] = _sha(content)
                current = model.files.get(path)
                if current is not None and current.content == content:
                    continue
                model.write(path, content, binary=not is_text(content))
                changed.append(path)
            elif what == DELETE:
                self._contents.pop(path, None)
                self.known[path] = None
                if path in model.files:
                    model.delete(path)
                    changed.append(path)
        return changed

    # ------------------------------------------------------------ model -> runtime

    def seed(self, model: ProjectModel) -> dict[str, bytes]:
        """The whole project, to mount at boot; remembered as what the runtime holds."""
        tree = {path: local.content for path, local in model.files.items()}
        self.known = {path: _sha(content) for path, content in tree.items()}
        return tree

    def to_runtime(
        self, model: ProjectModel, paths: list[str]
    ) -> tuple[dict[str, bytes], list[str]]:
        """(files to write, paths to delete) for the model's changes at `paths`. Files the
        runtime holds that the model no longer has (a tree delete, the old side of a move,
        a folder's contents) are deleted whichever path was named."""
        writes: dict[str, bytes] = {}
        for path in paths:
            local = model.files.get(path) if path else None
            if local is not None:
                sha = _sha(local.content)
                if self.known.get(path) != sha:
                    writes[path] = local.content
                    self.known[path] = sha
        deletes = sorted(
            p for p, sha in self.known.items() if sha is not None and p not in model.files
        )
        for path in deletes:
            self.known[path] = None
        return writes, deletes
