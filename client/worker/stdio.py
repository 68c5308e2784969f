"""sys.stdin/stdout/stderr for one run of user code, wired to the shell command's io.

Output is written through at once (no buffer): stdout and stderr then interleave in the
terminal in the order the program wrote them, and a crash loses nothing. `isatty()`
tells the truth about the terminal, so libraries like rich colour only when they should.
Input is either the text piped or redirected into the command, or lines read from the
terminal through the engine's blocking reader (see host.py).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .host import StdinReader

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

Writer = Callable[[str], object]  # its result is not used


class _BytesOut(io.RawIOBase):
    """`sys.stdout.buffer`: bytes written by a program, decoded and passed on as text."""

    def __init__(self, text: TextOut) -> None:
        self._text = text

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        data = bytes(data)
        self._text.write(data.decode("utf-8", "surrogateescape"))
        return len(data)


class TextOut(io.TextIOBase):
    def __init__(self, write: Writer, tty: bool, name: str) -> None:
        self._write = write
        self._tty = tty
        self._name = name
        self.buffer = _BytesOut(self)

    encoding = "utf-8"
    errors = "surrogateescape"

    @property
    def name(self) -> str:
        return self._name

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._tty

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            self._write(text)
        return len(text)


class TextIn(io.TextIOBase):
    """Reads the piped text when there is some, else the terminal one line at a time."""

    def __init__(self, piped: str | None, read_line: StdinReader | None) -> None:
        self._piped = piped
        self._read_line = read_line
        self._pending = ""  # a terminal line partly consumed by read(n)

    encoding = "utf-8"

    @property
    def name(self) -> str:
        return "<stdin>"

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._piped is None and self._read_line is not None

    def _next_line(self) -> str:
        if self._pending:
            line, self._pending = self._pending, ""
            return line
        if self._piped is not None:
            line, newline, self._piped = self._piped.partition("\n")
            return line + newline
        if self._read_line is None:
            return ""
        try:
            typed = self._read_line()
        except EOFError:  # the engine cannot block (no cross-origin isolation): it said so
            return ""
        if typed is None:  # Ctrl+D: end of input for this read, as on a real terminal
            return ""
        return typed

    # typeshed's TextIOBase turns IOBase's bytes readline and __iter__ into str ones under
    # an ignore of its own; mypy still holds an override to IOBase's, hence ours.
    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = self._next_line()
        if size is not None and 0 <= size < len(line):
            line, self._pending = line[:size], line[size:]
        return line

    def read(self, size: int | None = -1) -> str:
        chunks: list[str] = []
        wanted = -1 if size is None else size
        while wanted < 0 or sum(map(len, chunks)) < wanted:
            line = self._next_line()
            if not line:
                break
            chunks.append(line)
        text = "".join(chunks)
        if wanted >= 0 and len(text) > wanted:
            text, self._pending = text[:wanted], text[wanted:] + self._pending
        return text

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        while line := self.readline():
            yield line


@contextmanager
def redirected(stdin: TextIn, stdout: TextOut, stderr: TextOut) -> Iterator[None]:
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
