"""The one protocol every command follows, builtins and the engine's commands alike.

A command is an async callable

    async def handler(argv: list[str], io: Io, shell: Shell) -> int

- `argv` is fully expanded (quotes removed, variables and globs done); argv[0] is the
  command's name as typed.
- `io.stdin` is the text piped or redirected in, or None when stdin is the terminal; read
  it with `await io.read()` (all of it) or `await io.readline()` (one line, None at end),
  which also work for the terminal (through `Streams.read_line`, Ctrl+D ends it).
- `io.out(text)` / `io.err(text)` write text; add the newlines yourself. They already point
  at the right place: the terminal, a pipe's buffer or a `>` file. Text read from files is
  decoded with `surrogateescape`, so bytes survive `cat a.bin > b.bin`; encode terminal
  output with errors="replace".
- `io.env` is the environment for this command (exported variables plus `A=1 cmd`
  assignments); `shell.cwd` is the working folder. Resolve paths with `shell.resolve(p)`:
  the shell never calls os.chdir, so the process cwd is not the shell's (an engine that
  runs user code should chdir to `shell.cwd` itself).
- Return the exit status (0 is success). A SystemExit is taken as the status it carries;
  any other exception is printed as `cospai-sh: NAME: error` with status 1.
- Ctrl+C: the engine raises KeyboardInterrupt inside the running Python code (Pyodide's
  interrupt buffer). Let it propagate: the shell ends the whole line with status 130 and
  prints `^C`. Catch it only to clean up, then re-raise.

The engine adds its commands with `shell.register("python", handler, "run Python")`; the
summary is what `help` shows, and `which` and tab completion see them at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the interpreter imports this module, not the reverse
    from .interpreter import Shell

Writer = Callable[[str], object]  # its result is not used: a file's write() counts, print() not
LineReader = Callable[[], Awaitable["str | None"]]
Handler = Callable[[list[str], "Io", "Shell"], Awaitable[int]]


@dataclass
class Streams:
    """The terminal a shell is attached to."""

    out: Writer
    err: Writer
    read_line: LineReader | None = None  # a typed line with its "\n"; None after Ctrl+D
    columns: int | None = None  # the terminal's width, when known


@dataclass
class Io:
    """One command's standard streams."""

    stdin: str | None
    out: Writer
    err: Writer
    env: dict[str, str] = field(default_factory=dict)
    terminal: Streams | None = None
    out_is_terminal: bool = False

    @property
    def columns(self) -> int | None:
        """The width to lay output out in, only when stdout really is the terminal."""
        return self.terminal.columns if self.out_is_terminal and self.terminal else None

    async def readline(self) -> str | None:
        if self.stdin is not None:
            if not self.stdin:
                return None
            line, newline, self.stdin = self.stdin.partition("\n")
            return line + newline
        if self.terminal and self.terminal.read_line:
            return await self.terminal.read_line()
        return None  # no terminal input at all: behave as an empty stdin

    async def read(self) -> str:
        if self.stdin is not None:
            text, self.stdin = self.stdin, ""
            return text
        chunks = []
        while (line := await self.readline()) is not None:
            chunks.append(line)
        return "".join(chunks)

    def fail(self, message: str, status: int = 1) -> int:
        """Print an error line and return the status, so a builtin can `return io.fail(..)`."""
        self.err(message + "\n")
        return status


@dataclass(frozen=True)
class CommandSpec:
    name: str
    handler: Handler
    summary: str = ""
    builtin: bool = False


class Registry:
    """Commands by name; a later registration replaces an earlier one (so an engine may
    override a builtin with a fuller program)."""

    def __init__(self) -> None:
        self._specs: dict[str, CommandSpec] = {}

    def register(
        self, name: str, handler: Handler, summary: str = "", builtin: bool = False
    ) -> None:
        if not name or any(c in name for c in " \t/"):
            raise ValueError(f"not a command name: {name!r}")
        self._specs[name] = CommandSpec(name, handler, summary, builtin)

    def unregister(self, name: str) -> None:
        self._specs.pop(name, None)

    def get(self, name: str) -> CommandSpec | None:
        return self._specs.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def names(self) -> list[str]:
        return sorted(self._specs)

    def specs(self) -> list[CommandSpec]:
        return [self._specs[name] for name in self.names()]
