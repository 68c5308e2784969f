"""Text builtins: head, tail and wc. (grep has its own module.)"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..commands import Io
from .common import options, read_text, reason

if TYPE_CHECKING:
    from ..interpreter import Shell


async def read_source(name: str, io: Io, shell: Shell) -> str:
    """A file operand's text, or stdin for `-`; raises OSError (IsADirectoryError for a
    folder, which open() does not raise everywhere)."""
    if name == "-":
        return await io.read()
    path = shell.resolve(name)
    if os.path.isdir(path):
        raise IsADirectoryError(21, "Is a directory")
    return read_text(path)


async def _head_tail(argv: list[str], io: Io, shell: Shell, tail: bool) -> int:
    name = argv[0]
    parsed = options(argv, io, flags="qv", valued="nc", numeric="n",
                     long={"lines": "n", "bytes": "c", "quiet": "q", "silent": "q",
                           "verbose": "v"})  # fmt: skip
    if isinstance(parsed, int):
        return parsed
    by_bytes = "c" in parsed.values
    raw = parsed.values.get("c" if by_bytes else "n", "10")
    from_start = tail and raw.startswith("+")
    try:
        count = int(raw)
    except ValueError:
        what = "bytes" if by_bytes else "lines"
        return io.fail(f"{name}: invalid number of {what}: '{raw}'")
    sources = parsed.operands or ["-"]
    headers = ("v" in parsed or len(sources) > 1) and "q" not in parsed
    status, first = 0, True
    for source in sources:
        try:
            text = await read_source(source, io, shell)
        except OSError as error:
            status = io.fail(f"{name}: cannot open '{source}' for reading: {reason(error)}")
            continue
        if headers:
            shown = "standard input" if source == "-" else source
            io.out(("" if first else "\n") + f"==> {shown} <==\n")
        first = False
        units: list[str] | str = text if by_bytes else text.splitlines(keepends=True)
        if from_start:
            part = units[max(count - 1, 0) :]
        elif tail:
            part = units[-abs(count) :] if count else units[:0]
        else:
            part = units[:count]  # a negative count: all but the last N, as GNU head
        io.out("".join(part))
    return status


async def head(argv: list[str], io: Io, shell: Shell) -> int:
    return await _head_tail(argv, io, shell, tail=False)


async def tail(argv: list[str], io: Io, shell: Shell) -> int:
    return await _head_tail(argv, io, shell, tail=True)


async def wc(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, flags="lwcm",
                     long={"lines": "l", "words": "w", "bytes": "c", "chars": "m"})  # fmt: skip
    if isinstance(parsed, int):
        return parsed
    wanted = [flag for flag in "lwmc" if flag in parsed] or ["l", "w", "c"]
    sources = parsed.operands or ["-"]
    rows: list[tuple[list[int], str | None]] = []
    status = 0
    for source in sources:
        try:
            text = await read_source(source, io, shell)
        except OSError as error:
            status = io.fail(f"wc: {source}: {reason(error)}")
            continue
        counts = {
            "l": text.count("\n"),
            "w": len(text.split()),
            "m": len(text),
            "c": len(text.encode("utf-8", "surrogateescape")),
        }
        rows.append(([counts[flag] for flag in wanted], None if source == "-" else source))
    if len(sources) > 1:
        totals = [sum(row[0][i] for row in rows) for i in range(len(wanted))]
        rows.append((totals, "total"))
    if len(wanted) == 1 and len(rows) == 1:
        width = 1  # `wc -l file`: just the number, as GNU prints it
    else:
        width = max((len(str(n)) for numbers, _ in rows for n in numbers), default=1)
        if "-" in sources:
            width = max(width, 7)
    for numbers, label in rows:
        line = " ".join(str(n).rjust(width) for n in numbers)
        io.out(line + (f" {label}" if label else "") + "\n")
    return status


COMMANDS = {
    "head": (head, "first lines of files or stdin (-n N, -N, -c N)"),
    "tail": (tail, "last lines of files or stdin (-n N, -N, -n +N from line N)"),
    "wc": (wc, "count lines, words and bytes (-l, -w, -c, -m)"),
}
