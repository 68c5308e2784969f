"""Offline after one visit (service_worker/): the IDE, the dashboard and a cached project
load with the network off, edits and the terminal work, and the edits reach the server
once the network is back. A new build offers a reload and then runs alone; `?reset-sw=1`
starts clean. One browser context per test keeps the worker and its caches, as a
returning person's browser does."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e import flows, seed
from tests.e2e.test_boot import wait_for_boot
from tests.e2e.test_terminal import type_line, wait_for_prompt, wait_for_text
from tests.support.browser import off_machine
from tests.support.builds import build_changed_copy
from tests.support.live_server import LiveServer, StartServer
from tests.support.paths import DIST

CACHED_URLS = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        if (!name.startsWith('cospai-app:')) continue;
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(name + ' ' + request.url);
    }
    return urls;
}"""


@pytest.fixture(name="context")
def partitioned_context(partitioned_browser: Browser) -> Iterator[BrowserContext]:
    made = partitioned_browser.new_context()
    yield made
    made.close()


@pytest.fixture(name="page")
def partitioned_page(context: BrowserContext) -> Page:
    return context.new_page()


STORED_PROJECTS = """async () => {
    const {open, listProjects} = await import(
        new URL(cospaiBoot.assets.client + 'glue/idb.mjs', document.baseURI).href);
    return listProjects(await open());
}"""


SANDBOX_KEPT = """async () => {
    const list = await (await fetch('/sandbox-files.json', {cache: 'no-store'})).json();
    const cache = await caches.open('cospai-sandbox-' + list.build_id);
    return (await cache.keys()).length >= list.files.length;
}"""


def wait_offline_ready(page: Page) -> None:
    page.wait_for_function("document.documentElement.dataset.offline === 'ready'", timeout=60_000)


def wait_sandbox_offline_ready(page: Page) -> None:
    """The project's sandbox (another site) keeps the runtime's files in its own worker's
    cache once the runtime has started there."""
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=60_000)
    for _ in range(600):
        frames = [f for f in page.frames if "/runtime.html" in f.url]
        if frames and frames[0].evaluate(SANDBOX_KEPT):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the sandbox never kept the runtime's files")


def reload_offline(page: Page) -> None:
    """Once the open project is saved and in this browser's IndexedDB: the network off,
    the page reloaded, its workbench back."""
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")
    page.wait_for_timeout(1500)  # the project is in this browser's IndexedDB
    page.context.set_offline(True)
    page.reload()
    assert wait_for_boot(page) == "ready"
    flows.wait_for_workbench(page)


def make_project(page: Page, name: str) -> str:
    base = page.evaluate("location.origin")
    csrf = page.request.get(f"{base}/api/auth/session").json()["csrf_token"]
    response = page.request.post(
        f"{base}/api/projects",
        data=json.dumps({"name": name}),
        headers={"x-csrf-token": csrf, "origin": base, "content-type": "application/json"},
    )
    assert response.ok, response.text()
    return str(response.json()["id"])


