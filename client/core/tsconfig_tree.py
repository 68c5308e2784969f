"""A project's TypeScript configuration as `tsc -b` sees it: `extends` followed (a file,
a package such as `@tsconfig/node20`, or an array of them as TypeScript 5 allows, later
ones winning) and `references` read, so that create-vite's solution-style tsconfig.json
(`files: []`, references to tsconfig.app.json and tsconfig.node.json) gives its real
options.

Monaco's TypeScript worker has one set of compiler options for every file. The policy:
the options are those of the config that governs the file on screen, as tsserver picks
it: the root config when its `files`/`include` cover the file, else the first referenced
config that does (tsconfig.app.json for src/, tsconfig.node.json for vite.config.ts);
a file none covers gets the root's options, or the first reference's when the root is
only a list of references. The `types` of every config are loaded (the worker has one
program, so vite/client and node both apply everywhere).

Reading is synchronous through `read(path)`; configs in node_modules (package `extends`)
come from the runtime, so the paths that were wanted but not readable are listed in
`wanted` for the caller to fetch and try again.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from client.core.tsconfig import CONFIG_FILES, parse
from client.core.type_resolver import node_modules_dirs

Read = Callable[[str], str | None]
MAX_EXTENDS = 10  # depth of an extends chain
MAX_REFERENCES = 32
DEFAULT_EXCLUDE = ["node_modules", "bower_components", "jspm_packages"]


@dataclass
class Config:
    path: str
    compiler: dict[str, Any] = field(default_factory=dict)  # merged, as tsconfig words
    files: list[str] | None = None  # project-relative
    include: list[str] | None = None
    exclude: list[str] | None = None
    references: list[str] = field(default_factory=list)  # config file paths
    errors: list[str] = field(default_factory=list)
    wanted: set[str] = field(default_factory=set)
    chain: list[str] = field(default_factory=list)  # the files read, this one last

    @property
    def types(self) -> list[str]:
        value = self.compiler.get("types")
        return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def _folder(path: str) -> str:
    folder = posixpath.dirname(path)
    return "" if folder == "." else folder


def _in_project(folder: str, relative: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(folder, relative)) if folder else relative
    joined = posixpath.normpath(joined)
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return "" if joined == "." else joined


def _extends_candidates(folder: str, spec: str) -> list[str]:
    if spec.startswith(("./", "../")) or spec in {".", ".."}:
        target = _in_project(folder, spec)
        if target is None:
            return []
        return [target] if target.endswith(".json") else [target, target + ".json"]
    if spec.startswith("/") or "\\" in spec or ".." in spec.split("/"):
        return []
    found = []
    for modules in node_modules_dirs(folder):
        base = f"{modules}/{spec}"
        found += [base] if spec.endswith(".json") else [base + ".json", base + "/tsconfig.json"]
    return found


def load(path: str, read: Read, _seen: tuple[str, ...] = ()) -> Config:
    """One config with its `extends` chain merged (compilerOptions key by key; `files`,
    `include`, `exclude` from the nearest file that has them, relative to that file)."""
    config = Config(path)
    if path in _seen or len(_seen) >= MAX_EXTENDS:
        config.errors.append(f"{path}: extends goes round in a circle or too deep")
        return config
    text = read(path)
    if text is None:
        config.errors.append(f"{path} was not found")
        if "node_modules" in path.split("/"):
            config.wanted.add(path)
        return config
    data, error = parse(text, path)
    if data is None:
        config.errors.append(error or path)
        return config
    folder = _folder(path)
    extends = data.get("extends")
    bases = [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []
    for spec in bases:
        if isinstance(spec, str):
            _merge_base(config, folder, spec, read, (*_seen, path))
    own = data.get("compilerOptions")
    if isinstance(own, dict):
        config.compiler.update(own)
    for key in ("files", "include", "exclude"):
        value = data.get(key)
        if isinstance(value, list):
            paths = [_in_project(folder, v) for v in value if isinstance(v, str)]
            setattr(config, key, [p for p in paths if p is not None])
    references = data.get("references")
    for item in references[:MAX_REFERENCES] if isinstance(references, list) else []:
        target = item.get("path") if isinstance(item, dict) else None
        where = _in_project(folder, target) if isinstance(target, str) else None
        if where is not None:
            config.references.append(where if where.endswith(".json") else _join(where))
    config.chain.append(path)
    return config


def _join(folder: str) -> str:
    return f"{folder}/tsconfig.json" if folder else "tsconfig.json"


def _merge_base(config: Config, folder: str, spec: str, read: Read, seen: tuple[str, ...]) -> None:
    candidates = _extends_candidates(folder, spec)
    for candidate in candidates:
        if read(candidate) is None:
            continue
        base = load(candidate, read, seen)
        config.compiler.update(base.compiler)
        for key in ("files", "include", "exclude"):
            if getattr(base, key) is not None:
                setattr(config, key, getattr(base, key))
        config.errors += base.errors
        config.wanted |= base.wanted
        config.chain += base.chain
        return
    config.wanted |= {c for c in candidates if "node_modules" in c.split("/")}
    config.errors.append(f"{config.path}: extends {spec!r} was not found")


def _glob(pattern: str) -> re.Pattern[str]:
    """A tsconfig include/exclude pattern (`*`, `?`, `**/`, a bare folder name meaning
    everything under it) as a regular expression over project-relative paths."""
    parts = [p for p in pattern.strip("/").split("/") if p not in {"", "."}]
    if not parts:
        return re.compile(r".*")
    if not any(c in parts[-1] for c in "*?") and "." not in parts[-1]:
        parts += ["**", "*"]
    out = ""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out += ".*" if last else "(?:[^/]+/)*"
            continue
        out += "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in part)
        out += "" if last else "/"
    # A pattern that names a file also covers the folder of that name (a bare folder).
    return re.compile(out + r"(?:/.*)?")


def covers(config: Config, path: str) -> bool:
    if config.files is not None and path in config.files:
        return True
    include = config.include
    if include is None:
        include = [] if config.files is not None else ["**/*"]
    if not any(_glob(p).fullmatch(path) for p in include):
        return False
    exclude = config.exclude if config.exclude is not None else DEFAULT_EXCLUDE
    return not any(_glob(p).fullmatch(path) for p in exclude)


def project_configs(paths: set[str] | list[str], read: Read) -> list[Config]:
    """The root config and the configs it references (and theirs), root first; [] for a
    project without one."""
    root = next((name for name in CONFIG_FILES if name in paths), None)
    if root is None:
        return []
    found: dict[str, Config] = {}
    pending = [root]
    while pending and len(found) < MAX_REFERENCES:
        path = pending.pop(0)
        if path in found:
            continue
        config = found[path] = load(path, read)
        pending += config.references
    return list(found.values())


def governing(configs: list[Config], path: str | None) -> Config | None:
    """The config whose options the editor uses while `path` is on screen (the policy
    above)."""
    if not configs:
        return None
    if path is not None:
        for config in configs:
            if covers(config, path):
                return config
    root = configs[0]
    solution = root.files == [] and not root.include and root.references
    return configs[1] if solution and len(configs) > 1 else root


def implicit_imports(config: Config | None, paths: set[str] | list[str]) -> list[str]:
    """Modules the compiler imports on the project's behalf: with `jsx: react-jsx` every
    .tsx/.jsx file imports `<jsxImportSource>/jsx-runtime` (React's by default), whose
    declarations must be there too or every JSX tag is an error."""
    if config is None or not any(p.endswith((".tsx", ".jsx")) for p in paths):
        return []
    jsx = str(config.compiler.get("jsx", "")).lower()
    source = config.compiler.get("jsxImportSource")
    source = source if isinstance(source, str) and source else "react"
    if jsx == "react-jsx":
        return [f"{source}/jsx-runtime"]
    if jsx == "react-jsxdev":
        return [f"{source}/jsx-dev-runtime"]
    return []
