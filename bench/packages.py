#!/usr/bin/env python3
"""Package benchmark (issue 16): the server's package mirror, `pip install` and `npm
install` through it. The mirror already holds the packages when a figure is taken (seeded
with `cospai mirror seed`, or filled by an untimed warm-up install), so no figure
includes an upstream.

1. Cached tarballs: --clients concurrent GETs of one npm tarball the mirror keeps (real
   tarballs: `npm pack` of packages the build's `npm ci` installed), each from sending the
   request to the last byte read, over --rounds rounds on fresh connections; p50, p99 and
   max. Target: p99 < 50 ms.
2. pip through the mirror: `pip install` of a wheel that is not in the wheelhouse, typed in
   the terminal of a signed-in workbench, from Enter to "Successfully installed" drawn
   (polled every 50 ms by Playwright, so up to that much late). The first install fetches
   the wheel from the mirror; after `pip uninstall` the next installs take it from the
   sandbox's kept copy (client/glue/mirror-cache.mjs): both are reported. Target: < 1 s.

3. npm: the create-vite react-ts template, by the browser's npm (first, and offline from
   the sandbox's kept copies) and by the host's npm CLI from the same mirror, as a ratio
   (bench/npm_install.py). Its upstream is the npm registry this machine's configuration
   names (needed once, to fill the mirror); `--no-npm` leaves this part out. Targets:
   first < 8 s, offline < 3 s.

Prints one JSON object with the figures, the targets and `met`; exits 0 when a target is
missed, non-zero only on errors.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.npm_install import npm_figures  # noqa: E402
from bench.workbench_session import argument_parser  # noqa: E402
from server.mirror import upstreams  # noqa: E402
from tests.e2e import flows  # noqa: E402
from tests.e2e.test_pip_mirror import PROJECT, VERSION, make_wheel  # noqa: E402
from tests.e2e.test_terminal import screen, type_line, wait_for_prompt, wait_for_text  # noqa: E402
from tests.support import browser, databases  # noqa: E402
from tests.support.cli import run_cli  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402
from tests.support.mirror import npm_pack  # noqa: E402

TARGETS = {
    "cached_tarball_p99_ms": 50,
    "pip_install_ms": 1000,
    "npm_install_ms": 8000,
    "npm_offline_ms": 3000,
}
TARBALL_OF = "brace-expansion"  # one of tests/support/mirror.py's packed packages


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def tarball_path(url: str, name: str) -> str:
    host = urlsplit(url)
    connection = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
    connection.request("GET", f"/api/mirror/npm/{name}")
    packument = json.loads(connection.getresponse().read())
    connection.close()
    version = packument["dist-tags"]["latest"]
    return str(urlsplit(packument["versions"][version]["dist"]["tarball"]).path)


def cached_tarballs(url: str, clients: int, rounds: int) -> dict[str, Any]:
    path = tarball_path(url, TARBALL_OF)
    host = urlsplit(url)

    def fetch(start: Barrier) -> tuple[float, int]:
        connection = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
        connection.connect()  # the connection is made before the clock starts
        start.wait(30)
        began = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        size = len(response.read())
        took = (time.perf_counter() - began) * 1000
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        return took, size

    _, size = fetch(Barrier(1))  # the first read may fill the mirror's caches: not timed
    times: list[float] = []
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(rounds):
            starts = [Barrier(clients)] * clients
            times += [took for took, _ in pool.map(fetch, starts)]
    return {
        "package": TARBALL_OF,
        "bytes": size,
        "clients": clients,
        "requests": len(times),
        "p50": percentile(times, 0.5),
        "p99": percentile(times, 0.99),
        "max": round(max(times), 1),
    }


def pip_installs(url: str, runs: int, headless: bool) -> dict[str, Any]:
    with sync_playwright() as playwright:
        # Chromium as Chrome ships (storage partitioning on): the sandbox frame's kept
        # copies need it, as in the e2e tests.
        chromium = playwright.chromium.launch(
            headless=headless, **browser.partitioned_launch_args()
        )
        page = chromium.new_page()
        flows.sign_up(page, url)
        flows.create_project(page, "pip bench", "python-cli")
        wait_for_prompt(page)
        samples: list[float] = []
        for run in range(runs):
            if run:
                type_line(page, f"pip uninstall -y {PROJECT}")
                wait_for_text(page, f"Successfully uninstalled {PROJECT}", 60_000)
            type_line(page, "clear")
            began = time.perf_counter()
            type_line(page, f"pip install {PROJECT}")
            try:
                wait_for_text(page, f"Successfully installed {PROJECT}-{VERSION}", 60_000)
            except Exception:
                print("SCREEN", screen(page), file=sys.stderr)
                raise
            samples.append(round((time.perf_counter() - began) * 1000, 1))
        chromium.close()
    return {
        "first_from_the_mirror_ms": samples[0],
        "again_from_the_kept_copy_ms": round(statistics.median(samples[1:]), 1)
        if len(samples) > 1
        else None,
        "samples": samples,
    }


def main() -> int:
    parser = argument_parser(__doc__)
    parser.add_argument("--clients", type=int, default=50, help="concurrent fetches (50)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of them (10)")
    parser.add_argument("--runs", type=int, default=4, help="pip installs (4: 1 + 3 kept)")
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument("--no-npm", action="store_true", help="leave out the npm figures")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        databases.admin_url() as admin,
        databases.fresh_database(admin) as db_url,
    ):
        seeds = Path(folder) / "seeds"
        npm_pack(seeds)
        make_wheel(seeds)
        seeded = run_cli("mirror", "seed", str(seeds), database_url=db_url, timeout=120)
        if seeded.returncode != 0:
            raise RuntimeError(seeded.stdout + seeded.stderr)
        npm_upstream = upstreams.resolve("npm", "").url  # the configured registry
        server = LiveServer(
            database_url=db_url,
            data_dir=Path(folder) / "data",
            extra_env={"COSPAI_NPM_UPSTREAM": npm_upstream or "none"},
        )
        with server:
            figures = {
                "cached_tarball_ms": cached_tarballs(server.url, args.clients, args.rounds),
                "pip_install": pip_installs(server.url, args.runs, not args.headed),
            }
            if not args.no_npm and npm_upstream:
                figures["npm_install"] = npm_figures(server.url, Path(folder), not args.headed)
    met = {
        "cached_tarball_p99": figures["cached_tarball_ms"]["p99"]
        < TARGETS["cached_tarball_p99_ms"],
        "pip_install": figures["pip_install"]["first_from_the_mirror_ms"]
        < TARGETS["pip_install_ms"],
    }
    if "npm_install" in figures:
        npm = figures["npm_install"]["browser"]
        met["npm_install"] = npm["first_ms"] < TARGETS["npm_install_ms"]
        met["npm_offline"] = npm["offline_ms"] < TARGETS["npm_offline_ms"]
    print(json.dumps({**figures, "targets": TARGETS, "met": met}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
