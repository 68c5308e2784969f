"""What a person does in the IDE, as reusable steps for the browser tests."""

from __future__ import annotations

import secrets

from playwright.sync_api import Dialog, Frame, Locator, Page

from tests.e2e.test_boot import wait_for_boot

PASSWORD = "correct horse battery"


def sign_up(page: Page, base_url: str) -> str:
    email = f"e2e-{secrets.token_hex(4)}@example.com"
    page.goto(base_url + "/signup")
    assert wait_for_boot(page) == "ready"
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.click("#signup")
    page.wait_for_selector("#dashboard")
    return email


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/")
    assert wait_for_boot(page) == "ready"
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#signin")
    page.wait_for_selector("#dashboard")


def create_project(page: Page, name: str, template: str | None = None) -> str:
    page.fill("#new-project input[name=name]", name)
    if template:
        page.select_option("#new-project select[name=template]", template)
    page.click("#new-project button[type=submit]")
    wait_for_workbench(page)
    return page.url.rsplit("/p/", 1)[1]


def open_project(page: Page, base_url: str, project: str) -> None:
    page.goto(f"{base_url}/p/{project}")
    assert wait_for_boot(page) == "ready"
    wait_for_workbench(page)


def wait_for_workbench(page: Page, timeout_ms: float = 60_000) -> None:
    page.wait_for_function(
        "document.documentElement.dataset.workbench === 'ready'", timeout=timeout_ms
    )


def open_file(page: Page, path: str) -> None:
    """Open a file from the explorer as a person does: open each folder on the way by
    clicking its row, scroll the (virtualized) tree until the file's row is drawn, click it."""
    page.wait_for_selector("#file-tree .tree-row")
    parts = path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        node = _tree_row(page, folder)
        if node.get_attribute("aria-expanded") != "true":
            node.click()
            page.wait_for_selector(
                f'#file-tree .tree-row[data-path="{folder}"][aria-expanded="true"]'
            )
    _tree_row(page, path).click()
    page.wait_for_function(f"document.documentElement.dataset.openFile === {path!r}")


def _tree_row(page: Page, path: str) -> Locator:
    """The row of `path`, scrolling the (virtualized) tree a screen at a time from the top,
    a frame per step, until it is drawn."""
    selector = f'#file-tree .tree-row[data-path="{path}"]:not([hidden])'
    found = page.locator("#file-tree").evaluate(
        """async (tree, selector) => {
            const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
            if (tree.querySelector(selector)) return true;
            tree.scrollTop = 0;
            for (;;) {
                await frame();
                await frame();  // the scroll handler draws at the next frame
                if (tree.querySelector(selector)) return true;
                const before = tree.scrollTop;
                tree.scrollTop = before + Math.max(tree.clientHeight - 22, 22);
                if (tree.scrollTop === before) return false;  // at the end
            }
        }""",
        selector,
    )
    assert found, f"{path} is not in the file tree"
    node = page.locator(selector)
    node.scroll_into_view_if_needed()
    return node


def tool_writes(page: Page, files: dict[str, str]) -> None:
    """Files appearing as a tool makes them (the runtime, npm install), through the
    ?debug=1 hook, which writes into the model as the runtime's watcher does; then wait, as
    a person would, until the tree shows them (such changes are drawn in an idle moment)."""
    for path, text in files.items():
        page.evaluate("([p, t]) => window.cospaiDebug.write(p, t)", [path, text])
    for top in sorted({path.split("/")[0] for path in files}):
        page.wait_for_selector(f'#file-tree .tree-row[data-path="{top}"]', state="attached")


def type_at_start(page: Page, text: str) -> None:
    page.click(".monaco-editor .view-lines")
    page.keyboard.press("Control+Home")
    page.keyboard.type(text)


def sync_state(page: Page) -> str:
    return page.evaluate("document.documentElement.dataset.syncState || ''")


def model_text(page: Page, path: str) -> str | None:
    """The full text of a file's editor model (the DOM shows only the visible lines)."""
    return page.evaluate(
        """async (path) => {
            const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
            const {monaco} = await import(url);  // the page's own instance (same URL)
            const model = monaco.editor.getModels().find((m) => m.uri.path === "/" + path);
            return model ? model.getValue() : null;
        }""",
        path,
    )


def frame_at(page: Page, fragment: str, timeout_ms: float = 30_000) -> Frame:
    """The page's frame whose URL holds `fragment` ("/preview/", "/embed"), once it exists."""
    waited = 0.0
    while waited < timeout_ms:
        for frame in page.frames:
            if fragment in frame.url:
                return frame
        page.wait_for_timeout(50)
        waited += 50
    raise AssertionError(f"no frame at {fragment!r} among {[f.url for f in page.frames]}")


def dismiss_dialogs(page: Page, messages: list[str]) -> None:
    """Dismiss every alert, confirm or prompt the page opens, keeping its message."""

    def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
