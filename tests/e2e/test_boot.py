"""The shell boots Pyodide through PyScript from our own origin and reaches ready."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Response, expect

from tests.support.browser import off_machine
from tests.support.live_server import LiveServer

READY_TIMEOUT = 60_000
ISOLATION = {
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "same-origin",
}


def wait_for_boot(page: Page) -> str:
    page.wait_for_function(
        "document.documentElement.dataset.ideState !== 'booting'", timeout=READY_TIMEOUT
    )
    return page.evaluate("document.documentElement.dataset.ideState")


def test_page_reaches_ready_with_python_running(
    page: Page, live_server: LiveServer, request_log: list[str], artifacts
) -> None:
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready", page.inner_text("#boot-error")

    marks = page.evaluate(
        "performance.getEntriesByType('mark').map(m => m.name).filter(n => n.startsWith('cospai:'))"
    )
    # The boot steps, in order; the app's own marks (cospai:session...) come after ready.
    assert marks[:6] == [
        "cospai:shell",
        "cospai:pyscript",
        "cospai:interpreter",
        "cospai:files",
        "cospai:client",
        "cospai:ready",
    ]
    assert page.evaluate("crossOriginIsolated") is True
    # Python itself wrote these: its version comes from sys.version_info, and the sign-in
    # form is the app's first view for a visitor without a session.
    expect(page.locator("#status-text")).to_contain_text("Ready · Python 3.14")
    expect(page.locator("#status-build")).to_contain_text(live_server.health()["build_id"])
    expect(page.locator("#auth-form")).to_be_visible()
    page.screenshot(path=artifacts / "boot-ready.png")

    assert off_machine(request_log) == []
    # Every asset loads; the one refusal is the session check of a visitor not signed in.
    failed = [(r.status, r.url) for r in responses if r.status >= 400]
    assert failed == [(401, live_server.url + "/api/auth/session")]
    wasm = [r for r in responses if r.url.endswith("/pyodide.asm.wasm")]
    html = [r for r in responses if r.url == live_server.url + "/"]
    assert wasm and html
    for response in (wasm[0], html[0]):
        headers = response.all_headers()
        for name, value in ISOLATION.items():
            assert headers.get(name) == value, (response.url, name, headers)
    assert wasm[0].all_headers()["content-type"] == "application/wasm"
    assert wasm[0].all_headers()["content-encoding"] == "br"


def test_worker_script_is_served_with_isolation_headers(
    page: Page, live_server: LiveServer, request_log: list[str]
) -> None:
    """A worker script without COEP is blocked silently; prove a real worker starts."""
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    assets = json.loads(page.inner_text("#cospai-assets"))["assets"]
    worker_url = f"{live_server.url}/{assets['monaco'][2:]}editor.worker.js"
    with page.expect_response(worker_url) as info:
        started = page.evaluate(
            """(url) => new Promise((resolve) => {
                const worker = new Worker(url, { type: "module" });
                worker.onerror = () => resolve("error");
                // Monaco's editor worker answers nothing until initialised; a clean
                // load without an error event within a second is what we check.
                setTimeout(() => { worker.terminate(); resolve("running"); }, 1000);
            })""",
            worker_url,
        )
    assert started == "running"
    headers = info.value.all_headers()
    for name, value in ISOLATION.items():
        assert headers.get(name) == value
    assert headers["content-type"].startswith("text/javascript")
    assert off_machine(request_log) == []
