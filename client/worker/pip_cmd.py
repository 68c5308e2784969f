"""The `pip` command, over micropip (through host.Installer), speaking like pip.

    pip install NAME[==VERSION] ... [-r requirements.txt] [--no-deps] [--pre] [-q]
    pip install path/to/package-1.0-py3-none-any.whl
    pip uninstall NAME ... [-r requirements.txt] [-y]
    pip list [--format=freeze]      pip freeze      pip show NAME ...
    pip --version                   pip help

What gets installed, and why something cannot be, is the installer's business; this
module turns the command line into calls and the results into pip's lines (`Successfully
installed rich-15.0.0 ...`, `Requirement already satisfied: ...`). A package that cannot
be had is one `ERROR:` line and status 1, never a traceback. `-U` is accepted, but
micropip keeps an installed version that satisfies the request: pin one to change it.
`pip show` reads importlib.metadata, which sees every installed distribution.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from client.core.shell import Io, Shell

from .host import Host, Installer, InstallError

if TYPE_CHECKING:
    from packaging.requirements import Requirement
from .requirements import (
    RequirementsError,
    canonical,
    parse_requirement,
    read_requirements,
    requirement_name,
)

HELP = """\
Usage:
  pip <command> [options]

Commands:
  install                     Install packages.
  uninstall                   Uninstall packages.
  list                        List installed packages.
  freeze                      Output installed packages in requirements format.
  show                        Show information about installed packages.
  help                        Show help for commands.

