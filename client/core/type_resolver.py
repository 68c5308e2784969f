"""The declaration files a project's imports reach in node_modules, found as TypeScript's
module resolution finds them (client/core/type_packages.py reads each package.json).

Lazy: it starts from the specifiers the project's files import (and `compilerOptions.types`
such as `vite/client`) and follows, file by file, what those declarations reference:
`/// <reference path>` and `<reference types>`, `import`/`export ... from`, `import("x")`,
relative (`./foo.js` -> `./foo.d.ts`) or bare (`csstype`, found by walking up the
node_modules folders). A package without declarations falls back to `@types/x`
(`@types/s__x` for `@s/x`). Nothing is read outside a node_modules folder, whatever a
package.json or an import says; caps on bytes and files stop a hostile or huge tree, and
say so. The reader is async (node_modules lives in the runtime, on another origin), so the
page keeps running between reads.
"""

from __future__ import annotations

import asyncio
import json
import posixpath
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from client.core.dts_scan import is_relative, needs, package_of, types_package
from client.core.type_packages import entry_points, export_targets, file_candidates

Read = Callable[[str], Awaitable[bytes | None]]  # a file's bytes, or None when absent
List = Callable[[str], Awaitable[set[str] | None]]  # a folder's names, or None

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
MAX_FILES = 4000


@dataclass
class TypeSet:
    """What was found: declaration files and the package.json files TypeScript reads to
    resolve them (path in the project -> text), which package each imported name got its
    types from, which imported names got none, and a notice when a cap was reached."""

    files: dict[str, str] = field(default_factory=dict)
    found: dict[str, str] = field(default_factory=dict)  # package name -> its types' folder
    missing: set[str] = field(default_factory=set)
    total: int = 0
    notice: str | None = None


def inside_node_modules(path: str) -> str | None:
    """The normalised path when it lies in a node_modules folder, else None (`..` that
    climbs out, absolute paths, NUL bytes)."""
    if not path or "\x00" in path or path.startswith("/") or "\\" in path:
        return None
    clean = posixpath.normpath(path)
    parts = clean.split("/")
    if ".." in parts or "node_modules" not in parts[:-1]:
        return None
    return clean


def node_modules_dirs(base: str) -> list[str]:
    """The node_modules folders a file in `base` sees, nearest first, as Node walks up
    (a folder that is itself named node_modules gets no node_modules inside)."""
    parts = [p for p in base.split("/") if p]
    found = []
    for end in range(len(parts), -1, -1):
        if end and parts[end - 1] == "node_modules":
            continue
        found.append("/".join([*parts[:end], "node_modules"]))
    return found


