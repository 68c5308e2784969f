"""What `npm install`, `npm ci` and `npm uninstall` do to a project folder, in the order
npm does it: resolve the ideal tree (client/core/npm), compare it with what is installed
(node_modules/.package-lock.json, npm's hidden lockfile), remove what goes, fetch and
unpack what comes (tarballs fetched concurrently, unpacked parents first), link `.bin`,
then write package-lock.json (and package.json when asked to save).

Nothing here runs a package's code: install scripts are never run in the browser (a
package that has them is named in a warning). Packages built for a native platform are
in the lockfile, as npm records them, and never unpacked.

The hidden lockfile is written last: an install stopped half way (Ctrl+C, a failed
download) leaves the old one, so the next install sees the folders it did not finish as
not installed, and unpacks them again."""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from client.core.npm import lockfile
from client.core.npm.plan import plan
from client.core.npm.tree import Node, Packuments, Tree, build_ideal_tree
from client.core.tasks import spawn

from .npm_progress import Progress
from .npm_unpack import link_bins, remove, unlink_bins, unpack

FETCHES = 8  # tarballs fetched at once
LOCK = "package-lock.json"
HIDDEN_LOCK = "node_modules/.package-lock.json"


class NpmError(Exception):
    """An install that cannot go on; the message is what npm prints after `npm error`."""


class Tarballs(Protocol):
    async def packument(self, name: str) -> dict[str, Any]: ...

    async def tarball(
        self, name: str, version: str, url: str, integrity: str | None, shasum: str | None = None
    ) -> bytes: ...


@dataclass
class Summary:
    added: int = 0
    removed: int = 0
    changed: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)  # name@version, native platform
    scripts: list[str] = field(default_factory=list)  # name@version with install scripts
    deprecated: list[tuple[str, str]] = field(default_factory=list)


def read_json(path: str) -> dict[str, Any] | None:
    """A JSON object file; None when absent. Raises NpmError when it is not one."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise NpmError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        doc = json.loads(text)
    except ValueError as error:
        raise NpmError(f"code EJSONPARSE: {path}: {error}") from None
    if not isinstance(doc, dict):
        raise NpmError(f"code EJSONPARSE: {path} is not a JSON object")
    return doc


def write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def _lock_tree(path: str, root: dict[str, Any]) -> Tree | None:
    """A lockfile at `path` as a tree; None when there is none or it cannot be taken."""
    try:
        doc = read_json(path)
        return None if doc is None else lockfile.tree_from_lock(doc, root)
    except (NpmError, ValueError, KeyError, TypeError):
        return None


def installed_tree(prefix: str, root: dict[str, Any]) -> Tree | None:
    """What node_modules holds, by its hidden lockfile, less any folder gone since."""
    tree = _lock_tree(os.path.join(prefix, HIDDEN_LOCK), root)
    if tree is not None:
        for path in [p for p in tree.nodes if not os.path.isfile(f"{prefix}/{p}/package.json")]:
            del tree.nodes[path]
    return tree


class ProjectInstall:
    """One npm command's work on the project folder `prefix`."""

    def __init__(self, prefix: str, registry: Tarballs, progress: Progress) -> None:
        self.prefix = prefix
        self.registry = registry
        self.progress = progress
        # Seconds spent per phase, for `npm install --timing`.
        self.timings: dict[str, float] = {"resolve": 0.0, "fetch": 0.0, "unpack": 0.0}

    def at(self, relative: str) -> str:
        return os.path.join(self.prefix, relative)

    # ------------------------------------------------------------ trees on disk

    def locked(self, root: dict[str, Any]) -> Tree | None:
        """package-lock.json as a tree (None: none, or one npm would not read: npm ignores
        it and writes a new one)."""
        return _lock_tree(self.at(LOCK), root)

    def installed(self, root: dict[str, Any]) -> Tree | None:
        return installed_tree(self.prefix, root)

    async def resolve(
        self, root: dict[str, Any], lock: Tree | None, update: list[str] | None = None
    ) -> Tree:
        packuments: Packuments = self.registry.packument
        began = time.perf_counter()
        try:
            return await build_ideal_tree(
                root, packuments, lock=lock, progress=self.progress.on_resolve, update=update or ()
            )
        finally:
            self.timings["resolve"] += time.perf_counter() - began

    # ------------------------------------------------------------ making it so

    async def reify(self, current: Tree | None, ideal: Tree, omit: set[str]) -> Summary:
        summary = Summary()
        wanted = _omitting(ideal, omit)
        steps = plan(current, wanted)
        for path in sorted(steps.remove, key=lambda p: (-p.count("/"), p)):
            old = current.nodes.get(path) if current else None
            if old is not None:
                unlink_bins(self.at(path), old.bin)
            remove(self.at(path))
        adds = steps.add  # shallow first; what nests in a folder unpacked again comes too
        self.progress.start_fetch(len(adds))
        limit = asyncio.Semaphore(FETCHES)

        async def fetch(node: Node) -> bytes:
            async with limit:
                data = await self.registry.tarball(
                    node.package_name, node.version, node.resolved or "", node.integrity
                )
            self.progress.on_fetch(len(data))
            return data

        # Fetches run at once; unpacking goes parents first, since unpacking a folder
        # replaces it with everything nested in it.
        fetches = [spawn(fetch(node), f"fetch {node.path}", awaited=True) for node in adds]
        began = time.perf_counter()
        try:
            for node, pending in zip(adds, fetches, strict=True):
                data = await pending
                summary.bytes += len(data)
                unpacking = time.perf_counter()
                unpack(data, self.at(node.path))
                link_bins(self.at(node.path), node.bin)
                self.timings["unpack"] += time.perf_counter() - unpacking
        finally:
            for pending in fetches:
                pending.cancel()
            self.progress.clear()
            self.timings["fetch"] += time.perf_counter() - began - self.timings["unpack"]
        # Counted per package folder, nested ones included, as npm counts them.
        have = {
            p: n.version for p, n in (current.nodes.items() if current else []) if not n.skipped
        }
        now = {p: n.version for p, n in wanted.nodes.items() if not n.skipped}
        summary.added = len(now.keys() - have.keys())
        summary.removed = len(have.keys() - now.keys())
        summary.changed = sum(1 for p in now.keys() & have.keys() if now[p] != have[p])
        for node in adds:
            label = f"{node.name}@{node.version}"
            if node.has_install_script:
                summary.scripts.append(label)
            if node.deprecated:
                summary.deprecated.append((label, node.deprecated))
        if summary.added or summary.changed:
            summary.skipped = sorted(
                f"{n.name}@{n.version}" for n in ideal.nodes.values() if n.skipped
            )
        write_text(self.at(HIDDEN_LOCK), lockfile.dumps(lockfile.hidden_lock_document(wanted)))
        return summary

    def write_lock(self, ideal: Tree) -> None:
        write_text(self.at(LOCK), lockfile.dumps(portable(lockfile.lock_document(ideal))))


