"""The real vendored @webcontainer/api where StackBlitz cannot be reached (as on the test
machines, whose browser resolves no outside host): boot() never settles, so the IDE says
`unavailable` with the reason once the configured timeout passes, offers Pyodide, and one
click switches the project to it (kept across a reload) with a working terminal. Editing
and sync never waited for the runtime."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.e2e import flows, seed
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer

TIMEOUT_MS = 1500


def test_an_unreachable_service_says_why_and_offers_pyodide(
    page: Page,
    start_server: Any,
    request_log: list[str],
    artifacts: Path,
) -> None:
    server: LiveServer = start_server(extra_env={"COSPAI_WEBCONTAINER_TIMEOUT_MS": str(TIMEOUT_MS)})
    flows.sign_up(page, server.url)
    project = seed.new_project(
        page, "offline-node", {"package.json": '{"name": "x"}\n', "index.js": "console.log(1)\n"}
    )
    page.wait_for_function(
        """() => document.documentElement.dataset.runtimeEngine === 'webcontainer'
            && document.documentElement.dataset.engine === 'unavailable'""",
        timeout=TIMEOUT_MS + 15_000,
    )
    offer = page.locator("#runtime-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(
        "WebContainer is unavailable: the WebContainer service did not answer within 1.5 s."
    )
    status = page.locator("#status-engine")
    expect(status).to_contain_text("WebContainer: unavailable")
    page.screenshot(path=artifacts / "webcontainer-unavailable.png")

    # Editing and sync do not depend on a runtime.
    flows.open_file(page, "index.js")
    flows.type_at_start(page, "// edited\n")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=20_000)
    assert seed.server_files(page, project)["index.js"].startswith(b"// edited\n")

    offer.get_by_role("button", name="Use Python (Pyodide) instead").click()
    page.wait_for_function(
        """() => document.documentElement.dataset.runtimeEngine === 'pyodide'
            && document.documentElement.dataset.engine === 'ready'""",
        timeout=60_000,
    )
    expect(offer).to_be_hidden()
    terminal = "#bottom-panel .term-host:not([hidden])"
    page.wait_for_function(
        "(sel) => (document.querySelector(sel + ' .xterm-rows') || {}).innerText?.includes('~ $')",
        arg=terminal,
        timeout=60_000,
    )
    page.locator(f"{terminal} .xterm-helper-textarea").focus()
    page.keyboard.type("echo from pyodide && cat index.js")
    page.keyboard.press("Enter")
    expect(page.locator(f"{terminal} .xterm-rows")).to_contain_text("// edited", timeout=20_000)

    # The choice is the project's setting now: a reload goes straight to Pyodide.
    page.reload()
    flows.wait_for_workbench(page)
    page.wait_for_function(
        """() => document.documentElement.dataset.runtimeEngine === 'pyodide'
            && document.documentElement.dataset.engine === 'ready'""",
        timeout=60_000,
    )
    # The only requests off this machine were the WebContainer client's, and they failed.
    assert all(
        (urlsplit(url).hostname or "").endswith("stackblitz.com")
        for url in off_machine(request_log)
    ), off_machine(request_log)
