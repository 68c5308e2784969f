"""?debug=1 only: `window.cospaiRuntime` for tests and benchmarks.

`contract(source, names, engine)` runs a Runtime contract module
(tests/contract/runtime_contract.py, sent by the test) here, in the page, against fresh
engines ("pyodide", the default, or "webcontainer"), and resolves to its results as JSON:
the suite is written once and proven against each engine in Chromium.
`run(line)` runs one shell line in the IDE's own engine and resolves to {code, output}.
`write(json)` writes files ({path: text}) into the engine's file system as a program
would leave them, without telling the IDE (tests put node_modules there this way).
"""

from __future__ import annotations

import asyncio
import json
import types
from typing import Any

from client.adapters.webcontainer_engine import WebContainerRuntime
from client.core.runtime import Runtime, SpawnOptions
from client.core.tasks import spawn
from client.ffi import dom


def expose(link: Any) -> None:
    async def contract(source: str, names: str = "", engine: str = "pyodide") -> str:
        module = types.ModuleType("runtime_contract")
        # The test's own file, and only under ?debug=1: page scripts could run code anyway.
        exec(compile(str(source), "runtime_contract.py", "exec"), module.__dict__)  # noqa: S102

        async def factory() -> Runtime:
            runtime: Runtime = (
                WebContainerRuntime()
                if str(engine) == "webcontainer"
                else await link.make_pyodide()
            )
            await runtime.boot()
            return runtime

        wanted = [n for n in str(names).split(",") if n]
        return json.dumps(await module.run_all(factory, wanted or None))

    async def run(line: str) -> str:
        process = await link.runtime.spawn("sh", ["-c", str(line)], SpawnOptions())
        code = await asyncio.wait_for(process.wait(), 60)
        return json.dumps({"code": code, "output": await process.output()})

    async def write(files: str) -> int:
        written = json.loads(str(files))
        for path, text in written.items():
            await link.runtime.fs.write_file(path, text)
        return len(written)

    dom.expose(
        "cospaiRuntime",
        {
            "contract": link.listeners.proxy(
                lambda source, names="", engine="pyodide": spawn(
                    contract(source, names, engine), "run the runtime contract", awaited=True
                )
            ),
            "run": link.listeners.proxy(
                lambda line: spawn(run(line), "run a shell line", awaited=True)
            ),
            "write": link.listeners.proxy(
                lambda files: spawn(write(files), "write files into the runtime", awaited=True)
            ),
        },
    )
