"""`npm ls` as npm 11 prints it: the project on the first line, then its dependencies as a
box-drawn tree, breadth first, each package shown in full the first time it is reached
and as `deduped` after that; missing ones as UNMET (OPTIONAL) DEPENDENCY, a copy that does
not satisfy its dependent as `invalid`, one nobody needs as `extraneous`. The problems
decide the exit status: anything but extraneous packages is an error."""

from __future__ import annotations

from dataclasses import dataclass, field

from .collate import collation_key
from .graph import BNode, Edge
from .ideal import root_package
from .model import Tree, package_of

__all__ = ["LsResult", "ls", "render_ls"]


@dataclass
class LsResult:
    """`text` is what npm prints (it ends with an empty line); `problems` what it reports
    on stderr, one line each."""

    text: str
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(not p.startswith("extraneous:") for p in self.problems)


@dataclass
class _Item:
    label: str
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Entry:
    """One line to print: a node, or a missing dependency (node None)."""

    pkgid: str
    node: BNode | None
    edge: Edge | None
    optional: bool = False


def _graph(tree: Tree, root_path: str) -> BNode:
    name = tree.root.get("name")
    name = name if isinstance(name, str) and name else root_path.rstrip("/").rsplit("/", 1)[-1]
    root = BNode(name, root_package(tree.root), project_root=True)
    by_path = {"": root}
    for node in sorted(tree.nodes.values(), key=lambda n: (n.depth, collation_key(n.path))):
        parent = by_path.get(node.parent_path)
        if parent is not None and not node.skipped:
            built = BNode(node.name, package_of(node), parent=parent)
            built.extraneous = node.extraneous
            by_path[node.path] = built
    return root


def _archy(item: _Item, prefix: str = "") -> str:
    splitter = "\n" + prefix + ("│" if item.items else " ") + " "
    out = prefix + splitter.join(item.label.split("\n")) + "\n"
    for index, child in enumerate(item.items):
        last = index == len(item.items) - 1
        below = prefix + (" " if last else "│") + " "
        head = prefix + ("└" if last else "├") + "─" + ("┬" if child.items else "─") + " "
        out += head + _archy(child, below)[len(prefix) + 2 :]
    return out


def ls(tree: Tree, *, depth: int = 0, all: bool = False, root_path: str = "/project") -> LsResult:
    """The output of `npm ls` (`--depth=N`, `--all`) for installed `tree`, and its
    problems. Skipped packages count as not installed."""
    root = _graph(tree, root_path)
    limit = float("inf") if all else depth
    invalid: dict[BNode, str] = {}
    problems: dict[str, None] = {}
    seen: set[BNode] = {root}

    def path_of(node: BNode) -> str:
        return f"{root_path}/{node.location}" if node.location else root_path

    root_id = root.pkgid if tree.root else root_path
    top = _Item(f"{root_id} {root_path}" if tree.root else root_path)
    queue: list[tuple[BNode, _Item, int]] = [(root, top, 0)]
    while queue:
        node, item, level = queue.pop(0)
        if level > limit:
            continue
        entries: list[_Entry] = []
        reached: set[BNode] = set()
        for edge in node.edges_out.values():
            to = edge.to()
            if to is None:
                spec = edge.spec or "*"
                entries.append(_Entry(f"{edge.name}@{spec}", None, edge, edge.optional))
                continue
            reached.add(to)
            if not edge.valid() and edge.error() == "INVALID":
                where = edge.source.location or "the root project"
                note = f'"{edge.spec or "*"}" from {where}'
                invalid[to] = f"{invalid[to]}, {note}" if to in invalid else note
            entries.append(_Entry(to.pkgid, to, edge, edge.optional))
        for child in node.children.values():
            if child not in reached and child.extraneous:
                entries.append(_Entry(child.pkgid, child, None))
        entries.sort(key=lambda e: collation_key(e.pkgid))
        for entry in entries:
            child_item = _line(entry, entry.node in seen if entry.node else False, invalid)
            item.items.append(child_item)
            if entry.node is None:
                assert entry.edge is not None
                if not entry.optional:
                    problems[f"missing: {entry.pkgid}, required by {entry.edge.source.pkgid}"] = (
                        None
                    )
                continue
            if entry.node in invalid:
                problems[f"invalid: {entry.pkgid} {path_of(entry.node)}"] = None
            if entry.node.extraneous:
                problems[f"extraneous: {entry.pkgid} {path_of(entry.node)}"] = None
            if entry.node not in seen:
                seen.add(entry.node)
                queue.append((entry.node, child_item, level + 1))
    if not top.items:
        top.items.append(_Item("(empty)"))
    return LsResult(_archy(top) + "\n", list(problems))


def _line(entry: _Entry, deduped: bool, invalid: dict[BNode, str]) -> _Item:
    if entry.node is None:
        kind = "UNMET OPTIONAL DEPENDENCY" if entry.optional else "UNMET DEPENDENCY"
        return _Item(f"{kind} {entry.pkgid}")
    label = entry.pkgid
    if deduped:
        label += " deduped"
    if entry.node in invalid:
        label += f" invalid: {invalid[entry.node]}"
    if entry.node.extraneous:
        label += " extraneous"
    return _Item(label)


def render_ls(tree: Tree, *, depth: int = 0, all: bool = False, root_path: str = "/project") -> str:
    """Just the text of `ls` (its problems: `ls(...).problems`)."""
    return ls(tree, depth=depth, all=all, root_path=root_path).text
