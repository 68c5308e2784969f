"""Edits survive: saved to the server, cached in IndexedDB, kept while offline."""

from __future__ import annotations

import time

from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.e2e import flows
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer


def server_files(context: BrowserContext, base: str, project: str) -> dict[str, str]:
    """The server's copy, through the API with the browser's own session cookie."""
    response = context.request.get(f"{base}/api/projects/{project}/files")
    assert response.ok, response.text()
    return {f["path"]: f.get("content") for f in response.json()["files"]}


def test_edit_save_and_reload_shows_the_cached_copy_first(
    page: Page,
    context: BrowserContext,
    live_server: LiveServer,
    request_log: list[str],
    artifacts,
) -> None:
    flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "cli", template="python-cli")
    flows.open_file(page, "main.py")
    flows.type_at_start(page, "# edited in the browser\n")
    page.wait_for_function("document.documentElement.dataset.syncState === 'unsaved'")
    # The label holds a passing state back a moment (no flicker on quick syncs), then says it.
    expect(page.locator("#status-text")).to_have_text("Unsaved changes (1)")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")
    expect(page.locator("#status-text")).to_have_text("Saved")
    page.screenshot(path=artifacts / "workbench-saved.png")
    saved = server_files(context, live_server.url, project)["main.py"]
    assert saved.startswith("# edited in the browser\n")

    # Hold the server's answer back: what shows first must come from IndexedDB.
    held: list[Route] = []
    page.route(f"**/api/projects/{project}/files", lambda route: held.append(route))
    page.reload()
    page.wait_for_function(
        "document.documentElement.dataset.projectSource === 'cache'", timeout=60_000
    )
    page.wait_for_selector('#file-tree .tree-row[data-path="main.py"]')
    page.wait_for_function("() => document.querySelector('.monaco-editor') !== null")
    deadline = time.monotonic() + 20
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "the server copy was never asked for"
    flows.open_file(page, "main.py")
    assert flows.model_text(page, "main.py") == saved  # shown while the server is silent
    for route in held:
        route.continue_()
    page.unroute(f"**/api/projects/{project}/files")
    flows.wait_for_workbench(page)
    assert off_machine(request_log) == []


def test_offline_edits_reach_the_server_when_back_online(
    page: Page, context: BrowserContext, live_server: LiveServer, artifacts
) -> None:
    flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "offline", template="static-site")
    flows.open_file(page, "script.js")
    context.set_offline(True)
    flows.type_at_start(page, "// written offline\n")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "document.documentElement.dataset.syncState === 'offline'", timeout=20_000
    )
    expect(page.locator("#status-text")).to_contain_text("Offline (1 pending)")
    footer = page.locator("footer")
    expect(footer).to_have_css("background-color", "rgb(154, 103, 0)")  # the warning colour
    page.screenshot(path=artifacts / "workbench-offline.png")
    context.set_offline(False)
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=30_000)
    expect(page.locator("#status-text")).to_have_text("Saved")
    expect(footer).not_to_have_css("background-color", "rgb(154, 103, 0)")
    content = server_files(context, live_server.url, project)["script.js"]
    assert content.startswith("// written offline\n")
