"""The dev / optional / devOptional / peer / extraneous flags npm writes for every package
in the lockfile, and the set of packages to leave out when an optional one cannot be
installed. Flags start set and are cleared by walking from the root along the edges: a
package stays `dev` only if every path to it goes through a devDependency, `optional` only
if every path crosses an optionalDependency, and so on (arborist's calc-dep-flags)."""

from __future__ import annotations

from .graph import BNode, gather_dep_set

__all__ = ["calc_dep_flags", "optional_set"]


def calc_dep_flags(root: BNode) -> None:
    for node in root.walk():
        node.dev = node.optional = node.dev_optional = node.peer = node.extraneous = True
    root.dev = root.optional = root.dev_optional = root.peer = root.extraneous = False
    seen: dict[BNode, None] = {}
    queue = [root]
    while queue:
        node = queue.pop()
        seen[node] = None
        if not node.extraneous:
            above = node.parent
            while above is not None and above.extraneous:
                above.extraneous = False
                above = above.parent
        for edge in node.edges_out.values():
            to = edge.to()
            if to is None:
                continue
            changed = False
            if to.extraneous and not node.extraneous and not (edge.peer and edge.optional):
                to.extraneous = False
                changed = True
            if to.dev and not node.dev and not edge.dev:
                to.dev = False
                changed = True
            if to.optional and not node.optional and not edge.optional:
                to.optional = False
                changed = True
            if (
                to.dev_optional
                and not node.dev_optional
                and not node.dev
                and not node.optional
                and not edge.dev
                and not edge.optional
            ):
                to.dev_optional = False
                changed = True
            if to.peer and not node.peer and not edge.peer:
                to.peer = False
                changed = True
            if changed:
                queue.append(to)
    seen.pop(root, None)
    for node in seen:
        if node.dev_optional and (node.dev or node.optional):
            node.dev_optional = False


def optional_set(node: BNode) -> dict[BNode, None]:
    """What to leave out when optional `node` cannot be installed: it, the packages that
    need it up to the nearest optional dependency edge, and whatever only they need."""
    found: dict[BNode, None] = {node: None}
    queue = [node]
    for current in queue:
        for edge in current.edges_in():
            if not edge.optional and edge.source not in found:
                found[edge.source] = None
                queue.append(edge.source)
    return gather_dep_set(found, lambda e: e.to() not in found and not e.source.inert)
