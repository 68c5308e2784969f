"""File builtins: cat, mkdir, rm, mv, cp, touch, with coreutils' flags and messages (the
messages are part of the interface: people and scripts recognise them)."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from ..commands import Io
from ..options import Parsed
from .common import Family, builtin, options, read_text, reason

if TYPE_CHECKING:
    from ..interpreter import Shell

COMMANDS: Family = {}
_T = TypeVar("_T")


def _missing(io: Io, name: str, what: str = "operand") -> int:
    return io.fail(f"{name}: missing {what}\nTry '{name} --help' for more information.")


class _Refused(Exception):
    """coreutils' message for an operand it does not act on."""


def _each(io: Io, operands: Iterable[_T], act: Callable[[_T], str | None], verbose: bool) -> int:
    """coreutils' way with many operands: a refusal is printed and makes the exit status 1,
    and the next operand is still tried. `act` does one operand and returns what -v prints
    for it (None when it did nothing, as `rm -f` does for a missing file)."""
    status = 0
    for operand in operands:
        try:
            done = act(operand)
        except _Refused as refusal:
            status = io.fail(str(refusal))
            continue
        if verbose and done is not None:
            io.out(done + "\n")
    return status


def _attempt(failure: str, action: Callable[[], object]) -> None:
    """Run `action`; an OSError refuses the operand as `<failure>: <its reason>`."""
    try:
        action()
    except OSError as error:
        raise _Refused(f"{failure}: {reason(error)}") from None


def _inside(child: str, parent: str) -> bool:
    child, parent = os.path.realpath(child), os.path.realpath(parent)
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


@builtin(COMMANDS, "cat", "print files or stdin (-n numbers the lines)")
async def cat(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, flags="n", long={"number": "n"})
    if isinstance(parsed, int):
        return parsed
    status, number = 0, 1
    for name in parsed.operands or ["-"]:
        if name == "-":
            text = await io.read()
        else:
            path = shell.resolve(name)
            if os.path.isdir(path):
                status = io.fail(f"cat: {name}: Is a directory")
                continue
            try:
                text = read_text(path)
            except OSError as error:
                status = io.fail(f"cat: {name}: {reason(error)}")
                continue
        if "n" in parsed and text:
            lines = text.splitlines(keepends=True)
            text = "".join(f"{number + i:6d}\t{line}" for i, line in enumerate(lines))
            number += len(lines)
        io.out(text)
    return status


@builtin(COMMANDS, "mkdir", "make folders (-p: parents too, no error if it exists)")
async def mkdir(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, flags="pv", long={"parents": "p", "verbose": "v"})
    if isinstance(parsed, int):
        return parsed
    if not parsed.operands:
        return _missing(io, "mkdir")
    make = _make_parents if "p" in parsed else os.mkdir

    def one(name: str) -> str:
        _attempt(f"mkdir: cannot create directory '{name}'", lambda: make(shell.resolve(name)))
        return f"mkdir: created directory '{name}'"

    return _each(io, parsed.operands, one, "v" in parsed)


