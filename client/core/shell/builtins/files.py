"""File builtins: cat, mkdir, rm, mv, cp, touch, with coreutils' flags and messages (the
messages are part of the interface: people and scripts recognise them)."""

from __future__ import annotations

import errno
import os
import shutil
from typing import TYPE_CHECKING

from ..commands import Io
from ..options import Parsed
from .common import options, read_text, reason

if TYPE_CHECKING:
    from ..interpreter import Shell


def _missing(io: Io, name: str, what: str = "operand") -> int:
    return io.fail(f"{name}: missing {what}\nTry '{name} --help' for more information.")


def _inside(child: str, parent: str) -> bool:
    child, parent = os.path.realpath(child), os.path.realpath(parent)
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


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


async def mkdir(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, flags="pv", long={"parents": "p", "verbose": "v"})
    if isinstance(parsed, int):
        return parsed
    if not parsed.operands:
        return _missing(io, "mkdir")
    status = 0
    for name in parsed.operands:
        path = shell.resolve(name)
        try:
            if "p" in parsed:
                if os.path.exists(path) and not os.path.isdir(path):
                    raise FileExistsError(17, "File exists")
                os.makedirs(path, exist_ok=True)
            else:
                os.mkdir(path)
        except OSError as error:
            status = io.fail(f"mkdir: cannot create directory '{name}': {reason(error)}")
            continue
        if "v" in parsed:
            io.out(f"mkdir: created directory '{name}'\n")
    return status


async def rm(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(
        argv, io, flags="rRfvd", long={"recursive": "r", "force": "f", "verbose": "v", "dir": "d"}
    )
    if isinstance(parsed, int):
        return parsed
    force, recursive = "f" in parsed, "r" in parsed or "R" in parsed
    if not parsed.operands:
        return 0 if force else _missing(io, "rm")
    status = 0
    for name in parsed.operands:
        path = shell.resolve(name)
        if os.path.basename(name.rstrip("/")) in (".", ".."):
            status = io.fail(f"rm: refusing to remove '.' or '..' directory: skipping '{name}'")
            continue
        if not os.path.lexists(path):
            if not force:
                status = io.fail(f"rm: cannot remove '{name}': No such file or directory")
            continue
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                if recursive:
                    if os.path.realpath(path) == os.path.realpath(os.sep):
                        status = io.fail("rm: it is dangerous to operate recursively on '/'")
                        continue
                    shutil.rmtree(path)
                elif "d" in parsed:
                    os.rmdir(path)
                else:
                    status = io.fail(f"rm: cannot remove '{name}': Is a directory")
                    continue
            else:
                os.remove(path)
        except OSError as error:
            status = io.fail(f"rm: cannot remove '{name}': {reason(error)}")
            continue
        if "v" in parsed:
            io.out(f"removed '{name}'\n")
    return status


def _targets(
    argv: list[str], io: Io, shell: Shell, flags: str, long: dict[str, str]
) -> tuple[Parsed, list[tuple[str, str, str]]] | int:
    """mv's and cp's common start: options, then (source, target path, target as shown)."""
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
        base = os.path.basename(source.rstrip("/")) or source
        if into:
            pairs.append((source, os.path.join(dest_path, base), f"{dest.rstrip('/')}/{base}"))
        else:
            pairs.append((source, dest_path, dest))
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


async def mv(argv: list[str], io: Io, shell: Shell) -> int:
    start = _targets(argv, io, shell, "fniv", {"force": "f", "no-clobber": "n", "verbose": "v"})
    if isinstance(start, int):
        return start
    parsed, pairs = start
    status = 0
    for source, target, shown in pairs:
        path = shell.resolve(source)
        if not os.path.lexists(path):
            status = io.fail(f"mv: cannot stat '{source}': No such file or directory")
            continue
        if os.path.lexists(target) and os.path.samefile(path, target):
            status = io.fail(f"mv: '{source}' and '{shown}' are the same file")
            continue
        if os.path.isdir(path) and _inside(os.path.dirname(target) or ".", path):
            status = io.fail(f"mv: cannot move '{source}' to a subdirectory of itself, '{shown}'")
            continue
        if os.path.isdir(target) and not os.path.isdir(path):
            status = io.fail(f"mv: cannot overwrite directory '{shown}' with non-directory")
            continue
        if "n" in parsed and os.path.lexists(target):
            continue
        try:
            _rename(path, target)
        except OSError as error:
            status = io.fail(f"mv: cannot move '{source}' to '{shown}': {reason(error)}")
            continue
        if "v" in parsed:
            io.out(f"renamed '{source}' -> '{shown}'\n")
    return status


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
    recursive, keep = bool(flags & {"r", "R", "a"}), bool(flags & {"p", "a"})
    status = 0
    for source, target, shown in pairs:
        path = shell.resolve(source)
        if not os.path.exists(path):
            status = io.fail(f"cp: cannot stat '{source}': No such file or directory")
            continue
        if os.path.exists(target) and os.path.samefile(path, target):
            status = io.fail(f"cp: '{source}' and '{shown}' are the same file")
            continue
        if "n" in flags and os.path.exists(target):
            continue
        try:
            if os.path.isdir(path):
                if not recursive:
                    status = io.fail(f"cp: -r not specified; omitting directory '{source}'")
                    continue
                if _inside(os.path.dirname(target) or ".", path):
                    status = io.fail(
                        f"cp: cannot copy a directory, '{source}', into itself, '{shown}'"
                    )
                    continue
                if os.path.exists(target) and not os.path.isdir(target):
                    status = io.fail(
                        f"cp: cannot overwrite non-directory '{shown}' with directory '{source}'"
                    )
                    continue
                copy = shutil.copy2 if keep else shutil.copy
                shutil.copytree(path, target, copy_function=copy, dirs_exist_ok=True)
            else:
                if os.path.isdir(target):
                    status = io.fail(f"cp: cannot overwrite directory '{shown}' with non-directory")
                    continue
                (shutil.copy2 if keep else shutil.copy)(path, target)
        except OSError as error:
            status = io.fail(f"cp: cannot create regular file '{shown}': {reason(error)}")
            continue
        if "v" in flags:
            io.out(f"'{source}' -> '{shown}'\n")
    return status


async def touch(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, flags="cam", long={"no-create": "c"})
    if isinstance(parsed, int):
        return parsed
    if not parsed.operands:
        return _missing(io, "touch", "file operand")
    status = 0
    for name in parsed.operands:
        path = shell.resolve(name)
        try:
            if os.path.exists(path):
                os.utime(path)
            elif "c" not in parsed:
                open(path, "a").close()  # noqa: SIM115 (create, nothing to write)
        except OSError as error:
            status = io.fail(f"touch: cannot touch '{name}': {reason(error)}")
    return status


COMMANDS = {
    "cat": (cat, "print files or stdin (-n numbers the lines)"),
    "mkdir": (mkdir, "make folders (-p: parents too, no error if it exists)"),
    "rm": (rm, "remove files (-r folders too, -f ignore missing ones)"),
    "mv": (mv, "move or rename files and folders"),
    "cp": (cp, "copy files (-r folders too)"),
    "touch": (touch, "create empty files or update their time"),
}
