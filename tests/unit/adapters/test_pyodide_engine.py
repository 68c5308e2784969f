"""client/adapters/pyodide_engine.py: the Pyodide runtime over a stand-in for its sandboxed
worker. What the sandbox sends is untrusted: malformed messages change nothing, and what
passes on is bounded."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from client.core import tasks
from client.core.runtime import FileChange, RuntimeRefused, RuntimeState, SpawnOptions, Status
from client.core.watcher import FsEvent

from .conftest import Browser, arun


class Session:
    """A session's JS handle (client/glue/sandbox.mjs openSession)."""

    def __init__(self, sid: str, options: dict[str, Any], on_state: Any) -> None:
        self.sid, self.options, self.on_state = sid, options, on_state
        self.running = False
        self.output = "$ "
        self.written: list[str] = []
        self.sizes: list[tuple[int, int]] = []
        self.closed = False

    def write(self, data: str) -> None:
        self.written.append(data)

    def resize(self, cols: int, rows: int) -> None:
        self.sizes.append((cols, rows))

    def close(self) -> None:
        self.closed = True


class Engine:
    """Stands in for client/ffi/runtime_worker.WorkerEngine: `tell` is the sandbox talking."""

    made: list[Engine] = []
    refuse: Exception | None = None

    def __init__(self, origin: str, on_message: Any) -> None:
        self.origin, self.tell = origin, on_message
        self.isolated = True
        self.booted = self.terminated = False
        self.mirror: str | None = None
        self.npm: str | None = None
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.answers: dict[str, Any] = {}
        self.sessions: dict[str, Session] = {}
        self.settled_ids: list[int] = []

    @classmethod
    async def create(cls, origin: str, _listeners: Any, on_message: Any) -> Engine:
        if cls.refuse is not None:
            raise cls.refuse
        engine = cls(origin, on_message)
        cls.made.append(engine)
        return engine

    def boot(self, mirror: str | None = None, npm: str | None = None) -> None:
        self.booted, self.mirror, self.npm = True, mirror, npm

    async def call(self, method: str, *args: Any) -> Any:
        self.calls.append((method, args))
        answer = self.answers.get(method)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def open(self, sid: str, options: dict[str, Any], on_state: Any) -> Session:
        self.sessions[sid] = Session(sid, options, on_state)
        return self.sessions[sid]

    def settled(self, request: int) -> None:
        self.settled_ids.append(request)

    def terminate(self) -> None:
        self.terminated = True