def _make_parents(path: str) -> None:
    """mkdir -p: the folder and any parents missing; a folder already there is no error,
    a file there is."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise FileExistsError(17, "File exists")
    os.makedirs(path, exist_ok=True)


@builtin(COMMANDS, "rm", "remove files (-r folders too, -f ignore missing ones)")
async def rm(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(
        argv, io, flags="rRfvd", long={"recursive": "r", "force": "f", "verbose": "v", "dir": "d"}
    )
    if isinstance(parsed, int):
        return parsed
    force, recursive = "f" in parsed, "r" in parsed or "R" in parsed
    if not parsed.operands:
        return 0 if force else _missing(io, "rm")

    def one(name: str) -> str | None:
        path = shell.resolve(name)
        if os.path.basename(name.rstrip("/")) in (".", ".."):
            raise _Refused(f"rm: refusing to remove '.' or '..' directory: skipping '{name}'")
        if not os.path.lexists(path):
            if force:
                return None
            raise _Refused(f"rm: cannot remove '{name}': No such file or directory")
        remove: Callable[[str], object] = os.remove
        if os.path.isdir(path) and not os.path.islink(path):
            if not recursive and "d" not in parsed:
                raise _Refused(f"rm: cannot remove '{name}': Is a directory")
            if recursive and os.path.realpath(path) == os.path.realpath(os.sep):
                raise _Refused("rm: it is dangerous to operate recursively on '/'")
            remove = shutil.rmtree if recursive else os.rmdir
        _attempt(f"rm: cannot remove '{name}'", lambda: remove(path))
        return f"removed '{name}'"

    return _each(io, parsed.operands, one, "v" in parsed)


class _Pair(NamedTuple):
    """One source of mv or cp and where it goes."""

    source: str  # as typed
    path: str  # the source resolved
    target: str  # the target resolved (inside the destination when that is a folder)
    shown: str  # the target as the messages name it

    def check(self, name: str, exists: Callable[[str], bool]) -> None:
        """The refusals mv and cp share: no such source, or a source that is its target.
        (`exists`: mv moves a dangling link, so it asks lexists; cp copies what a link
        points to.)"""
        if not exists(self.path):
            raise _Refused(f"{name}: cannot stat '{self.source}': No such file or directory")
        if exists(self.target) and os.path.samefile(self.path, self.target):
            raise _Refused(f"{name}: '{self.source}' and '{self.shown}' are the same file")


def _targets(
    argv: list[str], io: Io, shell: Shell, flags: str, long: dict[str, str]
) -> tuple[Parsed, list[_Pair]] | int:
    """mv's and cp's common start: options, then each source with its target."""
    name = argv[0]
    parsed = options(argv, io, flags=flags, long=long)
    if isinstance(parsed, int):
        return parsed
    operands = parsed.operands
    if not operands:
        return _missing(io, name, "file operand")
    if len(operands) == 1:
        return _missing(io, name, f"destination file operand after '{operands[0]}'")
    *sources, dest = operands
    dest_path = shell.resolve(dest)
    into = os.path.isdir(dest_path)
    if len(sources) > 1 and not into:
        return io.fail(f"{name}: target '{dest}' is not a directory")
    pairs = []
    for source in sources:
        path, base = shell.resolve(source), os.path.basename(source.rstrip("/")) or source
        if into:
            target = os.path.join(dest_path, base)
            pairs.append(_Pair(source, path, target, f"{dest.rstrip('/')}/{base}"))
        else:
            pairs.append(_Pair(source, path, dest_path, dest))
    return parsed, pairs


def _rename(path: str, target: str) -> None:
    """A rename; across mounts (EXDEV, say /tmp to the project) a copy and delete. Onto an
    existing folder only when it is empty, as rename(2) and GNU mv do."""
    try:
        os.replace(path, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.move(path, target)


@builtin(COMMANDS, "mv", "move or rename files and folders")
async def mv(argv: list[str], io: Io, shell: Shell) -> int:
    start = _targets(argv, io, shell, "fniv", {"force": "f", "no-clobber": "n", "verbose": "v"})
    if isinstance(start, int):
        return start
    parsed, pairs = start

    def one(pair: _Pair) -> str | None:
        pair.check("mv", os.path.lexists)
        source, path, target, shown = pair
        if os.path.isdir(path) and _inside(os.path.dirname(target) or ".", path):
            raise _Refused(f"mv: cannot move '{source}' to a subdirectory of itself, '{shown}'")
        if os.path.isdir(target) and not os.path.isdir(path):
            raise _Refused(f"mv: cannot overwrite directory '{shown}' with non-directory")
        if "n" in parsed and os.path.lexists(target):
            return None
        _attempt(f"mv: cannot move '{source}' to '{shown}'", lambda: _rename(path, target))
        return f"renamed '{source}' -> '{shown}'"

    return _each(io, pairs, one, "v" in parsed)


@builtin(COMMANDS, "cp", "copy files (-r folders too)")
async def cp(argv: list[str], io: Io, shell: Shell) -> int:
    start = _targets(
        argv,
        io,
        shell,
        "rRfnvpa",
        {"recursive": "r", "force": "f", "no-clobber": "n", "verbose": "v", "archive": "a"},
    )
    if isinstance(start, int):
        return start
    parsed, pairs = start
    flags = parsed.flags
    recursive = bool(flags & {"r", "R", "a"})
    copy_file = shutil.copy2 if flags & {"p", "a"} else shutil.copy

    def one(pair: _Pair) -> str | None:
        pair.check("cp", os.path.exists)
        source, path, target, shown = pair
        if "n" in flags and os.path.exists(target):
            return None
        copy: Callable[[], object]
        if os.path.isdir(path):
            if not recursive:
                raise _Refused(f"cp: -r not specified; omitting directory '{source}'")
            if _inside(os.path.dirname(target) or ".", path):
                raise _Refused(f"cp: cannot copy a directory, '{source}', into itself, '{shown}'")
            if os.path.exists(target) and not os.path.isdir(target):
                raise _Refused(
                    f"cp: cannot overwrite non-directory '{shown}' with directory '{source}'"
                )
            copy = partial(
                shutil.copytree, path, target, copy_function=copy_file, dirs_exist_ok=True
            )
        elif os.path.isdir(target):
            raise _Refused(f"cp: cannot overwrite directory '{shown}' with non-directory")
        else:
            copy = partial(copy_file, path, target)
        _attempt(f"cp: cannot create regular file '{shown}'", copy)
        return f"'{source}' -> '{shown}'"

    return _each(io, pairs, one, "v" in flags)


@builtin(COMMANDS, "touch", "create empty files or update their time")
async def touch(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, flags="cam", long={"no-create": "c"})
    if isinstance(parsed, int):
        return parsed
    if not parsed.operands:
        return _missing(io, "touch", "file operand")

    def one(name: str) -> None:
        _attempt(f"touch: cannot touch '{name}'", lambda: _touch(shell.resolve(name), parsed))

    return _each(io, parsed.operands, one, verbose=False)


def _touch(path: str, parsed: Parsed) -> None:
    if os.path.exists(path):
        os.utime(path)
    elif "c" not in parsed:
        open(path, "a").close()  # noqa: SIM115 (create, nothing to write)
