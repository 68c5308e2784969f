"""Where peers may go and which peer groups a package belongs to, as arborist's
deepest-nesting-target and peer-entry-sets compute them: a peer dependency must be
reachable from its dependent's folder, so it can never nest below a package that has it
as a peer, and replacing one member of a peer group means checking the whole group."""

from __future__ import annotations

from .graph import BNode, Edge

__all__ = ["deepest_nesting_target", "peer_entry_sets"]


def peer_entry_sets(node: BNode) -> dict[Edge, dict[BNode, None]]:
    """The peer groups `node` belongs to, keyed by the edge that brought each group in."""
    union: dict[BNode, None] = {node: None}
    queue = [node]
    for current in queue:
        linked = [e.to() for e in current.edges_out.values() if e.valid() and e.peer]
        linked += [e.source for e in current.edges_in() if e.valid() and e.peer]
        for other in linked:
            if other is not None and other not in union:
                union[other] = None
                queue.append(other)
    sets: dict[Edge, dict[BNode, None]] = {}
    for peer in union:
        for edge in peer.edges_in():
            if not edge.valid() or (edge.peer and not edge.source.is_top):
                continue
            group: dict[BNode, None] = {peer: None}
            walk = [peer]
            for member in walk:
                for out in member.edges_out.values():
                    to = out.to()
                    if out.valid() and out.peer and to is not None and to not in group:
                        group[to] = None
                        walk.append(to)
            if node in group:
                sets[edge] = group
    return sets


def deepest_nesting_target(start: BNode, name: str | None = None) -> BNode:
    """The deepest folder where `name` could live for `start`: above every dependent
    that has it as a peer (a peer must sit beside its dependent, not under it)."""
    for target in start.ancestry():
        if target.is_project_root or target.parent is None:
            return target
        edge = target.edges_out.get(name) if name is not None else None
        if edge is None or not edge.peer:
            return target
    return start
