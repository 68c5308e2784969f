"""Where a package's declarations are, read from its package.json as TypeScript reads it
for `moduleResolution: bundler` and `node16`: `exports` with the `types` condition
(nested conditions, subpath keys and `*` patterns, `import`/`require`/`default` each
with their own `types`, versioned `types@<=5.0`), then `typesVersions`, `types` /
`typings`, `main` and `index`.

The answer is a list of candidate paths inside the package (relative, "./" stripped),
most likely first; the resolver reads them in turn. Where TypeScript would pick one of
several branches depending on the importing file (`import` vs `require`), all branches
are listed: a declaration file loaded for nothing costs bytes, one missing costs a
squiggle. Everything read from package.json is untrusted: wrong types are ignored, and
the resolver keeps every path inside node_modules.
"""

from __future__ import annotations

import re
from typing import Any

# The TypeScript in Monaco's worker (tests/unit/test_typescript_enums.py pins 5.9): the
# version `typesVersions` and `types@...` conditions are matched against.
TS_VERSION = (5, 9, 3)
# Conditions TypeScript matches for declarations; others (browser, development, deno...)
# are not its business. `types` first: where it matches, TypeScript takes it.
CONDITIONS = ("import", "require", "node", "default")
DECLARATION = (".d.ts", ".d.mts", ".d.cts")
MAX_DEPTH = 12  # nesting of conditions; deeper is hostile


def _version(text: str) -> tuple[int, ...] | None:
    match = re.fullmatch(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[\w.]+)?", text.strip())
    if match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def version_matches(spec: str, version: tuple[int, ...] = TS_VERSION) -> bool:
    """A semver range as typesVersions and `types@` conditions write them: "*", ">=4.2",
    "<=5.0", "~5.1", "^5", "5.0", and comparators separated by spaces (all must hold) or
    `||` (one must). Unknown syntax matches nothing."""
    spec = spec.strip()
    if not spec or spec in {"*", "x"}:
        return True
    return any(_all_hold(part.split(), version) for part in spec.split("||"))


def _all_hold(comparators: list[str], version: tuple[int, ...]) -> bool:
    if not comparators:
        return True
    for comparator in comparators:
        match = re.fullmatch(r"(>=|<=|>|<|=|~|\^)?(.+)", comparator)
        if match is None:
            return False
        operator, wanted = match.group(1) or "=", _version(match.group(2))
        if wanted is None:
            return False
        if operator == "=" and len(wanted) < 3:  # "5.0": every 5.0.x
            if version[: len(wanted)] != wanted:
                return False
            continue
        wanted = (wanted + (0, 0, 0))[:3]
        held = {
            ">=": version >= wanted,
            "<=": version <= wanted,
            ">": version > wanted,
            "<": version < wanted,
            "=": version == wanted,
            "~": version[:2] == wanted[:2] and version >= wanted,
            "^": version[:1] == wanted[:1] and version >= wanted,
        }[operator]
        if not held:
            return False
    return True


