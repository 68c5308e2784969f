"""Browser tests are marked e2e, so `pytest -m "not e2e"` gives a quick run. Shared here:
Chromium as Chrome ships it, for the tests that need its storage partitioning."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright

from tests.support import browser as browser_support


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def partitioned_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium with third-party storage partitioning on, as Chrome ships it. Playwright
    turns it off, and then an iframe on another site is refused IndexedDB (which PyScript
    opens while booting, see tests/e2e/test_preview.py), and the sandbox's service worker,
    which serves previews and keeps the runtime for offline use, does not register."""
    launched = playwright.chromium.launch(**browser_support.partitioned_launch_args())
    yield launched
    launched.close()
