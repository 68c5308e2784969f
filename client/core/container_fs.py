"""The pure half of the WebContainer engine (client/adapters/webcontainer_engine.py): the
project as a WebContainer FileSystemTree, Node's error codes as the messages `ls` prints,
and the bookkeeping that turns Node's watch events into the Runtime's.

Node's `fs.watch` says only `rename` (something appeared or vanished) or `change`, with a
file name. `ContainerFiles` remembers what the container holds (path -> sha256), so after
reading a named path back the engine can tell a create from a change from a delete, drop
echoes of its own writes (the Runtime reports only what programs did), and turn a vanished
folder into a delete per file it held.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from client.core.runtime import FileChange
from client.core.watcher import FsEvent

ERRNO = {
    "ENOENT": "No such file or directory",
    "EEXIST": "File exists",
    "ENOTDIR": "Not a directory",
    "EISDIR": "Is a directory",
    "ENOTEMPTY": "Directory not empty",
    "EACCES": "Permission denied",
    "EPERM": "Operation not permitted",
    "EINVAL": "Invalid argument",
}
_CODE = re.compile(r"\b(E[A-Z]{2,})\b")


def tree_of(files: dict[str, bytes]) -> dict[str, Any]:
    """{"src/a.js": b"..."} as {"src": {"directory": {"a.js": {"file": {"contents": b"..."}}}}}."""
    root: dict[str, Any] = {}
    for path, content in sorted(files.items()):
        *folders, name = path.split("/")
        node = root
        for folder in folders:
            node = node.setdefault(folder, {"directory": {}})["directory"]
        node[name] = {"file": {"contents": content}}
    return root


def errno_of(message: str) -> str | None:
    """The Node error code a message carries ("ENOENT: no such file ..."), if any."""
    found = _CODE.search(message)
    return found.group(1) if found else None


def refusal(message: str, path: str) -> str:
    """An engine error as `ls` would say it: "x/y: No such file or directory"."""
    code = errno_of(message)
    return f"{path}: {ERRNO[code]}" if code in ERRNO else message


def clean_name(name: str, workdir: str = "") -> str:
    """A watch event's file name as a project path (names may come absolute, or with ./)."""
    if workdir and name.startswith(workdir.rstrip("/") + "/"):
        name = name[len(workdir.rstrip("/")) + 1 :]
    while name.startswith("./"):
        name = name[2:]
    name = name.strip("/")
    return "" if name == "." else name


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class ContainerFiles:
    """What the container holds, as far as this engine knows: path -> sha256 of its bytes."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def mounted(self, files: dict[str, bytes]) -> None:
        for path, content in files.items():
            self.known[path] = _sha(content)

    def wrote(self, path: str, content: bytes) -> None:
        """Written through the Runtime interface: its watch echo is not reported."""
        self.known[path] = _sha(content)

    def removed(self, path: str) -> None:
        for known in self._under(path):
            del self.known[known]

    def renamed(self, old: str, new: str) -> None:
        for known in self._under(old):
            self.known[new + known[len(old) :]] = self.known.pop(known)

    def present(self, path: str, content: bytes) -> FileChange | None:
        """A watched path read back as a file: a create, a change, or nothing new."""
        sha = _sha(content)
        before = self.known.get(path)
        if before == sha:
            return None
        self.known[path] = sha
        return FileChange(FsEvent("create" if before is None else "change", path), content)

    def gone(self, path: str) -> list[FileChange]:
        """A watched path no longer there: a delete for it or every file it held."""
        paths = self._under(path)
        for known in paths:
            del self.known[known]
        return [FileChange(FsEvent("delete", known)) for known in paths]

    def _under(self, path: str) -> list[str]:
        if not path:
            return sorted(self.known)
        prefix = path + "/"
        return sorted(p for p in self.known if p == path or p.startswith(prefix))
