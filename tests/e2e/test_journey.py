"""Issue 5's "done when", as one person's session: sign up, create a project from a
template, edit several files with IntelliSense, rearrange files, reload, find it all again."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e import flows
from tests.e2e.seed import server_files
from tests.e2e.test_editor import editor_eval, tab_paths
from tests.support.live_server import LiveServer

TREE = "#file-tree"


def test_a_new_user_builds_on_a_template_and_finds_everything_after_reload(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "My app", "vite-react")
    # Edit App.jsx with IntelliSense: completion offers a name exported by another file.
    page.keyboard.press("Control+p")
    page.keyboard.type("App.jsx")
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.dataset.openFile === 'src/App.jsx'")
    flows.type_at_start(page, "// edited in the journey\n")
    # A new module, then an import of it in main.jsx, completed by the TypeScript worker.
    page.click(f'{TREE} .tree-row[data-path="src"]', button="right")
    page.click("text=New File")
    field = page.locator(f"{TREE} .tree-row[data-new] input.tree-input")
    field.fill("greeting.js")
    field.press("Enter")
    page.wait_for_function("document.documentElement.dataset.openFile === 'src/greeting.js'")
    page.click(".monaco-editor .view-lines")
    page.keyboard.type("export function greetingFor(name) { return `Hi ${name}`; }\n")
    flows.open_file(page, "src/main.jsx")
    page.click(".monaco-editor .view-lines")
    page.keyboard.press("Control+Home")
    # The names offered inside the braces come from the other file: the import resolved.
    page.keyboard.type('import {  } from "./greeting";\n')
    editor_eval(page, "editor.setPosition({lineNumber: 1, column: 10}); editor.focus();")
    page.keyboard.press("Control+Space")
    suggestion = page.locator(".suggest-widget .monaco-list-row", has_text="greetingFor")
    expect(suggestion.first).to_be_visible(timeout=30_000)
    page.keyboard.press("Enter")
    page.wait_for_function(
        """async () => {
        const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
        const {monaco} = await import(url);
        const m = monaco.editor.getModels().find((m) => m.uri.path === "/src/main.jsx");
        return m.getLineContent(1) === 'import { greetingFor } from "./greeting";';
    }""",
        timeout=30_000,
    )
    # Rearrange: move the new module into a folder made for it.
    page.click(f'{TREE} .tree-row[data-path="src"]', button="right")
    page.click("text=New Folder")
    field = page.locator(f"{TREE} .tree-row[data-new] input.tree-input")
    field.fill("lib")
    field.press("Enter")
    page.drag_and_drop(
        f'{TREE} .tree-row[data-path="src/greeting.js"]', f'{TREE} .tree-row[data-path="src/lib"]'
    )
    expect(page.locator(f'{TREE} .tree-row[data-path="src/lib/greeting.js"]')).to_be_visible()
    assert "src/lib/greeting.js" in tab_paths(page)
    page.keyboard.press("Control+s")
    expect(page.locator("#status-text")).to_have_text("Saved", timeout=20_000)
    before = tab_paths(page)
    page.reload()
    flows.wait_for_workbench(page)
    # Everything is where it was: tabs, edits, the moved file, on the server too.
    assert tab_paths(page) == before
    stored = server_files(page, project)
    assert stored["src/App.jsx"].startswith(b"// edited in the journey\n")
    assert b"greetingFor" in stored["src/lib/greeting.js"]
    assert "src/greeting.js" not in stored
    assert b"greetingFor" in stored["src/main.jsx"]
    flows.open_file(page, "src/App.jsx")
    assert (
        editor_eval(page, "return editor.getModel().getLineContent(1);")
        == "// edited in the journey"
    )