Packages come from the IDE's wheelhouse, which works offline, then from PyPI when the
browser can reach it. Only pure-Python wheels can be installed.
"""
USAGES = {
    "install": "pip install [-r FILE] [--no-deps] [--pre] [-U] [-q] <requirement|file.whl> ...",
    "uninstall": "pip uninstall [-y] [-r FILE] <package> ...",
    "list": "pip list [--format=columns|freeze]",
    "freeze": "pip freeze",
    "show": "pip show <package> ...",
    "help": "pip help [command]",
}
# Options each command accepts: flag → name; those in VALUED take a value.
FLAGS = {
    "install": {
        "--no-deps": "no_deps",
        "--pre": "pre",
        "-U": "upgrade",
        "--upgrade": "upgrade",
        "-q": "quiet",
        "--quiet": "quiet",
    },
    "uninstall": {"-y": "yes", "--yes": "yes", "-q": "quiet", "--quiet": "quiet"},
    "list": {},
    "freeze": {},
    "show": {},
    "help": {},
}
VALUED = {"-r": "requirement", "--requirement": "requirement", "--format": "format"}
HIDDEN = {"pip", "setuptools", "wheel", "distribute"}  # pip freeze leaves these out


class UsageError(Exception):
    pass


@dataclass
class Args:
    command: str
    names: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    format: str = "columns"


def parse(command: str, argv: list[str]) -> Args:
    known = FLAGS[command]
    args = Args(command)
    items = iter(argv)
    for item in items:
        option, eq, value = item.partition("=") if item.startswith("--") else (item, "", "")
        if option in known and not eq:
            args.flags.add(known[option])
        elif option in VALUED and (command != "list") == (option != "--format"):
            if command not in ("install", "uninstall", "list"):
                raise UsageError(f"no such option: {option}")
            value = value if eq else next(items, "")
            if not value:
                raise UsageError(f"{option} option requires 1 argument")
            if option == "--format":
                if value not in ("columns", "freeze"):
                    raise UsageError(f"invalid --format: {value!r} (columns or freeze)")
                args.format = value
            else:
                args.files.append(value)
        elif item.startswith("-") and item != "-":
            raise UsageError(f"no such option: {item}")
        else:
            args.names.append(item)
    return args


class PipCommand:
    def __init__(self, host: Host) -> None:
        self.host = host

    async def __call__(self, argv: list[str], io: Io, shell: Shell) -> int:
        rest = argv[1:]
        if not rest or rest[0] in ("-h", "--help"):
            io.out(HELP)
            return 0
        if self.host.installer:
            await self.host.installer.ready()  # requirement strings need it too
        if rest[0] in ("-V", "--version"):
            version = self.host.installer.version() if self.host.installer else "absent"
            io.out(f"pip (micropip {version}) (python {_python()})\n")
            return 0
        command = rest[0]
        if command not in USAGES:
            return io.fail(f'ERROR: unknown command "{command}"')
        try:
            args = parse(command, rest[1:])
        except UsageError as error:
            io.err(f"\nUsage:\n  {USAGES[command]}\n\n{error}\n")
            return 2
        if command == "help":
            return self._help(args, io)
        if command == "show":
            return _show(args.names, io)
        installer = self.host.installer
        if installer is None:
            return io.fail("ERROR: no package installer in this runtime")
        try:
            for path in args.files:
                args.names += read_requirements(shell.resolve(path))
        except RequirementsError as error:
            return io.fail(f"ERROR: {error}")
        if command == "install":
            try:
                args.names = [_local_wheel(spec, shell) for spec in args.names]
            except FileNotFoundError as error:
                return io.fail(f"ERROR: {error}")
            return await _install(installer, args, io)
        if command == "uninstall":
            return await _uninstall(installer, args, io)
        return _list(installer, args.format if command == "list" else "freeze", io)

    def _help(self, args: Args, io: Io) -> int:
        if args.names and args.names[0] in USAGES:
            io.out(f"\nUsage:\n  {USAGES[args.names[0]]}\n")
            return 0
        if args.names:
            return io.fail(f'ERROR: unknown command "{args.names[0]}"')
        io.out(HELP)
        return 0


def _python() -> str:
    return ".".join(map(str, sys.version_info[:2]))


def _by_name(packages: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {canonical(name): (name, version) for name, version in packages.items()}


async def _install(installer: Installer, args: Args, io: Io) -> int:
    if not args.names:
        return io.fail(
            'ERROR: You must give at least one requirement to install (see "pip help install")'
        )
    say = (lambda _text: None) if "quiet" in args.flags else io.out
    before = _by_name(installer.installed())
    for spec in args.names:  # a local wheel is an absolute path by now (_local_wheel)
        say(f"Processing {spec}\n" if spec.startswith("/") else f"Collecting {spec}\n")
    if all(_satisfied(spec, before) for spec in args.names):
        # Nothing to do: skip micropip, which would still ask the index (~0.6 s).
        for spec in args.names:
            say(f"Requirement already satisfied: {spec} ({_installed(spec, before)[1]})\n")
        return 0
    try:
        await installer.install(
            args.names, deps="no_deps" not in args.flags, pre="pre" in args.flags
        )
    except InstallError as error:
        return io.fail(f"ERROR: {error}")
    importlib.invalidate_caches()  # so the next `import` finds the new files
    after = _by_name(installer.installed())
    changed = sorted(
        key for key, (_n, version) in after.items() if before.get(key, ("", None))[1] != version
    )
    for spec in args.names:
        key = canonical(requirement_name(spec) or spec)
        if key in after and key not in changed:
            name, version = after[key]
            say(f"Requirement already satisfied: {spec} ({version})\n")
    if changed:
        say("Installing collected packages: " + ", ".join(after[k][0] for k in changed) + "\n")
        say("Successfully installed " + " ".join("-".join(after[key]) for key in changed) + "\n")
    return 0


def _local_wheel(spec: str, shell: Shell) -> str:
    """`pip install dist/pkg-1.0-py3-none-any.whl`: a wheel file built or copied into the
    project, handed on as an absolute path (the installer knows how to read files)."""
    if not spec.endswith(".whl") or ":" in spec:  # a name, or a URL micropip fetches
        return spec
    path = os.path.normpath(shell.resolve(spec))
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{spec}: no such wheel file")
    return path


def _installed(spec: str, installed: dict[str, tuple[str, str]]) -> tuple[str, str]:
    return installed.get(canonical(requirement_name(spec) or spec), ("", ""))


def _satisfied(spec: str, installed: dict[str, tuple[str, str]]) -> bool:
    """Installed as asked: a bare name present, or `name==V` with V present. Anything
    else (ranges, extras, markers, URLs) goes to micropip to decide."""
    requirement = parse_requirement(spec)
    name, version = _installed(spec, installed)
    if requirement is None or not name:
        return False
    if requirement.extras or requirement.marker or requirement.url:
        return False
    pins = [(s.operator, s.version) for s in requirement.specifier]
    return pins in ([], [("==", version)])


async def _uninstall(installer: Installer, args: Args, io: Io) -> int:
    if not args.names:
        return io.fail(
            'ERROR: You must give at least one requirement to uninstall (see "pip help uninstall")'
        )
    installed = _by_name(installer.installed())
    status = 0
    for spec in args.names:
        found = installed.get(canonical(requirement_name(spec) or spec))
        if found is None:
            io.err(f"WARNING: Skipping {spec} as it is not installed.\n")
            continue
        name, version = found
        io.out(f"Found existing installation: {name} {version}\nUninstalling {name}-{version}:\n")
        if "yes" not in args.flags:
            io.out("Proceed (Y/n)? ")
            answer = await io.readline()
            if answer is None or answer.strip().lower() not in ("", "y", "yes"):
                io.out("\n" if answer is None else "")
                status = 1  # pip's status when the user says no
                continue
        installer.uninstall([name])
        io.out(f"  Successfully uninstalled {name}-{version}\n")
    importlib.invalidate_caches()
    return status


def _list(installer: Installer, form: str, io: Io) -> int:
    rows = sorted(installer.installed().items(), key=lambda item: canonical(item[0]))
    if form == "freeze":
        io.out(
            "".join(
                f"{name}=={version}\n" for name, version in rows if canonical(name) not in HIDDEN
            )
        )
        return 0
    table = [("Package", "Version"), *rows]
    width = [max(len(row[column]) for row in table) for column in (0, 1)]
    table.insert(1, ("-" * width[0], "-" * width[1]))
    io.out("".join(f"{name:<{width[0]}} {version}\n" for name, version in table))
    return 0


def _show(names: list[str], io: Io) -> int:
    if not names:
        return io.fail("ERROR: Please provide a package name or names.")
    missing, blocks = [], []
    for name in names:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        blocks.append(_describe(dist))
    if blocks:
        io.out("---\n".join(blocks))
    if missing:
        io.err(f"WARNING: Package(s) not found: {', '.join(missing)}\n")
        return 1
    return 0


def _first(meta: metadata.PackageMetadata, name: str) -> str | None:
    """The field's first value, as Message.get gives it (which the protocol lacks on 3.11)."""
    values = meta.get_all(name)
    return values[0] if values else None


