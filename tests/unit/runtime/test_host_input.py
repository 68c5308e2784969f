"""The worker host's terminal side under CPython: keystrokes, input() and Ctrl+C."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from client.core.runtime_host import Host
from contract import rules as rules_module


class Bridge:
    def __init__(self, keys: list[str] | None = None, block: bool = True) -> None:
        self.keys, self.block = keys or [], block
        self.out: list[str] = []
        self.states: list[tuple[str, Any]] = []
        self.batches: list[list[list[Any]]] = []
        self.interrupt = False

    def write(self, _sid: str, text: str) -> None:
        self.out.append(text)

    def read(self, _sid: str, _timeout: int) -> str:
        return self.keys.pop(0) if self.keys else ""

    def can_block(self) -> bool:
        return self.block

    def check_interrupt(self) -> bool:
        fired, self.interrupt = self.interrupt, False
        return fired

    def state(self, _sid: str, kind: str, value: Any) -> None:
        self.states.append((kind, value))

    def events(self, batch: list[list[Any]]) -> None:
        self.batches.append(batch)


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Host:
    monkeypatch.chdir(tmp_path)  # the host chdirs to run commands; put the cwd back after
    return Host(Bridge(), str(tmp_path / "project"), rules_module.load())


def test_typed_line_runs_reports_history_status_and_files(host: Host) -> None:
    bridge = host.bridge
    host.open("s1", True, "", 80, 24)
    assert "$ " in "".join(bridge.out)
    bridge.keys.append("echo hi > a.txt; ls nope\r")
    asyncio.run(host.pump("s1"))
    assert ("history", "echo hi > a.txt; ls nope") in bridge.states
    assert ("idle", 2) in bridge.states
    assert bridge.batches == [[["create", "a.txt", b"hi\n"]]]
    assert "No such file or directory" in "".join(bridge.out)


def test_input_reads_an_edited_line_and_ctrl_c_interrupts_it(host: Host) -> None:
    bridge = host.bridge
    host.open("s1", True, "", 80, 24)
    host.current = host.sessions["s1"]
    bridge.keys += ["", "Adx", "\x7fa\r"]
    assert host.read_line() == "Ada\n"
    bridge.keys += ["x", "\x03"]
    with pytest.raises(KeyboardInterrupt):
        host.read_line()
    bridge.interrupt = True
    with pytest.raises(KeyboardInterrupt):
        host.read_line()


def test_input_without_isolation_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bridge = Bridge(block=False)
    host = Host(bridge, str(tmp_path), rules_module.load())
    host.open("s1", True, "", 80, 24)
    host.current = host.sessions["s1"]
    with pytest.raises(EOFError):
        host.read_line()
    assert "not cross-origin isolated" in "".join(bridge.out)


def test_ctrl_d_and_exit_end_the_session(host: Host) -> None:
    bridge = host.bridge
    host.open("s1", True, "", 80, 24)
    bridge.keys.append("\x04")
    asyncio.run(host.pump("s1"))
    assert bridge.states[-1] == ("exit", 0)
    host.open("s2", True, "", 80, 24)
    bridge.keys.append("exit 4\r")
    asyncio.run(host.pump("s2"))
    assert bridge.states[-1] == ("exit", 4)
    assert host.sessions == {}


class SettlingBridge(Bridge):
    """A page that writes the editor's pending change when the worker asks to settle."""

    def __init__(self, project: Path) -> None:
        super().__init__()
        self.project, self.settles = project, 0

    async def settle(self) -> None:
        self.settles += 1
        await asyncio.sleep(0)  # the page answers later, as a message does
        (self.project / "main.py").write_text("# edited\n")


def test_each_command_waits_for_the_pages_pending_writes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text("# old\n")
    bridge = SettlingBridge(project)
    host = Host(bridge, str(project), rules_module.load())
    host.open("s1", True, "", 80, 24)
    bridge.keys.append("cat main.py\r")
    asyncio.run(host.pump("s1"))
    assert "# edited" in "".join(bridge.out)
    assert "# old" not in "".join(bridge.out)
    bridge.keys.append("\r")  # an empty line runs nothing, so it asks nothing
    asyncio.run(host.pump("s1"))
    assert bridge.settles == 1
