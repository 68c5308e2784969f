"""Building the ideal tree: the breadth-first loop of arborist's build-ideal-tree. The
shallowest unvisited package (ties by path, in npm's collation) is taken from the queue;
its missing or invalid dependencies are resolved to manifests, each together with the
peers it needs (gathered in a "virtual root" standing in for the dependent), placed in
name order, and what was placed is queued in turn. When the queue is empty, the flags are
computed, optional packages that failed or cannot run here are marked skipped, and the
graph becomes a Tree. Packuments are fetched concurrently, but every decision is taken in
the fixed order above, so the result does not depend on network timing."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from ..tasks import spawn
from . import platform
from .can_place import OK, REPLACE
from .collate import collation_key
from .errors import PeerConflict, RegistryError
from .flags import calc_dep_flags, optional_set
from .graph import BNode, Edge
from .model import Tree, node_from_manifest, package_of
from .packument import engine_ok, pick_manifest
from .place import PlaceDep, describe_conflict
from .spec import Spec, SpecError, parse_dependency

__all__ = ["IdealTreeBuilder", "Packuments", "Progress"]

Packuments = Callable[[str], Awaitable[dict[str, Any]]]
Progress = Callable[[str, int], None]


def root_package(root: dict[str, Any]) -> dict[str, Any]:
    """package.json as arborist reads it: an optional dependency listed in dependencies
    too is only optional."""
    pkg = dict(root)
    deps, optional = pkg.get("dependencies"), pkg.get("optionalDependencies")
    if isinstance(deps, dict) and isinstance(optional, dict):
        pkg["dependencies"] = {k: v for k, v in deps.items() if k not in optional}
    return pkg


class _Queue:
    """Shallow first, then by path in npm's collation."""

    def __init__(self) -> None:
        self.items: dict[BNode, None] = {}

    def push(self, node: BNode) -> None:
        self.items[node] = None

    def pop(self) -> BNode:
        node = min(self.items, key=lambda n: (n.depth, collation_key(n.location)))
        del self.items[node]
        return node


