"""Builtins that walk a folder tree: `find` (path, -name, -iname, -type, -maxdepth,
-mindepth) and `tree` (-a, -d, -L). Both visit names in sorted order, so output does not
depend on the file system's order, and neither follows symbolic links into folders."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..commands import Io
from .common import Family, builtin, options

if TYPE_CHECKING:
    from ..interpreter import Shell

COMMANDS: Family = {}

Test = Callable[[str, str], bool]  # (shown path, real path) -> keep?


def _walk(
    shown: str, path: str, depth: int, maxdepth: int | None
) -> Iterator[tuple[str, str, int]]:
    yield shown, path, depth
    if maxdepth is not None and depth >= maxdepth:
        return
    if not os.path.isdir(path) or os.path.islink(path):
        return
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return
    for name in names:
        child_shown = f"{shown.rstrip('/')}/{name}" if shown != "/" else f"/{name}"
        yield from _walk(child_shown, os.path.join(path, name), depth + 1, maxdepth)


def _glob_test(pattern: str, part: Callable[[str], str]) -> Test:
    """Keep what the glob matches in `part` of the shown path (its name, or all of it)."""
    return lambda shown, _path: fnmatch.fnmatchcase(part(shown), pattern)


def _kind_test(kind: str) -> Test:
    checks = {"f": os.path.isfile, "d": os.path.isdir, "l": os.path.islink}
    check = checks[kind]
    if kind == "l":
        return lambda _shown, path: check(path)
    return lambda _shown, path: check(path) and not os.path.islink(path)


@builtin(COMMANDS, "find", "find files: find [path] [-name P] [-type f|d] [-maxdepth N]")
async def find(argv: list[str], io: Io, shell: Shell) -> int:
    args = argv[1:]
    starts = []
    while args and not args[0].startswith("-"):
        starts.append(args.pop(0))
    tests: list[Test] = []
    maxdepth: int | None = None
    mindepth = 0
    while args:
        predicate = args.pop(0)
        if predicate == "-print":
            continue
        if predicate not in ("-name", "-iname", "-type", "-maxdepth", "-mindepth", "-path"):
            return io.fail(f"find: unknown predicate '{predicate}'")
        if not args:
            return io.fail(f"find: missing argument to '{predicate}'")
        value = args.pop(0)
        if predicate == "-name":
            tests.append(_glob_test(value, _base))
        elif predicate == "-iname":
            tests.append(_glob_test(value.lower(), lambda shown: _base(shown).lower()))
        elif predicate == "-path":
            tests.append(_glob_test(value, lambda shown: shown))
        elif predicate == "-type":
            if value not in ("f", "d", "l"):
                return io.fail(f"find: Unknown argument to -type: {value}")
            tests.append(_kind_test(value))
        else:
            if not value.isdigit():
                return io.fail(
                    f"find: Expected a positive decimal integer argument to {predicate}, "
                    f"but got '{value}'"
                )
            if predicate == "-maxdepth":
                maxdepth = int(value)
            else:
                mindepth = int(value)
    status = 0
    for start in starts or ["."]:
        path = shell.resolve(start)
        if not os.path.lexists(path):
            status = io.fail(f"find: '{start}': No such file or directory")
            continue
        for shown, real, depth in _walk(start, path, 0, maxdepth):
            if depth >= mindepth and all(test(shown, real) for test in tests):
                io.out(shown + "\n")
    return status


def _base(shown: str) -> str:
    return os.path.basename(shown.rstrip("/")) or shown


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@builtin(COMMANDS, "tree", "draw a folder as a tree (-a hidden too, -d folders only, -L depth)")
async def tree(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, 2, flags="ad", valued="L")
    if isinstance(parsed, int):
        return parsed
    level = parsed.values.get("L")
    if level is not None and (not level.isdigit() or int(level) < 1):
        return io.fail("tree: Invalid level, must be greater than 0.", 2)
    depth_limit = int(level) if level else None
    counts = {"dirs": 0, "files": 0}
    status = 0

    def branch(path: str, prefix: str, depth: int) -> None:
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return
        if "a" not in parsed:
            names = [name for name in names if not name.startswith(".")]
        if "d" in parsed:
            names = [n for n in names if os.path.isdir(os.path.join(path, n))]
        for index, name in enumerate(names):
            last = index == len(names) - 1
            child = os.path.join(path, name)
            io.out(f"{prefix}{'└── ' if last else '├── '}{name}\n")
            if os.path.isdir(child) and not os.path.islink(child):
                counts["dirs"] += 1
                if depth_limit is None or depth < depth_limit:
                    branch(child, prefix + ("    " if last else "│   "), depth + 1)
            else:
                counts["files"] += 1

    for start in parsed.operands or ["."]:
        path = shell.resolve(start)
        if not os.path.isdir(path):
            io.out(f"{start}  [error opening dir]\n")
            status = 2
            continue
        io.out(start + "\n")
        branch(path, "", 1)
    summary = _plural(counts["dirs"], "directory", "directories")
    if "d" not in parsed:
        summary += ", " + _plural(counts["files"], "file", "files")
    io.out(f"\n{summary}\n")
    return status
