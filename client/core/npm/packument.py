"""Choosing one version out of a packument, as npm-pick-manifest does, because the version
npm would pick is the version our install must pick: a dist-tag names exactly one
version; for a range the `latest` tag wins when it satisfies (and is neither deprecated
nor refused by `engines`), otherwise the highest satisfying version, preferring versions
that are not deprecated and whose `engines.node` accepts our Node version.

Also the registry errors the resolver reports, and npm's normalisation of `bin`."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from . import semver
from .errors import NoMatchingVersion, NoSuchPackage, RegistryError
from .spec import Spec

__all__ = [
    "NoMatchingVersion",
    "NoSuchPackage",
    "RegistryError",
    "engine_ok",
    "normalize_bin",
    "pick_manifest",
]


def engine_ok(manifest: Mapping[str, Any], node_version: str | None) -> bool:
    """Whether `engines.node` accepts `node_version` (no version given: always)."""
    engines = manifest.get("engines")
    if not node_version or not isinstance(engines, Mapping):
        return True
    wanted = engines.get("node")
    return not isinstance(wanted, str) or not wanted or semver.satisfies(node_version, wanted)


def pick_manifest(
    packument: Mapping[str, Any], spec: Spec, *, node_version: str | None = None
) -> dict[str, Any]:
    """The manifest of the version npm picks for `spec`; raises NoMatchingVersion."""
    name = spec.package
    versions: Mapping[str, Any] = packument.get("versions") or {}
    tags: Mapping[str, Any] = packument.get("dist-tags") or {}
    found: Mapping[str, Any] | None = None
    if spec.kind == "tag":
        tagged = tags.get(spec.value)
        found = versions.get(tagged) if isinstance(tagged, str) else None
    elif spec.kind == "version":
        found = versions.get(spec.value)
        if found is None:
            found = next(
                (m for v, m in versions.items() if semver.valid(v) and _clean(v) == spec.value),
                None,
            )
    else:
        found = _best_in_range(versions, tags, spec.value, node_version)
    if not isinstance(found, Mapping):
        raise NoMatchingVersion(name, spec.value)
    manifest = dict(found)
    manifest.setdefault("name", name)
    if "bin" in manifest:
        manifest["bin"] = normalize_bin(manifest.get("name", name), manifest["bin"])
    return manifest


def _clean(version: str) -> str:
    return str(semver.Version.parse(version))


def _best_in_range(
    versions: Mapping[str, Any], tags: Mapping[str, Any], wanted: str, node_version: str | None
) -> Mapping[str, Any] | None:
    wanted = wanted.strip() or "*"
    latest = tags.get("latest")
    if isinstance(latest, str) and (wanted == "*" or semver.satisfies(latest, wanted)):
        manifest = versions.get(latest)
        if (
            isinstance(manifest, Mapping)
            and engine_ok(manifest, node_version)
            and not manifest.get("deprecated")
        ):
            return manifest
    ranked: list[tuple[tuple[int, int, int], semver.Version, Mapping[str, Any]]] = []
    for text, manifest in versions.items():
        if not isinstance(manifest, Mapping) or not semver.satisfies(text, wanted):
            continue
        fresh = not manifest.get("deprecated")
        engine = engine_ok(manifest, node_version)
        ranked.append(((fresh and engine, engine, fresh), semver.Version.parse(text), manifest))
    if not ranked:
        return None
    ranked.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return ranked[0][2]


def normalize_bin(name: str, value: Any) -> dict[str, str]:
    """`bin` as a map of command name to path inside the package: a string names one
    command after the package (scope dropped); names and paths are made safe (no path
    separators in names, no leading `/` or `..` in paths), as npm-normalize-package-bin."""
    if isinstance(value, str):
        value = {name.rsplit("/", 1)[-1]: value}
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, str] = {}
    for key, target in value.items():
        if not isinstance(key, str) or not isinstance(target, str):
            continue
        command = posixpath.basename(key.replace("\\", "/").replace(":", "/"))
        path = posixpath.normpath("/" + target.replace("\\", "/")).lstrip("/")
        if command and command not in (".", "..") and path and path != ".":
            out[command] = path
    return out
