"""Two tabs of one browser on one project: a save in one reaches the other."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page

from tests.e2e import flows
from tests.support.live_server import LiveServer


def test_a_save_in_one_tab_shows_in_the_other(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "tabs", template="static-site")
    second = context.new_page()
    flows.open_project(second, live_server.url, project)
    flows.open_file(second, "style.css")
    flows.open_file(page, "style.css")

    flows.type_at_start(page, "/* from the first tab */\n")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")
    second.wait_for_function(
        """async () => {
            const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
            const {monaco} = await import(url);
            const model = monaco.editor.getModels().find((m) => m.uri.path === "/style.css");
            return model && model.getValue().startsWith("/* from the first tab */");
        }""",
        timeout=20_000,
    )
    assert (flows.model_text(second, "style.css") or "").startswith("/* from the first tab */\n")
    assert second.evaluate("document.documentElement.dataset.syncState") == "saved"