class TypeResolver:
    def __init__(
        self,
        read: Read,
        listdir: List,
        *,
        max_file: int = MAX_FILE_BYTES,
        max_total: int = MAX_TOTAL_BYTES,
        max_files: int = MAX_FILES,
    ) -> None:
        self._read, self._listdir = read, listdir
        self.max_file, self.max_total, self.max_files = max_file, max_total, max_files
        self.result = TypeSet()
        self._bytes: dict[str, bytes | None] = {}
        self._dirs: dict[str, set[str] | None] = {}
        self._manifests: dict[str, dict[str, Any]] = {}
        self._packages: dict[tuple[str, str, bool], str | None] = {}
        self._queue: deque[str] = deque()
        self.asked: set[tuple[str, str]] = set()  # (folder, specifier) tried for the project

    # ------------------------------------------------------------ entry points

    async def add_imports(self, specifiers: Iterable[str], importer_dir: str = "") -> None:
        """A project file's bare imports: resolve each package once, then what it reaches."""
        for spec in specifiers:
            parsed = ("node", "") if spec.startswith("node:") else package_of(spec)
            if parsed is None or (importer_dir, spec) in self.asked:
                continue
            self.asked.add((importer_dir, spec))
            name = parsed[0]
            got = await self._bare(spec, importer_dir, types_first=False)
            self._record(name, got)
        await self._drain()

    async def add_types(self, names: Iterable[str], base: str = "") -> None:
        """`compilerOptions.types` entries ("node", "vite/client"), as TypeScript resolves
        type reference directives: @types first, then the package itself."""
        for name in names:
            parsed = package_of(name)
            if parsed is None or (base, "#" + name) in self.asked:
                continue
            self.asked.add((base, "#" + name))
            self._record(parsed[0], await self._bare(name, base, types_first=True))
        await self._drain()

    def _record(self, name: str, loaded: str | None) -> None:
        if loaded is None:
            if name not in self.result.found:
                self.result.missing.add(name)
            return
        self.result.missing.discard(name)
        self.result.found.setdefault(name, posixpath.dirname(loaded))

    # ------------------------------------------------------------ resolution

    async def _bare(self, spec: str, base: str, types_first: bool) -> str | None:
        """The declaration file a bare specifier leads to from folder `base`, loaded."""
        if spec.startswith("node:"):
            return await self._bare("@types/node", base, types_first=False)
        parsed = package_of(spec)
        if parsed is None:
            return None
        name, subpath = parsed
        order = [types_package(name), name] if types_first else [name, types_package(name)]
        for folder in node_modules_dirs(base):
            for package in dict.fromkeys(order):
                if await self._exists(folder, package):
                    loaded = await self._from_package(f"{folder}/{package}", subpath, types_first)
                    if loaded is not None:
                        return loaded
        return None

    async def _exists(self, folder: str, package: str) -> bool:
        """Whether node_modules `folder` holds `package`, from (cached) folder listings."""
        names = await self._list(folder)
        if names is None:
            return False
        if "/" not in package:
            return package in names
        scope, base = package.split("/", 1)
        if scope not in names:
            return False
        scoped = await self._list(f"{folder}/{scope}")
        return scoped is not None and base in scoped

    async def _from_package(self, folder: str, subpath: str, types_first: bool) -> str | None:
        key = (folder, subpath, types_first)
        if key in self._packages:
            return self._packages[key]
        self._packages[key] = None  # a cycle through package.json finds nothing
        manifest = await self._manifest(folder)
        # Each `exports` branch (import, require) is a file TypeScript may pick depending
        # on the importing file: all are loaded. Otherwise the first that exists wins.
        every = export_targets(manifest.get("exports"), subpath) is not None
        loaded = None
        for entry in entry_points(manifest, subpath):
            for candidate in file_candidates(entry):
                path = inside_node_modules(f"{folder}/{candidate}")
                if path is not None and path.startswith(folder + "/") and await self._load(path):
                    loaded = loaded or path
                    break
            if loaded is not None and not every:
                break
        self._packages[key] = loaded
        return loaded

    async def _manifest(self, folder: str) -> dict[str, Any]:
        """The package's package.json (also given to TypeScript, which reads `exports`
        itself); {} when absent or not a JSON object."""
        if folder in self._manifests:
            return self._manifests[folder]
        path = f"{folder}/package.json"
        data = await self._fetch(path)
        manifest: Any = {}
        if data is not None:
            try:
                manifest = json.loads(data.decode("utf-8", errors="replace"))
            except ValueError:
                manifest = {}
            if isinstance(manifest, dict) and self._keep(path, data):
                self.result.files[path] = data.decode("utf-8", errors="replace")
        self._manifests[folder] = manifest if isinstance(manifest, dict) else {}
        return self._manifests[folder]

    async def _relative(self, spec: str, base: str) -> None:
        target = posixpath.join(base, spec)
        for candidate in file_candidates(target):
            path = inside_node_modules(candidate)
            if path is not None and await self._load(path):
                return

    # ------------------------------------------------------------ files

    async def _load(self, path: str) -> bool:
        """Read a declaration file into the set (once); False when it is not there or
        a cap refuses it."""
        if path in self.result.files:
            return True
        data = await self._fetch(path)
        if data is None or not self._keep(path, data):
            return False
        self.result.files[path] = data.decode("utf-8", errors="replace")
        self._queue.append(path)
        return True

    def _keep(self, path: str, data: bytes) -> bool:
        """Within the caps? When not, the notice says what was left out."""
        size = len(data)
        if size > self.max_file:
            self.result.notice = (
                f"{path} was left out of the editor's types: {size // 1024} KB is over "
                f"the {self.max_file // 1024} KB a file may have"
            )
            return False
        if self.result.total + size > self.max_total or len(self.result.files) >= self.max_files:
            self.result.notice = (
                f"The editor's types stopped at {self.result.total // (1024 * 1024)} MB and "
                f"{len(self.result.files)} files; some packages show no types"
            )
            return False
        self.result.total += size
        return True

    async def _fetch(self, path: str) -> bytes | None:
        if path not in self._bytes:
            try:
                self._bytes[path] = await self._read(path)
            except Exception:  # a read the runtime refused is a file that is not there
                self._bytes[path] = None
        return self._bytes[path]

    async def _list(self, folder: str) -> set[str] | None:
        if folder not in self._dirs:
            try:
                self._dirs[folder] = await self._listdir(folder)
            except Exception:
                self._dirs[folder] = None
        return self._dirs[folder]

    async def _drain(self) -> None:
        """Follow what the loaded declarations reference, breadth first; a pause for the
        page after each file."""
        while self._queue:
            path = self._queue.popleft()
            base = posixpath.dirname(path)
            found = needs(self.result.files[path])
            for ref in found.reference_paths:
                if is_relative(ref) or not ref.startswith("/"):
                    await self._relative(ref if is_relative(ref) else "./" + ref, base)
            for name in found.reference_types:
                await self._bare(name, base, types_first=True)
            for spec in found.specifiers:
                if is_relative(spec):
                    await self._relative(spec, base)
                else:
                    await self._bare(spec, base, types_first=False)
            await asyncio.sleep(0)
