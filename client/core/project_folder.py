"""The project folder as the Pyodide engine's host sees it: file operations the IDE asks
for (mount, write, read, list, make, remove, rename), and a snapshot of every file's
stamp, so a later look finds what programs changed and not what the IDE itself wrote.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

from client.core import fs_snapshot
from contract.rules import SyncRules


class ProjectFolder:
    def __init__(self, root: str, rules: SyncRules | None = None) -> None:
        self.root, self.rules = root, rules
        os.makedirs(root, exist_ok=True)
        self.snapshot = fs_snapshot.take(root, rules)
        # Called after each mount: the engine brings back what never syncs (node_modules
        # from the sandbox's kept packages, client/worker/npm_restore.py).
        self.after_mount: Callable[[], None] | None = None

    def changes(self) -> list[list[Any]]:
        """What changed in the folder since the last look, as [kind, path, content]
        (content None for a delete), and the snapshot brought up to date."""
        before, now = self.snapshot, fs_snapshot.take(self.root, self.rules)
        self.snapshot = now
        batch: list[list[Any]] = []
        for event in fs_snapshot.diff(before, now):
            content = None
            if event.kind != "delete":
                try:
                    with open(self._abs(event.path), "rb") as handle:
                        content = handle.read()
                except OSError:  # unreadable for now: keep the old stamp, look again next time
                    if event.path in before:
                        now[event.path] = before[event.path]
                    else:
                        del now[event.path]
                    continue
            batch.append([event.kind, event.path, content])
        return batch

    def _abs(self, path: str) -> str:
        clean = os.path.normpath("/" + path.strip("/")).lstrip("/")
        return os.path.join(self.root, clean) if clean not in {"", "."} else self.root

    def _seen(self, *paths: str) -> None:
        """Our caller made these changes: remember them, so they are not echoed back."""
        for path in paths:
            full = self._abs(path)
            if os.path.isdir(full):
                for key in [k for k in self.snapshot if k.startswith(path.rstrip("/") + "/")]:
                    del self.snapshot[key]
                for key, stamp in fs_snapshot.take(full, self.rules).items():
                    self.snapshot[f"{path.rstrip('/')}/{key}"] = stamp
            elif os.path.isfile(full):
                info = os.stat(full)
                self.snapshot[path] = (info.st_mtime_ns, info.st_size)
            else:
                self.snapshot.pop(path, None)
                prefix = path.rstrip("/") + "/"
                for key in [k for k in self.snapshot if k.startswith(prefix)]:
                    del self.snapshot[key]

    def mount(self, tree: dict[str, bytes]) -> None:
        for path, content in tree.items():
            self._write(path, content)
        self._seen(*tree)
        if self.after_mount is not None:
            self.after_mount()

    def write_file(self, path: str, content: bytes) -> None:
        self._write(path, content)
        self._seen(path)

    def _write(self, path: str, content: bytes) -> None:
        full = self._abs(path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(_as_bytes(content))

    def read_file(self, path: str) -> bytes:
        with open(self._abs(path), "rb") as handle:
            return handle.read()

    def readdir(self, path: str = "") -> list[list[Any]]:
        full = self._abs(path)
        names = sorted(os.listdir(full))
        return [[name, os.path.isdir(os.path.join(full, name))] for name in names]

    def mkdir(self, path: str, recursive: bool = False) -> None:
        (os.makedirs if recursive else os.mkdir)(self._abs(path))

    def rm(self, path: str, recursive: bool = False, force: bool = False) -> None:
        full = self._abs(path)
        if not os.path.lexists(full):
            if force:
                return
            raise FileNotFoundError(2, "No such file or directory", path)
        if os.path.isdir(full) and not os.path.islink(full):
            if recursive:
                shutil.rmtree(full)
            else:
                os.rmdir(full)
        else:
            os.remove(full)
        self._seen(path)

    def rename(self, old: str, new: str) -> None:
        target = self._abs(new)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.rename(self._abs(old), target)
        self._seen(old, new)


def _as_bytes(content: Any) -> bytes:
    """bytes from what the worker hands over (a memoryview, or a JS buffer's proxy)."""
    to_bytes = getattr(content, "to_bytes", None)
    return bytes(to_bytes()) if callable(to_bytes) else bytes(content)
