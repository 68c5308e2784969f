"""The WebContainer engine in the workbench, over the WebContainer API double
(tests/doubles/webcontainer.mjs; StackBlitz cannot be reached here): the engine choice
and its status bar item, `jsh` in the terminal, files a command makes reaching the tree
and the server, editor changes reaching the container, and `server-ready` driving the
preview with the container's own URL and forwarding its console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e import flows, seed
from tests.e2e.test_terminal import ACTIVE, type_line, wait_for_text
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer
from tests.support.webcontainer_double import use_double

PAGE = """<!doctype html>
<title>demo</title>
<h1 id="greeting">Hello from the container</h1>
<script>console.log("hello from the preview")</script>
<script>setTimeout(() => { throw new Error("broken on purpose") }, 0)</script>
"""
PACKAGE = '{"name": "demo", "private": true, "scripts": {"start": "serve"}}\n'


def engine(page: Page, name: str, state: str = "ready") -> None:
    page.wait_for_function(
        """([name, state]) => document.documentElement.dataset.runtimeEngine === name
            && document.documentElement.dataset.engine === state""",
        arg=[name, state],
        timeout=60_000,
    )


def test_a_package_json_project_runs_in_the_webcontainer(
    context: BrowserContext,
    page: Page,
    live_server: LiveServer,
    request_log: list[str],
    artifacts: Path,
) -> None:
    use_double(context)
    flows.sign_up(page, live_server.url)
    logo = bytes(range(256)) * 4
    project = seed.new_project(
        page,
        "wc-app",
        {"package.json": PACKAGE, "index.html": PAGE, "logo.bin": logo},
        query="?debug=1",
    )
    engine(page, "webcontainer")
    expect(page.locator("#status-engine")).to_have_text("WebContainer: ready")
    assert "auto: the project has a package.json" in (
        page.locator("#status-engine").get_attribute("title") or ""
    )
    wait_for_text(page, "❯")  # jsh's prompt, in the terminal opened for us

    # The mount carried every file, binary ones byte for byte.
    result = page.evaluate("window.cospaiRuntime.run('ls')")
    assert "index.html" in result and "logo.bin" in result and "package.json" in result

    # A file made in jsh reaches the tree, the cache and the server.
    type_line(page, "mkdir -p out && echo made in jsh > out/new.txt && cat out/new.txt")
    wait_for_text(page, "made in jsh")
    page.wait_for_selector('#file-tree .tree-row[data-path="out"]', timeout=10_000)
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=20_000)
    assert seed.server_files(page, project)["out/new.txt"] == b"made in jsh\n"

    # Ignored paths stay in the container.
    type_line(
        page, "mkdir -p node_modules/pkg && touch node_modules/pkg/index.js && touch seen.txt"
    )
    page.wait_for_selector('#file-tree .tree-row[data-path="seen.txt"]', timeout=10_000)
    files = page.evaluate("Object.keys(JSON.parse(window.cospaiDebug.files()))")
    assert not [p for p in files if p.startswith("node_modules/")]

    # An editor change reaches the container (the 300 ms write-through).
    flows.open_file(page, "index.html")
    flows.type_at_start(page, "<!-- edited -->")
    page.wait_for_timeout(600)
    type_line(page, "cat index.html")
    wait_for_text(page, "<!-- edited -->")

    # server-ready puts the container's own preview URL into the preview, and the page's
    # console reaches the preview console (the preview script).
    page.keyboard.press("F5")  # Run: the package's start script, `serve` here
    wait_for_text(page, "> serve")
    wait_for_text(page, "Serving!")
    frame = page.locator("#preview-frame")
    expect(frame).to_be_visible(timeout=10_000)
    src = frame.get_attribute("src") or ""
    assert src.startswith("blob:"), src  # the double's URL, as the container gave it
    greeting = page.frame_locator("#preview-frame").locator("#greeting")
    expect(greeting).to_have_text("Hello from the container", timeout=10_000)
    expect(page.locator(".pv-line", has_text="hello from the preview")).to_be_visible(
        timeout=10_000
    )
    expect(
        page.locator('.pv-line[data-level="uncaught"]', has_text="broken on purpose")
    ).to_be_visible(timeout=10_000)  # forwardPreviewErrors' preview-message
    expect(page.locator('#preview-port option[value="3000"]')).to_have_count(1)
    page.screenshot(path=artifacts / "webcontainer-double.png")

    # Ctrl+C stops the server: its port closes and the preview goes back to static files.
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    page.keyboard.press("Control+c")
    expect(page.locator('#preview-port option[value="3000"]')).to_have_count(0, timeout=10_000)
    assert off_machine(request_log) == []


def test_auto_picks_by_package_json_and_the_setting_survives_a_reload(
    context: BrowserContext,
    page: Page,
    live_server: LiveServer,
    artifacts: Path,
) -> None:
    use_double(context)
    flows.sign_up(page, live_server.url)
    seed.new_project(page, "plain", {"main.py": "print('hi')\n"})
    engine(page, "pyodide")
    expect(page.locator("#status-engine")).to_have_text("Python (Pyodide): ready")
    assert "no package.json" in (page.locator("#status-engine").get_attribute("title") or "")

    # The status bar item changes the project's setting.
    page.click("#status-engine")
    page.click("#runtime-setting-webcontainer")
    engine(page, "webcontainer")
    wait_for_text(page, "❯")  # the Pyodide shell's tab went with its engine
    page.screenshot(path=artifacts / "webcontainer-setting.png")
    page.reload()
    flows.wait_for_workbench(page)
    engine(page, "webcontainer")
    page.click("#status-engine")
    expect(page.locator("#runtime-setting-webcontainer")).to_contain_text("✓")
    page.screenshot(path=artifacts / "webcontainer-setting-menu.png")
    page.click("#runtime-setting-auto")
    engine(page, "pyodide")
    page.reload()
    flows.wait_for_workbench(page)
    engine(page, "pyodide")


def test_the_api_key_from_the_server_is_configured_before_the_one_boot(
    context: BrowserContext,
    page: Page,
    start_server: Any,
) -> None:
    use_double(context)
    server = start_server(extra_env={"COSPAI_WEBCONTAINER_API_KEY": "wc_test_key"})
    flows.sign_up(page, server.url)
    seed.new_project(page, "keyed", {"package.json": PACKAGE, "index.html": PAGE})
    engine(page, "webcontainer")
    booted = page.evaluate("window.webcontainerDouble")
    assert booted["apiKey"] == "wc_test_key"
    assert booted["options"] == {
        "coep": "require-corp",
        "workdirName": "project",
        "forwardPreviewErrors": True,
    }
    # Switching away and back reuses the page's container: still one boot.
    page.click("#status-engine")
    page.click("#runtime-setting-pyodide")
    engine(page, "pyodide")
    page.click("#status-engine")
    page.click("#runtime-setting-webcontainer")
    engine(page, "webcontainer")
    wait_for_text(page, "❯")
    type_line(page, "ls")
    wait_for_text(page, "index.html")
    assert page.evaluate("window.webcontainerDouble.boots") == 1
