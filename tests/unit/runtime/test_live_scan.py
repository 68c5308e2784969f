"""Files a still-running program writes reach the page while it runs (issue 6): the scan
pacer, and the host scanning from output, `time.sleep` and the worker's timer, under
CPython with a recording bridge."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from client.core.runtime_host import Host
from client.core.scan_pacer import ScanPacer
from client.core.shell import Io, Shell
from contract import rules as rules_module


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Bridge:
    """Records output, states and file batches in one log, in the order they came."""

    def __init__(self) -> None:
        self.log: list[tuple[str, Any]] = []
        self.interrupt_after: int | None = None  # pauses before Ctrl+C "arrives"
        self.pauses = 0

    def write(self, _sid: str, text: str) -> None:
        self.log.append(("out", text))

    def read(self, _sid: str, _timeout: int) -> str:
        return ""

    def can_block(self) -> bool:
        return True

    def check_interrupt(self) -> bool:
        return self.interrupt_after is not None and self.pauses >= self.interrupt_after

    def pause(self, seconds: float) -> None:
        self.pauses += 1
        time.sleep(seconds)

    def state(self, _sid: str, kind: str, value: Any) -> None:
        self.log.append((kind, value))

    def events(self, batch: list[list[Any]]) -> None:
        self.log.append(("events", [(kind, path) for kind, path, _content in batch]))

    def batches(self) -> list[list[tuple[str, str]]]:
        return [value for kind, value in self.log if kind == "events"]


def test_the_pacer_waits_its_interval_and_spaces_out_slow_scans() -> None:
    clock = Clock()
    pacer = ScanPacer(interval=0.5, share=0.1, clock=clock)
    assert not pacer.due()
    clock.now += 0.5
    assert pacer.due()
    pacer.scanned(0.01)  # a cheap scan: the next one an interval later
    clock.now += 0.4
    assert not pacer.due()
    clock.now += 0.1
    assert pacer.due()
    pacer.scanned(0.3)  # a large project: 0.3 s a scan, so at most one every 3 s
    clock.now += 2.9
    assert not pacer.due()
    clock.now += 0.1
    assert pacer.due()
    pacer.reset()
    assert not pacer.due()


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Host:
    monkeypatch.chdir(tmp_path)
    made = Host(Bridge(), str(tmp_path / "project"), rules_module.load())
    made.pacer = ScanPacer(interval=0.05)
    return made


def _install_writer(host: Host) -> None:
    """`writer`: a program that writes files (one in node_modules), prints, then sleeps
    with time.sleep as the worker has it (Host.sleep)."""

    async def writer(_argv: list[str], io: Io, _shell: Shell) -> int:
        root = Path(host.root)
        (root / "out.txt").write_text("first")
        (root / "node_modules").mkdir(exist_ok=True)
        (root / "node_modules" / "x.js").write_text("ignored")
        io.out("wrote out.txt\n")
        host.sleep(0.3)
        io.out("slept\n")
        (root / "out.txt").write_text("second!")
        return 0

    host.install_commands = lambda shell: shell.register("writer", writer, "test program")


def test_a_sleeping_program_shows_its_files_before_it_ends(host: Host) -> None:
    _install_writer(host)
    bridge: Bridge = host.bridge

    async def run() -> None:
        host.open("s1", False, "writer", 80, 24)
        while not any(kind == "exit" for kind, _value in bridge.log):
            await asyncio.sleep(0.01)  # the line runs as a task

    asyncio.run(asyncio.wait_for(run(), 10))
    kinds = [kind for kind, _value in bridge.log]
    slept = bridge.log.index(("out", "slept\n"))
    assert kinds.index("events") < slept, bridge.log  # while it slept, not at its end
    batches = bridge.batches()
    assert batches[0] == [("create", "out.txt")]
    assert batches[-1] == [("change", "out.txt")]  # the end's scan still sees the rewrite
    assert not [p for batch in batches for _kind, p in batch if p.startswith("node_modules")]


def test_output_of_a_busy_program_triggers_a_paced_scan(host: Host) -> None:
    clock = Clock()
    host.pacer = ScanPacer(interval=0.5, clock=clock)
    bridge: Bridge = host.bridge
    host.open("s1", True, "", 80, 24)
    session = host.sessions["s1"]
    host.current = session
    Path(host.root, "a.txt").write_text("a")
    host._out(session, "tick\n")
    assert bridge.batches() == []  # not yet due: printing costs no scan
    clock.now += 0.5
    host._out(session, "tick\n")
    assert bridge.batches() == [[("create", "a.txt")]]
    host._out(session, "tick\n")
    clock.now += 0.6
    host._out(session, "tick\n")
    assert len(bridge.batches()) == 1  # nothing new: no batch sent


def test_the_timer_scans_only_while_something_may_write(host: Host) -> None:
    bridge: Bridge = host.bridge
    host.pacer = ScanPacer(interval=0)
    Path(host.root, "idle.txt").write_text("x")
    host.tick()
    assert bridge.batches() == []  # no command, no served app: the timer costs nothing
    host.answered = True  # a served app answered a request (client/worker/serve.py)
    host.tick()
    assert bridge.batches() == [[("create", "idle.txt")]]
    assert host.answered is False


def test_ctrl_c_stops_a_sleep(host: Host) -> None:
    bridge: Bridge = host.bridge
    bridge.interrupt_after = 2
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        host.sleep(30)
    assert time.monotonic() - started < 5
    assert bridge.pauses == 2
    with pytest.raises(ValueError):
        host.sleep(-1)
