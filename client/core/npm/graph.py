"""The mutable dependency graph the resolver works on, shaped like npm's arborist: nodes
sit in node_modules folders (a parent and its children), and every dependency a package
declares is an edge that resolves the way Node's module loader does, by walking up the
folders from the dependent. Placement decisions (placed, can_place) ask these questions
("what does this edge reach?", "who depends on this copy?", "can this copy stand in for
that one?"), so they are answered here the way arborist answers them.

A root keeps an index of its nodes by name and by the names of their edges, so "who
depends on this node" does not walk the whole tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import semver
from .spec import SpecError, parse_dependency

__all__ = ["BNode", "Edge", "dep_valid", "gather_dep_set"]

PEER_TYPES = ("peer", "peerOptional")


class Edge:
    """One declared dependency of `source`: `type` is prod, dev, optional, peer or
    peerOptional; where it leads is computed from the tree at every call."""

    __slots__ = ("name", "peer_conflicted", "source", "spec", "type")

    def __init__(self, source: BNode, name: str, spec: str, type_: str) -> None:
        self.source = source
        self.name = name
        self.spec = spec if isinstance(spec, str) else ""
        self.type = type_
        self.peer_conflicted = False

    @property
    def peer(self) -> bool:
        return self.type in PEER_TYPES

    @property
    def optional(self) -> bool:
        return self.type in ("optional", "peerOptional")

    @property
    def dev(self) -> bool:
        return self.type == "dev"

    def to(self) -> BNode | None:
        return self.source.resolve(self.name)

    def satisfied_by(self, node: BNode) -> bool:
        return node.name == self.name and dep_valid(node, self.name, self.spec)

    def error(self) -> str | None:
        to = self.to()
        if to is None:
            return None if self.optional else "MISSING"
        if self.peer and to.parent is self.source and not self.source.is_top:
            return "PEER LOCAL"
        return None if self.satisfied_by(to) else "INVALID"

    def valid(self) -> bool:
        return self.error() is None

    def __repr__(self) -> str:
        return f"Edge({self.source.location or '<root>'} -{self.type}-> {self.name}@{self.spec})"


def dep_valid(child: BNode, name: str, spec: str) -> bool:
    """Whether `child` meets `name@spec`, as arborist's depValid: semver for versions and
    ranges (`*` accepts anything, prereleases too), any registry copy for a tag."""
    try:
        parsed = parse_dependency(name, spec or "*")
    except SpecError:
        return False
    if parsed.kind == "tag":
        return bool(child.resolved)
    if parsed.kind == "range" and parsed.value.strip() in ("*", ""):
        return True
    return semver.satisfies(child.version, parsed.value)


class _Index:
    """Per root: its nodes by name, and nodes by the names their edges ask for."""

    def __init__(self) -> None:
        self.by_name: dict[str, dict[BNode, None]] = {}
        self.by_edge: dict[str, dict[BNode, None]] = {}

    def add(self, node: BNode) -> None:
        self.by_name.setdefault(node.name, {})[node] = None
        for name in node.edges_out:
            self.by_edge.setdefault(name, {})[node] = None

    def discard(self, node: BNode) -> None:
        self.by_name.get(node.name, {}).pop(node, None)
        for name in node.edges_out:
            self.by_edge.get(name, {}).pop(node, None)


class BNode:
    """A package at one place in a tree (or a virtual root standing in for a dependent
    while its peer set is gathered)."""

    def __init__(
        self,
        name: str,
        package: dict[str, Any],
        *,
        parent: BNode | None = None,
        project_root: bool = False,
        source_reference: BNode | None = None,
        error: Exception | None = None,
        resolved: str | None = None,
        integrity: str | None = None,
    ) -> None:
        self.name = name
        self.package = package
        self.is_project_root = project_root
        self.source_reference = source_reference
        self.error = error
        dist = package.get("dist")
        dist = dist if isinstance(dist, dict) else {}
        self.resolved = resolved or dist.get("tarball") or None
        self.integrity = integrity or dist.get("integrity") or None
        self.parent: BNode | None = None
        self.children: dict[str, BNode] = {}
        self.edges_out: dict[str, Edge] = {}
        self.dev = self.optional = self.dev_optional = self.peer = self.extraneous = True
        self.inert = False
        self._index: _Index | None = None
        self._load_edges(
            with_dev=project_root or bool(source_reference and source_reference.is_project_root)
        )
        if parent is not None:
            self.set_parent(parent)

    # -- what the package declares -------------------------------------------------------
    def _load_edges(self, *, with_dev: bool) -> None:
        pkg = self.package
        peers = pkg.get("peerDependencies")
        meta = pkg.get("peerDependenciesMeta") or {}
        if isinstance(peers, dict):
            optional_peers = {
                n for n in peers if isinstance(meta.get(n), dict) and meta[n].get("optional")
            }
            self._add_edges({n: s for n, s in peers.items() if n not in optional_peers}, "peer")
            self._add_edges({n: s for n, s in peers.items() if n in optional_peers}, "peerOptional")
        self._add_edges(pkg.get("dependencies"), "prod")
        self._add_edges(pkg.get("optionalDependencies"), "optional")
        if with_dev:
            self._add_edges(pkg.get("devDependencies"), "dev")

    def _add_edges(self, deps: Any, type_: str) -> None:
        if not isinstance(deps, dict):
            return
        for name, spec in deps.items():
            self.edges_out[name] = Edge(self, name, spec, type_)

    # -- identity ----------------------------------------------------------------------
    @property
    def version(self) -> str:
        version = self.package.get("version")
        return version if isinstance(version, str) else ""

    @property
    def package_name(self) -> str:
        name = self.package.get("name")
        return name if isinstance(name, str) and name else self.name

    @property
    def pkgid(self) -> str:
        name = self.package_name if self.is_project_root else self.name
        if self.is_project_root:
            return f"{name}@{self.version}"
        alias = f"npm:{self.package_name}@" if self.package_name != name else ""
        return f"{name}@{alias}{self.version}"

    def matches(self, other: BNode) -> bool:
        if other is self:
            return True
        if other.name != self.name:
            return False
        if self.is_project_root and other.is_project_root:
            return False
        if self.integrity and other.integrity:
            return self.integrity == other.integrity
        if self.resolved and other.resolved:
            return self.resolved == other.resolved
        return bool(self.version) and (self.package_name, self.version) == (
            other.package_name,
            other.version,
        )

    def satisfies(self, edge: Edge) -> bool:
        return self.name == edge.name and edge.satisfied_by(self)

    # -- place in the tree ---------------------------------------------------------------
    @property
    def is_top(self) -> bool:
        return self.parent is None

    @property
    def root(self) -> BNode:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def location(self) -> str:
        if self.parent is None:
            return ""
        above = self.parent.location
        return f"{above}/node_modules/{self.name}" if above else f"node_modules/{self.name}"

    def ancestry(self) -> Iterator[BNode]:
        node: BNode | None = self
        while node is not None:
            yield node
            node = node.parent

    def is_descendant_of(self, other: BNode) -> bool:
        return any(node is other for node in self.ancestry())

    def resolve(self, name: str) -> BNode | None:
        for node in self.ancestry():
            found = node.children.get(name)
            if found is not None:
                return found
        return None

    def index(self) -> _Index:
        root = self.root
        if root._index is None:
            root._index = _Index()
            for node in root.walk():
                root._index.add(node)
        return root._index

    def walk(self) -> Iterator[BNode]:
        """This node and everything under it, parents before children."""
        yield self
        for child in list(self.children.values()):
            yield from child.walk()

    def inventory(self) -> list[BNode]:
        return list(self.walk())

    def set_parent(self, parent: BNode | None) -> None:
        """Move this subtree under `parent` (replacing a same-named child there), or out
        of its tree with None."""
        if self.parent is not None:
            old_index = self.index()
            for node in self.walk():
                old_index.discard(node)
            if self.parent.children.get(self.name) is self:
                del self.parent.children[self.name]
            self.parent = None
        if parent is None:
            return
        clash = parent.children.get(self.name)
        if clash is not None and clash is not self:
            clash.set_parent(None)
        parent.children[self.name] = self
        self.parent = parent
        index = parent.index()
        for node in self.walk():
            node._index = None
            index.add(node)

    def remove(self) -> None:
        self.set_parent(None)

    def replace(self, old: BNode) -> None:
        """Take `old`'s place, keeping its children (arborist's Node.replace)."""
        parent = old.parent
        kids = list(old.children.values())
        old.set_parent(None)
        for kid in kids:
            kid.set_parent(self)
        if parent is not None:
            self.set_parent(parent)

    def edges_in(self) -> list[Edge]:
        found = []
        for node in self.index().by_edge.get(self.name, {}):
            edge = node.edges_out.get(self.name)
            if edge is not None and edge.to() is self:
                found.append(edge)
        return found

    # -- replacing and deduping ------------------------------------------------------------
    def can_replace_with(self, other: BNode, ignore_peers: Iterable[str] = ()) -> bool:
        """Whether every dependent of this node (outside its own subgraph) would accept
        `other` in its place."""
        if other.name != self.name or other.package_name != self.package_name:
            return False
        ignore = set(ignore_peers)
        own = gather_dep_set([self], lambda e: e.to() is not self and e.valid())
        for edge in self.edges_in():
            if (
                not self.is_top
                and edge.source.parent is self.parent
                and edge.peer
                and edge.source.name in ignore
            ):
                continue
            if edge.source not in own and not edge.satisfied_by(other):
                return False
        return True

    def can_replace(self, current: BNode, ignore_peers: Iterable[str] = ()) -> bool:
        return current.can_replace_with(self, ignore_peers)

    def can_dedupe(self, prefer_dedupe: bool = False, explicit_request: bool = False) -> bool:
        above = self.parent.parent if self.parent is not None else None
        if above is None:
            return False
        if not self.edges_in():
            return True
        other = above.resolve(self.name)
        if other is None:
            return False
        if other.matches(self):
            return True
        if not other.can_replace(self):
            return False
        mine, theirs = _version(self.version), _version(other.version)
        if prefer_dedupe or (mine is not None and theirs is not None and mine == theirs):
            return True
        if mine is not None and theirs is not None and theirs > mine:
            return True
        return explicit_request

    def __repr__(self) -> str:
        return f"BNode({self.location or '<root>'} {self.pkgid})"


def _version(text: str) -> semver.Version | None:
    try:
        return semver.Version.parse(text)
    except ValueError:
        return None


def gather_dep_set(start: Iterable[BNode], keep: Callable[[Edge], bool]) -> dict[BNode, None]:
    """`start` and what it depends on (through edges `keep` accepts), less every node
    something outside the set still depends on (arborist's gatherDepSet)."""
    deps: dict[BNode, None] = dict.fromkeys(start)
    queue = list(deps)
    for node in queue:
        for edge in node.edges_out.values():
            to = edge.to()
            if to is not None and keep(edge) and to not in deps:
                deps[to] = None
                queue.append(to)
    changed = True
    while changed and deps:
        changed = False
        for dep in list(deps):
            if any(edge.source not in deps and keep(edge) for edge in dep.edges_in()):
                del deps[dep]
                changed = True
    return deps
