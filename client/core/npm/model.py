"""The resolved tree as the rest of the installer sees it: plain records, one per folder in
node_modules, carrying what the lockfile records and what unpacking needs (where the
tarball is, its integrity, which `.bin` links to make). The resolver's working graph is
turned into this once it is done, and a lockfile is read back into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .packument import normalize_bin

__all__ = [
    "Node",
    "Tree",
    "name_from_path",
    "node_from_manifest",
    "package_of",
    "resolver_fields",
]


@dataclass
class Node:
    """A package at `path` ("node_modules/a/node_modules/@s/b"). `name` is the folder
    name; `package_name` differs from it for an `npm:` alias. `skipped` marks an optional
    package that cannot be installed here (platform, engines or a failed dependency):
    recorded in the lockfile as npm does, never unpacked."""

    path: str
    name: str
    version: str
    package_name: str = ""
    resolved: str | None = None
    integrity: str | None = None
    dev: bool = False
    optional: bool = False
    dev_optional: bool = False
    peer: bool = False
    extraneous: bool = False
    dependencies: dict[str, str] = field(default_factory=dict)
    optional_dependencies: dict[str, str] = field(default_factory=dict)
    peer_dependencies: dict[str, str] = field(default_factory=dict)
    peer_dependencies_meta: dict[str, Any] = field(default_factory=dict)
    bin: dict[str, str] = field(default_factory=dict)
    os: list[str] = field(default_factory=list)
    cpu: list[str] = field(default_factory=list)
    libc: list[str] = field(default_factory=list)
    engines: dict[str, Any] = field(default_factory=dict)
    license: str | None = None
    funding: Any = None
    has_install_script: bool = False
    deprecated: str | None = None
    workspaces: Any = None  # as published (array or object); npm copies it into the lock
    skipped: bool = False

    def __post_init__(self) -> None:
        if not self.package_name:
            self.package_name = self.name

    @property
    def alias_of(self) -> str | None:
        return self.package_name if self.package_name != self.name else None

    @property
    def depth(self) -> int:
        """1 for node_modules/x, 2 for node_modules/x/node_modules/y."""
        return self.path.count("node_modules/")

    @property
    def parent_path(self) -> str:
        """The folder whose node_modules holds this one ("" for the project)."""
        cut = self.path.rfind("/node_modules/")
        return self.path[:cut] if cut >= 0 else ""


@dataclass
class Tree:
    """The project's package.json (`root`) and every package folder by path. `warnings`
    holds what npm would print as warnings (peer overrides, skipped packages)."""

    root: dict[str, Any]
    nodes: dict[str, Node] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list, compare=False)

    def installed(self) -> list[Node]:
        """The nodes to unpack, shallow folders first."""
        return [n for n in sorted(self.nodes.values(), key=lambda n: n.path) if not n.skipped]


def name_from_path(path: str) -> str:
    """The package folder name at the end of a node_modules path (scope included)."""
    tail = path.rsplit("node_modules/", 1)[-1]
    return tail


def _str_dict(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _license(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("type")
    return value if isinstance(value, str) and value else None


def _funding(value: Any) -> Any:
    """npm normalises a funding URL string to {"url": ...}."""
    if isinstance(value, str):
        return {"url": value} if value else None
    return value or None


def node_from_manifest(
    path: str,
    name: str,
    manifest: dict[str, Any],
    *,
    resolved: str | None = None,
    integrity: str | None = None,
) -> Node:
    """A Node from a registry manifest (or a lockfile entry, which has the same fields)."""
    dist = manifest.get("dist")
    dist = dist if isinstance(dist, dict) else {}
    package_name = manifest.get("name")
    if not isinstance(package_name, str) or not package_name:
        package_name = name
    deprecated = manifest.get("deprecated")
    return Node(
        path=path,
        name=name,
        version=str(manifest.get("version") or ""),
        package_name=package_name,
        resolved=resolved or dist.get("tarball") or manifest.get("resolved") or None,
        integrity=integrity or dist.get("integrity") or manifest.get("integrity") or None,
        dependencies=_str_dict(manifest.get("dependencies")),
        optional_dependencies=_str_dict(manifest.get("optionalDependencies")),
        peer_dependencies=_str_dict(manifest.get("peerDependencies")),
        peer_dependencies_meta=dict(manifest.get("peerDependenciesMeta") or {})
        if isinstance(manifest.get("peerDependenciesMeta"), dict)
        else {},
        bin=normalize_bin(package_name, manifest["bin"]) if manifest.get("bin") else {},
        os=_str_list(manifest.get("os")),
        cpu=_str_list(manifest.get("cpu")),
        libc=_str_list(manifest.get("libc")),
        engines=dict(manifest["engines"]) if isinstance(manifest.get("engines"), dict) else {},
        license=_license(manifest.get("license")),
        funding=_funding(manifest.get("funding")),
        has_install_script=bool(manifest.get("hasInstallScript")),
        deprecated=deprecated if isinstance(deprecated, str) and deprecated else None,
        workspaces=manifest.get("workspaces") or None,  # an empty one is left out
    )


def resolver_fields(node: Node) -> list[tuple[str, Any]]:
    """The manifest fields the resolver reads, by their package.json names, in the order
    npm writes them into a lockfile entry."""
    return [
        ("dependencies", node.dependencies),
        ("optionalDependencies", node.optional_dependencies),
        ("peerDependencies", node.peer_dependencies),
        ("peerDependenciesMeta", node.peer_dependencies_meta),
        ("bin", node.bin),
        ("engines", node.engines),
        ("os", node.os),
        ("cpu", node.cpu),
        ("libc", node.libc),
    ]


def package_of(node: Node) -> dict[str, Any]:
    """The manifest fields of `node` the resolver reads (as a lockfile entry holds them)."""
    pkg: dict[str, Any] = {"name": node.package_name, "version": node.version}
    for key, value in resolver_fields(node):
        if value:
            pkg[key] = dict(value) if isinstance(value, dict) else list(value)
    if node.license:
        pkg["license"] = node.license
    if node.funding:
        pkg["funding"] = node.funding
    if node.has_install_script:
        pkg["hasInstallScript"] = True
    if node.deprecated:
        pkg["deprecated"] = node.deprecated
    if node.workspaces:
        pkg["workspaces"] = node.workspaces
    dist = {k: v for k, v in (("tarball", node.resolved), ("integrity", node.integrity)) if v}
    if dist:
        pkg["dist"] = dist
    return pkg
