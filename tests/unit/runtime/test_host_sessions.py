"""The worker host's sessions under CPython (client/core/runtime_host.py, terminal_stdio.py):
one-shot lines and their states, the terminal's size as programs see it, a session's
folder and variables, closed sessions, Ctrl+C between the shell's guards, and the
standard streams programs get."""

from __future__ import annotations

import asyncio
import io
import signal
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from client.core import runtime_host
from client.core.runtime_host import Host
from client.core.shell import Io, Shell
from client.core.terminal_stdio import TerminalStdin, TerminalStdout
from contract import rules as rules_module
from tests.unit.runtime.test_live_scan import Bridge as LoggingBridge


class Bridge(LoggingBridge):
    """Logs output and states in order; `keys` answer the terminal's reads."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    def read(self, _sid: str, _timeout: int) -> str:
        return self.keys.pop(0) if self.keys else ""

    def out(self) -> str:
        return "".join(value for kind, value in self.log if kind == "out")

    def states(self) -> list[tuple[str, Any]]:
        return [(kind, value) for kind, value in self.log if kind not in ("out", "events")]


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Host:
    monkeypatch.chdir(tmp_path)  # the host chdirs to run commands; put the cwd back after
    return Host(Bridge(), str(tmp_path / "project"), rules_module.load())


def once(host: Host, line: str, cols: int = 80, rows: int = 24, **options: Any) -> Bridge:
    """Run `line` in a one-shot session to its end; the bridge that heard it."""
    bridge: Bridge = host.bridge

    async def main() -> None:
        host.open("s1", False, line, cols, rows, **options)
        while not any(kind == "exit" for kind, _value in bridge.log):
            await asyncio.sleep(0)  # the line runs as a task

    asyncio.run(asyncio.wait_for(main(), 10))
    return bridge


def test_a_one_shot_line_runs_and_its_session_ends(host: Host) -> None:
    bridge = once(host, "echo hi; ls nope", 100, 30)
    assert bridge.out() == "hi\nls: cannot access 'nope': No such file or directory\n"
    assert bridge.states() == [
        ("history", "echo hi; ls nope"),
        ("running", 1),
        ("idle", 2),
        ("exit", 2),
    ]
    assert host.sessions == {}


def test_programs_see_the_terminals_size(host: Host) -> None:
    bridge = once(host, "stty size; echo $COLUMNS x $LINES; stty", 132, 43)
    assert bridge.out() == "43 132\n132 x 43\n43 132\n"


def test_stty_offers_only_its_size(host: Host) -> None:
    bridge = once(host, "stty -a")
    assert bridge.out() == "stty: only 'stty size' is supported here (got -a)\n"
    assert bridge.states()[-1] == ("exit", 1)


def test_a_resize_reaches_the_shell_and_its_children(host: Host) -> None:
    host.open("s1", True, "", 80, 24)
    shell = host.sessions["s1"].shell
    host.resize("s1", 0, -5)  # a panel collapsed to nothing: still a 1x1 terminal
    assert (shell.vars["COLUMNS"], shell.vars["LINES"]) == ("1", "1")
    host.resize("s1", 120.0, 40)  # type: ignore[arg-type]
    assert (shell.vars["COLUMNS"], shell.vars["LINES"]) == ("120", "40")
    assert {"COLUMNS", "LINES"} <= shell.exported
    assert host.sessions["s1"].editor.width == 120 and shell.streams.columns == 120
    host.resize("nobody", 10, 10)  # an unknown session: nothing happens


def test_a_session_starts_in_its_folder_with_its_variables(host: Host) -> None:
    Path(host.root, "src").mkdir()
    bridge = once(host, 'pwd; echo "$A $HOME $TERM"', cwd="src", env={"A": "1"})
    assert bridge.out() == f"{host.root}/src\n1 {host.root} xterm-256color\n"


def test_every_session_gets_the_installed_commands(host: Host) -> None:
    async def hello(argv: list[str], io: Io, _shell: Shell) -> int:
        io.out(f"hello {' '.join(argv[1:])}\n")
        return 0

    host.install_commands = lambda shell: shell.register("hello", hello, "say hello")
    assert once(host, "hello you").out() == "hello you\n"


def test_an_interrupt_between_the_shells_guards_is_status_130(host: Host) -> None:
    async def stopped(_argv: list[str], _io: Io, _shell: Shell) -> int:
        raise KeyboardInterrupt

    host.install_commands = lambda shell: shell.register("stopped", stopped, "test")
    bridge = once(host, "stopped")
    assert bridge.out().endswith("^C\n")
    assert bridge.states()[-2:] == [("idle", 130), ("exit", 130)]


def test_a_closed_session_prints_and_reads_nothing(host: Host) -> None:
    bridge: Bridge = host.bridge
    host.open("s1", True, "", 80, 24)
    session = host.sessions["s1"]
    host.close("s1")
    host.close("s1")  # twice is harmless
    before = list(bridge.log)
    host._out(session, "late output\n")
    bridge.keys.append("echo hi\r")
    asyncio.run(host.pump("s1"))
    assert bridge.log == before and bridge.keys == ["echo hi\r"]


def test_keys_typed_while_a_command_ran_wait_for_the_next_prompt(host: Host) -> None:
    bridge: Bridge = host.bridge
    host.open("s1", True, "", 80, 24)

    async def typist(_argv: list[str], _io: Io, _shell: Shell) -> int:
        bridge.keys.append("echo after\r")  # typed while this runs
        return 0

    host.sessions["s1"].shell.register("typist", typist, "test")
    bridge.keys.append("typist\r")
    asyncio.run(host.pump("s1"))
    assert [v for k, v in bridge.states() if k == "history"] == ["typist", "echo after"]
    assert "after\n" in bridge.out()


def test_input_with_no_program_running_reads_nothing(host: Host) -> None:
    assert host.read_line() == ""


def test_unraisable_errors_other_than_ctrl_c_are_reported_as_usual(host: Host) -> None:
    reported: list[Any] = []
    host.report_unraisable = reported.append
    idle = SimpleNamespace(exc_value=KeyboardInterrupt())
    other = SimpleNamespace(exc_value=ValueError("in __del__"))
    host.on_unraisable(idle)  # no command runs: Ctrl+C has nothing to stop
    host.open("s1", True, "", 80, 24)
    host.current = host.sessions["s1"]
    host.on_unraisable(other)
    assert reported == [idle, other]


class FakeHost:
    """What the streams use of the host: a running session, its output and its lines."""

    def __init__(self, lines: list[str], running: bool = True) -> None:
        self.lines = lines
        self.current: object | None = object() if running else None
        self.written: list[str] = []

    def read_line(self) -> str:
        return self.lines.pop(0) if self.lines else ""

    def _out(self, _session: object, text: str) -> None:
        self.written.append(text)


def test_stdin_reads_lines_until_ctrl_d() -> None:
    host = FakeHost(["one\n", "two\n", "", "after eof\n"])
    stdin = TerminalStdin(host)  # type: ignore[arg-type]
    assert stdin.readline() == "one\n"
    assert list(stdin) == ["two\n"]  # iteration ends at the first empty read
    assert stdin.read() == "after eof\n"
    assert stdin.read() == ""
    assert (stdin.isatty(), stdin.fileno(), stdin.encoding) == (True, 0, "utf-8")


def test_stdout_goes_to_the_running_session_else_to_the_real_stream() -> None:
    host = FakeHost([])
    fallback = io.StringIO()
    stdout = TerminalStdout(host, fallback)  # type: ignore[arg-type]
    assert stdout.write("to the terminal\n") == 16
    host.current = None
    assert stdout.write("é\n") == 2
    stdout.flush()
    assert host.written == ["to the terminal\n"] and fallback.getvalue() == "é\n"
    assert stdout.isatty() and stdout.errors == "strict"


def test_attach_stdio_routes_the_interpreters_streams_through_the_host(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("stdin", "stdout", "stderr", "unraisablehook"):
        monkeypatch.setattr(sys, name, getattr(sys, name))  # put back after the test
    handlers: list[tuple[int, Any]] = []
    monkeypatch.setattr(signal, "signal", lambda *args: handlers.append(args))
    previous_hook = sys.unraisablehook
    runtime_host.attach_stdio(host)
    assert isinstance(sys.stdin, TerminalStdin) and sys.stdin.host is host
    assert isinstance(sys.stdout, TerminalStdout) and sys.stdout.fallback is sys.__stdout__
    assert isinstance(sys.stderr, TerminalStdout) and sys.stderr.fallback is sys.__stderr__
    assert sys.unraisablehook == host.on_unraisable
    assert host.report_unraisable is previous_hook
    assert handlers == [(signal.SIGINT, host.on_interrupt)]
