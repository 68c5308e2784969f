"""Putting one resolved package (and the peers that travel with it) into the tree, as
arborist's place-dep does: climb from the dependent's folder towards the root while the
copy can go there (can_place), settle on the shallowest folder before the first conflict,
then keep, add or replace there, and prune copies deeper down that the new one makes
redundant. A conflict no folder can absorb is an ERESOLVE when it concerns the project's
own dependencies, and a warning (the peer is left as it is) otherwise."""

from __future__ import annotations

from collections.abc import Callable

from .can_place import CONFLICT, KEEP, CanPlace, CanPlaceDep
from .collate import collation_key
from .errors import PeerConflict
from .graph import BNode, Edge, gather_dep_set
from .peer_sets import deepest_nesting_target, peer_entry_sets

__all__ = ["PlaceDep", "describe_conflict"]


def describe_conflict(edge: Edge, dep: BNode | None = None) -> str:
    """One line naming both sides of a peer conflict."""
    who = edge.source.pkgid if not edge.source.is_project_root else "the root project"
    wanted = f"{'peer ' if edge.peer else ''}{edge.name}@{edge.spec or '*'}"
    current = edge.source.resolve(edge.name)
    found = dep if dep is not None and current is None else current
    if found is None:
        return f"ERESOLVE unable to resolve dependency tree: {who} needs {wanted}"
    holders = [e for e in found.edges_in() if e is not edge]
    held = ""
    if holders:
        holder = holders[0].source
        if holder.source_reference is not None:
            holder = holder.source_reference
        by = "the root project" if holder.is_project_root else holder.pkgid
        held = f", required by {by} ({holders[0].name}@{holders[0].spec or '*'})"
    return (
        f"ERESOLVE unable to resolve dependency tree: {who} needs {wanted}, "
        f"but {found.name}@{found.version} is installed{held}"
    )


def _not_into(
    node: BNode, *, valid: bool = False, unconflicted: bool = False
) -> Callable[[Edge], bool]:
    """An edge filter for gather_dep_set: edges not leading to `node` (and valid, and not
    peer-conflicted, when asked)."""

    def keep(edge: Edge) -> bool:
        if edge.to() is node:
            return False
        if valid and not edge.valid():
            return False
        return not (unconflicted and edge.peer_conflicted)

    return keep


