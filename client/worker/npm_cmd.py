"""The `npm` command in the runtime's terminal, speaking like npm 11:

    npm install | i | add [NAME[@RANGE|@TAG|@VERSION] ...] [-D|-O|-E] [--no-save] [--omit=dev]
    npm ci [--omit=dev]         exactly what package-lock.json says, node_modules afresh
    npm uninstall | rm NAME ... [--no-save]
    npm ls [NAME ...] [--all | --depth=N]
    npm --version | help

Packages come from the server's package mirror only (the IDE names it), and what was
installed once installs again offline (the sandbox keeps the tarballs). Install scripts
never run in the browser; packages built for a native platform are skipped. The work is
in npm_install.py; the resolving and the lockfile in client/core/npm. `npm run`, `npm
start`, `npm test` and `npx` need the JavaScript engine (not in this runtime yet): they
say so in one line.

A failure is `npm error ...` lines and status 1, never a traceback. Ctrl+C stops an
install between two packages (the next install finishes it)."""

from __future__ import annotations

import asyncio
import copy
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from client.core.npm import manifest as manifests
from client.core.npm.lockfile import LockfileError
from client.core.npm.ls import ls
from client.core.npm.manifest import ManifestError, SaveType
from client.core.npm.spec import Spec, SpecError, parse_arg, saved_spec
from client.core.npm.tree import RegistryError, Tree
from client.core.shell import Io, Shell

from .npm_install import (
    LOCK,
    NpmError,
    ProjectInstall,
    Summary,
    Tarballs,
    installed_tree,
    read_json,
    summary_line,
    write_text,
)
from .npm_progress import Progress, megabytes
from .npm_unpack import UnpackError, remove

VERSION = "11.6.2-cospai"  # the npm whose behaviour this follows, marked as ours
HELP = """\
npm <command>

Usage:

npm install        install all the dependencies in your project
npm install <foo>  add the <foo> dependency to your project
npm ci             install exactly what package-lock.json lists, from scratch
npm uninstall <foo> remove the <foo> dependency
npm ls             list installed packages

All commands:

    add, ci, i, install, list, ls, remove, rm, uninstall

Options: -D (--save-dev), -O (--save-optional), -E (--save-exact), --no-save,
--omit=dev|optional|peer, --production, --all, --depth=N, --timing (time per phase)

Packages come from the IDE's package mirror and are kept in this browser, so what was
installed once installs again offline. node_modules stays in the runtime: it never
syncs. Install scripts do not run in the browser; packages built for a native platform
(esbuild's, rollup's binaries) are skipped.
"""
COMMANDS = {
    **dict.fromkeys(("install", "i", "in", "ins", "inst", "add", "isntall"), "install"),
    **dict.fromkeys(("ci", "clean-install", "ic", "install-clean"), "ci"),
    **dict.fromkeys(("uninstall", "un", "unlink", "remove", "rm", "r"), "uninstall"),
    **dict.fromkeys(("ls", "list", "la", "ll"), "ls"),
    **dict.fromkeys(("help", "-h", "--help", "-help"), "help"),
    **dict.fromkeys(("-v", "--version", "version"), "version"),
}
NEEDS_ENGINE = {"run", "run-script", "start", "test", "t", "exec", "x", "restart", "stop"}
SAVE_TYPES: dict[str, SaveType] = {
    "-D": "dev",
    "--save-dev": "dev",
    "-O": "optional",
    "--save-optional": "optional",
    "-P": "prod",
    "--save-prod": "prod",
    "--save-peer": "peer",
}
ACCEPTED = {  # flags npm knows that change nothing here
    "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--offline",
    "--prefer-online", "--no-progress", "--no-package-lock", "-S", "--save", "--foreground-scripts",
    "--no-update-notifier",
}  # fmt: skip
QUIET = {"-q", "--quiet", "-s", "--silent"}
_busy: dict[str, asyncio.Lock] = {}  # prefix -> one npm at a time there (two terminals)


class Usage(Exception):
    pass


@dataclass
class Args:
    command: str
    names: list[str] = field(default_factory=list)
    save_type: SaveType | None = None  # None: where it is listed already, else dependencies
    exact: bool = False
    save: bool = True
    omit: set[str] = field(default_factory=set)
    quiet: bool = False
    depth: int | None = None
    all: bool = False
    timing: bool = False


