"""Ctrl+C that Python delivers where it cannot propagate is not lost: inside a finalizer
(issue 6) the host's unraisable hook raises it again in the program's own code instead of
letting CPython print "Exception ignored" while the program runs on; where C code drops
it without a word (issue 14: closing a dropped file builds its ResourceWarning, whose repr
runs the SIGINT handler, and FileIO._dealloc_warn then drops what it raised), the host's
SIGINT handler notices that it died unhandled and raises it again too. Under CPython with
a recording bridge and a real SIGINT (signal.raise_signal)."""

from __future__ import annotations

import asyncio
import io
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from client.core import late_interrupt
from client.core.runtime_host import Host
from client.core.shell import Io, Shell
from contract import rules as rules_module
from tests.unit.runtime.test_live_scan import Bridge  # records output, states and batches


class DropsCtrlC:
    """An object whose finalizer is where the KeyboardInterrupt landed."""

    def __del__(self) -> None:
        raise KeyboardInterrupt


REPORTED: list[BaseException] = []  # what reached CPython's usual report


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Host]:
    monkeypatch.chdir(tmp_path)
    made = Host(Bridge(), str(tmp_path / "project"), rules_module.load())
    REPORTED.clear()

    # As attach_stdio installs them in the worker.
    made.report_unraisable = lambda info: REPORTED.append(info.exc_value)
    monkeypatch.setattr(sys, "unraisablehook", made.on_unraisable)
    previous = signal.signal(signal.SIGINT, made.on_interrupt)
    yield made
    signal.signal(signal.SIGINT, previous)


def _run(host: Host, line: str) -> None:
    bridge: Bridge = host.bridge

    async def run() -> None:
        host.open("s1", False, line, 80, 24)
        while not any(kind == "exit" for kind, _value in bridge.log):
            await asyncio.sleep(0.01)

    asyncio.run(asyncio.wait_for(run(), 10))


def _printed(host: Host) -> str:
    bridge: Bridge = host.bridge
    return "".join(value for kind, value in bridge.log if kind == "out")


def _loses_ctrl_c_then_counts(host: Host, lose: Callable[[], object]) -> None:
    """Run a program that calls `lose` (where the KeyboardInterrupt is lost) and then counts
    in its own code: the line dies of Ctrl+C there, with no report and the tracing over."""
    bridge: Bridge = host.bridge

    async def loop(_argv: list[str], io_: Io, _shell: Shell) -> int:
        lose()
        total = 0
        for turn in range(1000):  # the program's own code: the interrupt lands here
            total += turn
        io_.out(f"ran to the end: {total}\n")
        return 0

    host.install_commands = lambda shell: shell.register("loop", loop, "test program")
    _run(host, "loop")
    assert "ran to the end" not in _printed(host)
    assert REPORTED == []  # no "Exception ignored" for it
    assert ("exit", 130) in bridge.log  # the line died of Ctrl+C
    assert sys.gettrace() is None  # the tracing stopped with it


def test_a_ctrl_c_swallowed_by_a_finalizer_is_asked_for_again(host: Host) -> None:
    # Made and dropped at once: its __del__ raises where nothing can catch it.
    _loses_ctrl_c_then_counts(host, DropsCtrlC)


def test_outside_a_command_or_for_other_errors_the_usual_report_stays(host: Host) -> None:
    DropsCtrlC()  # no command runs: nothing to interrupt, CPython's report as usual
    assert [type(error) for error in REPORTED] == [KeyboardInterrupt]

    class DropsError:
        def __del__(self) -> None:
            raise ValueError("broken finalizer")

    async def run_it(_argv: list[str], _io: Io, _shell: Shell) -> int:
        DropsError()
        return 0

    host.install_commands = lambda shell: shell.register("drop", run_it, "test program")
    _run(host, "drop")
    assert [str(error) for error in REPORTED[1:]] == ["broken finalizer"]


def test_once_the_command_ended_the_tracing_stops_without_raising() -> None:
    late_interrupt.lost(lambda: False, sys._getframe())
    total = sum(range(10))  # traced once: nothing wanted any more, so no KeyboardInterrupt
    assert total == 45
    assert sys.gettrace() is None


class CtrlCInRepr:
    """Ctrl+C arriving while the "unclosed file" warning formats its message."""

    def __repr__(self) -> str:
        signal.raise_signal(signal.SIGINT)  # the SIGINT handler runs here
        return "CtrlCInRepr()"


def test_a_ctrl_c_that_c_code_drops_silently_is_raised_again(host: Host, tmp_path: Path) -> None:
    dropped: list[bool] = []

    raw = io.FileIO(tmp_path / "count.txt", "w")  # closed here: the program may not get to

    def close_dropped_file() -> None:
        # As when a dropped file is closed: CPython builds the ResourceWarning, the repr in
        # it runs the SIGINT handler, and FileIO._dealloc_warn drops the KeyboardInterrupt.
        dropped.append(raw._dealloc_warn(CtrlCInRepr()) is None)  # type: ignore[attr-defined]

    try:
        _loses_ctrl_c_then_counts(host, close_dropped_file)
    finally:
        raw.close()
    assert dropped == [True]  # CPython did drop it: _dealloc_warn returned normally


def test_a_ctrl_c_the_program_handles_is_not_raised_again(host: Host) -> None:
    bridge: Bridge = host.bridge
    cleaned: list[str] = []

    class Cleanup:
        def __del__(self) -> None:
            cleaned.append("ran")  # the program's code, run while the interrupt unwinds

    def work() -> None:
        _keep = Cleanup()
        signal.raise_signal(signal.SIGINT)

    async def careful(_argv: list[str], io_: Io, _shell: Shell) -> int:
        try:
            work()
        except KeyboardInterrupt:
            io_.out("stopping cleanly\n")
        total = sum(range(1000))
        io_.out(f"ran to the end: {total}\n")
        return 0

    host.install_commands = lambda shell: shell.register("careful", careful, "test program")
    _run(host, "careful")
    assert cleaned == ["ran"]
    assert "stopping cleanly" in _printed(host)
    assert "ran to the end: 499500" in _printed(host)
    assert ("exit", 0) in bridge.log
    assert REPORTED == []
    assert sys.gettrace() is None


def test_after_its_command_a_late_sigint_does_nothing(host: Host) -> None:
    signal.raise_signal(signal.SIGINT)  # no command runs: nothing to stop
    assert sys.gettrace() is None
