"""The workbench benchmark's set-up (bench/workbench.py): its projects, a throwaway account
that imports them, browser profiles signed in by cookie, and waiting for the workbench."""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import statistics
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
from playwright.sync_api import BrowserContext, Page, Playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.workbench_probes import MARKS_JS, PROBE_JS
from tests.support import browser
from tests.support.archives import zip_of

if TYPE_CHECKING:  # Playwright's own name for add_cookies' items (not exported)
    from playwright._impl._api_structures import SetCookieParam

PASSWORD = "correct horse battery"  # noqa: S105  (a throwaway benchmark account)
ENTRY = "src/index.ts"
ENTRY_MARK = "workbench benchmark entry point"  # on the entry's first line
TIMEOUT_MS = 600_000  # a first open of 20,000 files from the server on a busy machine


def argument_parser(description: str | None) -> argparse.ArgumentParser:
    """The command line of a browser benchmark: its docstring, and where it runs."""
    return argparse.ArgumentParser(
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run from the project root after `make build`; "
        "without --url it needs DATABASE_URL (or starts "
        "an embedded PostgreSQL).",
    )


def ts_project(files: int) -> dict[str, str]:
    """A small TypeScript app: a note, tsconfig.json, the entry and modules in folders."""
    body = "".join(
        f"export function step{k}(value: number): number {{\n"
        f"  return value * {k} + {k}; // a line of ordinary source text\n}}\n\n"
        for k in range(12)
    )
    project = {
        # No package.json: under the "auto" runtime it would start a WebContainer boot,
        # which cannot reach StackBlitz here and would load the page for 20 s.
        "docs/notes.txt": "A TypeScript project for the workbench benchmark.\n",
        "tsconfig.json": json.dumps({"compilerOptions": {"target": "ES2022", "strict": True}}),
        ENTRY: f"// {ENTRY_MARK}\n"
        "import { step0 } from './m0/f0';\n\nexport const answer = step0(42);\n",
    }
    for i in range(files - len(project)):
        project[f"src/m{i // 20}/f{i}.ts"] = f"// module {i}\n" + body
    return project


def tree_project(layout: str) -> dict[str, str]:
    if layout == "flat":
        return {f"f{n:05}.txt": f"file {n}\n" for n in range(20_000)}
    return {f"d{d:03}/f{n:03}.txt": f"file {d}/{n}\n" for d in range(200) for n in range(100)}


class Account:
    """A throwaway user, signed up through the API; projects imported as zips."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = httpx2.Client(base_url=url, headers={"origin": url}, timeout=600)
        email = f"bench-workbench-{secrets.token_hex(4)}@example.com"
        response = self.client.post("/api/auth/signup", json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        self.csrf = response.json()["csrf_token"]

    def import_project(self, name: str, files: dict[str, str]) -> str:
        response = self.client.post(
            "/api/projects/import",
            params={"name": name},
            content=zip_of(files, deflate=True),
            headers={"x-csrf-token": self.csrf, "content-type": "application/zip"},
        )
        if response.status_code != 201:
            raise RuntimeError(f"import of {name} failed: {response.status_code} {response.text}")
        return str(response.json()["project"]["id"])

    def cookies(self) -> list[SetCookieParam]:
        # The session's cookies, which always carry a value (the jar's type allows none).
        return [
            {"name": c.name, "value": c.value or "", "url": self.url}
            for c in self.client.cookies.jar
        ]

    def close(self) -> None:
        self.client.close()


# ------------------------------------------------------------------ browser helpers


def launch(pw: Playwright, profile: Path, account: Account) -> BrowserContext:
    context = pw.chromium.launch_persistent_context(
        str(profile),
        headless=True,
        viewport={"width": 1280, "height": 800},
        **browser.launch_args(),
    )
    context.add_cookies(account.cookies())
    context.add_init_script(PROBE_JS % {"entry": json.dumps(ENTRY), "mark": json.dumps(ENTRY_MARK)})
    return context


def open_workbench(
    pw: Playwright, profile: Path, account: Account, url: str
) -> tuple[BrowserContext, Page]:
    """A browser profile signed in as `account`, at `url` with its workbench open."""
    context = launch(pw, profile, account)
    page = context.new_page()
    page.goto(url)
    wait_workbench(page)
    return context, page


def page_state(page: Page) -> str:
    """What the page shows, for an error message."""
    return str(
        page.evaluate("""() => JSON.stringify({
        ...document.documentElement.dataset,
        status: (document.getElementById('status-text') || {}).textContent,
        error: (document.getElementById('boot-error') || {}).textContent })""")
    )


def wait_workbench(page: Page) -> None:
    try:
        page.wait_for_function(
            "['ready', 'error'].includes(document.documentElement.dataset"
            ".workbench) || document.documentElement.dataset.ideState"
            " === 'error'",
            timeout=TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        raise RuntimeError(f"the workbench did not open in time: {page_state(page)}") from None
    if page.evaluate("document.documentElement.dataset.workbench") != "ready":
        raise RuntimeError(f"the workbench did not open: {page_state(page)}")


def wait_editable(page: Page) -> dict[str, Any]:
    page.wait_for_function("window.__bench && window.__bench.editablePainted", timeout=TIMEOUT_MS)
    marks = page.evaluate(MARKS_JS)
    if marks["ready"] is None:
        raise RuntimeError("no cospai:ready mark")
    return marks


def settle(page: Page) -> None:
    """Let the first open's cache writes and sync finish before the next measured open."""
    page.wait_for_function(
        "document.documentElement.dataset.syncState === 'saved'", timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(2000)


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[int(0.95 * (len(ordered) - 1))], 1)


def wait_quiet(page: Page) -> None:
    """Wait for the runtime worker to boot and its shell to start: the shell takes the
    keyboard focus when it starts, which would steal keystrokes meant for the editor."""
    page.wait_for_function(
        "document.documentElement.dataset.engine !== 'booting'", timeout=TIMEOUT_MS
    )
    if page.evaluate("document.documentElement.dataset.engine") == "ready":
        with contextlib.suppress(PlaywrightTimeout):  # else the shell left the focus alone
            page.wait_for_function(
                "document.activeElement && document.activeElement"
                ".classList.contains('xterm-helper-textarea')",
                timeout=15_000,
            )
    page.wait_for_timeout(1000)
