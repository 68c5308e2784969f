"""package-lock.json (lockfileVersion 3) and node_modules/.package-lock.json, written as npm
writes them and read back. npm sorts every object when it saves (plain values before
nested objects; `name`, `version`, `lockfileVersion`, `resolved`, `integrity`, `requires`,
`packages`, `dependencies` first, then the rest in its collation), so our files are byte
for byte what npm would write for the same tree and a project can move between the two.

`ci_problems` answers what `npm ci` checks before it installs: whether the lock still
meets package.json."""

from __future__ import annotations

import json
import re
from typing import Any

from . import platform
from .collate import collation_key
from .flags import optional_set
from .graph import BNode, dep_valid
from .ideal import root_package
from .model import Node, Tree, name_from_path, node_from_manifest, package_of, resolver_fields
from .packument import engine_ok, normalize_bin

__all__ = [
    "LockfileError",
    "ci_problems",
    "dumps",
    "hidden_lock_document",
    "lock_document",
    "tree_from_lock",
]

_PREFERRED = (
    "name",
    "version",
    "lockfileVersion",
    "resolved",
    "integrity",
    "requires",
    "packages",
    "dependencies",
)
_ROOT_KEYS = (
    "version",
    "dependencies",
    "peerDependencies",
    "peerDependenciesMeta",
    "optionalDependencies",
    "funding",
    "engines",
    "os",
    "cpu",
    "libc",
    "license",
    "bin",
    "deprecated",
    "workspaces",
)


class LockfileError(ValueError):
    """The lockfile cannot be used; one line for the terminal."""


def _sorted(value: Any) -> Any:
    """npm's json-stringify-nice order, applied to every object."""
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    if not isinstance(value, dict):
        return value

    def key(item: tuple[str, Any]) -> tuple[int, int, int, Any]:
        name, inner = item
        nested = 1 if isinstance(inner, dict) else 0
        if name in _PREFERRED:
            return (nested, 0, _PREFERRED.index(name), ())
        return (nested, 1, 0, collation_key(name))

    return {k: _sorted(v) for k, v in sorted(value.items(), key=key)}


def dumps(doc: dict[str, Any]) -> str:
    """The file's text: npm's key order, two-space indent, a final newline."""
    return json.dumps(_sorted(doc), indent=2, ensure_ascii=False) + "\n"


def _root_entry(root: dict[str, Any]) -> dict[str, Any]:
    pkg = root_package(root)
    entry: dict[str, Any] = {}
    for key in _ROOT_KEYS:
        value = pkg.get(key)
        if key == "license" and isinstance(value, dict):
            value = value.get("type")
        if key == "bin" and value:
            value = normalize_bin(str(pkg.get("name") or ""), value)
        if key == "funding" and isinstance(value, str):
            value = {"url": value}
        if value and (not isinstance(value, dict) or value):
            entry[key] = value
    if isinstance(pkg.get("name"), str) and pkg["name"]:
        entry["name"] = pkg["name"]
    if pkg.get("devDependencies"):
        entry["devDependencies"] = pkg["devDependencies"]
    return entry


def _entry(node: Node) -> dict[str, Any]:
    entry: dict[str, Any] = {"version": node.version}
    if node.resolved:
        entry["resolved"] = node.resolved
    if node.integrity:
        entry["integrity"] = node.integrity
    if node.package_name != node.name:
        entry["name"] = node.package_name
    for key, value in (
        *resolver_fields(node),
        ("license", node.license),
        ("funding", node.funding),
        ("deprecated", node.deprecated),
        ("workspaces", node.workspaces),
    ):
        if value:
            entry[key] = value
    if node.has_install_script:
        entry["hasInstallScript"] = True
    if node.extraneous:
        entry["extraneous"] = True
    else:
        for key, flag in (("peer", node.peer), ("dev", node.dev), ("optional", node.optional)):
            if flag:
                entry[key] = True
        if node.dev_optional and not node.dev and not node.optional:
            entry["devOptional"] = True
    return entry