@pytest.fixture
def engine_module(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = browser.load("client.adapters.pyodide_engine")
    monkeypatch.setattr(Engine, "made", [])
    monkeypatch.setattr(Engine, "refuse", None)
    monkeypatch.setattr(module, "WorkerEngine", Engine)
    return module


class Heard:
    """Every event a runtime emitted, in order."""

    def __init__(self, runtime: Any) -> None:
        self.log: list[tuple[Any, ...]] = []
        for event in ("status", "crashed", "error", "server-ready", "port"):
            runtime.on(event, lambda *args, event=event: self.log.append((event, *args)))

    def of(self, event: str) -> list[tuple[Any, ...]]:
        return [entry[1:] for entry in self.log if entry[0] == event]


async def booted(module: Any, isolated: bool = True) -> tuple[Any, Engine]:
    """A runtime whose worker said it is ready."""
    runtime = module.PyodideRuntime("http://p1.localhost:8000")
    boot = asyncio.ensure_future(runtime.boot())
    await asyncio.sleep(0)
    engine = Engine.made[-1]
    engine.isolated = isolated
    engine.tell({"op": "status", "state": "ready"})
    assert (await boot).state is RuntimeState.READY
    return runtime, engine


async def shell(module: Any) -> tuple[Any, Engine, Any, Session]:
    """A booted runtime, its worker, an interactive shell and the shell's session."""
    runtime, engine = await booted(module)
    process = await runtime.spawn("sh")
    return runtime, engine, process, engine.sessions[process.sid]


def test_without_a_sandbox_origin_it_never_starts(engine_module: Any) -> None:
    async def main() -> None:
        runtime = engine_module.PyodideRuntime(None, "the server named no sandbox site")
        heard = Heard(runtime)
        expected = Status(RuntimeState.UNAVAILABLE, "the server named no sandbox site")
        assert await runtime.boot() == expected
        assert await runtime.boot() == expected  # once; the second boot is the same answer
        assert heard.of("status") == [(expected,)]
        assert Engine.made == [] and runtime.isolated is False
        assert engine_module.PyodideRuntime(None).unavailable == "no sandbox origin"

    arun(main)


def test_a_worker_that_cannot_start_is_unavailable_with_the_reason(engine_module: Any) -> None:
    Engine.refuse = RuntimeError("module script failed")
    runtime = engine_module.PyodideRuntime("http://p1.localhost:8000")
    status = arun(runtime.boot)
    assert status == Status(
        RuntimeState.UNAVAILABLE, "the worker cannot start: module script failed"
    )


def test_boot_waits_through_booting_and_names_a_missing_isolation(engine_module: Any) -> None:
    async def main() -> None:
        runtime = engine_module.PyodideRuntime("http://p1.localhost:8000")
        boot = asyncio.ensure_future(runtime.boot())
        await asyncio.sleep(0)
        engine = Engine.made[0]
        assert engine.booted and engine.origin == "http://p1.localhost:8000"
        engine.isolated = False
        engine.tell({"op": "status", "state": "booting", "reason": "loading Python"})
        await asyncio.sleep(0)
        assert not boot.done()
        assert runtime.status == Status(RuntimeState.BOOTING, "loading Python")
        engine.tell({"op": "status", "state": "ready", "reason": "whatever the sandbox says"})
        assert await boot == Status(RuntimeState.READY, engine_module.NOT_ISOLATED)

    arun(main)


def test_an_isolated_ready_keeps_the_sandboxs_reason_bounded(engine_module: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        assert runtime.isolated is True
        engine.tell({"op": "status", "state": "failed", "reason": "x" * 2000})
        assert runtime.status.state is RuntimeState.FAILED
        assert runtime.status.reason == "x" * 500

    arun(main)


@pytest.mark.parametrize(
    "message",
    [
        None,
        "ready",
        ["status", "ready"],
        {},
        {"op": "launch"},
        {"op": "status"},
        {"op": "status", "state": "exploded"},
        {"op": "status", "state": ["ready"]},
        {"op": "settle", "id": "1"},
        {"op": "settle"},
        {"op": "server-ready", "port": 0},
        {"op": "server-ready", "port": 65536},
        {"op": "server-ready", "port": "8000"},
        {"op": "server-ready", "port": 8000.0},
        {"op": "server-ready", "port": True},
        {"op": "server-ready"},
        {"op": "events", "batch": "a.txt"},
        {"op": "events", "batch": [["create", "../outside", b"x"], ["rm", "a", None]]},
    ],
)
def test_malformed_messages_change_nothing(engine_module: Any, message: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        heard = Heard(runtime)
        seen: list[list[FileChange]] = []
        runtime.fs.watch(seen.append)
        engine.tell(message)
        await asyncio.sleep(0)
        assert heard.log == [] and seen == [] and engine.settled_ids == []
        assert runtime.status == Status(RuntimeState.READY)

    arun(main)


def test_a_crash_fails_the_runtime_and_says_why(engine_module: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        heard = Heard(runtime)
        engine.tell({"op": "crashed", "reason": "Maximum call stack size exceeded"})
        engine.tell({"op": "crashed", "reason": ""})
        failed = Status(RuntimeState.FAILED, "crashed: Maximum call stack size exceeded")
        assert heard.log == [
            ("status", failed),
            ("crashed", "Maximum call stack size exceeded"),
            ("status", Status(RuntimeState.FAILED, "crashed: the Python engine stopped")),
            ("crashed", "the Python engine stopped"),
        ]
        with pytest.raises(RuntimeRefused, match=r"not ready \(Failed: crashed: the Python"):
            await runtime.spawn("sh")

    arun(main)


def test_errors_and_served_apps_are_passed_on_bounded(engine_module: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        heard = Heard(runtime)
        engine.tell({"op": "error", "message": "e" * 600})
        engine.tell({"op": "error"})
        engine.tell({"op": "server-ready", "port": 8000, "url": "https://evil.example/"})
        engine.tell({"op": "server-ready", "port": 65535})
        assert heard.log == [
            ("error", "e" * 500),
            ("error", ""),
            ("server-ready", 8000, ""),  # never an address the sandbox picked
            ("port", 8000, "open", ""),
            ("server-ready", 65535, ""),
            ("port", 65535, "open", ""),
        ]

    arun(main)


def test_file_events_reach_the_watchers_well_formed_only(engine_module: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        first: list[list[FileChange]] = []
        second: list[list[FileChange]] = []
        runtime.fs.watch(first.append)
        stop = runtime.fs.watch(second.append)
        batch = [["create", "a.txt", b"hi"], ["delete", "/etc/passwd", None], ["change", "b", None]]
        engine.tell({"op": "events", "batch": batch})
        stop()
        engine.tell({"op": "events", "batch": [["delete", "a.txt", None]]})
        assert first == [
            [FileChange(FsEvent("create", "a.txt"), b"hi"), FileChange(FsEvent("change", "b"))],
            [FileChange(FsEvent("delete", "a.txt"))],
        ]
        assert second == first[:1]

    arun(main)


def test_settle_writes_the_editors_changes_then_answers(engine_module: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        order: list[str] = []

        async def write_pending() -> None:
            order.append("written")

        engine.tell({"op": "settle", "id": 1})  # nothing to write yet: answered at once
        await asyncio.sleep(0)
        runtime.before_command = write_pending
        engine.tell({"op": "settle", "id": 2})
        await asyncio.sleep(0)
        assert order == ["written"] and engine.settled_ids == [1, 2]

    arun(main)


def test_settle_is_answered_even_when_the_write_fails(
    engine_module: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures: list[tuple[str, BaseException]] = []
    monkeypatch.setattr(tasks, "_reporter", lambda name, error: failures.append((name, error)))

    async def main() -> None:
        runtime, engine = await booted(engine_module)

        async def broken() -> None:
            raise OSError("quota exceeded")

        runtime.before_command = broken
        engine.tell({"op": "settle", "id": 7})
        for _ in range(3):
            await asyncio.sleep(0)
        assert engine.settled_ids == [7]  # the worker does not wait forever

    arun(main)
    [(name, error)] = failures
    assert name == "write the editor's changes before a command" and str(error) == "quota exceeded"


def test_fs_calls_go_to_the_worker_and_refusals_read_as_ls_says(engine_module: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        fs = runtime.fs
        engine.answers.update(read_file=bytearray(b"\x00\xff"), readdir=[["src", 1], ["a", 0]])
        assert await fs.read_file("bin") == b"\x00\xff"
        await fs.write_file("a.txt", "é")
        await fs.write_file("b.bin", b"\x01")
        entries = await fs.readdir()
        assert [(e.name, e.is_dir) for e in entries] == [("src", True), ("a", False)]
        await fs.mkdir("x/y", True)
        await fs.rm("x", recursive=True, force=False)
        await fs.rename("a.txt", "c.txt")
        await runtime.mount({"m.py": b"print(1)\n"})
        assert engine.calls == [
            ("read_file", ("bin",)),
            ("write_file", ("a.txt", "é".encode())),
            ("write_file", ("b.bin", b"\x01")),
            ("readdir", ("",)),
            ("mkdir", ("x/y", True)),
            ("rm", ("x", True, False)),
            ("rename", ("a.txt", "c.txt")),
            ("mount", ({"m.py": b"print(1)\n"},)),
        ]
        engine.answers["rm"] = OSError("nope: No such file or directory")
        with pytest.raises(RuntimeRefused, match=r"^nope: No such file or directory$"):
            await fs.rm("nope")

    arun(main)


def test_nothing_is_called_before_the_worker_is_ready(engine_module: Any) -> None:
    async def main() -> None:
        runtime = engine_module.PyodideRuntime("http://p1.localhost:8000")
        with pytest.raises(RuntimeRefused, match=r"not ready \(Booting: not started\)"):
            await runtime.fs.read_file("a")
        with pytest.raises(OSError, match="not ready"):
            await runtime.mount({})
        with pytest.raises(RuntimeRefused, match="not ready"):
            await runtime.spawn("sh")

    arun(main)


def test_spawn_opens_a_session_with_its_options(engine_module: Any) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        options = SpawnOptions(cols=120, rows=40, cwd="src", env={"A": "1"})
        shell = await runtime.spawn("sh", [], options, history=["ls"])
        once = await runtime.spawn("python", ["main.py", "two words"])
        assert (shell.sid, once.sid) == ("s1", "s2")
        assert engine.sessions["s1"].options == {
            "interactive": True,
            "line": "",
            "cols": 120,
            "rows": 40,
            "cwd": "src",
            "env": {"A": "1"},
            "history": ["ls"],
        }
        opened = engine.sessions["s2"].options
        assert (opened["interactive"], opened["line"]) == (False, "python main.py 'two words'")
        assert (opened["cwd"], opened["env"], opened["history"]) == ("", {}, [])

    arun(main)


def test_a_process_hears_its_states_and_ends_once(engine_module: Any) -> None:
    async def main() -> None:
        _runtime, _engine, process, session = await shell(engine_module)
        states: list[tuple[str, Any]] = []
        process.on_state = lambda kind, value: states.append((kind, value))
        session.on_state("running", 1)
        session.running = True
        assert process.running and process.exit_code is None
        process.resize(100, 30)
        session.on_state("exit", "3")
        session.on_state("exit", 9)  # a second exit changes nothing
        assert await process.wait() == 3 and process.exit_code == 3
        process.resize(10, 10)  # after the end: not passed on
        assert session.sizes == [(100, 30)]
        assert states == [("running", 1), ("exit", "3"), ("exit", 9)]
        assert await process.output() == "$ "
        process.write("ls\r")
        assert session.written == ["ls\r"]

    arun(main)


def test_kill_interrupts_closes_and_exits_130(engine_module: Any) -> None:
    async def main() -> None:
        _runtime, engine, process, session = await shell(engine_module)
        session.running = True
        process.kill()
        await asyncio.sleep(0)
        assert session.written == ["\x03"] and session.closed
        assert engine.calls == [("close", ("s1",))]
        assert await process.wait() == 130
        process.kill()  # ended already: nothing more
        assert session.written == ["\x03"] and len(engine.calls) == 1

    arun(main)


def test_kill_after_a_crash_does_not_call_the_dead_worker(engine_module: Any) -> None:
    async def main() -> None:
        _runtime, engine, process, _session = await shell(engine_module)
        engine.tell({"op": "crashed", "reason": "out of memory"})
        process.kill()
        await asyncio.sleep(0)
        assert engine.calls == [] and engine.sessions["s1"].closed
        assert process.exit_code == 130

    arun(main)


def test_teardown_stops_the_worker_and_destroys_every_proxy(
    browser: Browser, engine_module: Any
) -> None:
    async def main() -> None:
        runtime, engine = await booted(engine_module)
        runtime.listeners.proxy(lambda: None)  # what the real WorkerEngine registers
        heard = Heard(runtime)
        await runtime.teardown()
        assert engine.terminated and runtime.engine is None
        assert heard.log == [("status", Status(RuntimeState.UNAVAILABLE, "stopped"))]
        assert browser.proxies and browser.live_proxies() == []
        await runtime.teardown()  # twice is harmless

    arun(main)


def test_the_mirror_named_by_the_server_reaches_the_workers_boot(engine_module: Any) -> None:
    async def main() -> None:
        mirror = "http://127.0.0.1:8000/api/mirror/pypi/simple"
        npm = "http://127.0.0.1:8000/api/mirror/npm/"
        runtime = engine_module.PyodideRuntime("http://p1.localhost:8000", mirror=mirror, npm=npm)
        boot = asyncio.ensure_future(runtime.boot())
        await asyncio.sleep(0)
        made = Engine.made[-1]
        assert (made.booted, made.mirror, made.npm) == (True, mirror, npm)
        Engine.made[-1].tell({"op": "status", "state": "ready"})
        await boot
        _, engine = await booted(engine_module)
        assert (engine.mirror, engine.npm) == (None, None)  # none named: the wheelhouse only

    arun(main)