class PlaceDep:
    """Place `dep` for `edge`; afterwards `placed` is the new node (or None when an
    existing copy was kept), `children` the placements of its peers."""

    def __init__(
        self,
        *,
        dep: BNode,
        edge: Edge,
        parent: PlaceDep | None = None,
        explicit_request: bool = False,
        warnings: list[str] | None = None,
    ) -> None:
        self.dep = dep
        self.edge = edge
        self.parent = parent
        self.explicit_request = explicit_request
        self.warnings = warnings if warnings is not None else []
        self.prefer_dedupe = False
        self.can_place: CanPlaceDep | None = None
        self.can_place_self: CanPlaceDep | None = None
        self.children: list[PlaceDep] = []
        self.need_evaluation: dict[BNode, None] = {}
        self.placed: BNode | None = None
        self.current = edge.to()
        self.name = edge.name
        self.top: PlaceDep = parent.top if parent is not None else self
        if self.current is not None and edge.valid() and not explicit_request:
            return
        self._place()

    def _place(self) -> None:
        for target in self.start_node().ancestry():
            target_edge = target.edges_out.get(self.edge.name)
            if not target.is_top and target_edge is not None and target_edge.peer:
                continue
            check = CanPlaceDep(
                dep=self.dep,
                edge=self.edge,
                parent=self.parent.can_place if self.parent is not None else None,
                target=target,
                prefer_dedupe=self.prefer_dedupe,
                explicit_request=self.explicit_request,
            )
            if check.can_place_self is not CONFLICT:
                self.can_place_self = check
            if check.can_place is CONFLICT:
                break
            self.can_place = check
            if self.dep.error is not None:
                break
        if self.can_place is None:
            if self.is_mine:
                raise PeerConflict(describe_conflict(self.top.edge, self.top.dep))
            if self.can_place_self is None:
                self.warn_peer_conflict()
                return
            self.can_place = self.can_place_self
        chosen = self.can_place
        target = chosen.target
        kind: CanPlace | None = (
            chosen.can_place_self if chosen.can_place is CONFLICT else chosen.can_place
        )
        if kind is KEEP:
            if self.edge.peer and not self.edge.valid():
                self.warn_peer_conflict()
            self.prune_dedupable(target)
            return
        for above in target.ancestry():
            if above.matches(self.dep) and not above.is_top:
                return  # a dependency cycle npm would close with a symlink; leave it
        virtual_root = self.dep.parent
        placed = BNode(
            self.dep.name,
            self.dep.package,
            error=self.dep.error,
            resolved=self.dep.resolved,
            integrity=self.dep.integrity,
        )
        self.placed = placed
        old = target.children.get(self.name)
        if old is not None:
            self.replace_old_dep(old, placed)
        else:
            placed.set_parent(target)
        if self.edge.peer and not placed.satisfies(self.edge):
            self.warn_peer_conflict()
        reached = self.edge.to()
        if self.edge.valid() and reached is not None and reached is not placed:
            self.prune_dedupable(reached, descend=False)
        for node in list(target.index().by_name.get(self.name, {})):
            if node.is_descendant_of(target) and not node.is_top:
                self.prune_dedupable(node, descend=False)
                if node.root is target.root:
                    for kid in list(node.children.values()):
                        self.prune_dedupable(kid, descend=False)
        for peer_edge in placed.edges_out.values():
            if peer_edge.valid() or not peer_edge.peer or peer_edge.peer_conflicted:
                continue
            peer = virtual_root.children.get(peer_edge.name) if virtual_root else None
            if peer is None or not peer.satisfies(peer_edge):
                continue
            self.children.append(
                PlaceDep(
                    dep=peer,
                    edge=peer_edge,
                    parent=self,
                    explicit_request=self.explicit_request,
                    warnings=self.warnings,
                )
            )

    def replace_old_dep(self, old: BNode, placed: BNode) -> None:
        target = old.parent
        old_deps: list[BNode] = []
        for name, edge in old.edges_out.items():
            reached = edge.to()
            if name not in placed.edges_out and reached is not None:
                old_deps.extend(gather_dep_set([reached], _not_into(reached)))
        prune_peer_sets: dict[BNode, None] = {}
        for edge in old.edges_in():
            if (
                placed.satisfies(edge)
                or not edge.peer
                or edge.source.parent is not target
                or edge.peer_conflicted
            ):
                continue
            for entry_edge in peer_entry_sets(edge.source):
                entry_node = entry_edge.to()
                if entry_node is None:
                    continue
                if (
                    deepest_nesting_target(entry_node) is not target
                    and not entry_edge.source.is_project_root
                ):
                    prune_peer_sets.update(
                        gather_dep_set([entry_node], _not_into(entry_node, unconflicted=True))
                    )
                else:
                    self.warn_peer_conflict(edge)
        placed.replace(old)
        self.prune_for_replacement(placed, old_deps)
        for dep in prune_peer_sets:
            for edge in dep.edges_in():
                self.need_evaluation[edge.source] = None
            dep.remove()

    @staticmethod
    def prune_for_replacement(node: BNode, old_deps: list[BNode]) -> None:
        invalid: dict[BNode, None] = {}
        for edge in node.edges_out.values():
            reached = edge.to()
            if reached is not None and not edge.valid():
                invalid[reached] = None
        for dep in old_deps:
            invalid.update(gather_dep_set([dep], _not_into(dep, valid=True)))
        junk = gather_dep_set(
            invalid, lambda e: e.source is not node and e.to() is not node and e.valid()
        )
        for dep in junk:
            dep.remove()

    def prune_dedupable(self, node: BNode, descend: bool = True) -> None:
        if node.can_dedupe(self.prefer_dedupe, self.explicit_request):
            for dep in gather_dep_set([node], lambda e: e.to() is not node and e.valid()):
                dep.remove()
            return
        if descend:
            kids = sorted(node.children.values(), key=lambda n: collation_key(n.location))
            for child in kids:
                self.prune_dedupable(child)

    @property
    def is_mine(self) -> bool:
        edge = self.top.edge
        node = edge.source
        if node.is_project_root:
            return True
        if not edge.peer:
            return False
        has_peer_edges = False
        for incoming in node.edges_in():
            if incoming.peer:
                has_peer_edges = True
            elif incoming.source.is_project_root:
                return True
        if has_peer_edges:
            return any(e.source.is_project_root for e in peer_entry_sets(node))
        return False

    def warn_peer_conflict(self, edge: Edge | None = None) -> None:
        edge = edge or self.edge
        edge.peer_conflicted = True
        self.warnings.append(
            describe_conflict(edge, self.dep).replace(
                "ERESOLVE unable to resolve dependency tree", "ERESOLVE overriding peer dependency"
            )
        )

    def start_node(self) -> BNode:
        start = self.parent.start_node() if self.parent is not None else self.edge.source
        return deepest_nesting_target(start, self.name)