class IdealTreeBuilder:
    def __init__(
        self,
        root: dict[str, Any],
        packuments: Packuments,
        *,
        lock: Tree | None,
        os: str,
        cpu: str,
        libc: str | None,
        node_version: str | None,
        progress: Progress | None,
        update: Collection[str],
    ) -> None:
        self.package_json = root
        name = root.get("name") if isinstance(root.get("name"), str) else ""
        self.root = BNode(name or "", root_package(root), project_root=True)
        self.fetcher = packuments
        self.lock = lock
        self.os, self.cpu, self.libc, self.node_version = os, cpu, libc, node_version
        self.progress = progress
        self.update = set(update)
        self.queue = _Queue()
        self.seen: set[BNode] = set()
        self.load_failures: dict[BNode, None] = {}
        self.virtual_roots: dict[BNode, BNode] = {}
        self.peer_set_source: dict[BNode, BNode] = {}
        self.packuments: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.manifests: dict[tuple[str, str, str], dict[str, Any] | Exception] = {}
        self.resolved = 0
        self.warnings: list[str] = []

    # -- fetching ------------------------------------------------------------------------
    async def _fetch(self, name: str) -> dict[str, Any]:
        try:
            return await self.fetcher(name)
        finally:
            self.resolved += 1
            if self.progress is not None:
                self.progress("resolved", self.resolved)

    def _packument(self, name: str) -> asyncio.Future[dict[str, Any]]:
        future = self.packuments.get(name)
        if future is None:
            future = spawn(self._fetch(name), f"fetch {name}", awaited=True)
            # A packument fetched ahead and never needed may fail unseen: read its error.
            future.add_done_callback(lambda f: f.cancelled() or f.exception())
            self.packuments[name] = future
        return future

    def _warm(self, manifest: dict[str, Any]) -> None:
        """Start fetching the packuments of a chosen manifest's peers (optional ones too),
        which the loop asks for one at a time while it gathers a peer set (vite names a
        dozen optional peers, each checked in turn): they are there when it asks. Its
        other dependencies are fetched a level at a time already (prefetch). Only the
        fetching goes ahead; every decision keeps its order."""
        for field in ("peerDependencies",):
            found = manifest.get(field)
            if isinstance(found, dict):
                for name, spec in found.items():
                    if not isinstance(name, str) or not isinstance(spec, str):
                        continue
                    with contextlib.suppress(SpecError):
                        self._packument(parse_dependency(name, spec).package)

    async def manifest(self, spec: Spec) -> dict[str, Any]:
        key = (spec.package, spec.kind, spec.value)
        if key not in self.manifests:
            future = self._packument(spec.package)
            try:
                packument = await asyncio.shield(future) if not future.done() else future.result()
                found: dict[str, Any] | Exception = pick_manifest(
                    packument, spec, node_version=self.node_version
                )
            except RegistryError as err:
                found = err
            if isinstance(found, dict):
                self._warm(found)
            self.manifests.setdefault(key, found)
        found = self.manifests[key]
        if isinstance(found, Exception):
            raise found
        return found

    async def prefetch(self, edges: list[Edge]) -> None:
        async def one(edge: Edge) -> None:
            with contextlib.suppress(RegistryError, SpecError):
                await self.manifest(parse_dependency(edge.name, edge.spec or "*"))

        if edges:
            await asyncio.gather(*(one(edge) for edge in edges))

    # -- the loop ------------------------------------------------------------------------
    async def build(self) -> Tree:
        if self.lock is not None:
            self._load_lock(self.lock)
        for node in self.root.walk():
            self.queue.push(node)
        while self.queue.items:
            node = self.queue.pop()
            if node in self.seen or node.root is not self.root:
                continue
            self.seen.add(node)
            await self._step(node)
        calc_dep_flags(self.root)
        if self.lock is not None:
            for node in self.root.inventory()[1:]:
                if node.extraneous and node.root is self.root:
                    node.remove()
        self._prune_failed_optional()
        self._check_platform()
        return self._tree()

    def _load_lock(self, lock: Tree) -> None:
        by_path = {"": self.root}
        for node in sorted(lock.nodes.values(), key=lambda n: (n.depth, collation_key(n.path))):
            parent = by_path.get(node.parent_path)
            if parent is not None and node.version:
                by_path[node.path] = BNode(node.name, package_of(node), parent=parent)

    def _explicit(self, edge: Edge) -> bool:
        return edge.source.is_project_root and edge.name in self.update

    def problem_edges(self, node: BNode) -> list[Edge]:
        problems = []
        for edge in node.edges_out.values():
            to = edge.to()
            if to is not None and to in self.load_failures:
                continue
            if to is None:
                if edge.type != "peerOptional" or self._explicit(edge):
                    problems.append(edge)
            elif not edge.valid() or self._explicit(edge):
                problems.append(edge)
        return problems

    async def _step(self, node: BNode) -> None:
        problems = self.problem_edges(node)
        await self.prefetch(problems)
        peer_source = self.peer_set_source.get(node, node)
        tasks: list[tuple[Edge, BNode]] = []
        for edge in problems:
            if edge.peer_conflicted:
                continue
            virtual_root = self.virtual_root(peer_source if edge.peer else node, reuse=True)
            vr_edge = virtual_root.edges_out.get(edge.name)
            vr_dep = vr_edge.to() if vr_edge is not None and vr_edge.valid() else None
            dep = vr_dep if vr_dep is not None and vr_dep.satisfies(edge) else None
            if dep is None and edge.type == "peerOptional" and not self._explicit(edge):
                dep = self._find_hoistable(edge.source.parent or edge.source, edge)
            if dep is None:
                parent = virtual_root if edge.peer else None
                dep = await self.node_from_edge(edge, parent, None, {edge.source})
            tasks.append((edge, dep))
        tasks.sort(key=lambda task: collation_key(task[0].name))
        later: list[Edge] = []
        for edge, dep in tasks:
            top = PlaceDep(
                dep=dep, edge=edge, explicit_request=self._explicit(edge), warnings=self.warnings
            )
            for placement in _preorder(top):
                later.extend(self._after_placement(placement))
        await self.prefetch(later)

    def _after_placement(self, placement: PlaceDep) -> list[Edge]:
        placed = placement.placed
        if placed is None or placement.can_place is None:
            return []
        if placed.error is not None:
            self.load_failures[placed] = None
        if placement.can_place.can_place_self in (OK, REPLACE):
            for edge_in in placed.edges_in():
                if edge_in is placement.edge or edge_in.peer_conflicted or edge_in.valid():
                    continue
                self.seen.discard(edge_in.source)
                self.queue.push(edge_in.source)
        self.queue.push(placed)
        for node in placement.need_evaluation:
            self.seen.discard(node)
            self.queue.push(node)
        return self.problem_edges(placed)

    def _find_hoistable(self, start: BNode, edge: Edge) -> BNode | None:
        queue = list(start.children.values())
        for node in queue:
            if node.name == edge.name and node.satisfies(edge):
                return node
            queue.extend(node.children.values())
        return None

    def virtual_root(self, node: BNode, reuse: bool = False) -> BNode:
        if reuse and node in self.virtual_roots:
            return self.virtual_roots[node]
        virtual = BNode(node.name, node.package, source_reference=node)
        self.virtual_roots[node] = virtual
        return virtual

    # -- resolving one edge with its peer set --------------------------------------------
    async def node_from_spec(self, name: str, raw: str, parent: BNode, edge: Edge) -> BNode:
        try:
            manifest = await self.manifest(parse_dependency(name, raw or "*"))
        except (RegistryError, SpecError) as err:
            return self._failure(name, parent, err, edge)
        if not manifest.get("version"):
            return self._failure(name, parent, RegistryError(f"no version in {name}"), edge)
        return BNode(name, manifest, parent=parent)

    def _failure(self, name: str, parent: BNode, err: Exception, edge: Edge) -> BNode:
        failure = err if isinstance(err, RegistryError) else RegistryError(str(err))
        if failure.required_by is None:
            failure.required_by = (
                "the project" if edge.source.is_project_root else edge.source.pkgid
            )
        node = BNode(name, {}, parent=parent, error=failure)
        self.load_failures[node] = None
        return node

    async def node_from_edge(
        self, edge: Edge, parent_: BNode | None, second: Edge | None, required: set[BNode]
    ) -> BNode:
        parent = parent_ or self.virtual_root(edge.source)
        first = await self.node_from_spec(edge.name, edge.spec, parent, edge)
        other = None
        if second is not None and not second.valid():
            other = await self.node_from_spec(edge.name, second.spec, parent, second)
        node = other if other is not None and edge.valid() else first
        node.set_parent(parent)
        if (edge.source in required and edge.type != "peerOptional") or (
            second is not None and second.source in required and second.type != "peerOptional"
        ):
            required.add(node)
        if parent.source_reference is not None:
            self.peer_set_source[node] = parent.source_reference
        return await self.load_peer_set(node, required)

    async def load_peer_set(self, node: BNode, required: set[BNode]) -> BNode:
        peer_edges = sorted(
            (e for e in node.edges_out.values() if e.peer and not (e.valid() and e.to())),
            key=lambda e: collation_key(e.name),
        )
        for edge in peer_edges:
            if node.parent is None:
                break
            if edge.valid() and edge.to() is not None:
                continue
            parent_edge = node.parent.edges_out.get(edge.name)
            source = node.parent.source_reference
            conflict_ok = source is None or not source.is_project_root
            if edge.to() is None:
                if parent_edge is None:
                    await self.node_from_edge(edge, node.parent, None, required)
                    continue
                dep = await self.node_from_edge(parent_edge, node.parent, edge, required)
                if edge.valid():
                    continue
                if conflict_ok or dep not in required:
                    edge.peer_conflicted = True
                    continue
                if node.parent is None:
                    break
                raise PeerConflict(describe_conflict(edge))
            current = edge.to()
            dep = await self.node_from_edge(edge, None, None, required)
            if current is not None and dep.can_replace(current):
                await self.node_from_edge(edge, node.parent, None, required)
                continue
            if conflict_ok or edge.source not in required:
                continue
            raise PeerConflict(describe_conflict(edge))
        return node

    # -- after the loop ------------------------------------------------------------------
    def _prune_failed_optional(self) -> None:
        for node in self.load_failures:
            if node.root is not self.root:
                continue
            if not node.optional:
                assert node.error is not None
                raise node.error
            for member in optional_set(node):
                member.inert = True

    def _check_platform(self) -> None:
        for node in self.root.inventory()[1:]:
            fits = platform.allowed(node.package, self.os, self.cpu, self.libc)
            if not node.optional:
                if not fits:
                    self.warnings.append(
                        f"EBADPLATFORM {node.pkgid} names platforms other than "
                        f"{self.os}/{self.cpu}; it is a required dependency, installed anyway"
                    )
                continue
            if not node.inert and (not fits or not engine_ok(node.package, self.node_version)):
                for member in optional_set(node):
                    member.inert = True

    def _tree(self) -> Tree:
        tree = Tree(root=self.package_json, warnings=list(self.warnings))
        found = []
        for node in self.root.inventory()[1:]:
            if node.error is not None and not node.version:
                continue
            record = node_from_manifest(
                node.location,
                node.name,
                node.package,
                resolved=node.resolved,
                integrity=node.integrity,
            )
            record.dev, record.optional, record.peer = node.dev, node.optional, node.peer
            record.dev_optional, record.extraneous = node.dev_optional, node.extraneous
            record.skipped = node.inert
            found.append(record)
        for record in sorted(found, key=lambda n: collation_key(n.path)):
            tree.nodes[record.path] = record
        return tree


def _preorder(top: PlaceDep) -> list[PlaceDep]:
    found = []
    stack = [top]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(current.children))
    return found
