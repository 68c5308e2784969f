"""The resolver's entry point: from package.json (and the lockfile, when there is one) and
a way to fetch packuments, the tree npm 11 would install, with its hoisting, peers,
optional and platform-skipped packages. The worker calls `build_ideal_tree`, then writes
the lockfile (lockfile.py) and unpacks what `plan` says."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .errors import NoMatchingVersion, NoSuchPackage, PeerConflict, RegistryError
from .ideal import IdealTreeBuilder, Packuments, Progress
from .model import Node, Tree
from .platform import BROWSER_CPU, BROWSER_OS

__all__ = [
    "NoMatchingVersion",
    "NoSuchPackage",
    "Node",
    "Packuments",
    "PeerConflict",
    "Progress",
    "RegistryError",
    "Tree",
    "build_ideal_tree",
]


async def build_ideal_tree(
    root: dict[str, Any],
    packuments: Packuments,
    *,
    lock: Tree | None = None,
    os: str = BROWSER_OS,
    cpu: str = BROWSER_CPU,
    libc: str | None = None,
    node_version: str | None = None,
    progress: Progress | None = None,
    update: Collection[str] = (),
) -> Tree:
    """The tree `npm install` makes for package.json `root`.

    `packuments(name)` returns the abbreviated packument or raises RegistryError
    (NoSuchPackage for a 404). With `lock`, locked versions are kept wherever they still
    satisfy, and only changed or added dependencies are resolved again; names in `update`
    (packages named on the command line) are resolved again even so. `node_version`, when
    given, is checked against `engines.node` as npm does when choosing versions.
    `progress("resolved", n)` is called as packuments arrive. Raises RegistryError for a
    required package that cannot be resolved and PeerConflict for an ERESOLVE."""
    builder = IdealTreeBuilder(
        root,
        packuments,
        lock=lock,
        os=os,
        cpu=cpu,
        libc=libc,
        node_version=node_version,
        progress=progress,
        update=update,
    )
    return await builder.build()
