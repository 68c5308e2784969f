"""Sync never hangs: a sync request that the server accepts and never answers is aborted at
its deadline (`?http-timeout=2` here, 30 s by default), the status says offline, and the
retry that follows, once the server answers again, saves the edit."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Page, Route

from tests.e2e import flows, seed
from tests.support.live_server import LiveServer


def test_a_sync_that_never_answers_is_retried(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    project = seed.new_project(page, "hang", {"notes.txt": "first\n"}, "?http-timeout=2")
    held: list[Route] = []
    # The server "accepts and never answers": the request is held, never fulfilled.
    page.route("**/api/projects/*/sync", lambda route: held.append(route))
    flows.open_file(page, "notes.txt")
    flows.type_at_start(page, "edited ")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "document.documentElement.dataset.syncState === 'offline'", timeout=15_000
    )
    assert held, "the sync request never left"
    page.unroute("**/api/projects/*/sync")
    for route in held:  # what the browser gave up on is gone; let Playwright forget it too
        with contextlib.suppress(Exception):  # already aborted by the page's own deadline
            route.abort()
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=60_000)
    assert seed.server_files(page, project)["notes.txt"] == b"edited first\n"
