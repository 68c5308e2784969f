"""The npm figures of the package benchmark (bench/packages.py runs them): the create-vite
react-ts template installed by the browser's npm and by the host's npm CLI from the same
mirror, which already holds the packages: an untimed warm-up fills it from the configured
upstream first (the host's npm install, which asks for full packuments, then a GET of the
abbreviated packument of every package in its lockfile, the form our npm asks for). The
server's one-minute memory of documents (server/mirror/hot_docs.py) is warm for both
timed installs.

- host: `npm install --ignore-scripts` in a copy of the template, with an empty npm cache
  of its own, against the mirror; from start to exit.
- browser, first: `npm install` typed in the workbench's terminal (Pyodide runtime), from
  Enter to the summary line drawn (polled every 50 ms by Playwright); packages and bytes
  as our npm reports them.
- browser, offline: the browser offline, `rm -rf node_modules`, then `npm install` again:
  everything from the sandbox's kept copies.

Targets (issue 16): browser first < 8 s, offline < 3 s; host/browser reported as a ratio.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.e2e import flows
from tests.e2e.seed import import_project
from tests.e2e.test_terminal import screen, type_line, wait_for_prompt, wait_for_text
from tests.support import browser, create_vite

SUMMARY = re.compile(r"added (\d+) packages? in (\S+)\s+fetched ([\d.]+ [kM]B)")
TIMING = re.compile(
    r"timing: resolve (\d+)ms, fetch (\d+)ms, unpack (\d+)ms \(resolve includes (\d+)ms decoding"
)
PHASES = ("resolve", "fetch", "unpack", "resolve_decoding")


def warm_abbreviated(registry: str, lockfile: Path) -> int:
    """GET the abbreviated packument of every package a lockfile names; how many."""
    import json
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import quote
    from urllib.request import Request, urlopen

    packages = json.loads(lockfile.read_text())["packages"]
    names = sorted({path.rsplit("node_modules/", 1)[1] for path in packages if path})
    accept = {"Accept": "application/vnd.npm.install-v1+json"}

    def get(name: str) -> None:
        with urlopen(Request(registry + quote(name, safe="@"), headers=accept), timeout=120) as r:
            r.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, names))
    return len(names)


def host_install(files: dict[str, bytes], registry: str, folder: Path) -> float:
    """The host's npm installing the template from the mirror: seconds."""
    project = folder / "project"
    shutil.rmtree(project, ignore_errors=True)
    for path, data in files.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_bytes(data)
    cache = Path(tempfile.mkdtemp(prefix="npm-cache-", dir=folder))
    began = time.perf_counter()
    done = subprocess.run(
        ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--registry", registry],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "npm_config_cache": str(cache)},
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"host npm install failed: {done.stderr[-2000:]}")
    return seconds


def browser_installs(url: str, files: dict[str, bytes], headless: bool) -> dict[str, Any]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            headless=headless, **browser.partitioned_launch_args()
        )
        page = chromium.new_page()
        flows.sign_up(page, url)
        project = import_project(page, "npm bench", files)
        page.evaluate(
            "(key) => localStorage.setItem(key, JSON.stringify({runtime: 'pyodide'}))",
            f"cospai-layout-{project}",
        )
        page.goto(f"{url}/p/{project}")
        flows.wait_for_workbench(page)
        wait_for_prompt(page)

        def timed(line: str) -> tuple[float, re.Match[str], re.Match[str]]:
            type_line(page, "clear")
            began = time.perf_counter()
            type_line(page, line)
            try:
                wait_for_text(page, "packages in", 120_000)
                wait_for_text(page, "timing:", 10_000)
            except Exception:
                print("SCREEN", screen(page), file=sys.stderr)
                raise
            seconds = time.perf_counter() - began
            text = " ".join(screen(page).split())
            found, phases = SUMMARY.search(text), TIMING.search(text)
            if found is None or phases is None:
                raise RuntimeError(f"no npm summary on screen: {screen(page)}")
            return seconds, found, phases

        first, said, phases = timed("npm install --timing")
        page.context.set_offline(True)
        offline, again, offline_phases = timed("rm -rf node_modules && npm install --timing")
        page.context.set_offline(False)
        chromium.close()
    return {
        "first_ms": round(first * 1000),
        "offline_ms": round(offline * 1000),
        "packages": int(said[1]),
        "bytes": said[3],
        "offline_packages": int(again[1]),
        # npm's own phases (--timing): resolving, waiting for tarballs, unpacking them.
        "first_phases_ms": dict(zip(PHASES, map(int, phases.groups()), strict=True)),
        "offline_phases_ms": dict(zip(PHASES, map(int, offline_phases.groups()), strict=True)),
    }


def npm_figures(url: str, folder: Path, headless: bool) -> dict[str, Any]:
    """The template installed by host npm (warm-up, then timed) and by the browser."""
    files = create_vite.template("react-ts", folder / "packs")
    registry = f"{url}/api/mirror/npm/"
    host_install(files, registry, folder)  # the mirror fetches from the upstream: untimed
    warm_abbreviated(registry, folder / "project" / "package-lock.json")
    host = host_install(files, registry, folder)
    ours = browser_installs(url, files, headless)
    return {
        "template": "create-vite react-ts",
        "host_npm_ms": round(host * 1000),
        "browser": ours,
        "browser_over_host": round(ours["first_ms"] / (host * 1000), 2),
    }