def _targets(value: Any, depth: int = 0) -> list[str]:
    """The paths an exports value leads to under TypeScript's conditions."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value[:16] for t in _targets(item, depth + 1)]
    if not isinstance(value, dict):
        return []  # null (not exported), numbers, booleans
    found: list[str] = []
    for key, inner in value.items():
        if not isinstance(key, str):
            continue
        if key == "types" or (key.startswith("types@") and version_matches(key[6:])):
            typed = _targets(inner, depth + 1)
            if typed:  # TypeScript takes the first `types` that leads somewhere
                return found + typed
        elif key in CONDITIONS:
            found += _targets(inner, depth + 1)
    return found


def _is_conditions(exports: dict[str, Any]) -> bool:
    return not any(isinstance(key, str) and key.startswith(".") for key in exports)


def export_targets(exports: Any, subpath: str) -> list[str] | None:
    """What `exports` maps a subpath ("" for the package itself, "client" for
    "pkg/client") to; None when the package has no usable `exports` (TypeScript then
    reads `types` and the files), [] when it has one that does not export the subpath."""
    if exports is None or isinstance(exports, (bool, int, float)):
        return None
    key = "./" + subpath if subpath else "."
    if isinstance(exports, (str, list)) or (isinstance(exports, dict) and _is_conditions(exports)):
        return _targets(exports) if key == "." else []
    if not isinstance(exports, dict):
        return None
    if key in exports:
        return _targets(exports[key])
    best: tuple[int, str, str] | None = None  # (prefix length, matched key, star value)
    for pattern in exports:
        if not isinstance(pattern, str):
            continue
        if pattern.count("*") == 1:
            prefix, suffix = pattern.split("*")
            if key.startswith(prefix) and key.endswith(suffix) and len(key) >= len(pattern) - 1:
                star = key[len(prefix) : len(key) - len(suffix)]
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), pattern, star)
        elif (
            pattern.endswith("/")  # the old folder mapping
            and key.startswith(pattern)
            and (best is None or len(pattern) > best[0])
        ):
            best = (len(pattern), pattern, key[len(pattern) :])
    if best is None:
        return []
    _, pattern, star = best
    targets = _targets(exports[pattern])
    if pattern.endswith("/"):
        return [t + star for t in targets if t.endswith("/")]
    return [t.replace("*", star) for t in targets]


def types_versions(package: dict[str, Any], path: str) -> list[str]:
    """`typesVersions` applied to a path in the package ("index.d.ts", "sub"): the first
    range that holds for our TypeScript, its first pattern that matches; else the path."""
    mapping = package.get("typesVersions")
    if not isinstance(mapping, dict):
        return [path]
    for spec, paths in mapping.items():
        if not isinstance(spec, str) or not isinstance(paths, dict) or not version_matches(spec):
            continue
        for pattern, targets in paths.items():
            if not isinstance(pattern, str) or not isinstance(targets, list):
                continue
            if pattern == path:
                return [t for t in targets if isinstance(t, str)]
            if pattern.count("*") == 1:
                prefix, suffix = pattern.split("*")
                if path.startswith(prefix) and path.endswith(suffix):
                    star = path[len(prefix) : len(path) - len(suffix)]
                    return [t.replace("*", star) for t in targets if isinstance(t, str)]
        return [path]  # the range held but no pattern matched: TypeScript stops there
    return [path]


def entry_points(package: dict[str, Any], subpath: str) -> list[str]:
    """Paths to try for `pkg` or `pkg/subpath`, as TypeScript would: `exports` when there
    is one (and nothing else then), else `typesVersions` over `types`/`typings`/`main`
    and the index, or over the subpath itself."""
    exported = export_targets(package.get("exports"), subpath)
    if exported is not None:
        return [strip(target) for target in exported]
    if subpath:
        return [strip(p) for p in types_versions(package, subpath)]
    found: list[str] = []
    for name in ("types", "typings"):
        value = package.get(name)
        if isinstance(value, str) and value:
            found += types_versions(package, strip(value))
    main = package.get("main")
    if isinstance(main, str) and main:
        found += types_versions(package, strip(main))
    found += types_versions(package, "index.d.ts")
    return [strip(p) for p in dict.fromkeys(found)]


def strip(path: str) -> str:
    """ "./index.d.ts" -> "index.d.ts" ("." alone is the package's folder)."""
    while path.startswith("./"):
        path = path[2:]
    return "" if path == "." else path


def file_candidates(path: str) -> list[str]:
    """The files TypeScript would look for behind a path in an import: `./x.js` means
    `./x.d.ts` (or `.ts`), `.mjs` means `.d.mts`, a bare name may be a file or a folder
    with an index. Declarations are tried first: of two, TypeScript only sees what the
    editor gives it, and declarations check faster."""
    path = path.rstrip("/")
    lower = path.lower()
    if lower.endswith(DECLARATION) or lower.endswith((".ts", ".tsx", ".mts", ".cts")):
        return [path]
    for js, (dts, ts) in {
        ".js": (".d.ts", ".ts"),
        ".jsx": (".d.ts", ".tsx"),
        ".mjs": (".d.mts", ".mts"),
        ".cjs": (".d.cts", ".cts"),
    }.items():
        if lower.endswith(js):
            stem = path[: -len(js)]
            return [stem + dts, stem + ts]
    if lower.endswith(".json"):
        return []
    if not path:
        return ["index.d.ts"]
    return [path + ".d.ts", path + ".ts", path + ".tsx", path + "/index.d.ts", path + ".d.mts"]
