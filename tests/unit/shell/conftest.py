"""Fixtures for the terminal shell's tests: a shell rooted at tmp_path whose terminal is
two lists of text. Coroutines are stepped by hand (no event loop, no threads), so these
tests can also run inside Pyodide."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from client.core.shell import Io, Shell, Streams
from tests.support.coroutines import run


@dataclass
class Result:
    status: int
    out: str
    err: str


class Terminal:
    """A shell and what it printed; `typed` lines answer terminal reads (None: Ctrl+D)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out: list[str] = []
        self.err: list[str] = []
        self.typed: list[str] = []
        self.streams = self.make_streams(columns=None)
        self.shell = Shell(str(root), env={"HOME": str(root), "USER": "me"}, streams=self.streams)

    def make_streams(self, columns: int | None) -> Streams:
        return Streams(self.out.append, self.err.append, self._read_line, columns=columns)

    async def _read_line(self) -> str | None:
        return self.typed.pop(0) if self.typed else None

    def __call__(self, line: str) -> Result:
        self.out.clear()
        self.err.clear()
        status = run(self.shell.run_line(line))
        return Result(status, "".join(self.out), "".join(self.err))

    def write(self, relative: str, text: str = "") -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


@pytest.fixture
def term(tmp_path: Path) -> Terminal:
    return Terminal(tmp_path)


def make_io(stdin: str | None = None) -> tuple[Io, list[str], list[str]]:
    out: list[str] = []
    err: list[str] = []
    return Io(stdin, out.append, err.append), out, err
