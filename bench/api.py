#!/usr/bin/env python3
"""API benchmark: many small syncs at once, loading a large project, a one-line change.

Runs against a real PostgreSQL (DATABASE_URL if set, else an embedded one) and a real
`cospai serve` subprocess on a tiny dist/, or against a running server (--url). Prints one
JSON object:

  a  --clients clients (one connection each, signed in as one of --users users, one project
     each) push one-file syncs for --seconds: a ~200-byte put with the right base_version,
     taken from each answer. Total syncs, syncs/s, latency percentiles, the server's own
     time (Server-Timing db;dur), and the CPU the server process tree and PostgreSQL used.
  b  load (GET /files) of a 1,000-file, 10 MB text project: median of 5, with
     Accept-Encoding: gzip and without; bytes on the wire; an ETag revalidation (304).
  c  a one-line change in a 5,000-file project: request body bytes, server time (median
     of 20) and wall time; for comparison the same in a 10-file project, and creating a
     new file in the big one.
  d  a zip import of 20,000 small files (the most a project holds) as a new project:
     seconds from upload to the answer (median of --d-runs).
  e  reading a sync body in this process (no server, no database): CPU microseconds to
     parse and check it into operations, as the sync route does, for part a's one-file put,
     part c's one-line patch, and a 1,000-file 4 MB batch of puts (best of 5 rounds).

Targets: a >= 500 syncs/s with p99 < 50 ms; b < 300 ms; c < 10 ms server time, < 2 KB sent.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import re
import secrets
import shlex
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx2  # noqa: E402

from server import bodies, sync_ops  # noqa: E402
from server.models.requests import SyncRequest  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.api import PASSWORD, tiny_dist  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402

TARGETS = {
    "a": {"syncs_per_s_min": 500, "p99_ms_max": 50},
    "b": {"load_gzip_ms_max": 300},
    "c": {"server_ms_max": 10, "bytes_sent_max": 2048},
}
WORDS = [
    "def",
    "class",
    "return",
    "import",
    "from",
    "self",
    "value",
    "result",
    "items",
    "index",
    "count",
    "name",
    "path",
    "data",
    "file",
    "open",
    "read",
    "write",
    "async",
    "await",
    "yield",
    "lambda",
    "None",
    "True",
    "False",
    "for",
    "in",
    "if",
    "else",
    "elif",
    "while",
    "try",
    "except",
    "finally",
    "with",
    "as",
    "print",
    "len",
    "range",
    "dict",
]


# --- helpers ---------------------------------------------------------------------------


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def server_ms(response: httpx2.Response) -> float | None:
    """The `db;dur=` of Server-Timing: the server's time in the sync's transaction."""
    for part in response.headers.get("server-timing", "").split(","):
        name, _, params = part.strip().partition(";")
        if name == "db" and params.startswith("dur="):
            return float(params[4:])
    return None


def source_text(rnd: random.Random, size: int) -> str:
    """Plausible source code of about `size` bytes (compresses like real code, ~4x)."""
    lines, total, depth = [], 0, 0
    while total < size:
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(2, 9))]
        ident = f"{rnd.choice(WORDS)}_{rnd.randint(0, 999)}"
        line = "    " * depth + " ".join(words) + f" {ident} = {rnd.randint(0, 10**6)}"
        depth = max(0, min(4, depth + rnd.choice([-1, 0, 0, 1])))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)[:size] + "\n"


class CpuMeter:
    """CPU seconds used by a process tree and by PostgreSQL backends, from /proc (Linux)."""

    def __init__(self, root_pid: int | None) -> None:
        self.root_pid = root_pid
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _stats(self) -> dict[int, tuple[str, int, float]]:
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            comm = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            cpu = (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime
            found[int(entry.name)] = (comm, int(fields[1]), cpu)
        return found

    def sample(self) -> dict[str, float]:
        if not Path("/proc/self/stat").exists():
            return {}
        stats = self._stats()
        tree: set[int] = set()
        if self.root_pid is not None:
            tree, grew = {self.root_pid}, True
            while grew:
                grew = False
                for pid, (_comm, ppid, _cpu) in stats.items():
                    if ppid in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
        server = sum(stats[p][2] for p in tree if p in stats and stats[p][0] != "postgres")
        postgres = sum(cpu for comm, _ppid, cpu in stats.values() if comm == "postgres")
        return {"server": server, "postgres": postgres, "wall": time.monotonic()}

    @staticmethod
    def usage(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        """Average cores used in between (1.0 = one core busy the whole time)."""
        if not before or not after:
            return {}
        wall = after["wall"] - before["wall"]
        return {
            "server_cores": round((after["server"] - before["server"]) / wall, 2),
            "postgres_cores": round((after["postgres"] - before["postgres"]) / wall, 2),
            "machine_cores": os.cpu_count() or 0,
        }


class Client:
    """One browser tab: its own connection, cookie jar and CSRF token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx2.AsyncClient(
            base_url=url,
            timeout=120,
            headers={"origin": url},
            limits=httpx2.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self.csrf = ""

    async def close(self) -> None:
        await self.http.aclose()

    async def post_json(self, path: str, body: dict[str, Any]) -> tuple[httpx2.Response, int]:
        """POST a JSON body; return the response and the body's size in bytes."""
        data = json.dumps(body, separators=(",", ":")).encode()
        headers = {"content-type": "application/json", "x-csrf-token": self.csrf}
        response = await self.http.post(path, content=data, headers=headers)
        return response, len(data)

    async def signup(self, email: str) -> None:
        response, _ = await self.post_json(
            "/api/auth/signup", {"email": email, "password": PASSWORD}
        )
        response.raise_for_status()
        self.csrf = response.json()["csrf_token"]

    async def signin(self, email: str) -> None:
        response, _ = await self.post_json(
            "/api/auth/signin", {"email": email, "password": PASSWORD}
        )
        response.raise_for_status()
        self.csrf = response.json()["csrf_token"]

    async def new_project(self, name: str) -> str:
        response, _ = await self.post_json("/api/projects", {"name": name})
        response.raise_for_status()
        return str(response.json()["id"])

    async def sync(self, project: str, ops: list[dict[str, Any]]) -> tuple[httpx2.Response, int]:
        return await self.post_json(f"/api/projects/{project}/sync", {"ops": ops})

    async def fill(self, project: str, files: dict[str, str], batch_bytes: int) -> dict[str, int]:
        """Create files with a few large batches; return each file's version."""
        versions: dict[str, int] = {}
        batch: list[dict[str, Any]] = []
        size = 0
        items = list(files.items())
        for index, (path, text) in enumerate(items):
            batch.append({"op": "put", "path": path, "content": text})
            size += len(text)
            if size >= batch_bytes or index == len(items) - 1:
                response, _ = await self.sync(project, batch)
                response.raise_for_status()
                results = response.json()["results"]
                assert all(r["status"] == "ok" for r in results), results
                versions.update((r["path"], r["version"]) for r in results)
                batch, size = [], 0
        return versions


async def new_user(url: str, label: str) -> tuple[Client, str]:
    client = Client(url)
    email = f"bench-{label}-{secrets.token_hex(4)}@example.com"
    await client.signup(email)
    return client, email


# --- a: many clients, small syncs ------------------------------------------------------


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


# --- b: load a large project ---------------------------------------------------------------


async def timed_load(
    client: Client, project: str, encoding: str, etag: str | None = None
) -> tuple[float, int, httpx2.Response]:
    headers = {"accept-encoding": encoding}
    if etag:
        headers["if-none-match"] = etag
    began = time.perf_counter()
    async with client.http.stream(
        "GET", f"/api/projects/{project}/files", headers=headers
    ) as response:
        wire = 0
        async for chunk in response.aiter_raw():
            wire += len(chunk)
    elapsed = time.perf_counter() - began
    assert response.status_code in {200, 304}, response.status_code
    return elapsed, wire, response


async def bench_b(url: str, files: int, file_bytes: int, runs: int = 5) -> dict[str, Any]:
    client, _ = await new_user(url, "b")
    project = await client.new_project("b-large")
    rnd = random.Random(2)
    contents = {
        f"src/pkg{i // 100}/module_{i}.py": source_text(rnd, file_bytes) for i in range(files)
    }
    began = time.perf_counter()
    await client.fill(project, contents, batch_bytes=3_000_000)
    create_s = time.perf_counter() - began
    result: dict[str, Any] = {
        "files": files,
        "content_bytes": sum(len(t) for t in contents.values()),
        "create_s": round(create_s, 2),
    }
    etag = None
    for encoding in ("gzip", "identity"):
        await timed_load(client, project, encoding)  # warm
        times, wires = [], []
        for _ in range(runs):
            elapsed, wire, response = await timed_load(client, project, encoding)
            times.append(elapsed)
            wires.append(wire)
            etag = response.headers.get("etag")
            sent = response.headers.get("content-encoding", "identity")
        result[encoding] = {
            "median_ms": ms(statistics.median(times)),
            "min_ms": ms(min(times)),
            "max_ms": ms(max(times)),
            "wire_bytes": int(statistics.median(wires)),
            "content_encoding": sent,
        }
    not_modified = [(await timed_load(client, project, "gzip", etag))[0] for _ in range(runs)]
    result["revalidate_304_ms"] = ms(statistics.median(not_modified))
    await client.close()
    return result


# --- d: a large zip import -----------------------------------------------------------------


async def bench_d(url: str, files: int, runs: int) -> dict[str, Any]:
    client, _ = await new_user(url, "d")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(files):
            archive.writestr(f"pkg{i // 1000}/file{i:05}.txt", f"line {i}\n")
    body = buffer.getvalue()
    times = []
    for run in range(runs):
        began = time.perf_counter()
        response = await client.http.post(
            f"/api/projects/import?name=d-{run}",
            content=body,
            headers={"content-type": "application/zip", "x-csrf-token": client.csrf},
        )
        times.append(time.perf_counter() - began)
        response.raise_for_status()
    await client.close()
    return {
        "files": files,
        "zip_bytes": len(body),
        "runs": runs,
        "median_s": round(statistics.median(times), 2),
        "max_s": round(max(times), 2),
    }


# --- c: a one-line change in a big project ------------------------------------------------


async def one_line_changes(
    client: Client,
    project: str,
    contents: dict[str, str],
    versions: dict[str, int],
    runs: int,
    mode: str = "patch",
) -> dict[str, Any]:
    """`mode` patch: the change goes as an edit of the base text; put: the whole file."""
    rnd = random.Random(3)
    paths = sorted(contents)
    sent, request_total, server, wall = [], [], [], []
    for run in range(runs):
        path = rnd.choice(paths)
        lines = contents[path].split("\n")
        at = rnd.randrange(len(lines) - 1)
        addition = f"  # edit {run}"
        offset = sum(len(line) + 1 for line in lines[:at]) + len(lines[at])
        lines[at] = lines[at] + addition
        contents[path] = "\n".join(lines)
        if mode == "patch":
            op = {
                "op": "patch",
                "path": path,
                "base_version": versions[path],
                "edits": [{"start": offset, "end": offset, "text": addition}],
            }
        else:
            op = {
                "op": "put",
                "path": path,
                "base_version": versions[path],
                "content": contents[path],
            }
        began = time.perf_counter()
        response, body_bytes = await client.sync(project, [op])
        wall.append(time.perf_counter() - began)
        result = response.json()["results"][0]
        assert result["status"] == "ok", result
        versions[path] = result["version"]
        sent.append(body_bytes)
        request = response.request
        head = sum(len(k) + len(v) + 4 for k, v in request.headers.raw)  # "k: v\r\n"
        line = len(b"POST ") + len(request.url.raw_path) + len(b" HTTP/1.1\r\n\r\n")
        request_total.append(body_bytes + head + line)
        server.append(server_ms(response) or float("nan"))
    return {
        "bytes_sent": int(statistics.median(sent)),
        "request_bytes_with_headers": int(statistics.median(request_total)),
        "server_ms": round(statistics.median(server), 2),
        "server_ms_p90": round(percentile(server, 0.9), 2),
        "wall_ms": ms(statistics.median(wall)),
    }


async def bench_c(url: str, files: int, file_bytes: int, runs: int = 20) -> dict[str, Any]:
    client, _ = await new_user(url, "c")
    rnd = random.Random(4)
    measured: dict[int, dict[str, Any]] = {}
    for count in (files, 10):  # the big project, then a small one for comparison
        project = await client.new_project(f"c-{count}")
        contents = {f"lib/d{i // 200}/f{i}.ts": source_text(rnd, file_bytes) for i in range(count)}
        versions = await client.fill(project, contents, batch_bytes=4_000_000)
        measured[count] = await one_line_changes(client, project, contents, versions, runs)
        whole = await one_line_changes(client, project, contents, versions, runs, mode="put")
        measured[count]["as_whole_file_put"] = {k: whole[k] for k in ("bytes_sent", "server_ms")}
        if count == files:  # creating a file also looks for a folder in its way
            created = []
            for run in range(runs):
                response, _ = await client.sync(
                    project,
                    [{"op": "put", "path": f"lib/d{run % 10}/new_{run}.ts", "content": "x\n"}],
                )
                created.append(server_ms(response) or float("nan"))
            measured[count]["new_file_server_ms"] = round(statistics.median(created), 2)
    await client.close()
    return {
        "files": files,
        "file_bytes": file_bytes,
        "runs": runs,
        **measured[files],
        "same_change_in_10_files": measured[10],
    }


# --- main ----------------------------------------------------------------------------------


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


# --- e: reading a sync body, in this process -------------------------------------------


def read_sync_body(raw: bytes) -> list[sync_ops.Op]:
    """What the sync route does with a JSON body before it opens a transaction."""
    body = bodies.decode(raw, SyncRequest)
    return sync_ops.parse_ops(body.ops, {})


def bench_e(rounds: int = 5) -> dict[str, Any]:
    rnd = random.Random(5)
    text = "edit 1 " + "".join(rnd.choices("abcdefghij \n", k=190))
    put = {"op": "put", "path": "notes.txt", "base_version": 7, "content": text}
    edit = {"start": 1200, "end": 1200, "text": "  # edit 1"}
    patch = {"op": "patch", "path": "src/app/main.py", "base_version": 7, "edits": [edit]}
    batch = [
        {"op": "put", "path": f"src/d{i % 20}/f{i}.py", "content": source_text(rnd, 4096)}
        for i in range(1000)
    ]
    bodies_by_name = {"one_put": [put], "one_line_patch": [patch], "batch_1000_puts": batch}
    out: dict[str, Any] = {}
    for name, ops in bodies_by_name.items():
        raw = json.dumps({"ops": ops}, separators=(",", ":")).encode()
        times = []
        repeat = max(1, 2_000_000 // len(raw))  # about 2 MB of body a round
        for _ in range(rounds):
            began = time.process_time()
            for _ in range(repeat):
                read_sync_body(raw)
            times.append((time.process_time() - began) / repeat)
        out[name] = {"body_bytes": len(raw), "cpu_us": round(min(times) * 1e6, 1)}
    return out


def _ms(value: str, unit: str) -> float:
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


async def run_all(url: str, args: argparse.Namespace, cpu: CpuMeter) -> dict[str, Any]:
    parts = set(args.only.split(","))
    out: dict[str, Any] = {}
    if "a" in parts:
        out["a"] = await bench_a(url, args.clients, args.users, args.seconds, cpu)
        if shutil.which("wrk"):
            out["a_wrk"] = await bench_a_wrk(url, args.clients, args.seconds, cpu)
    if "b" in parts:
        out["b"] = await bench_b(url, args.b_files, args.b_file_bytes)
    if "c" in parts:
        out["c"] = await bench_c(url, args.c_files, args.c_file_bytes)
    if "d" in parts:
        out["d"] = await bench_d(url, args.d_files, args.d_runs)
    if "e" in parts:
        out["e"] = bench_e()
    met: dict[str, bool] = {}
    for part in ("a", "a_wrk"):
        if part in out and out[part]["syncs_per_s"] is not None:
            rate, p99 = out[part]["syncs_per_s"], out[part]["latency_ms"]["p99"]
            met[part] = rate >= TARGETS["a"]["syncs_per_s_min"] and p99 < TARGETS["a"]["p99_ms_max"]
    if "b" in out:
        met["b"] = out["b"]["gzip"]["median_ms"] < TARGETS["b"]["load_gzip_ms_max"]
    if "c" in out:
        met["c"] = (
            out["c"]["server_ms"] < TARGETS["c"]["server_ms_max"]
            and out["c"]["bytes_sent"] < TARGETS["c"]["bytes_sent_max"]
        )
    out["targets"] = {**TARGETS, "met": met}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--seconds", type=float, default=30, help="how long part a pushes syncs (default 30)"
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=50,
        help="concurrent clients in part a, one connection each (default 50)",
    )
    parser.add_argument(
        "--users", type=int, default=5, help="accounts the clients of part a sign in as (default 5)"
    )
    parser.add_argument(
        "--url",
        help="benchmark this running server (http://host:port) "
        "instead of starting one; it must accept sign-ups",
    )
    parser.add_argument("--only", default="a,b,c,d,e", help="parts to run, e.g. a or b,c")
    parser.add_argument(
        "--pool-max", type=int, help="COSPAI_POOL_MAX for the started server (default: its own, 10)"
    )
    parser.add_argument(
        "--server-args",
        default="",
        help="extra `cospai serve` arguments for the started server, e.g. '--workers 2'",
    )
    parser.add_argument("--b-files", type=int, default=1000, help="files in part b (1000)")
    parser.add_argument(
        "--b-file-bytes",
        type=int,
        default=10_240,
        help="bytes per file in part b (10240: 10 MB in all)",
    )
    parser.add_argument("--c-files", type=int, default=5000, help="files in part c (5000)")
    parser.add_argument(
        "--c-file-bytes",
        type=int,
        default=4096,
        help="bytes per file in part c (4096, a typical source file)",
    )
    parser.add_argument(
        "--d-files", type=int, default=20_000, help="files in the zip of part d (20000)"
    )
    parser.add_argument("--d-runs", type=int, default=3, help="imports in part d (3)")
    args = parser.parse_args()
    if set(args.only.split(",")) == {"e"}:  # in-process only: no server, no database
        print(json.dumps({"e": bench_e()}, indent=2))
        return 0
    with ExitStack() as stack:
        url = (args.url or "").rstrip("/")
        pid = None
        if not url:
            admin = stack.enter_context(databases.admin_url())
            db_url = stack.enter_context(databases.fresh_database(admin))
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            env = {"COSPAI_POOL_MAX": str(args.pool_max)} if args.pool_max else {}
            server = stack.enter_context(
                LiveServer(
                    database_url=db_url,
                    data_dir=scratch / "data",
                    dist_dir=tiny_dist(scratch / "dist"),
                    extra_env=env,
                    extra_args=shlex.split(args.server_args),
                )
            )
            url = server.url
            pid = server.process.pid if server.process else None
        load_before = os.getloadavg()
        result = asyncio.run(run_all(url, args, CpuMeter(pid)))
        result["setup"] = {
            "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            "cpus": os.cpu_count(),
            "server": url if args.url else f"started: cospai serve {args.server_args}".strip(),
            "pool_max": args.pool_max or "server default",
            "database": "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded",
        }
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