def parse(command: str, argv: list[str]) -> Args:
    args = Args(command)
    for item in argv:
        option, eq, value = item.partition("=")
        if item in SAVE_TYPES:
            args.save_type = SAVE_TYPES[item]
        elif item in ("-E", "--save-exact"):
            args.exact = True
        elif item == "--no-save" or item == "--save=false":
            args.save = False
        elif option == "--omit" and eq and value in ("dev", "optional", "peer"):
            args.omit.add(value)
        elif item == "--production" or item == "--omit-dev":
            args.omit.add("dev")
        elif item in QUIET or option == "--loglevel":
            args.quiet = args.quiet or item in QUIET or value in ("silent", "error")
        elif item in ("-a", "--all"):
            args.all = True
        elif item == "--timing":
            args.timing = True
        elif option == "--depth" and eq and value.isdigit():
            args.depth = int(value)
        elif item in ("-g", "--global", "--location=global"):
            raise Usage(
                "global installs are not available in the browser: install into the project"
            )
        elif item in ACCEPTED:
            continue
        elif item.startswith("-") and item != "-":
            raise Usage(f"unknown option: {item}")
        else:
            args.names.append(item)
    return args


def prefix_of(cwd: str, stop: str = "/") -> str:
    """The project folder npm works in: the nearest folder from `cwd` up holding a
    package.json (npm's prefix), else `cwd` itself."""
    folder = os.path.abspath(cwd)
    while True:
        if os.path.isfile(os.path.join(folder, "package.json")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder or folder == stop:
            return os.path.abspath(cwd)
        folder = parent


def busy(prefix: str) -> asyncio.Lock:
    """The lock an npm command (or a restore) holds while it works in `prefix`."""
    return _busy.setdefault(prefix, asyncio.Lock())


MakeRegistry = Callable[[], "Tarballs | None"]


class NpmCommand:
    def __init__(
        self, make_registry: MakeRegistry, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """`make_registry()`: a fresh registry view for one command (None: no mirror)."""
        self.make_registry = make_registry
        self.clock = clock

    async def __call__(self, argv: list[str], io: Io, shell: Shell) -> int:
        rest = argv[1:]
        if not rest:
            io.out(HELP)
            return 1
        word = rest[0]
        if word in NEEDS_ENGINE:
            return io.fail(
                f"npm error npm {word} needs the JavaScript engine to run package scripts; "
                "this runtime runs Python (the shell, python and pip) and installs npm "
                "packages, but cannot run them yet\n"
            )
        command = COMMANDS.get(word)
        if command is None:
            return io.fail(
                f'npm error Unknown command: "{word}"\n\n'
                "To see a list of supported npm commands, run:\n  npm help\n"
            )
        if command == "help":
            io.out(HELP)
            return 0
        if command == "version":
            io.out(VERSION + "\n")
            return 0
        try:
            args = parse(command, rest[1:])
        except Usage as error:
            return io.fail(f"npm error {error}\n")
        prefix = prefix_of(shell.cwd)
        lock = busy(prefix)
        if lock.locked():
            io.err(f"npm: waiting for the other npm working in {prefix}\n")
        async with lock:
            try:
                return await self._run(args, prefix, io)
            except (
                NpmError,
                RegistryError,
                UnpackError,
                SpecError,
                ManifestError,
                LockfileError,
            ) as error:
                io.err("\r\x1b[2K")
                return io.fail(f"npm error {error}\n")

    async def _run(self, args: Args, prefix: str, io: Io) -> int:
        if args.command == "ls":
            return self._ls(args, prefix, io)
        registry = self.make_registry()
        if registry is None:
            raise NpmError("no package registry: this IDE's server names no package mirror")
        progress = Progress(io.err) if not args.quiet else Progress(lambda _text: None)
        work = ProjectInstall(prefix, registry, progress)
        started = self.clock()
        if args.command == "ci":
            summary = await self._ci(work, args)
        elif args.command == "uninstall":
            summary = await self._uninstall(work, args)
        else:
            summary = await self._install(work, args)
        if not args.quiet:
            _report(summary, io)
            io.out(summary_line(summary, self.clock() - started) + "\n")
            if summary.bytes:
                io.out(f"fetched {megabytes(summary.bytes)} of packages\n")
        if args.timing:
            spent = ", ".join(f"{k} {round(v * 1000)}ms" for k, v in work.timings.items())
            parsing = round(getattr(registry, "parse_seconds", 0.0) * 1000)
            io.out(
                f"timing: {spent} (resolve includes {parsing}ms decoding packuments; fetch: "
                "waiting for tarballs beyond unpacking)\n"
            )
        return 0

    def _root(self, prefix: str, create: bool) -> dict[str, Any]:
        root = read_json(os.path.join(prefix, "package.json"))
        if root is None:
            if not create:
                raise NpmError(
                    f"code ENOENT: could not read package.json in {prefix}: no such file"
                )
            return {}
        return root

    async def _install(self, work: ProjectInstall, args: Args) -> Summary:
        specs = [parse_arg(name) for name in args.names]
        root = self._root(work.prefix, create=bool(specs))
        wanted = copy.deepcopy(root)
        for spec in specs:
            manifests.add_dependency(wanted, spec.name, _as_dependency(spec), args.save_type)
        ideal = await work.resolve(wanted, work.locked(root), update=[s.name for s in specs])
        if specs:
            saved = copy.deepcopy(root)
            for spec in specs:
                node = ideal.nodes.get(f"node_modules/{spec.name}")
                value = (
                    saved_spec(spec, node.version, exact=args.exact)
                    if node
                    else _as_dependency(spec)
                )
                manifests.add_dependency(saved, spec.name, value, args.save_type)
            if args.save:
                ideal.root = saved
                write_text(os.path.join(work.prefix, "package.json"), manifests.dumps(saved))
        summary = await work.reify(work.installed(root), ideal, args.omit)
        if args.save:
            work.write_lock(ideal)
        return summary

    async def _ci(self, work: ProjectInstall, args: Args) -> Summary:
        from client.core.npm import lockfile

        root = self._root(work.prefix, create=False)
        doc = read_json(os.path.join(work.prefix, LOCK))
        if doc is None:
            raise NpmError(
                "code EUSAGE: The `npm ci` command can only install with an existing "
                "package-lock.json or npm-shrinkwrap.json with lockfileVersion >= 1. Run "
                "an install with npm@5 or later to generate a package-lock.json file, then "
                "try again."
            )
        problems = lockfile.ci_problems(doc, root)
        if problems:
            raise NpmError(
                "code EUSAGE: `npm ci` can only install packages when your package.json "
                "and package-lock.json are in sync. Please update your lock file with "
                "`npm install` before continuing.\n" + "\n".join(f"npm error {p}" for p in problems)
            )
        tree = lockfile.tree_from_lock(doc, root)
        remove(os.path.join(work.prefix, "node_modules"))  # npm ci starts afresh
        return await work.reify(None, tree, args.omit)

    async def _uninstall(self, work: ProjectInstall, args: Args) -> Summary:
        root = self._root(work.prefix, create=False)
        wanted = copy.deepcopy(root)
        for name in args.names:
            manifests.remove_dependency(wanted, parse_arg(name).name)
        ideal = await work.resolve(wanted, work.locked(root))
        summary = await work.reify(work.installed(root), ideal, args.omit)
        if args.save:
            write_text(os.path.join(work.prefix, "package.json"), manifests.dumps(wanted))
            work.write_lock(ideal)
        return summary

    def _ls(self, args: Args, prefix: str, io: Io) -> int:
        root = self._root(prefix, create=False)
        installed = installed_tree(prefix, root)
        result = ls(
            installed or Tree(root=root, nodes={}),
            depth=args.depth or 0,
            all=args.all,
            root_path=prefix,
        )
        io.out(result.text)
        for problem in result.problems:
            io.err(f"npm error {problem}\n")
        return 1 if result.failed else 0


def _as_dependency(spec: Spec) -> str:
    """The spec as package.json spells it, for resolving (`npm:real@range` for an alias)."""
    return f"npm:{spec.alias_of}@{spec.value}" if spec.alias_of else spec.value


def _report(summary: Summary, io: Io) -> None:
    for label, message in summary.deprecated:
        io.err(f"npm warn deprecated {label}: {message}\n")
    if summary.scripts:
        io.err(
            "npm warn install scripts do not run in the browser; skipped for "
            + ", ".join(summary.scripts)
            + "\n"
        )
    if summary.skipped:
        shown = ", ".join(summary.skipped[:4]) + (
            f" and {len(summary.skipped) - 4} more" if len(summary.skipped) > 4 else ""
        )
        io.out(
            f"skipped {len(summary.skipped)} optional package"
            f"{'s' if len(summary.skipped) != 1 else ''} built for a native platform: {shown}\n"
        )
