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
import json
import os
import shlex
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_client import CpuMeter  # noqa: E402
from bench.api_parse import bench_e  # noqa: E402
from bench.api_projects import bench_b, bench_c, bench_d  # noqa: E402
from bench.api_syncs import bench_a, bench_a_wrk  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.api import tiny_dist  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402

TARGETS = {
    "a": {"syncs_per_s_min": 500, "p99_ms_max": 50},
    "b": {"load_gzip_ms_max": 300},
    "c": {"server_ms_max": 10, "bytes_sent_max": 2048},
}


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