def test_offline_dashboard_project_terminal_then_sync(
    page: Page,
    context: BrowserContext,
    live_server: LiveServer,
    request_log: list[str],
    artifacts: Path,
) -> None:
    flows.sign_up(page, live_server.url)
    never_opened = make_project(page, "never opened here")
    project = seed.import_project(page, "offline", {"main.py": "print('hi')\n"})
    page.reload()  # the dashboard lists both, and remembers the list for offline use
    page.wait_for_function("document.documentElement.dataset.dashboard === 'online'")
    page.locator(f'li[data-project-id="{project}"] .project-name').click()
    flows.wait_for_workbench(page)
    page.wait_for_function(f"async () => (await ({STORED_PROJECTS})()).includes('{project}')")
    wait_offline_ready(page)
    wait_sandbox_offline_ready(page)

    context.set_offline(True)
    page.goto(f"{live_server.url}/projects")
    assert wait_for_boot(page) == "ready"
    page.wait_for_function("document.documentElement.dataset.dashboard === 'offline'")
    expect(page.locator("#account-slot")).to_contain_text("@example.com")
    cached = page.locator(f'li[data-project-id="{project}"]')
    missing = page.locator(f'li[data-project-id="{never_opened}"]')
    expect(cached).not_to_have_attribute("data-offline", "unavailable")
    expect(missing).to_have_attribute("data-offline", "unavailable")
    expect(missing).to_contain_text("unavailable offline")
    expect(page.locator("#dashboard-status")).to_contain_text("offline")
    page.screenshot(path=artifacts / "offline-dashboard.png")
    missing.locator(".project-name").click(force=True)  # aria-disabled: says why
    expect(page.locator("#dashboard-error")).to_contain_text("cannot open offline")

    cached.locator(".project-name").click()
    flows.wait_for_workbench(page)
    flows.open_file(page, "main.py")
    flows.type_at_start(page, "# offline edit\n")
    expect(page.locator("#status-text")).to_contain_text("Offline", timeout=15_000)
    wait_for_prompt(page)
    type_line(page, 'python -c "print(6 * 7)"')
    wait_for_text(page, "42")
    page.screenshot(path=artifacts / "offline-workbench.png")

    # The project's own URL reloads offline too, with the edit still pending.
    page.wait_for_function("document.documentElement.dataset.syncState !== 'saving'")
    page.wait_for_timeout(1500)  # past the 1 s IndexedDB debounce
    page.reload()
    assert wait_for_boot(page) == "ready"
    flows.wait_for_workbench(page)
    assert page.evaluate("document.documentElement.dataset.projectSource") == "cache"
    assert (flows.model_text(page, "main.py") or "").startswith("# offline edit\n")
    expect(page.locator("#status-text")).to_contain_text("Offline")

    context.set_offline(False)
    for _ in range(60):
        if seed.server_files(page, project).get("main.py", b"").startswith(b"# offline edit\n"):
            break
        page.wait_for_timeout(500)
    assert seed.server_files(page, project)["main.py"] == b"# offline edit\nprint('hi')\n"

    urls = page.evaluate(CACHED_URLS)
    assert urls, "the service worker cached nothing"
    assert not [u for u in urls if urlsplit(u.split(" ", 1)[1]).path.startswith("/api")]
    assert off_machine(request_log) == []


def test_new_build_offers_reload_then_runs_alone(
    page: Page,
    context: BrowserContext,
    start_server: StartServer,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(DIST, site)
    build_a = json.loads((site / "manifest.json").read_text())
    change = {"client/styles/dashboard.css": "/* build B */\n"}
    manifest_b = build_changed_copy(tmp_path / "src-b", change, tmp_path / "dist-b")
    assert manifest_b["build_id"] != build_a["build_id"]
    server = start_server(site)
    page.goto(server.url + "/")
    assert wait_for_boot(page) == "ready"
    wait_offline_ready(page)
    page.reload()  # now the worker controls the page
    assert wait_for_boot(page) == "ready"
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    # Deploy build B (build.py swaps dist/ whole; so does this).
    site.rename(tmp_path / "site-a")
    (tmp_path / "dist-b").rename(site)
    page.wait_for_timeout(1100)  # the server looks at the manifest at most once a second
    page.evaluate("window.cospaiServiceWorker.update()")
    banner = page.locator("#update-banner")
    expect(banner).to_contain_text("A new version is ready", timeout=60_000)
    # Until the reload, this page still runs A and its worker answers from A's cache.
    assert (
        page.evaluate("document.querySelector('meta[name=cospai-build]').content")
        == build_a["build_id"]
    )
    page.screenshot(path=artifacts / "update-banner.png")

    with page.expect_navigation():
        banner.get_by_role("button", name="Reload").click()
    assert wait_for_boot(page) == "ready"
    assert (
        page.evaluate("document.querySelector('meta[name=cospai-build]').content")
        == manifest_b["build_id"]
    )
    wait_offline_ready(page)
    used = page.evaluate("performance.getEntriesByType('resource').map((r) => r.name)")
    ours = [urlsplit(u).path.lstrip("/") for u in used if u.startswith(server.url)]
    ours = [p for p in ours if not p.startswith("api/")]
    assert ours and all(p in manifest_b["files"] for p in ours), ours
    only_in_a = set(build_a["files"]) - set(manifest_b["files"])
    assert only_in_a and not only_in_a & set(ours)
    caches = page.evaluate("caches.keys()")
    assert [c for c in caches if c.startswith("cospai-app:")] == [
        f"cospai-app:/:{manifest_b['build_id']}"
    ]


def test_reset_sw_unregisters_and_reloads_clean(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    wait_offline_ready(page)  # from now on the worker would answer every navigation

    page.goto(live_server.url + "/?reset-sw=1")
    page.wait_for_url(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    # A fresh start: no worker answered this page (the next one registers again).
    assert page.evaluate("navigator.serviceWorker.controller === null")
