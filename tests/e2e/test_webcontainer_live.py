"""WebContainer for real, against StackBlitz's service: the Vite + React template, `npm
install` and `npm run dev` in the terminal, the dev server's URL in the preview, and an edit
to src/App.jsx seen there (hot reload). Only where the service can be reached: a quick
probe, then a boot within a timeout decide; elsewhere (the test machines) it skips with
the reason. Its browser may resolve outside hosts, unlike every other e2e test's."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.e2e import flows
from tests.support.browser import CHROMIUM_ARGS
from tests.support.live_server import LiveServer
from tests.support.paths import CHROMIUM

SERVICE = "stackblitz.com"  # where @webcontainer/api boots its container from
BOOT_TIMEOUT_MS = 30_000
CONTAINER_URL = re.compile(r"^https://")  # the dev server's URL, on the service's origin


def unreachable() -> str | None:
    """Why the service cannot be reached from here, or None when it answers."""
    try:
        socket.create_connection((SERVICE, 443), timeout=5).close()
    except OSError as error:
        return f"StackBlitz's WebContainer service ({SERVICE}) is unreachable: {error}"
    return None


@pytest.fixture
def open_browser(playwright: Playwright) -> Iterator[Browser]:
    reason = unreachable()
    if reason:
        pytest.skip(reason)
    args = [arg for arg in CHROMIUM_ARGS if not arg.startswith("--host-resolver-rules")]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


def test_vite_react_installs_runs_and_hot_reloads(
    open_browser: Browser, live_server: LiveServer, artifacts: Path
) -> None:
    page: Page = open_browser.new_page()
    flows.sign_up(page, live_server.url)
    flows.create_project(page, "live-vite", template="vite-react")
    page.wait_for_function(
        """() => document.documentElement.dataset.runtimeEngine === 'webcontainer'
            && ['ready', 'unavailable', 'failed'].includes(
                document.documentElement.dataset.engine)""",
        timeout=BOOT_TIMEOUT_MS + 30_000,
    )
    if page.evaluate("document.documentElement.dataset.engine") != "ready":
        pytest.skip(f"WebContainer did not boot: {page.locator('#status-engine').inner_text()}")

    terminal = "#bottom-panel .term-host:not([hidden])"
    page.wait_for_selector(f"{terminal} .xterm-helper-textarea", state="attached")
    page.locator(f"{terminal} .xterm-helper-textarea").focus()
    page.keyboard.type("npm install && npm run dev")
    page.keyboard.press("Enter")

    frame = page.locator("#preview-frame")
    expect(frame).to_have_attribute("src", CONTAINER_URL, timeout=300_000)
    preview = page.frame_locator("#preview-frame")
    expect(preview.locator("h1")).to_have_text("Vite + React", timeout=60_000)
    page.screenshot(path=artifacts / "webcontainer-live.png")

    flows.open_file(page, "src/App.jsx")
    page.evaluate(
        """async () => {
            const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
            const {monaco} = await import(url);
            const model = monaco.editor.getModels().find((m) => m.uri.path === "/src/App.jsx");
            model.setValue(model.getValue().replace("<h1>Vite + React</h1>",
                                                    "<h1>Edited in CosPAI</h1>"));
        }"""
    )
    expect(preview.locator("h1")).to_have_text("Edited in CosPAI", timeout=60_000)
    # The installed packages stay in the container: node_modules/ never reaches the model.
    expect(page.locator('#file-tree .tree-row[data-path="node_modules"]')).to_have_count(0)
