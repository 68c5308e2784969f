"""Two devices edit the same file: the second save is a conflict, shown with both versions,
and nothing is lost whichever the user keeps."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e import flows
from tests.e2e.test_workbench_sync import server_files
from tests.support.live_server import LiveServer


def test_a_conflict_is_shown_and_resolved_without_losing_either_version(
    page: Page, context: BrowserContext, browser: Browser, live_server: LiveServer, artifacts
) -> None:
    email = flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "shared", template="static-site")
    flows.open_file(page, "script.js")

    other_context = browser.new_context()
    try:
        other = other_context.new_page()
        flows.sign_in(other, live_server.url, email)
        flows.open_project(other, live_server.url, project)
        flows.open_file(other, "script.js")

        flows.type_at_start(page, "// from laptop A\n")
        page.keyboard.press("Control+s")
        page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")

        flows.type_at_start(other, "// from laptop B\n")
        other.keyboard.press("Control+s")
        other.wait_for_function(
            "document.documentElement.dataset.syncState === 'conflict'", timeout=20_000
        )
        expect(other.locator("#conflict-banner")).to_contain_text("script.js")
        expect(other.locator("#status-text")).to_have_text("Conflict (1)")
        other.click('#conflict-banner button[data-path="script.js"]')
        view = other.locator("#conflict-view")
        expect(view).to_contain_text("from laptop A")  # theirs, left
        expect(view).to_contain_text("from laptop B")  # mine, right
        other.screenshot(path=artifacts / "conflict-view.png")
        # The server still holds A's version: nothing was overwritten without a choice.
        assert "from laptop A" in server_files(context, live_server.url, project)["script.js"]

        other.click('#conflict-view button[data-choice="mine"]')
        other.wait_for_function(
            "document.documentElement.dataset.syncState === 'saved'", timeout=20_000
        )
        stored = server_files(context, live_server.url, project)["script.js"]
        assert stored.startswith("// from laptop B\n") and "from laptop A" not in stored
        # A's version is still recoverable: its Ctrl+S recorded a revision.
        revisions = context.request.get(
            f"{live_server.url}/api/projects/{project}/revisions"
        ).json()["revisions"]
        texts = [
            context.request.get(
                f"{live_server.url}/api/projects/{project}/revisions/{r['number']}/files/script.js"
            ).text()
            for r in revisions
        ]
        assert any(t.startswith("// from laptop A\n") for t in texts)
    finally:
        other_context.close()
