"""The API benchmark's part a (bench/api.py): many clients pushing small syncs at once,
driven from Python, and again by wrk (C) so the load generator leaves the server its cores."""

from __future__ import annotations

import asyncio
import os
import random
import re
import tempfile
import time
from typing import Any

from bench.api_client import Client, CpuMeter, ms, new_user, percentile, server_ms


async def bench_a(
    url: str, clients: int, users: int, seconds: float, cpu: CpuMeter
) -> dict[str, Any]:
    owners = await asyncio.gather(*(new_user(url, f"a{i}") for i in range(users)))
    tabs: list[Client] = []
    projects: list[str] = []
    for index in range(clients):  # sign-ins one at a time: argon2 is deliberately slow
        owner, email = owners[index % users]
        projects.append(await owner.new_project(f"a-{index}"))
        tab = Client(url)
        await tab.signin(email)
        tabs.append(tab)
    for owner, _email in owners:
        await owner.close()

    latencies: list[float] = []
    db_times: list[float] = []
    outcomes: dict[str, int] = {}
    start_line = asyncio.Event()
    deadline = 0.0

    async def run(tab: Client, project: str, seed: int) -> None:
        rnd = random.Random(seed)
        response, _ = await tab.sync(
            project, [{"op": "put", "path": "notes.txt", "content": "first\n"}]
        )
        version = response.json()["results"][0]["version"]
        await start_line.wait()
        count = 0
        while time.monotonic() < deadline:
            count += 1
            text = f"edit {count} " + "".join(rnd.choices("abcdefghij \n", k=190))
            op = {"op": "put", "path": "notes.txt", "base_version": version, "content": text}
            began = time.perf_counter()
            response, _ = await tab.sync(project, [op])
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                key = f"http_{response.status_code}"
            else:
                result = response.json()["results"][0]
                key = result["status"]
                if key == "ok":
                    version = result["version"]
                elif result.get("current_version") is not None:
                    version = result["current_version"]
            outcomes[key] = outcomes.get(key, 0) + 1
            dur = server_ms(response)
            if dur is not None:
                db_times.append(dur)

    pairs = enumerate(zip(tabs, projects, strict=True))
    workers = [asyncio.create_task(run(tab, project, i)) for i, (tab, project) in pairs]
    await asyncio.sleep(0.5)  # every client has made its first file
    before = cpu.sample()
    began = time.monotonic()
    deadline = began + seconds
    start_line.set()
    await asyncio.gather(*workers)
    elapsed = time.monotonic() - began
    after = cpu.sample()
    for tab in tabs:
        await tab.close()
    total = len(latencies)
    return {
        "clients": clients,
        "users": users,
        "seconds": round(elapsed, 2),
        "syncs": total,
        "syncs_per_s": round(total / elapsed, 1),
        "outcomes": outcomes,
        "latency_ms": {
            "p50": ms(percentile(latencies, 0.5)),
            "p90": ms(percentile(latencies, 0.9)),
            "p99": ms(percentile(latencies, 0.99)),
            "max": ms(max(latencies)),
        },
        "server_db_ms": {
            "p50": round(percentile(db_times, 0.5), 2),
            "p99": round(percentile(db_times, 0.99), 2),
        },
        "cpu": CpuMeter.usage(before, after),
    }


WRK_SCRIPT = """
local projects = PROJECTS
local counter = 0
local id = math.random(1, 1000000000)
local payload = string.rep("x", 200)
request = function()
  counter = counter + 1
  local pid = projects[(counter % #projects) + 1]
  local body = '{"ops":[{"op":"put","path":"w' .. id .. '-' .. counter ..
               '.txt","base_version":null,"content":"' .. payload .. '"}]}'
  return wrk.format("POST", "/api/projects/" .. pid .. "/sync", nil, body)
end
"""


async def bench_a_wrk(url: str, connections: int, seconds: float, cpu: CpuMeter) -> dict[str, Any]:
    """Part a again, driven by wrk (C, little CPU) so the load generator does not eat the
    cores the server needs. Each request creates a new small file (no version tracking
    needed), round-robin over one project per connection."""
    client, _email = await new_user(url, "wrk")
    projects = [await client.new_project(f"wrk-{i}") for i in range(connections)]
    cookie = "; ".join(f"{k}={v}" for k, v in client.http.cookies.items())
    await client.close()
    script = WRK_SCRIPT.replace("PROJECTS", "{" + ",".join(f'"{p}"' for p in projects) + "}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    headers = {
        "Cookie": cookie,
        "X-CSRF-Token": client.csrf,
        "Origin": url,
        "Content-Type": "application/json",
    }
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--latency",
        "-s",
        handle.name,
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    before = cpu.sample()
    proc = await asyncio.create_subprocess_exec(*command, url, stdout=asyncio.subprocess.PIPE)
    out = (await proc.communicate())[0].decode()
    os.unlink(handle.name)
    latency = {
        m[0]: _ms(m[1], m[2])
        for m in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "connections": connections,
        "seconds": seconds,
        "syncs_per_s": float(rate[1]) if rate else None,
        "latency_ms": {f"p{k}": v for k, v in latency.items()},
        "non_2xx": int(failed[1]) if failed else 0,
        "socket_errors": errors[1] if errors else None,
        "cpu": CpuMeter.usage(before, cpu.sample()),
    }


def _ms(value: str, unit: str) -> float:
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)
