"""The Pyodide engine's inside: terminal sessions and file operations, run by the worker's
own Python (client/glue/runtime-worker.mjs), never by the IDE's.

Pure Python talking to the worker through a `bridge` object, so CPython tests drive it
with a fake one:

    bridge.write(sid, text)           output for a terminal (the worker posts it to xterm)
    bridge.read(sid, timeout_ms)      typed input so far ("" when none; waits up to
                                      timeout_ms when the page can block: SharedArrayBuffer)
    bridge.can_block() -> bool        False when the page is not crossOriginIsolated
    bridge.check_interrupt() -> bool  True (once) when Ctrl+C is pending
    bridge.state(sid, kind, value)    "running" / "idle" (exit status) / "exit" / "history"
    bridge.events(batch)              [[kind, path, bytes | None], ...] written by programs
    bridge.pause(seconds)             sleep the worker's thread (Atomics.wait; a busy wait
                                      without SharedArrayBuffer), for `time.sleep`
    await bridge.settle()             (optional) before each command: the page writes the
                                      editor's changes still on their 300 ms debounce

A session is one shell (one terminal tab) with its own line editor, cwd and variables; all
share one file system, one interpreter and one thread. Keystrokes wait in the worker until
`pump(sid)` runs, so a busy program never loses them. After every command the project
folder is compared with the last snapshot and the differences go out as events; while a
command runs, the same scan also happens from its output, its `time.sleep` and the worker's
timer (`tick`), paced by ScanPacer, so a program that keeps running shows its files within
about a second. `sleep` replaces time.sleep in the worker: Pyodide's own busy-waits in C,
where neither Ctrl+C nor a scan can reach it.

The file operations and the snapshot the scans compare against are the project folder's
(project_folder.py); programs' standard streams are terminal_stdio.py's.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from client.core import late_interrupt
from client.core.project_folder import ProjectFolder
from client.core.scan_pacer import ScanPacer
from client.core.shell import History, Io, Shell, Streams
from client.core.shell.completion import shell_completer
from client.core.shell.readline import LineEditor
from client.core.tasks import spawn
from client.core.terminal_stdio import TerminalStdin, TerminalStdout
from contract.rules import SyncRules

NO_BLOCKING = (
    "input() cannot wait for the keyboard here: this page is not cross-origin "
    "isolated (no SharedArrayBuffer), so a running program cannot read a typed "
    "line. Pass input as arguments or through a file instead.\n"
)
SLEEP_SLICE_S = 0.1  # how long a sleeping program goes without a look at Ctrl+C and files


@dataclass
class Session:
    sid: str
    shell: Shell
    editor: LineEditor
    interactive: bool
    cols: int = 80
    rows: int = 24
    running: bool = False
    closed: bool = False
    reader: LineEditor = field(default_factory=lambda: LineEditor(prompt=""))


class Host(ProjectFolder):
    """Terminal sessions over the project folder (its file operations: ProjectFolder)."""

    def __init__(
        self,
        bridge: Any,
        root: str = "/project",
        rules: SyncRules | None = None,
        install_commands: Callable[[Shell], None] | None = None,
    ) -> None:
        self.bridge = bridge
        super().__init__(root, rules)
        self.install_commands = install_commands
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None  # whose command is running (stdout goes there)
        self.pacer = ScanPacer()
        self.answered = False  # a served app answered a request since the last scan
        self._scanning = False
        self.report_unraisable: Callable[[Any], object] = sys.__unraisablehook__
        # SIGINT (Ctrl+C) in the worker: attach_stdio installs it.
        self.on_interrupt = late_interrupt.handler(self.command_running)

    # ------------------------------------------------------------ sessions

    def open(
        self,
        sid: str,
        interactive: bool,
        line: str,
        cols: int,
        rows: int,
        cwd: str = "",
        env: dict[str, str] | None = None,
        history: list[str] | None = None,
    ) -> None:
        variables = {"HOME": self.root, "TERM": "xterm-256color", **(env or {})}
        shell = Shell(os.path.join(self.root, cwd), env=variables, history=History(history))
        session = Session(
            sid, shell, LineEditor(shell.history, shell_completer(shell)), interactive
        )
        shell.streams = Streams(
            lambda text: self._out(session, text),
            lambda text: self._out(session, text),
            read_line=lambda: self._read_line_async(session),
        )
        shell.register("stty", _stty, "print the terminal size (stty size)")
        if self.install_commands is not None:
            self.install_commands(shell)  # python, pip (client/worker), when present
        self.sessions[sid] = session
        self.resize(sid, cols, rows)
        if interactive:
            self._out(session, session.editor.start(shell.prompt()).echo)
            return
        # Registered above before anything runs, so a resize or keys sent right after
        # the open find the session; the line itself runs as a task.
        spawn(self._once(session, line), "run a command")

    async def _once(self, session: Session, line: str) -> None:
        self._finish(session, await self._run(session, line))

    def resize(self, sid: str, cols: int, rows: int) -> None:
        session = self.sessions.get(sid)
        if session is None:
            return
        session.cols, session.rows = max(int(cols), 1), max(int(rows), 1)
        session.editor.width = session.cols
        session.shell.streams.columns = session.cols
        for name, value in (("COLUMNS", session.cols), ("LINES", session.rows)):
            session.shell.vars[name] = str(value)
            session.shell.exported.add(name)

    def close(self, sid: str) -> None:
        session = self.sessions.pop(sid, None)
        if session is not None:
            session.closed = True

    async def pump(self, sid: str) -> None:
        """Typed input arrived for `sid`: edit the line, run it when Enter comes."""
        session = self.sessions.get(sid)
        if session is None or not session.interactive:
            return
        data = self.bridge.read(sid, 0)
        if session.running:  # an async command is awaiting: the editor queues the keys
            if data:
                session.editor.feed(data)
            return
        out = session.editor.feed(data)
        while True:
            self._out(session, out.echo)
            if out.eof:
                self._finish(session, session.shell.status)
                return
            if out.line is None:
                return
            await self._run(session, out.line)
            if session.shell.exited is not None:
                self._finish(session, session.shell.exited)
                return
            out = session.editor.start(session.shell.prompt())  # replays typeahead

    async def _run(self, session: Session, line: str) -> int:
        if line.strip():
            self.bridge.state(session.sid, "history", line)
        session.running, self.current = True, session
        self.pacer.reset()  # the first look while it runs, a gap after it started
        self.bridge.state(session.sid, "running", 1)
        os.environ["COLUMNS"], os.environ["LINES"] = str(session.cols), str(session.rows)
        with contextlib.suppress(OSError):
            os.chdir(session.shell.cwd)  # for programs that use relative paths
        settle = getattr(self.bridge, "settle", None)
        if settle is not None and line.strip():
            await settle()  # the editor's last changes are in the files before it runs
        try:
            status = await session.shell.run_line(line, record=session.interactive)
        except KeyboardInterrupt:  # Ctrl+C landing between the shell's own guards
            self._out(session, "^C\n")
            status = session.shell.status = 130
        finally:
            session.running, self.current = False, None
            # Keys typed while it ran wait for the next prompt; a Ctrl+C among them has
            # done its work (the interrupt) and drops what came before it, as a tty does.
            pending = self.bridge.read(session.sid, 0)
            if pending and session.interactive:
                session.editor.feed(pending)
            self.report_changes()
            self.pacer.reset()
        self.bridge.state(session.sid, "idle", status)
        return status

    def _finish(self, session: Session, status: int) -> None:
        session.closed = True
        self.sessions.pop(session.sid, None)
        self.bridge.state(session.sid, "exit", status)

    def _out(self, session: Session, text: str) -> None:
        if text and not session.closed:
            self.bridge.write(session.sid, text)
            if session is self.current:
                self.scan_if_due()  # a busy program that prints passes here

    # ------------------------------------------------------------ while it runs

    def tick(self) -> None:
        """The worker's timer (its event loop is free: an awaiting command, a served app)."""
        self.scan_if_due()

    def scan_if_due(self) -> bool:
        """Report what a running program (or a served app) wrote so far, when the pacer
        says a scan is due; True when it scanned."""
        if self.current is None and not self.answered:
            return False
        if self._scanning or not self.pacer.due():
            return False
        self._scanning, self.answered = True, False
        start = time.monotonic()
        try:
            self.report_changes()
        finally:
            self._scanning = False
            self.pacer.scanned(time.monotonic() - start)
        return True

    def sleep(self, seconds: float) -> None:
        """time.sleep for programs: the wait in slices, between which Ctrl+C stops it and
        the files written before it go out."""
        seconds = float(seconds)
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.bridge.pause(min(left, SLEEP_SLICE_S))
            if self.bridge.check_interrupt():
                raise KeyboardInterrupt
            self.scan_if_due()

    def on_unraisable(self, info: Any) -> None:
        """sys.unraisablehook in the worker (attach_stdio installs it).

        Python delivers Ctrl+C at whatever runs next, and that is often a finalizer (a loop
        that opens a file per turn closes the last one as it drops it). An exception there
        cannot propagate: CPython prints "Exception ignored in ..." and the program runs
        on, so Ctrl+C seemed to do nothing. Deliver it again in the program's own code
        instead (late_interrupt), from the frame that ran when the finalizer did."""
        if self.current is None or not isinstance(info.exc_value, KeyboardInterrupt):
            self.report_unraisable(info)
            return
        late_interrupt.lost(self.command_running, sys._getframe(1))

    def command_running(self) -> bool:
        """A command runs (what Ctrl+C is for)."""
        return self.current is not None

    # ------------------------------------------------------------ a program's stdin

    def read_line(self, session: Session | None = None) -> str:
        """One cooked line for `input()` / `sys.stdin` of the running program, echoed and
        editable; "" after Ctrl+D. Blocks the worker (the program is synchronous)."""
        session = session or self.current
        if session is None:
            return ""
        if not self.bridge.can_block():
            self._out(session, "\n" + NO_BLOCKING)  # after the prompt it printed
            raise EOFError("no terminal input on a page without cross-origin isolation")
        reader = session.reader
        out = reader.start("")
        self._out(session, out.echo)
        while out.line is None and not out.eof:
            data = self.bridge.read(session.sid, 100)
            if self.bridge.check_interrupt():
                raise KeyboardInterrupt
            if not data:
                continue
            out = reader.feed(data)
            if out.cancelled:
                raise KeyboardInterrupt
            self._out(session, out.echo)
        return "" if out.eof or out.line is None else out.line + "\n"

    async def _read_line_async(self, session: Session) -> str | None:
        line = self.read_line(session)
        return line or None

    def report_changes(self) -> None:
        """Tell the IDE what programs changed since the last look."""
        batch = self.changes()
        if batch:
            self.bridge.events(batch)


def attach_stdio(host: Host) -> None:
    """Route the interpreter's standard streams through the terminals (worker only)."""
    sys.stdin = TerminalStdin(host)
    sys.stdout = TerminalStdout(host, sys.__stdout__)
    sys.stderr = TerminalStdout(host, sys.__stderr__)
    host.report_unraisable = sys.unraisablehook
    sys.unraisablehook = host.on_unraisable
    signal.signal(signal.SIGINT, host.on_interrupt)


async def _stty(argv: list[str], io: Io, shell: Shell) -> int:
    if argv[1:] not in ([], ["size"]):
        return io.fail(f"stty: only 'stty size' is supported here (got {' '.join(argv[1:])})")
    rows, cols = shell.vars.get("LINES", "24"), shell.vars.get("COLUMNS", "80")
    io.out(f"{rows} {cols}\n")
    return 0
