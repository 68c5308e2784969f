"""What an install has to change on disk: which package folders to unpack and which to
delete, from the tree that is installed now (node_modules/.package-lock.json, npm's hidden
lockfile) and the ideal tree. Deleting a folder deletes everything nested in it, so what
was kept below a replaced folder is unpacked again."""

from __future__ import annotations

from dataclasses import dataclass, field

from .collate import collation_key
from .model import Node, Tree

__all__ = ["Plan", "plan"]


@dataclass
class Plan:
    """`add`: folders to unpack (shallow first); `remove`: folders to delete (none nested
    in another); `keep`: how many installed folders stay as they are."""

    add: list[Node] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    keep: int = 0


def _same(a: Node, b: Node) -> bool:
    if a.version != b.version or a.package_name != b.package_name:
        return False
    if a.integrity and b.integrity:
        return a.integrity == b.integrity
    return not (a.resolved and b.resolved) or a.resolved == b.resolved


def _inside(path: str, folders: list[str]) -> bool:
    return any(path.startswith(folder + "/") for folder in folders)


def plan(current: Tree | None, ideal: Tree) -> Plan:
    wanted = {path: node for path, node in ideal.nodes.items() if not node.skipped}
    have = {path: node for path, node in (current.nodes if current else {}).items()}
    have = {path: node for path, node in have.items() if not node.skipped}
    removed = sorted(
        (
            path
            for path, node in have.items()
            if path not in wanted or not _same(node, wanted[path])
        ),
        key=lambda p: (p.count("/node_modules/"), collation_key(p)),
    )
    outermost: list[str] = []
    for path in removed:
        if not _inside(path, outermost):
            outermost.append(path)
    result = Plan(remove=sorted(outermost, key=collation_key))
    for path, node in sorted(wanted.items(), key=lambda i: (i[1].depth, collation_key(i[0]))):
        kept = path in have and _same(have[path], node) and not _inside(path, outermost)
        if kept:
            result.keep += 1
        else:
            result.add.append(node)
    return result
