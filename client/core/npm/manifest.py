"""Reading and writing package.json as npm does when it saves a dependency: the file keeps
its key order and its indentation (two spaces when it had none), ends with a newline, and
the dependency maps npm touched come out sorted by name in npm's collation. Adding a
dependency moves it between dependencies, devDependencies and optionalDependencies by
npm's rules (add-rm-pkg-deps)."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from .collate import collation_key

__all__ = [
    "DEP_TYPES",
    "ManifestError",
    "SaveType",
    "add_dependency",
    "dumps",
    "loads",
    "remove_dependency",
]

SaveType = Literal["prod", "dev", "optional", "peer", "peerOptional"]
DEP_TYPES = ("dependencies", "optionalDependencies", "devDependencies", "peerDependencies")
_FIELD: dict[str, str] = {
    "prod": "dependencies",
    "dev": "devDependencies",
    "optional": "optionalDependencies",
    "peer": "peerDependencies",
    "peerOptional": "peerDependencies",
}


class ManifestError(ValueError):
    """package.json cannot be read; one line for the terminal."""


def loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        where = f"{err.msg} at line {err.lineno}"
        raise ManifestError(f"package.json is not valid JSON: {where}") from None
    if not isinstance(value, dict):
        raise ManifestError("package.json must hold a JSON object")
    return value


def dumps(pkg: dict[str, Any], original: str | None = None) -> str:
    """The text to write: the indentation and line ending of `original` if given."""
    indent: str | int = 2
    newline = "\n"
    if original:
        found = re.search(r"^[{\[]\r?\n([ \t]+)\S", original)
        if found:
            indent = found.group(1)
        if "\r\n" in original:
            newline = "\r\n"
    text = json.dumps(pkg, indent=indent, ensure_ascii=False) + "\n"
    return text.replace("\n", newline)


def _has(pkg: dict[str, Any], field: str, name: str) -> bool:
    deps = pkg.get(field)
    return isinstance(deps, dict) and name in deps


def _delete(pkg: dict[str, Any], field: str, name: str) -> None:
    if not _has(pkg, field, name):
        return
    del pkg[field][name]
    if field == "peerDependencies" and isinstance(pkg.get("peerDependenciesMeta"), dict):
        pkg["peerDependenciesMeta"].pop(name, None)
        if not pkg["peerDependenciesMeta"]:
            del pkg["peerDependenciesMeta"]
    if not pkg[field]:
        del pkg[field]


def _infer(pkg: dict[str, Any], name: str) -> SaveType:
    for save_type in ("dev", "optional", "prod", "peerOptional", "peer"):
        if _has(pkg, _FIELD[save_type], name):
            if save_type == "peerOptional":
                meta = pkg.get("peerDependenciesMeta") or {}
                optional = isinstance(meta.get(name), dict) and meta[name].get("optional")
                return "peerOptional" if optional else "peer"
            return save_type
    return "prod"


def _order(pkg: dict[str, Any]) -> dict[str, Any]:
    """npm's save step: each dependency map sorted, an optional dependency not repeated
    in dependencies, empty maps dropped; other keys keep their place."""
    for field in DEP_TYPES:
        deps = pkg.get(field)
        if isinstance(deps, dict):
            pkg[field] = dict(sorted(deps.items(), key=lambda item: collation_key(item[0])))
    if isinstance(pkg.get("dependencies"), dict) and isinstance(
        pkg.get("optionalDependencies"), dict
    ):
        for name in pkg["optionalDependencies"]:
            pkg["dependencies"].pop(name, None)
    for field in DEP_TYPES:
        if isinstance(pkg.get(field), dict) and not pkg[field]:
            del pkg[field]
    return pkg


def add_dependency(
    pkg: dict[str, Any], name: str, spec: str, save_type: SaveType | None = None
) -> dict[str, Any]:
    """`pkg` with `name` saved as `spec`; without `save_type` it stays where it was listed
    (dependencies for a new one). Mutates and returns `pkg`."""
    kind: SaveType = save_type or _infer(pkg, name)
    if kind == "prod":
        _delete(pkg, "devDependencies", name)
        _delete(pkg, "peerDependencies", name)
        _delete(pkg, "optionalDependencies", name)
    elif kind == "dev":
        _delete(pkg, "dependencies", name)
    elif kind == "optional":
        _delete(pkg, "peerDependencies", name)
        _delete(pkg, "dependencies", name)
    else:
        _delete(pkg, "dependencies", name)
        _delete(pkg, "optionalDependencies", name)
    field = _FIELD[kind]
    if not isinstance(pkg.get(field), dict):
        pkg[field] = {}
    pkg[field][name] = spec
    if kind in ("peer", "peerOptional"):
        meta = pkg.get("peerDependenciesMeta")
        if kind == "peerOptional":
            meta = meta if isinstance(meta, dict) else {}
            entry = meta.get(name)
            meta[name] = {**(entry if isinstance(entry, dict) else {}), "optional": True}
            pkg["peerDependenciesMeta"] = meta
        elif isinstance(meta, dict) and isinstance(meta.get(name), dict):
            meta[name]["optional"] = False
        if _has(pkg, "devDependencies", name):
            pkg["devDependencies"][name] = spec
    return _order(pkg)


def remove_dependency(pkg: dict[str, Any], name: str) -> dict[str, Any]:
    """`pkg` without `name` in any dependency map. Mutates and returns `pkg`."""
    for field in DEP_TYPES:
        _delete(pkg, field, name)
    return _order(pkg)
