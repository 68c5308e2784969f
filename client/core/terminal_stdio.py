"""The standard streams of programs run in a terminal of the Pyodide engine: what they
read comes from the running session's keyboard, what they print goes to its terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from client.core.runtime_host import Host


class TerminalStdin:
    """sys.stdin for programs run in a terminal: reads through the running session."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def readline(self, _size: int = -1) -> str:
        return self.host.read_line()

    def read(self, _size: int = -1) -> str:
        chunks = []
        while line := self.host.read_line():
            chunks.append(line)
        return "".join(chunks)

    def __iter__(self) -> TerminalStdin:
        return self

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return 0

    encoding = "utf-8"
    errors = "strict"


class TerminalStdout:
    """sys.stdout / sys.stderr: what the running program prints goes to its terminal."""

    def __init__(self, host: Host, fallback: Any) -> None:
        self.host, self.fallback = host, fallback

    def write(self, text: str) -> int:
        session = self.host.current
        if session is None:
            return int(self.fallback.write(text) or len(text))
        self.host._out(session, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    encoding = "utf-8"
    errors = "strict"
