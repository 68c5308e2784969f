"""Types in the editor from what is installed, and the compiler options from the
project's tsconfig files.

node_modules lives only in the runtime (on the sandbox's origin); the declaration files
the project's imports reach are read from there through the Runtime interface
(client/core/type_resolver.py decides which), and handed to Monaco's TypeScript worker as
text (client/ffi/monaco.py). They are kept for this project only: another project (a new
workbench) starts from none, and dispose() forgets them.

When: once the runtime is ready (a reload finds node_modules in the sandbox's cache);
again from scratch when an install changed node_modules (the runtime reports
node_modules/.package-lock.json, package-lock.json or package.json written); and, lazily,
for a package the first time a project file imports it. Until the first answer, and
while no imported package has types, the diagnostics that only say "not installed" are
held back and the status bar says once that npm install brings them
(client/core/type_notice.py).

The options: client/core/tsconfig_tree.py follows extends and references and picks the
config that governs the file on screen; they change when a file under another config
opens.
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import Callable
from typing import Any, Protocol

from client.core import type_notice
from client.core.dts_scan import package_of, specifiers
from client.core.editor_rules import EAGER_MODEL_BYTES, SCRIPT_SUFFIXES
from client.core.model import LocalFile
from client.core.runtime import (
    FileChange,
    RuntimeFs,
    RuntimeRefused,
    RuntimeState,
    Status,
    Unsubscribe,
)
from client.core.tasks import spawn
from client.core.tsconfig import CONFIG_FILES, TypeScriptEnums, base_options, convert
from client.core.tsconfig_tree import Config, governing, implicit_imports, project_configs
from client.core.type_resolver import TypeResolver
from client.ffi import dom
from client.ffi.monaco import Editor
from client.ui.ports import Notices, ProjectFiles

SETTLE_S = 0.3  # changes to imports or to node_modules gather this long before a load
# What an install writes that the runtime reports (node_modules/ itself is not watched,
# except its lockfile: client/core/fs_snapshot.py).
INSTALL_MARKERS = {"node_modules/.package-lock.json", "package-lock.json", "package.json"}


class RuntimeSide(Protocol):
    """What the types need of the runtime link (client/ui/runtime_link.py)."""

    on_ready: list[Callable[[], None]]

    @property
    def ready(self) -> bool: ...

    def on(self, event: str, listener: Callable[..., None]) -> Unsubscribe: ...

    @property
    def runtime(self) -> Any: ...


class TypesBench(ProjectFiles, Notices, Protocol):
    pass


class EditorTypes:
    def __init__(self, bench: TypesBench, editor: Editor, link: RuntimeSide | None) -> None:
        self.bench, self.editor, self.link = bench, editor, link
        self.enums = TypeScriptEnums(editor.typescript_enums())
        self._imports: dict[str, tuple[LocalFile, list[str]]] = {}  # file -> its bare imports
        self._configs: list[Config] = []
        self._config_key: tuple[Any, ...] | None = None
        self._runtime_texts: dict[str, str | None] = {}  # configs read from node_modules
        self._told_errors: set[str] = set()
        self._active: str | None = None
        self._resolver: TypeResolver | None = None
        self._applied = -1  # how many files Monaco was last given
        self._generation = 0
        self._fresh = True
        self._missing_told = False
        self._unwatch: Unsubscribe | None = None
        self._disposed = False
        # Until the first answer, "not installed" diagnostics are held back: the runtime
        # takes seconds to start, and a wall of squiggles in the meantime says nothing.
        editor.set_ignored_codes(list(type_notice.MISSING_TYPE_CODES))
        dom.set_state("types", "pending")
        self._unsubscribe: Unsubscribe | None = None
        if link is not None:
            link.on_ready.append(self._runtime_ready)
            self._unsubscribe = link.on("status", self._runtime_status)
            if link.ready:
                self._runtime_ready()

    # ------------------------------------------------------------ the project's side

    def refresh(self, files: dict[str, LocalFile]) -> None:
        """The model changed: configs again if one changed, imports of changed files."""
        self._apply_config(files)
        added = False
        for path in [p for p in self._imports if p not in files]:
            del self._imports[path]
        for path, local in files.items():
            seen = self._imports.get(path)
            if (seen is not None and seen[0] is local) or not self._scans(path, local):
                continue
            found = [s for s in specifiers(local.text) if package_of(s) or s.startswith("node:")]
            added |= seen is None or not set(found) <= set(seen[1])
            self._imports[path] = (local, found)
        if added:
            self._schedule(fresh=False)

    def _scans(self, path: str, local: LocalFile) -> bool:
        return (
            path.endswith(SCRIPT_SUFFIXES)
            and not local.binary
            and len(local.content) <= EAGER_MODEL_BYTES
            and not self.bench.rules.ignored(path)
        )

    def show(self, path: str | None) -> None:
        """A file is on screen: the options of the config that governs it."""
        self._active = path
        self._set_options()

    # ------------------------------------------------------------ compiler options

    def _apply_config(self, files: dict[str, LocalFile]) -> None:
        watched = {*CONFIG_FILES, *(p for c in self._configs for p in (*c.chain, *c.references))}
        key = (
            tuple((p, id(files.get(p))) for p in sorted(watched)),
            len(self._runtime_texts),
        )
        if key == self._config_key:
            return
        self._config_key = key

        def read(path: str) -> str | None:
            local = files.get(path)
            if local is not None and not local.binary:
                return local.text
            return self._runtime_texts.get(path)

        self._configs = project_configs(set(files), read)
        wanted = {w for c in self._configs for w in c.wanted} - set(self._runtime_texts)
        if wanted:
            spawn(self._fetch_configs(wanted), "read the tsconfig files the project extends")
        for config in self._configs:
            for error in config.errors:
                if error not in self._told_errors and not (wanted & set(config.wanted)):
                    self._told_errors.add(error)
                    self.bench.notify(error, "error")
        self._set_options()

    async def _fetch_configs(self, paths: set[str]) -> None:
        for path in sorted(paths):
            data = await self._read(path)
            self._runtime_texts[path] = None if data is None else data.decode("utf-8", "replace")
        if self._disposed:
            return
        self._config_key = None
        self._apply_config(self.bench.model.files)
        self._schedule(fresh=False)  # their `types` may name more declarations

    def _set_options(self) -> None:
        config = governing(self._configs, self._active)
        options = base_options(self.enums)
        if config is not None:
            options.update(convert(config.compiler, self.enums, config.chain[0]).options)
        self.editor.set_compiler_options(options)
        dom.set_state("tsconfig", config.path if config is not None else "")

    # ------------------------------------------------------------ the runtime's side

    def _runtime_ready(self) -> None:
        """A fresh engine (a boot, a restart): its node_modules, watched for installs."""
        if self._unwatch is not None:
            self._unwatch()
        self._unwatch = self.link.runtime.fs.watch(self._fs_changed) if self.link else None
        self._runtime_texts.clear()
        self._config_key = None
        self._apply_config(self.bench.model.files)
        self._schedule(fresh=True)

    def _runtime_status(self, status: Status) -> None:
        """No runtime here (or it broke): no node_modules to wait for, so every diagnostic
        shows again; what a missing module says is all there is to say."""
        if status.state in {RuntimeState.UNAVAILABLE, RuntimeState.FAILED}:
            self.editor.set_ignored_codes([])
            dom.set_state("types", "unavailable")

    def _fs_changed(self, changes: list[FileChange]) -> None:
        if any(change.event.path in INSTALL_MARKERS for change in changes):
            self._runtime_texts.clear()
            self._config_key = None
            self._schedule(fresh=True)

    def reload(self) -> None:
        """Read every declaration again ("Reload Types", and after an install)."""
        self._schedule(fresh=True)

    def _fs(self) -> RuntimeFs | None:
        link = self.link
        return link.runtime.fs if link is not None and link.ready else None

    async def _read(self, path: str) -> bytes | None:
        fs = self._fs()
        if fs is None:
            return None
        try:
            return await fs.read_file(path)
        except RuntimeRefused:
            return None

    async def _listdir(self, path: str) -> set[str] | None:
        fs = self._fs()
        if fs is None:
            return None
        try:
            return {entry.name for entry in await fs.readdir(path)}
        except RuntimeRefused:
            return None

    # ------------------------------------------------------------ loading

    def _schedule(self, fresh: bool) -> None:
        if self._fs() is None or self._disposed:
            return
        self._fresh |= fresh
        self._generation += 1
        spawn(self._load(self._generation), "load the editor's types")

    async def _load(self, generation: int) -> None:
        await asyncio.sleep(SETTLE_S)
        if generation != self._generation or self._disposed:
            return  # a later change asked again
        if self._fresh or self._resolver is None:
            self._resolver = TypeResolver(self._read, self._listdir)
            self._fresh, self._applied = False, -1
        resolver = self._resolver
        dom.set_state("types", "loading")
        paths = set(self.bench.model.files)
        wanted = implicit_imports(governing(self._configs, self._active) or _DEFAULT, paths)
        await resolver.add_imports(wanted)
        for path, (_, found) in list(self._imports.items()):
            await resolver.add_imports(found, posixpath.dirname(path))
        await resolver.add_types(sorted({t for c in self._configs for t in c.types}))
        if resolver is not self._resolver or self._disposed:
            return  # an install started over while this one read
        self._apply(resolver)

    def _apply(self, resolver: TypeResolver) -> None:
        result = resolver.result
        if len(result.files) != self._applied:
            self._applied = len(result.files)
            self.editor.set_declarations(result.files)
        imported = {p[0] for _, s in resolver.asked for p in [package_of(s.lstrip("#"))] if p}
        imported |= {"node" for _, s in resolver.asked if s.startswith("node:")}
        missing = type_notice.types_missing(imported, result.found)
        self.editor.set_ignored_codes(list(type_notice.MISSING_TYPE_CODES) if missing else [])
        if missing and not self._missing_told:
            self._missing_told = True
            self.bench.notify(type_notice.notice(imported))
        elif not missing:
            if self._missing_told:  # the notice said they were missing: say they came
                names = len(result.found)
                self.bench.notify(f"Types loaded from node_modules for {names} packages.")
            self._missing_told = False
            if result.notice:
                self.bench.notify(result.notice)
        dom.set_state("types", "missing" if missing else "ready")
        dom.set_state("types-files", str(len(result.files)))

    def dispose(self) -> None:
        """This project closes: its declarations leave the worker with it."""
        self._disposed = True
        if self._unwatch is not None:
            self._unwatch()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.link is not None and self._runtime_ready in self.link.on_ready:
            self.link.on_ready.remove(self._runtime_ready)
        self.editor.set_declarations({})
        self.editor.set_ignored_codes([])


# A project without a tsconfig gets base_options, whose jsx is react-jsx.
_DEFAULT = Config("", compiler={"jsx": "react-jsx"})
