"""The Runtime contract: what every engine behind client.core.runtime.Runtime must do.

Written once, run against each engine:
- under CPython against the host the Pyodide worker runs (tests/unit/runtime), and
- inside Chromium against the real Pyodide engine in its Web Worker
  (tests/e2e/test_runtime_contract.py sends this file to the page, whose ?debug=1 hook
  runs every `contract_*` function with a freshly booted engine and reports JSON).

Each check is `async def contract_NAME(runtime)` with a booted runtime holding an empty
project. Only client.core and the standard library are used, so the file runs in both
places unchanged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from client.core.runtime import (
    FileChange,
    Runtime,
    RuntimeRefused,
    RuntimeState,
    SpawnOptions,
)


async def until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll (each engine delivers on its own schedule) until check() is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {getattr(check, '__name__', check)}")
        await asyncio.sleep(0.02)


async def until_output(process: Any, text: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in (output := await process.output()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never came; output so far: {output!r}")
        await asyncio.sleep(0.02)


async def run(runtime: Runtime, line: str, **options: Any) -> tuple[int, str]:
    process = await runtime.spawn("sh", ["-c", line], SpawnOptions(**options))
    code = await asyncio.wait_for(process.wait(), 20)
    return code, await process.output()


async def raises(action: Callable[[], Awaitable[Any]]) -> str:
    try:
        await action()
    except RuntimeRefused as error:
        return str(error)
    raise AssertionError("expected RuntimeRefused")


# ---------------------------------------------------------------- status and events


async def contract_ready_after_boot(runtime: Runtime) -> None:
    assert runtime.status.state is RuntimeState.READY, runtime.status


async def contract_events_subscribe_and_unsubscribe(runtime: Runtime) -> None:
    seen: list[Any] = []
    stop = runtime.on("error", seen.append)
    assert callable(stop)
    stop()
    for name in ("server-ready", "port", "status"):
        runtime.on(name, seen.append)()
    try:
        runtime.on("no-such-event", seen.append)
    except ValueError:
        pass
    else:
        raise AssertionError("an unknown event name must be refused")


# ---------------------------------------------------------------- files


async def contract_write_then_read_text_and_bytes(runtime: Runtime) -> None:
    await runtime.fs.write_file("deep/er/a.txt", "héllo\n")
    assert await runtime.fs.read_file("deep/er/a.txt") == "héllo\n".encode()
    blob = bytes(range(256))
    await runtime.fs.write_file("b.bin", blob)
    assert await runtime.fs.read_file("b.bin") == blob


async def contract_mount_a_tree(runtime: Runtime) -> None:
    await runtime.mount({"m/one.py": b"print(1)\n", "m/two/three.txt": b"3"})
    assert await runtime.fs.read_file("m/two/three.txt") == b"3"
    names = [(e.name, e.is_dir) for e in await runtime.fs.readdir("m")]
    assert names == [("one.py", False), ("two", True)], names


async def contract_mkdir_rm_rename(runtime: Runtime) -> None:
    await runtime.fs.mkdir("x/y/z", recursive=True)
    await raises(lambda: runtime.fs.mkdir("nope/a"))
    await runtime.fs.write_file("x/y/z/f.txt", "f")
    await raises(lambda: runtime.fs.rm("x"))  # a folder needs recursive
    await runtime.fs.rename("x/y/z/f.txt", "x/g.txt")
    assert await runtime.fs.read_file("x/g.txt") == b"f"
    await raises(lambda: runtime.fs.read_file("x/y/z/f.txt"))
    await runtime.fs.rm("x", recursive=True)
    assert "x" not in [e.name for e in await runtime.fs.readdir("")]
    await runtime.fs.rm("x", force=True)  # gone already: force says nothing
    assert "No such file" in await raises(lambda: runtime.fs.rm("x"))


# ---------------------------------------------------------------- processes


async def contract_spawn_runs_a_line(runtime: Runtime) -> None:
    code, output = await run(runtime, "echo hi && echo there")
    assert code == 0
    assert output.replace("\r\n", "\n") == "hi\nthere\n", repr(output)


async def contract_exit_codes_and_errors(runtime: Runtime) -> None:
    assert (await run(runtime, "false"))[0] == 1
    code, output = await run(runtime, "ls no-such-thing")
    assert code == 2
    assert "ls: cannot access 'no-such-thing': No such file or directory" in output
    assert (await run(runtime, "no-such-command"))[0] == 127


async def contract_spawn_sees_files_written_through_fs(runtime: Runtime) -> None:
    await runtime.fs.write_file("seen.txt", "from the fs\n")
    assert (await run(runtime, "cat seen.txt")) == (0, "from the fs\n")


async def contract_cwd_and_env(runtime: Runtime) -> None:
    await runtime.fs.mkdir("sub", recursive=True)
    code, output = await run(runtime, "pwd; echo $GREETING", cwd="sub", env={"GREETING": "hey"})
    assert code == 0
    where, greeting = output.split()
    assert where.endswith("/sub") and greeting == "hey", output


async def contract_a_program_name_runs_through_the_shell(runtime: Runtime) -> None:
    process = await runtime.spawn("echo", ["two words", "$HOME"])
    assert await asyncio.wait_for(process.wait(), 20) == 0
    assert (await process.output()).strip() == "two words $HOME"


async def contract_interactive_shell_resize_and_exit(runtime: Runtime) -> None:
    process = await runtime.spawn("sh", [], SpawnOptions(cols=80, rows=24))
    process.resize(101, 33)
    await asyncio.sleep(0.1)
    process.write("stty size\r")
    await until_output(process, "33 101")
    process.write("exit 3\r")
    assert await asyncio.wait_for(process.wait(), 20) == 3


async def contract_kill_ends_a_shell(runtime: Runtime) -> None:
    process = await runtime.spawn("sh")
    process.kill()
    code = await asyncio.wait_for(process.wait(), 20)
    assert code != 0 and process.exit_code == code


# ---------------------------------------------------------------- watching


async def contract_watch_reports_what_programs_write(runtime: Runtime) -> None:
    batches: list[list[FileChange]] = []
    stop = runtime.fs.watch(batches.append)
    await runtime.fs.write_file("quiet.txt", "not reported: the caller knows")
    await run(runtime, "mkdir -p out && echo made > out/new.txt")
    await until(lambda: _changes(batches))
    changes = {c.event.path: c for c in _changes(batches)}
    assert "quiet.txt" not in changes, changes
    assert changes["out/new.txt"].event.kind == "create"
    assert changes["out/new.txt"].content == b"made\n"
    batches.clear()
    await run(runtime, "echo more >> out/new.txt")
    await until(lambda: _changes(batches))
    changed = {c.event.path: c for c in _changes(batches)}["out/new.txt"]
    assert changed.event.kind == "change" and changed.content == b"made\nmore\n"
    batches.clear()
    await run(runtime, "rm -r out")
    await until(lambda: _changes(batches))
    assert [(c.event.kind, c.event.path) for c in _changes(batches)] == [("delete", "out/new.txt")]
    stop()


def _changes(batches: list[list[FileChange]]) -> list[FileChange]:
    return [change for batch in batches for change in batch]


# ---------------------------------------------------------------- reuse


async def contract_starts_with_an_empty_project(runtime: Runtime) -> None:
    # Last, after the others wrote files: an engine may reuse what it booted (a page has
    # one WebContainer), and nothing of the project before may show through.
    assert await runtime.fs.readdir("") == []


CONTRACTS = {
    name: value
    for name, value in dict(globals()).items()
    if name.startswith("contract_") and callable(value)
}


async def run_all(
    factory: Callable[[], Awaitable[Runtime]], names: list[str] | None = None
) -> dict[str, str]:
    """Every contract against a fresh engine from `factory`: name -> "passed" or the
    failure. Used by the in-page runner; pytest runs them one by one."""
    results: dict[str, str] = {}
    for name, check in CONTRACTS.items():
        if names and name not in names:
            continue
        runtime = await factory()
        try:
            await check(runtime)
            results[name] = "passed"
        except Exception as error:  # reported, not raised: the page hands back JSON
            import traceback

            results[name] = "".join(traceback.format_exception(error))[-1500:]
        finally:
            await runtime.teardown()
    return results
