"""Text builtins: head, tail, wc, sort and uniq. (grep has its own module.)"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from ..commands import Io
from ..options import Parsed
from .common import Family, builtin, options, read_text, reason

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from ..interpreter import Shell

COMMANDS: Family = {}

# Each command's long options, by the short flag they stand for.
_HEAD_TAIL_OPTIONS = {"lines": "n", "bytes": "c", "quiet": "q", "silent": "q", "verbose": "v"}
_WC_OPTIONS = {"lines": "l", "words": "w", "bytes": "c", "chars": "m"}
_SORT_OPTIONS = {"reverse": "r", "numeric-sort": "n", "unique": "u", "ignore-case": "f"}
_UNIQ_OPTIONS = {"count": "c", "repeated": "d", "unique": "u", "ignore-case": "i"}


async def read_source(name: str, io: Io, shell: Shell) -> str:
    """A file operand's text, or stdin for `-`; raises OSError (IsADirectoryError for a
    folder, which open() does not raise everywhere)."""
    if name == "-":
        return await io.read()
    path = shell.resolve(name)
    if os.path.isdir(path):
        raise IsADirectoryError(21, "Is a directory")
    return read_text(path)


class _Inputs:
    """A text command's operands (stdin for none), read in turn. One that cannot be read
    is reported in the command's words (`failed(operand, reason)`) and skipped, and the
    command's exit status becomes 1: coreutils go on to the next file."""

    def __init__(
        self, operands: list[str], io: Io, shell: Shell, failed: Callable[[str, str], str]
    ) -> None:
        self.sources = operands or ["-"]
        self.io, self.shell, self.failed = io, shell, failed
        self.status = 0

    async def __aiter__(self) -> AsyncIterator[tuple[str, str]]:
        for source in self.sources:
            try:
                text = await read_source(source, self.io, self.shell)
            except OSError as error:
                self.status = self.io.fail(self.failed(source, reason(error)))
                continue
            yield source, text


async def _head_tail(argv: list[str], io: Io, shell: Shell, tail: bool) -> int:
    name = argv[0]
    parsed = options(argv, io, flags="qv", valued="nc", numeric="n", long=_HEAD_TAIL_OPTIONS)
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
    inputs = _Inputs(
        parsed.operands,
        io,
        shell,
        lambda source, why: f"{name}: cannot open '{source}' for reading: {why}",
    )
    headers = ("v" in parsed or len(inputs.sources) > 1) and "q" not in parsed
    first = True
    async for source, text in inputs:
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
    return inputs.status


@builtin(COMMANDS, "head", "first lines of files or stdin (-n N, -N, -c N)")
async def head(argv: list[str], io: Io, shell: Shell) -> int:
    return await _head_tail(argv, io, shell, tail=False)


@builtin(COMMANDS, "tail", "last lines of files or stdin (-n N, -N, -n +N from line N)")
async def tail(argv: list[str], io: Io, shell: Shell) -> int:
    return await _head_tail(argv, io, shell, tail=True)


@builtin(COMMANDS, "wc", "count lines, words and bytes (-l, -w, -c, -m)")
async def wc(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, flags="lwcm", long=_WC_OPTIONS)
    if isinstance(parsed, int):
        return parsed
    wanted = [flag for flag in "lwmc" if flag in parsed] or ["l", "w", "c"]
    inputs = _Inputs(parsed.operands, io, shell, lambda source, why: f"wc: {source}: {why}")
    rows: list[tuple[list[int], str | None]] = []
    async for source, text in inputs:
        counts = {
            "l": text.count("\n"),
            "w": len(text.split()),
            "m": len(text),
            "c": len(text.encode("utf-8", "surrogateescape")),
        }
        rows.append(([counts[flag] for flag in wanted], None if source == "-" else source))
    if len(inputs.sources) > 1:
        totals = [sum(row[0][i] for row in rows) for i in range(len(wanted))]
        rows.append((totals, "total"))
    if len(wanted) == 1 and len(rows) == 1:
        width = 1  # `wc -l file`: just the number, as GNU prints it
    else:
        width = max((len(str(n)) for numbers, _ in rows for n in numbers), default=1)
        if "-" in inputs.sources:
            width = max(width, 7)
    for numbers, label in rows:
        line = " ".join(str(n).rjust(width) for n in numbers)
        io.out(line + (f" {label}" if label else "") + "\n")
    return inputs.status


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)")


def _numeric_key(line: str) -> float:
    """sort -n: the number the line starts with; a line without one counts as 0."""
    match = _NUMBER.match(line)
    return float(match.group()) if match else 0.0


async def _read_lines(
    argv: list[str],
    io: Io,
    shell: Shell,
    flags: str,
    long: dict[str, str],
    *,
    fold: str,
    status: int = 1,
    first_only: bool = False,
) -> tuple[Parsed, list[str], Callable[[str], str]] | int:
    """sort's and uniq's start: their options; their input as lines (uniq's only from its
    first operand, the INPUT of `uniq [INPUT [OUTPUT]]`); and the key two lines compare by,
    lower-cased under the flag `fold`. An int is the exit status after a usage or read
    error (`status`: sort's errors exit 2)."""
    parsed = options(argv, io, status, flags=flags, long=long)
    if isinstance(parsed, int):
        return parsed
    chunks = []
    for source in (parsed.operands[:1] if first_only else parsed.operands) or ["-"]:
        try:
            chunks.append(await read_source(source, io, shell))
        except OSError as error:
            return io.fail(f"{argv[0]}: {source}: {reason(error)}", status)
    lines = "".join(
        chunk if chunk.endswith("\n") or not chunk else chunk + "\n" for chunk in chunks
    ).splitlines()
    key: Callable[[str], str] = (lambda s: s.lower()) if fold in parsed else (lambda s: s)
    return parsed, lines, key


@builtin(COMMANDS, "sort", "sort lines (-r reverse, -n numbers, -u unique, -f ignore case)")
async def sort(argv: list[str], io: Io, shell: Shell) -> int:
    start = await _read_lines(argv, io, shell, "rnuf", _SORT_OPTIONS, fold="f", status=2)
    if isinstance(start, int):
        return start
    parsed, lines, fold = start
    if "n" in parsed:
        lines.sort(key=lambda s: (_numeric_key(s), s))
    else:
        lines.sort(key=lambda s: (fold(s), s))
    if "r" in parsed:
        lines.reverse()
    if "u" in parsed:
        seen: set[object] = set()
        unique = []
        for line in lines:
            key = _numeric_key(line) if "n" in parsed else fold(line)
            if key not in seen:
                seen.add(key)
                unique.append(line)
        lines = unique
    io.out("".join(line + "\n" for line in lines))
    return 0


@builtin(COMMANDS, "uniq", "drop repeated neighbouring lines (-c counts, -d repeated, -u unique)")
async def uniq(argv: list[str], io: Io, shell: Shell) -> int:
    start = await _read_lines(argv, io, shell, "cdui", _UNIQ_OPTIONS, fold="i", first_only=True)
    if isinstance(start, int):
        return start
    parsed, lines, key = start
    groups: list[list[str]] = []
    for line in lines:  # only neighbours count as repeats, as in every uniq
        if groups and key(groups[-1][0]) == key(line):
            groups[-1].append(line)
        else:
            groups.append([line])
    for group in groups:
        if ("d" in parsed and len(group) < 2) or ("u" in parsed and len(group) > 1):
            continue
        io.out(f"{len(group):7d} {group[0]}\n" if "c" in parsed else f"{group[0]}\n")
    return 0
