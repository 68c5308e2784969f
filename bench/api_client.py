"""The API benchmark's client side (bench/api.py): one browser tab's worth of HTTP (its
own connection, cookies and CSRF token), plausible source text, the figures' arithmetic,
and the CPU the server and PostgreSQL use while it runs."""

from __future__ import annotations

import json
import os
import random
import secrets
import time
from pathlib import Path
from typing import Any

import httpx2

from tests.support.api import PASSWORD

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
