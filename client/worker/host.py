"""What the engine hands the `python` and `pip` commands: the little they need from the
worker that CPython does not have.

    host = Host(
        project="/project",                       # the mounted project folder
        read_line=blocking_terminal_read,         # () -> "typed line\\n" | None at Ctrl+D
        installer=MicropipInstaller([wheelhouse_simple_url]),  # see micropip_installer.py
    )

Why a blocking read: user code calls `input()` synchronously, deep inside code we do not
own, so it cannot await the shell's async `io.readline()`. The engine provides one backed
by a SharedArrayBuffer + Atomics.wait (the worker sleeps until the page posts a line).
It returns the line with its "\\n", None at end of input (Ctrl+D), and may raise
KeyboardInterrupt when Ctrl+C arrives while waiting, or EOFError when it cannot block at
all (a page without cross-origin isolation; it says so itself, the program then sees end
of input). It echoes and edits the line itself.

The installer is a protocol so that tests drive `pip` with a fake, and so that the only
code knowing micropip's call shapes is micropip_installer.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

StdinReader = Callable[[], "str | None"]


class InstallError(Exception):
    """A package that cannot be had; the message is one line saying why."""


class Installer(Protocol):
    async def ready(self) -> None:
        """Wait until the installer can be used (Pyodide's loads after the prompt)."""

    async def install(
        self, requirements: list[str], *, deps: bool = True, pre: bool = False
    ) -> None:
        """Install with dependencies; raise InstallError (one line) when it cannot."""

    def uninstall(self, names: list[str]) -> None:
        """Remove installed distributions (names known to be installed)."""

    def installed(self) -> dict[str, str]:
        """{distribution name: version} of what `pip list` should show."""

    def version(self) -> str:
        """The installer's own version, for `pip --version`."""


@dataclass
class Host:
    project: str = "/project"
    read_line: StdinReader | None = None
    installer: Installer | None = None
    npm_registry: str | None = None  # the package mirror's npm registry (absolute URL)
