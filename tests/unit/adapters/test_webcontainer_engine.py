"""client/adapters/webcontainer_engine.py over an in-memory container standing in for
client/ffi/webcontainer.ContainerBridge: boot and its failures, fs calls and Node's
errors, watch events read back and classified, processes, teardown."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from client.core.runtime import FileChange, RuntimeRefused, RuntimeState, SpawnOptions, Status
from client.core.watcher import FsEvent

from .conftest import Browser, arun

WORKDIR = "/home/project"


def enoent(path: str) -> OSError:
    return OSError(f"ENOENT: no such file or directory, open '{WORKDIR}/{path}'")


class Container:
    """The page's one container: files by path (folders implied, plus empty ones)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.folders: set[str] = set()
        self.calls: list[tuple[Any, ...]] = []
        self.fail: dict[str, OSError] = {}
        self.watching: Any = None
        self.listeners: dict[str, Any] = {}
        self.spawned: list[Process] = []

    def is_dir(self, path: str) -> bool:
        if path in ("", *self.folders):
            return True
        return any(name.startswith(path + "/") for name in self.files)

    def children(self, path: str) -> list[list[Any]]:
        prefix = path + "/" if path else ""
        names: dict[str, bool] = {}
        for name in [*self.files, *self.folders]:
            if name.startswith(prefix):
                first, *rest = name[len(prefix) :].split("/")
                names[first] = names.get(first, False) or bool(rest) or name in self.folders
        return [[name, is_dir] for name, is_dir in names.items()]


class Process:
    def __init__(self, command: str, args: list[str], options: dict[str, Any], state: Any):
        self.command, self.args, self.options, self.state = command, args, options, state
        self.killed = False

    def kill(self) -> None:
        self.killed = True


class Bridge:
    """ContainerBridge's surface over a Container."""

    container = Container()
    refuse: OSError | None = None
    gate: asyncio.Event | None = None  # set: boot waits for it (the service is slow)
    released = 0

    def __init__(self) -> None:
        self.workdir = WORKDIR

    @classmethod
    async def boot(cls, _listeners: Any, api_key: str, timeout_ms: int) -> Bridge:
        cls.container.calls.append(("boot", api_key, timeout_ms))
        await (cls.gate.wait() if cls.gate is not None else asyncio.sleep(0))
        if cls.refuse is not None:
            raise cls.refuse
        return cls()

    async def call(self, method: str, path: str, *args: Any) -> Any:
        box = self.container
        box.calls.append((method, path, *args))
        if method in box.fail:
            raise box.fail[method]
        if method == "readFile":
            if path not in box.files:
                raise enoent(path)
            return box.files[path]
        if method == "readdir":
            return box.children(path)
        if method == "rm":
            if not box.is_dir(path) and path not in box.files:
                raise OSError(f"ENOENT: no such file or directory, rm '{path}'")
            box.files = {k: v for k, v in box.files.items() if not (k + "/").startswith(path)}
            box.folders = {f for f in box.folders if not (f + "/").startswith(path + "/")}
        elif method == "rename":
            box.files[args[0]] = box.files.pop(path)
        elif method == "mkdir":
            box.folders.add(path)
        return None

    async def write_file(self, path: str, content: bytes) -> None:
        await self.call("writeFile", path)
        self.container.files[path] = content

    async def read_many(self, paths: list[str]) -> list[list[Any]]:
        box = self.container
        if "readMany" in box.fail:
            raise box.fail["readMany"]
        found: list[list[Any]] = []
        for path in paths:
            if path in box.files:
                found.append([path, box.files[path]])
            elif box.is_dir(path):
                found.append([path, None, f"EISDIR: illegal operation on a directory, {path}"])
            else:
                found.append([path, None, str(enoent(path))])
        return found

    async def mount(self, tree: dict[str, Any]) -> None:
        await self.call("mount", "", tree)

    def watch(self, on_batch: Any) -> Any:
        self.container.watching = on_batch

        def close() -> None:
            self.container.watching = None

        return close

    async def spawn(self, command: str, args: list[str], options: Any, state: Any) -> Process:
        if "spawn" in self.container.fail:
            raise self.container.fail["spawn"]
        process = Process(command, args, options, state)
        self.container.spawned.append(process)
        return process

    def on(self, event: str, listener: Any) -> Any:
        self.container.listeners[event] = listener
        return lambda: self.container.listeners.pop(event)

    def release(self) -> None:
        type(self).released += 1