def _describe(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    key = canonical(dist.name)
    required_by = sorted(
        other.name
        for other in metadata.distributions()
        if key in {canonical(n) for n in _requires(other)}
    )
    location = dist.locate_file("")
    fields = [
        ("Name", dist.name),
        ("Version", dist.version),
        ("Summary", _first(meta, "Summary")),
        ("Home-page", _first(meta, "Home-page")),
        ("Author", _first(meta, "Author")),
        ("Author-email", _first(meta, "Author-email")),
        ("License", _first(meta, "License")),
        ("Location", str(location)),
        ("Requires", ", ".join(_requires(dist))),
        ("Required-by", ", ".join(dict.fromkeys(required_by))),
    ]
    return "".join(f"{label}: {value or ''}\n" for label, value in fields)


def _requires(dist: metadata.Distribution) -> list[str]:
    """Names a distribution needs, leaving out those only an extra asks for."""
    names = []
    for spec in dist.requires or []:
        requirement = parse_requirement(spec)
        if requirement is None or _for_an_extra(requirement):
            continue
        if requirement.name not in names:
            names.append(requirement.name)
    return sorted(names, key=canonical)


def _for_an_extra(requirement: Requirement) -> bool:
    """Asked for only with an extra (`rich; extra == "cli"`). packaging writes a marker in
    one normal form, where a comparison with `extra` reads `extra == "..."`."""
    return requirement.marker is not None and "extra ==" in str(requirement.marker)
