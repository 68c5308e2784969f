"""The server dies while the user works: edits wait, nothing is lost or doubled, and they
reach the server once it is back."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e import flows
from tests.e2e.test_workbench_sync import server_files
from tests.support import databases
from tests.support.live_server import LiveServer


def test_edits_survive_a_server_crash(
    page: Page, context: BrowserContext, pg_admin_url: str, tmp_path: Path
) -> None:
    with databases.fresh_database(pg_admin_url) as url:
        server = LiveServer(database_url=url, data_dir=tmp_path / "data").start()
        try:
            flows.sign_up(page, server.url)
            project = flows.create_project(page, "crash", template="static-site")
            flows.open_file(page, "index.html")
            flows.type_at_start(page, "<!-- one -->\n")
            page.keyboard.press("Control+s")
            page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")

            server.kill()
            flows.type_at_start(page, "<!-- two -->\n")
            page.keyboard.press("Control+s")
            page.wait_for_function(
                "document.documentElement.dataset.syncState === 'offline'", timeout=20_000
            )
            expect(page.locator("#status-text")).to_contain_text("Offline (1 pending)")

            server.start()  # same database, same port
            page.wait_for_function(
                "document.documentElement.dataset.syncState === 'saved'", timeout=60_000
            )
            stored = server_files(context, server.url, project)["index.html"]
            assert stored.startswith("<!-- two -->\n<!-- one -->\n")
            assert stored.count("<!-- two -->") == 1 and stored.count("<!-- one -->") == 1
        finally:
            server.stop()