@pytest.fixture
def container(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> Container:
    box = Container()
    module = browser.load("client.adapters.webcontainer_engine")
    monkeypatch.setattr(Bridge, "container", box)
    monkeypatch.setattr(Bridge, "refuse", None)
    monkeypatch.setattr(Bridge, "gate", None)
    monkeypatch.setattr(Bridge, "released", 0)
    monkeypatch.setattr(module, "ContainerBridge", Bridge)
    return box


def runtime_of(browser: Browser, **options: Any) -> Any:
    module = browser.load("client.adapters.webcontainer_engine")
    return module.WebContainerRuntime(**options)


def changes(*items: tuple[str, str, bytes | None]) -> list[FileChange]:
    return [FileChange(FsEvent(kind, path), content) for kind, path, content in items]


def on_booted(browser: Browser, body: Callable[[Any], Awaitable[None]], **options: Any) -> None:
    """Run `body(runtime)` with a runtime booted on the container."""
    runtime = runtime_of(browser, **options)

    async def main() -> None:
        await runtime.boot()
        await body(runtime)

    arun(main)


async def heard_batches(runtime: Any, box: Container, names: list[str]) -> list[Any]:
    """The batches watchers get after the container reports `names` (each by path)."""
    batches: list[Any] = []
    stop = runtime.fs.watch(batches.append)
    box.watching(names)
    for _ in range(5):
        await asyncio.sleep(0)
    stop()
    return [sorted(batch, key=lambda change: change.event.path) for batch in batches]


def test_boot_empties_the_folder_a_previous_engine_left(
    browser: Browser, container: Container
) -> None:
    container.files = {"old/a.js": b"a", "b.txt": b"b"}
    runtime = runtime_of(browser, api_key="key", timeout_ms=50)
    statuses: list[Status] = []
    runtime.on("status", statuses.append)

    async def main() -> None:
        first, second = await asyncio.gather(runtime.boot(), runtime.boot())
        assert first == second == Status(RuntimeState.READY)

    arun(main)
    assert container.calls[0] == ("boot", "key", 50)  # booted once for both callers
    assert [c for c in container.calls if c[0] == "rm"] == [
        ("rm", "old", True, True),
        ("rm", "b.txt", True, True),
    ]
    assert container.files == {} and runtime.workdir == WORKDIR
    assert statuses == [
        Status(RuntimeState.BOOTING, "connecting to the WebContainer service"),
        Status(RuntimeState.READY),
    ]


def test_an_unreachable_service_is_unavailable_with_its_reason(
    browser: Browser, container: Container
) -> None:
    Bridge.refuse = OSError("WebContainer did not boot within 20 s")
    runtime = runtime_of(browser)
    assert arun(runtime.boot) == Status(
        RuntimeState.UNAVAILABLE, "WebContainer did not boot within 20 s"
    )
    with pytest.raises(OSError, match=r"not ready \(Unavailable: WebContainer did not boot"):
        runtime.bridge()


def test_a_folder_that_cannot_be_emptied_fails_the_boot(
    browser: Browser, container: Container
) -> None:
    container.files = {"locked": b""}
    container.fail["rm"] = OSError("EPERM: operation not permitted, rm 'locked'")
    status = arun(runtime_of(browser).boot)
    assert status == Status(
        RuntimeState.FAILED,
        "the project folder cannot be emptied: EPERM: operation not permitted, rm 'locked'",
    )


@pytest.mark.parametrize(("steps", "reached"), [(0, False), (1, False), (2, True)])
def test_torn_down_while_booting_stops_it_and_hands_the_container_back(
    browser: Browser, container: Container, steps: int, reached: bool
) -> None:
    """Whenever teardown comes (before the boot task began, or while the service boots),
    boot ends `stopped` and the container is left for the next engine, untouched."""
    runtime = runtime_of(browser)

    async def main() -> Status:
        Bridge.gate = asyncio.Event()
        boot = asyncio.ensure_future(runtime.boot())
        for _ in range(steps):
            await asyncio.sleep(0)
        await runtime.teardown()
        Bridge.gate.set()
        return await boot

    assert arun(main) == Status(RuntimeState.UNAVAILABLE, "stopped")
    assert runtime.status == Status(RuntimeState.UNAVAILABLE, "stopped")
    booted = any(call[0] == "boot" for call in container.calls)
    assert (booted, Bridge.released, runtime._bridge) == (reached, int(reached), None)
    assert not any(call[0] == "readdir" for call in container.calls)  # nothing emptied


def test_the_containers_events_pass_on_typed(browser: Browser, container: Container) -> None:
    runtime = runtime_of(browser)
    log: list[tuple[Any, ...]] = []
    runtime.on("server-ready", lambda *args: log.append(("server-ready", *args)))
    runtime.on("port", lambda *args: log.append(("port", *args)))
    runtime.on("error", lambda *args: log.append(("error", *args)))
    arun(runtime.boot)
    container.listeners["server-ready"]("5173", "https://x.webcontainer.io")
    container.listeners["port"](5173.0, "close", None)
    container.listeners["error"](RuntimeError("boom"))
    assert log == [
        ("server-ready", 5173, "https://x.webcontainer.io"),
        ("port", 5173, "close", "None"),
        ("error", "boom"),
    ]


def test_fs_calls_and_node_errors_said_as_ls_says_them(
    browser: Browser, container: Container
) -> None:
    async def body(runtime: Any) -> None:
        fs = runtime.fs
        await fs.write_file("src/a.js", "é")
        assert container.files["src/a.js"] == "é".encode()
        assert await fs.read_file("src/a.js") == "é".encode()
        await fs.mkdir("z")
        await fs.write_file("b.txt", b"b")
        assert [(e.name, e.is_dir) for e in await fs.readdir()] == [
            ("b.txt", False),
            ("src", True),
            ("z", True),
        ]  # sorted, whatever order the container gave
        with pytest.raises(RuntimeRefused, match=r"^nope\.txt: No such file or directory$"):
            await fs.read_file("nope.txt")
        await fs.rm("nope.txt", force=True)  # -f: a missing file is fine
        with pytest.raises(RuntimeRefused, match=r"^nope\.txt: No such file or directory$"):
            await fs.rm("nope.txt")
        container.fail["rm"] = OSError("EACCES: permission denied")
        with pytest.raises(RuntimeRefused, match=r"^b\.txt: Permission denied$"):
            await fs.rm("b.txt", force=True)  # -f forgives a missing file only
        container.fail["writeFile"] = OSError("quota exceeded")  # no Node code: as it came
        with pytest.raises(RuntimeRefused, match=r"^quota exceeded$"):
            await fs.write_file("c.txt", b"c")
        assert "c.txt" not in fs.files.known  # a failed write is not remembered

    on_booted(browser, body)


def test_programs_writes_are_reported_and_our_own_are_not(
    browser: Browser, container: Container
) -> None:
    async def body(runtime: Any) -> None:
        await runtime.mount({"index.js": b"1"})
        await runtime.fs.write_file("ours.txt", b"o")
        container.files.update({"made.txt": b"m", "index.js": b"2"})
        names = [f"{WORKDIR}/made.txt", "./index.js", "ours.txt", "made.txt", ".", ""]
        assert await heard_batches(runtime, container, names) == [
            changes(("change", "index.js", b"2"), ("create", "made.txt", b"m"))
        ]
        del container.files["made.txt"]
        await runtime.fs.rename("ours.txt", "moved.txt")
        container.files["moved.txt"] = b"o"  # the rename's own echo
        assert await heard_batches(runtime, container, ["made.txt", "moved.txt"]) == [
            changes(("delete", "made.txt", None))
        ]

    on_booted(browser, body)


def test_a_folder_that_appears_or_vanishes_is_every_file_in_it(
    browser: Browser, container: Container
) -> None:
    async def body(runtime: Any) -> None:
        container.files.update(
            {"lib/a.js": b"a", "lib/deep/b.js": b"b", "lib/node_modules/x": b"kept"}
        )
        container.files["node_modules/react/index.js"] = b"never read"
        assert await heard_batches(runtime, container, ["lib", "node_modules"]) == [
            changes(
                ("create", "lib/a.js", b"a"),
                ("create", "lib/deep/b.js", b"b"),
                ("create", "lib/node_modules/x", b"kept"),  # ignored only at the root
            )
        ]
        assert not any("node_modules/react" in str(call) for call in container.calls)
        container.files = {}
        assert await heard_batches(runtime, container, ["lib"]) == [
            changes(
                ("delete", "lib/a.js", None),
                ("delete", "lib/deep/b.js", None),
                ("delete", "lib/node_modules/x", None),
            )
        ]

    on_booted(browser, body, ignored=lambda path: path.split("/")[0] == "node_modules")


def test_unreadable_paths_and_a_gone_container_report_nothing(
    browser: Browser, container: Container
) -> None:
    async def body(runtime: Any) -> None:
        container.files["x.txt"] = b"x"
        container.fail["readMany"] = OSError("the container went away")
        assert await heard_batches(runtime, container, ["x.txt"]) == []
        del container.fail["readMany"]
        container.fail["readdir"] = OSError("EACCES: permission denied")
        container.files["dir/y"] = b"y"
        assert await heard_batches(runtime, container, ["dir"]) == []
        assert await heard_batches(runtime, container, ["x.txt"]) == [
            changes(("create", "x.txt", b"x"))  # the next event tries again
        ]

    on_booted(browser, body)


def test_a_mount_the_container_refuses_is_a_refusal(browser: Browser, container: Container) -> None:
    async def body(runtime: Any) -> None:
        await runtime.mount({"src/a.js": b"a"})
        assert container.calls[-1] == (
            "mount",
            "",
            {"src": {"directory": {"a.js": {"file": {"contents": b"a"}}}}},
        )
        container.fail["mount"] = OSError("tree too deep")
        with pytest.raises(RuntimeRefused, match="^tree too deep$"):
            await runtime.mount({"b.js": b"b"})
        assert "b.js" not in runtime.fs.files.known

    on_booted(browser, body)


def test_processes_run_through_jsh_and_end_with_teardown(
    browser: Browser, container: Container
) -> None:
    async def body(runtime: Any) -> None:
        shell = await runtime.spawn("sh", options=SpawnOptions(cols=90, rows=20, cwd="src"))
        once = await runtime.spawn("npm", ["run", "dev"])
        assert [(p.command, p.args) for p in container.spawned] == [
            ("jsh", []),
            ("jsh", ["-c", "npm run dev"]),
        ]
        assert container.spawned[0].options == {"cols": 90, "rows": 20, "cwd": "src", "env": {}}
        container.spawned[1].state("exit", 0)
        assert await once.wait() == 0 and not once.running and shell.running
        once.kill()  # ended already
        assert not container.spawned[1].killed
        runtime.fs.watch(lambda _batch: None)
        assert container.watching is not None
        await runtime.teardown()
        assert container.spawned[0].killed and await shell.wait() == 130
        assert container.watching is None and container.listeners == {}
        assert Bridge.released == 1 and browser.live_proxies() == []
        assert runtime.status == Status(RuntimeState.UNAVAILABLE, "stopped")
        container.fail["spawn"] = OSError("never")
        with pytest.raises(RuntimeRefused, match=r"not ready \(Unavailable: stopped\)"):
            await runtime.spawn("sh")

    on_booted(browser, body)


def test_a_spawn_the_container_refuses_is_a_refusal(browser: Browser, container: Container) -> None:
    async def body(runtime: Any) -> None:
        container.fail["spawn"] = OSError("jsh: command not found")
        with pytest.raises(RuntimeRefused, match="^jsh: command not found$"):
            await runtime.spawn("sh")
        assert runtime._processes == []

    on_booted(browser, body)
