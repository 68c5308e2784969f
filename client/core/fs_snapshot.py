"""What changed on disk between two moments, as watcher events.

The Pyodide engine's file system (Emscripten's MEMFS) has no reliable change hook in the
builds we ship, so the worker takes a cheap snapshot (path -> mtime, size) of the project
before a command and compares after it. That sees every writer alike: the shell's `>`,
a user's script, `pip` unpacking files. Folders that never sync (node_modules/, .git/) are
not walked at all: the watcher would drop their events anyway. One file in them is
stamped all the same, node_modules/.package-lock.json: npm writes it at the end of every
install, and the editor reloads the installed packages' types when it changes
(client/ui/editor_types.py).

A file rewritten within the same millisecond with the same size would look unchanged;
`touch()` lets the engine mark paths it knows were written (its own fs calls) instead.
"""

from __future__ import annotations

import os

from client.core.watcher import FsEvent
from contract.rules import SyncRules

Stamp = tuple[int, int]  # (mtime in ns, size)
MARKERS = ("node_modules/.package-lock.json",)  # watched inside folders that are not
Snapshot = dict[str, Stamp]


def take(root: str, rules: SyncRules | None = None) -> Snapshot:
    """Every file under `root`, by project-relative path with "/" separators."""
    found: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        prefix = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        if rules is not None:
            dirs[:] = [d for d in dirs if d.casefold() not in rules.ignored_folders]
        dirs.sort()
        for name in sorted(files):
            try:
                info = os.stat(os.path.join(folder, name))
            except OSError:
                continue  # removed while we walked
            found[prefix + name] = (info.st_mtime_ns, info.st_size)
    if rules is not None:
        for marker in MARKERS:
            try:
                info = os.stat(os.path.join(root, *marker.split("/")))
            except OSError:
                continue
            found[marker] = (info.st_mtime_ns, info.st_size)
    return found


def diff(before: Snapshot, after: Snapshot) -> list[FsEvent]:
    """create / change / delete events, creates and changes first in path order, then
    deletes (a rename shows as delete + create; the watcher treats both the same way)."""
    events = []
    for path, stamp in after.items():
        old = before.get(path)
        if old is None:
            events.append(FsEvent("create", path))
        elif old != stamp:
            events.append(FsEvent("change", path))
    events += [FsEvent("delete", path) for path in before if path not in after]
    return events
