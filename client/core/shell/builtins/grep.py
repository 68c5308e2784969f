"""`grep` with -r -n -i -v -l -c -E -F -w -o -q -s -h -H and `-e PATTERN`.

Patterns are Python regular expressions. Without -E they are read as POSIX basic ones
first (`\\(`, `\\|`, `\\+` are the operators and a bare `(` is a character), because people
type `grep "foo(" src` and expect it to find calls. Exit status as GNU: 0 something
matched, 1 nothing did, 2 an error (even when something matched, unless -q matched).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..commands import Io
from .common import Family, builtin, options, read_text, reason

if TYPE_CHECKING:
    from ..interpreter import Shell

COMMANDS: Family = {}

_BRE_OPERATORS = "(){}|+?"
LONG = {
    "recursive": "r",
    "line-number": "n",
    "ignore-case": "i",
    "invert-match": "v",
    "files-with-matches": "l",
    "count": "c",
    "extended-regexp": "E",
    "fixed-strings": "F",
    "word-regexp": "w",
    "only-matching": "o",
    "quiet": "q",
    "silent": "q",
    "no-messages": "s",
    "regexp": "e",
    "with-filename": "H",
    "no-filename": "h",
}


def basic_to_python(pattern: str) -> str:
    """POSIX basic regular expression → Python: swap the meaning of escaped and bare
    operators; bracket expressions and other escapes (\\w, \\b, \\.) pass through."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(nxt if nxt in _BRE_OPERATORS else c + nxt)
            i += 2
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("]", "^") else i + 1)
            end = len(pattern) - 1 if end < 0 else end
            out.append(pattern[i : end + 1])
            i = end + 1
        elif c in _BRE_OPERATORS or (c == "*" and not out):
            out.append("\\" + c)  # a leading `*` is a literal star in a BRE
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def compile_pattern(pattern: str, flags: set[str]) -> re.Pattern[str]:
    if "F" in flags:
        source = re.escape(pattern)
    elif "E" in flags:
        source = pattern
    else:
        source = basic_to_python(pattern)
    if "w" in flags:
        source = rf"(?<!\w)(?:{source})(?!\w)"
    return re.compile(source, re.IGNORECASE if "i" in flags else 0)


def _files(root: str, shown: str) -> Iterator[tuple[str, str]]:
    """Every file under a folder, sorted, as (shown name, path)."""
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        label = f"{shown.rstrip('/')}/{name}" if shown else name
        if os.path.isdir(path) and not os.path.islink(path):
            yield from _files(path, label)
        elif os.path.isfile(path):
            yield label, path


@builtin(COMMANDS, "grep", "search files for a pattern (-r -n -i -v -l -c -E -F -w -o -q)")
async def grep(argv: list[str], io: Io, shell: Shell) -> int:
    parsed = options(argv, io, 2, flags="rRnivlcEFwoqshH", valued="e", long=LONG)
    if isinstance(parsed, int):
        return parsed
    flags, operands = parsed.flags, list(parsed.operands)
    if "e" in parsed.values:
        pattern = parsed.values["e"]
    elif operands:
        pattern = operands.pop(0)
    else:
        return io.fail(
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2
        )
    try:
        regex = compile_pattern(pattern, flags)
    except re.error as error:
        return io.fail(f"grep: {error}", 2)
    recursive = bool(flags & {"r", "R"})
    sources = operands or (["."] if recursive else ["-"])
    named = ("H" in flags or len(sources) > 1 or recursive) and "h" not in flags
    state = {"matched": False, "error": False}

    def problem(message: str) -> None:
        state["error"] = True
        if "s" not in flags:
            io.err(f"grep: {message}\n")

    def search(label: str, text: str) -> bool:
        """Print what -l/-c/-o/plain output wants for one input; True means stop (-q)."""
        prefix = f"{label}:" if named else ""
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        hits = [
            (number, line)
            for number, line in enumerate(lines, 1)
            if bool(regex.search(line)) != ("v" in flags)
        ]
        if hits:
            state["matched"] = True
        if "q" in flags:
            return bool(hits)
        if "l" in flags:
            io.out(f"{label}\n" if hits else "")
        elif "c" in flags:
            io.out(f"{prefix}{len(hits)}\n")
        elif hits and "\0" in text:
            io.out(f"Binary file {label} matches\n")
        else:
            for number, line in hits:
                where = f"{prefix}{number}:" if "n" in flags else prefix
                if "o" in flags and "v" not in flags:
                    io.out(
                        "".join(f"{where}{m.group()}\n" for m in regex.finditer(line) if m.group())
                    )
                else:
                    io.out(f"{where}{line}\n")
        return False

    for source in sources:
        if source == "-":
            if search("(standard input)", await io.read()):
                return 0
            continue
        path = shell.resolve(source)
        if os.path.isdir(path):
            if not recursive:
                problem(f"{source}: Is a directory")
                continue
            inputs = list(_files(path, "" if not operands else source))
        elif os.path.exists(path):
            inputs = [(source, path)]
        else:
            problem(f"{source}: No such file or directory")
            continue
        for label, file_path in inputs:
            try:
                text = read_text(file_path)
            except OSError as error:
                problem(f"{label}: {reason(error)}")
                continue
            if search(label, text):
                return 0
    if state["error"]:
        return 2
    return 0 if state["matched"] else 1
