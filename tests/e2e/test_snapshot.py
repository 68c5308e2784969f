"""The Python memory snapshot: saved after a first boot, restored on the next, optional."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_boot import wait_for_boot
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer

SAVED = "performance.getEntriesByName('cospai:snapshot-saved').length > 0"
RESTORED = "performance.getEntriesByName('cospai:snapshot-restored').length"


def test_second_boot_restores_python_from_the_snapshot(
    page: Page, live_server: LiveServer, request_log: list[str]
) -> None:
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    assert page.evaluate(RESTORED) == 0
    page.wait_for_function(SAVED, timeout=60_000)

    page.reload()
    assert wait_for_boot(page) == "ready"
    assert page.evaluate(RESTORED) == 1
    # The restored interpreter is a working one: the status and the form are Python's doing.
    expect(page.locator("#status-text")).to_contain_text("Python 3.14")
    expect(page.locator("#auth-form")).to_be_visible()
    assert page.evaluate("crossOriginIsolated") is True
    assert off_machine(request_log) == []


def test_a_corrupt_snapshot_falls_back_to_a_normal_boot(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/")
    assert wait_for_boot(page) == "ready"
    page.wait_for_function(SAVED, timeout=60_000)
    key = page.evaluate(
        """async () => {
            const cache = await caches.open("cospai-python-snapshot");
            const [request] = await cache.keys();
            const junk = new Uint8Array(1 << 20).fill(7);
            await cache.put(request, new Response(junk));
            return request.url;
        }"""
    )
    assert key.endswith("/python.snapshot")

    page.reload()
    assert wait_for_boot(page) == "ready", page.inner_text("#boot-error")
    assert page.evaluate(RESTORED) == 0
    expect(page.locator("#status-text")).to_contain_text("Python 3.14")
    expect(page.locator("#auth-form")).to_be_visible()
    # The bad snapshot was dropped, and a good one is written again.
    page.wait_for_function(SAVED, timeout=60_000)
