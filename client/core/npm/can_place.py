"""Can this copy of a package go into this node_modules folder? The answer (OK, KEEP,
REPLACE or CONFLICT) for one candidate folder, and for the peers that must travel with it,
following arborist's can-place-dep, since hoisting decisions are made folder by folder
from the dependent upwards and the first CONFLICT stops the climb. Read-only: nothing here
changes the tree."""

from __future__ import annotations

from enum import Enum

from . import semver
from .graph import BNode, Edge
from .peer_sets import deepest_nesting_target, peer_entry_sets

__all__ = ["CanPlace", "CanPlaceDep"]


class CanPlace(Enum):
    OK = "OK"
    KEEP = "KEEP"
    REPLACE = "REPLACE"
    CONFLICT = "CONFLICT"


OK, KEEP, REPLACE, CONFLICT = CanPlace.OK, CanPlace.KEEP, CanPlace.REPLACE, CanPlace.CONFLICT


def _gte(a: str, b: str) -> bool:
    try:
        return semver.Version.parse(a) >= semver.Version.parse(b)
    except ValueError:
        return False


class CanPlaceDep:
    """`dep` (living in a virtual root with its peer set) checked against `target`."""

    def __init__(
        self,
        *,
        dep: BNode,
        target: BNode,
        edge: Edge,
        prefer_dedupe: bool = False,
        parent: CanPlaceDep | None = None,
        peer_path: tuple[BNode, ...] = (),
        explicit_request: bool = False,
    ) -> None:
        self.dep = dep
        self.target = target
        self.edge = edge
        self.parent = parent
        self.peer_path = peer_path
        self.explicit_request = explicit_request
        self.prefer_dedupe = prefer_dedupe or edge.peer
        self.children: list[CanPlaceDep] = []
        self.name = edge.name
        self.current = target.children.get(self.name)
        self.target_edge = target.edges_out.get(self.name)
        self.edge_override = not dep.satisfies(edge)
        self.can_place_self: CanPlace | None = None
        self._peers_result: CanPlace | None = None
        self.can_place: CanPlace = self._check()
        if self.can_place_self is None:
            self.can_place_self = self.can_place

    @property
    def top(self) -> CanPlaceDep:
        return self.parent.top if self.parent is not None else self

    @property
    def peer_entry_edge(self) -> Edge:
        return self.top.edge

    @property
    def deepest_nesting_target(self) -> BNode:
        start = self.parent.deepest_nesting_target if self.parent else self.edge.source
        return deepest_nesting_target(start, self.name)

    @property
    def conflict_children(self) -> list[CanPlaceDep]:
        found: list[CanPlaceDep] = []
        queue = list(self.children)
        for child in queue:
            if child.can_place is CONFLICT:
                found.append(child)
            queue.extend(child.children)
        return found

    def _check(self) -> CanPlace:
        if self.dep.error is not None:
            return REPLACE if self.current else OK
        if self.target_edge is not None and self.target_edge.peer and not self.target.is_top:
            return CONFLICT
        if (
            self.current is None
            and self.target_edge is not None
            and not self.dep.satisfies(self.target_edge)
            and self.target_edge is not self.edge
        ):
            return CONFLICT
        return self._check_current() if self.current is not None else self._check_no_current()

    def _check_current(self) -> CanPlace:
        current, dep, edge = self.current, self.dep, self.edge
        assert current is not None
        if dep.matches(current) and (current.satisfies(edge) or self.edge_override):
            return REPLACE if self.explicit_request else KEEP
        try_replace = bool(current.version and dep.version and _gte(dep.version, current.version))
        if try_replace and dep.can_replace(current):
            found = self._can_place_peers(REPLACE)
            if found is not CONFLICT:
                return found
        if current.satisfies(edge) and (not self.explicit_request or self.prefer_dedupe):
            return KEEP
        if self.prefer_dedupe and not try_replace and dep.can_replace(current):
            found = self._can_place_peers(REPLACE)
            if found is not CONFLICT:
                return found
        if self.target is not self.deepest_nesting_target:
            return CONFLICT
        if not edge.peer and self.target is edge.source:
            return self._can_place_peers(REPLACE)
        if self.parent is None and not edge.peer:
            return CONFLICT
        return self._check_peer_groups(current)

    def _check_peer_groups(self, current: BNode) -> CanPlace:
        """The target is as deep as `dep` can go: replace `current` if each peer group it
        belongs to can be replaced wholesale or pushed deeper."""
        dep_parent = self.dep.parent
        siblings = dict(dep_parent.children) if dep_parent is not None else {}
        can_replace = True
        for entry_edge, current_peers in peer_entry_sets(current).items():
            if entry_edge is self.edge or entry_edge is self.peer_entry_edge:
                continue
            entry_node = entry_edge.to()
            if entry_node is None:
                continue
            rep = siblings.get(entry_node.name)
            if rep is not None and rep.can_replace(entry_node, siblings.keys()):
                continue
            can_clobber = rep is None
            if rep is None:
                walk = [entry_node]
                for peer in walk:
                    for out in peer.edges_out.values():
                        if not out.peer or not out.valid():
                            continue
                        other = siblings.get(out.name)
                        if other is None:
                            to = out.to()
                            if to is not None and to not in walk:
                                walk.append(to)
                            continue
                        if not other.satisfies(out):
                            can_clobber = False
                            break
                    if not can_clobber:
                        break
            if can_clobber:
                continue
            for peer in current_peers:
                deepest = deepest_nesting_target(entry_edge.source, peer.name)
                if deepest is self.target or self.target.is_descendant_of(deepest):
                    can_replace = False
                    break
        return self._can_place_peers(REPLACE) if can_replace else CONFLICT

    def _check_no_current(self) -> CanPlace:
        target, name = self.target, self.name
        current = target.resolve(name) if target is not self.peer_entry_edge.source else None
        if current is not None:
            for edge in current.edges_in():
                if (
                    edge.source.is_descendant_of(target)
                    and edge.valid()
                    and not self.dep.satisfies(edge)
                ):
                    return CONFLICT
        return self._can_place_peers(OK)

    def _can_place_peers(self, state: CanPlace) -> CanPlace:
        self.can_place_self = state
        if self._peers_result is not None:
            return self._peers_result
        peer_path = (*self.peer_path, self.dep)
        saw_conflict = False
        for peer_edge in self.dep.edges_out.values():
            peer = peer_edge.to()
            if not peer_edge.peer or peer is None or any(p is peer for p in peer_path):
                continue
            check = CanPlaceDep(
                dep=peer,
                target=deepest_nesting_target(self.target, peer.name),
                parent=self,
                edge=peer_edge,
                peer_path=peer_path,
                prefer_dedupe=True,
            )
            self.children.append(check)
            saw_conflict = saw_conflict or check.can_place is CONFLICT
        self._peers_result = CONFLICT if saw_conflict else state
        return self._peers_result