def portable(doc: dict[str, Any]) -> dict[str, Any]:
    """The lockfile without `resolved` URLs (npm's omit-lockfile-registry-resolved): they
    would name this IDE's mirror, which means nothing on another machine, and the
    lockfile syncs and is shared. npm then fetches each tarball from whatever registry it
    is configured with, by name, version and integrity, as we do from the mirror."""
    for entry in doc.get("packages", {}).values():
        if isinstance(entry, dict):
            entry.pop("resolved", None)
    return doc


def _omitting(tree: Tree, omit: set[str]) -> Tree:
    """The tree less what `--omit=dev|optional|peer` leaves out (npm's flags on nodes)."""
    if not omit:
        return tree
    kept = {
        path: node
        for path, node in tree.nodes.items()
        if not ("dev" in omit and node.dev)
        and not ("optional" in omit and node.optional)
        and not ("peer" in omit and node.peer)
    }
    return Tree(root=tree.root, nodes=kept)


def elapsed(seconds: float) -> str:
    """npm's duration: "523ms" under a second, else whole seconds."""
    return f"{round(seconds * 1000)}ms" if seconds < 1 else f"{round(seconds)}s"


def summary_line(summary: Summary, seconds: float) -> str:
    """`added 3 packages, removed 1 package, and changed 2 packages in 2s` or
    `up to date in 120ms`, as npm 11 says it."""

    def count(n: int, verb: str) -> str:
        return f"{verb} {n} package{'s' if n != 1 else ''}"

    parts = [
        count(n, verb)
        for n, verb in (
            (summary.added, "added"),
            (summary.removed, "removed"),
            (summary.changed, "changed"),
        )
        if n
    ]
    if not parts:
        return f"up to date in {elapsed(seconds)}"
    if len(parts) > 1:
        parts[-1] = "and " + parts[-1]
    return f"{', '.join(parts)} in {elapsed(seconds)}"
