"""`ls`: -l -a -A -h -1 -R -d, combinable (`-la`). One name a line unless stdout is the
terminal and its width is known, then columns as GNU ls lays them out."""

from __future__ import annotations

import os
import stat
import time
from typing import TYPE_CHECKING

from ..columns import columns
from ..commands import Io
from ..options import Parsed
from .common import Family, builtin, options

if TYPE_CHECKING:
    from ..interpreter import Shell

COMMANDS: Family = {}

SIX_MONTHS = 183 * 24 * 3600
LONG = {"all": "a", "almost-all": "A", "human-readable": "h", "recursive": "R", "directory": "d"}


def human(size: int) -> str:
    """GNU's -h: 1023, 1.0K, 9.9K, 10K, 1.5M (rounded up, one decimal under 10)."""
    value = float(size)
    for unit in ("", "K", "M", "G", "T", "P"):
        if value < 1024 or unit == "P":
            if not unit:
                return str(size)
            if value < 10:
                tenths = -(-int(value * 10 * 1000) // 1000)  # ceil, ignoring float fuzz
                return f"{tenths // 10}.{tenths % 10}{unit}" if tenths < 100 else f"10{unit}"
            return f"{-(-int(value * 1000) // 1000)}{unit}"
        value /= 1024
    raise AssertionError("unreachable")


def when(mtime: float, now: float) -> str:
    """GNU's `Nov  5 14:02`, or `Nov  5  2024` for a time more than six months away (the
    day padded with a space; strftime's %e is not in every libc)."""
    stamp = time.localtime(mtime)
    day = f"{time.strftime('%b', stamp)} {stamp.tm_mday:2d}"
    if abs(now - mtime) < SIX_MONTHS:
        return f"{day} {stamp.tm_hour:02d}:{stamp.tm_min:02d}"
    return f"{day}  {stamp.tm_year}"


def long_lines(entries: list[tuple[str, os.stat_result | None]], readable: bool) -> list[str]:
    now = time.time()
    rows = []
    for name, info in entries:
        if info is None:  # vanished or unreadable between listing and stat
            rows.append(("?" * 10, "?", "?", name))
            continue
        size = human(info.st_size) if readable else str(info.st_size)
        rows.append((stat.filemode(info.st_mode), size, when(info.st_mtime, now), name))
    width = max((len(size) for _, size, _, _ in rows), default=0)
    return [f"{mode} {size.rjust(width)} {stamp} {name}" for mode, size, stamp, name in rows]


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _children(path: str, parsed: Parsed) -> list[str]:
    names = sorted(os.listdir(path))
    if "a" in parsed:
        return [".", "..", *names]
    if "A" in parsed:
        return names
    return [name for name in names if not name.startswith(".")]


def _show(io: Io, names: list[tuple[str, str]], parsed: Parsed) -> None:
    """names: (shown name, path to stat)."""
    if not names:
        return
    if "l" in parsed:
        entries = [(shown, _stat(path)) for shown, path in names]
        lines = long_lines(entries, "h" in parsed)
    elif io.columns and "1" not in parsed:
        lines = columns([shown for shown, _ in names], io.columns)
    else:
        lines = [shown for shown, _ in names]
    io.out("".join(line + "\n" for line in lines))


@builtin(COMMANDS, "ls", "list folders (-l long, -a all, -A almost all, -h sizes, -R, -1)")
async def ls(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, 2, flags="laAh1Rd", long=LONG)
    if isinstance(parsed, int):
        return parsed
    operands = parsed.operands or ["."]
    status = 0
    files: list[tuple[str, str]] = []
    folders: list[str] = []
    for name in operands:
        path = shell.resolve(name)
        if not os.path.lexists(path):
            status = io.fail(f"ls: cannot access '{name}': No such file or directory", 2)
        elif os.path.isdir(path) and "d" not in parsed:
            folders.append(name)
        else:
            files.append((name, path))
    _show(io, sorted(files), parsed)
    headers = len(operands) > 1 or "R" in parsed
    first = not files
    queue = sorted(folders)
    while queue:
        name = queue.pop(0)
        path = shell.resolve(name)
        if not first:
            io.out("\n")
        first = False
        if headers:
            io.out(f"{name}:\n")
        try:
            children = _children(path, parsed)
        except OSError as error:
            status = io.fail(f"ls: cannot open directory '{name}': {error.strerror}", 2)
            continue
        _show(io, [(child, os.path.join(path, child)) for child in children], parsed)
        if "R" in parsed:
            below = [
                os.path.join(name, child) if name != "." else f"./{child}"
                for child in children
                if child not in (".", "..")
                and os.path.isdir(os.path.join(path, child))
                and not os.path.islink(os.path.join(path, child))
            ]
            queue[:0] = below  # depth first, in name order, as GNU ls -R
    return status