def _document(tree: Tree, nodes: list[Node], *, with_root: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    name, version = tree.root.get("name"), tree.root.get("version")
    if isinstance(name, str) and name:
        doc["name"] = name
    if isinstance(version, str) and version:
        doc["version"] = version
    doc["lockfileVersion"] = 3
    doc["requires"] = True
    packages: dict[str, Any] = {"": _root_entry(tree.root)} if with_root else {}
    for node in sorted(nodes, key=lambda n: collation_key(n.path)):
        packages[node.path] = _entry(node)
    doc["packages"] = packages
    return _sorted(doc)  # type: ignore[no-any-return]


def lock_document(tree: Tree) -> dict[str, Any]:
    """package-lock.json for `tree` (skipped packages included, as npm records them)."""
    return _document(tree, list(tree.nodes.values()), with_root=True)


def hidden_lock_document(tree: Tree) -> dict[str, Any]:
    """node_modules/.package-lock.json: what is actually installed, no root entry."""
    return _document(tree, [n for n in tree.nodes.values() if not n.skipped], with_root=False)


def _check_version(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise LockfileError("package-lock.json is not a JSON object")
    version = doc.get("lockfileVersion")
    if not isinstance(version, int) or version < 2:
        raise LockfileError(
            f"package-lock.json has lockfileVersion {version}; npm in the browser reads "
            "versions 2 and 3 only: run `npm install` to rewrite it"
        )
    packages = doc.get("packages")
    if not isinstance(packages, dict):
        raise LockfileError('package-lock.json has no "packages" section')
    return packages


_SEGMENT = r"(?:@[a-z0-9~-][a-z0-9._~-]*/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*"
_PACKAGE_PATH = re.compile(rf"node_modules/{_SEGMENT}(?:/node_modules/{_SEGMENT})*")


def is_package_path(path: str) -> bool:
    """A folder npm makes for a package: node_modules/NAME, nested in other packages'
    node_modules; names as npm allows them (old ones may have capitals), never "." or ".."
    or a dot or underscore first."""
    return _PACKAGE_PATH.fullmatch(path) is not None


def tree_from_lock(
    doc: dict[str, Any],
    root: dict[str, Any],
    *,
    os: str = platform.BROWSER_OS,
    cpu: str = platform.BROWSER_CPU,
    libc: str | None = None,
    node_version: str | None = None,
) -> Tree:
    """The tree a lockfile describes, with `skipped` worked out again for this platform
    (npm does not record it). Raises LockfileError for lockfileVersion 1 or no packages.
    Entries outside node_modules (workspaces, links) are ignored."""
    packages = _check_version(doc)
    tree = Tree(root=root)
    for path, entry in packages.items():
        if not path.startswith("node_modules/") or not isinstance(entry, dict):
            continue
        if entry.get("link") or not entry.get("version"):
            continue
        if not is_package_path(path):
            # The installer removes and unpacks folders by these paths: one that could
            # reach outside node_modules ("node_modules/../../x") is never taken.
            raise LockfileError(f"package-lock.json names a folder npm would not make: {path!r}")
        node = node_from_manifest(path, name_from_path(path), entry)
        node.dev, node.optional = bool(entry.get("dev")), bool(entry.get("optional"))
        node.dev_optional, node.peer = bool(entry.get("devOptional")), bool(entry.get("peer"))
        node.extraneous = bool(entry.get("extraneous"))
        tree.nodes[path] = node
    _mark_skipped(tree, os, cpu, libc, node_version)
    return tree


def _graph(tree: Tree) -> tuple[BNode, dict[str, BNode]]:
    root = BNode(str(tree.root.get("name") or ""), root_package(tree.root), project_root=True)
    by_path = {"": root}
    for node in sorted(tree.nodes.values(), key=lambda n: (n.depth, collation_key(n.path))):
        parent = by_path.get(node.parent_path)
        if parent is not None:
            by_path[node.path] = BNode(node.name, package_of(node), parent=parent)
    return root, by_path


def _mark_skipped(
    tree: Tree, os: str, cpu: str, libc: str | None, node_version: str | None
) -> None:
    _, by_path = _graph(tree)
    for path, node in tree.nodes.items():
        built = by_path.get(path)
        if built is not None:
            built.optional = node.optional
    for path, node in tree.nodes.items():
        built = by_path.get(path)
        if built is None or not node.optional or built.inert:
            continue
        fits = platform.allowed(built.package, os, cpu, libc) and engine_ok(
            built.package, node_version
        )
        broken = any(
            e.to() is None and not e.optional and not e.peer for e in built.edges_out.values()
        )
        if not fits or broken:
            for member in optional_set(built):
                member.inert = True
    for path, node in tree.nodes.items():
        built = by_path.get(path)
        node.skipped = built is not None and built.inert


def ci_problems(doc: dict[str, Any], root: dict[str, Any]) -> list[str]:
    """Why `npm ci` would refuse this lock for package.json `root` (empty: in sync)."""
    try:
        _check_version(doc)
        tree = tree_from_lock(doc, root)
    except LockfileError as err:
        return [str(err)]
    graph, by_path = _graph(tree)
    problems: list[str] = []
    for node in [graph, *(by_path[p] for p in sorted(by_path, key=collation_key) if p)]:
        for edge in node.edges_out.values():
            if edge.peer and edge.optional:
                continue
            found = edge.to()
            if found is None:
                if not edge.optional:
                    problems.append(f"Missing: {edge.name}@{edge.spec or '*'} from lock file")
                continue
            if not dep_valid(found, edge.name, edge.spec):
                problems.append(
                    f"Invalid: lock file's {found.package_name}@{found.version} does not "
                    f"satisfy {edge.name}@{edge.spec or '*'}"
                )
    return problems
