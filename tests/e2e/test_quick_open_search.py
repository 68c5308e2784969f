"""Quick open (Ctrl+P), search in files (Ctrl+Shift+F) and the command palette
(Ctrl+Shift+P), driven from the keyboard and the mouse as a person would."""

from __future__ import annotations

import json

from playwright.sync_api import Locator, Page, expect

from tests.e2e import flows
from tests.support.live_server import LiveServer
from tests.support.paths import ARTIFACTS

EVIL = "<img src=x onerror=alert(1)>.js"
FILES = {
    "src/App.jsx": "import React from 'react';\n\nexport function App() {\n"
    "  return <h1>Hello App</h1>;\n}\n" + "\n" * 40 + "// the end of App\n",
    "src/main.jsx": "import { App } from './App.jsx';\nrender(App);\n",
    "src/components/Button.jsx": "export const Button = () => <button>ok</button>;\n",
    "src/components/ButtonGroup.jsx": "export const ButtonGroup = 1;\n",
    "server/app_settings.py": "DEBUG = True\nPORT = 8000\n# apply these settings\n",
    "docs/guide.md": "# Guide\n\nRun `npm start`, then open the app.\n",
    f"weird/{EVIL}": "const boom = '<b>not bold</b>';\n",
}


def project_with_files(page: Page, base_url: str, files: dict[str, str]) -> str:
    """A new project opened with ?debug=1, its files written through the page (as an
    editor or a tool would, so they are in the workbench's model at once)."""
    flows.sign_up(page, base_url)
    csrf = page.request.get(f"{base_url}/api/auth/session").json()["csrf_token"]
    response = page.request.post(
        f"{base_url}/api/projects",
        data=json.dumps({"name": "finders"}),
        headers={"x-csrf-token": csrf, "origin": base_url, "content-type": "application/json"},
    )
    assert response.ok, response.text()
    project = response.json()["id"]
    page.goto(f"{base_url}/p/{project}?debug=1")
    flows.wait_for_workbench(page)
    flows.tool_writes(page, files)
    return project


def cursor(page: Page) -> list[int]:
    return page.evaluate("""async () => {
        const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
        const {monaco} = await import(url);
        const editor = monaco.editor.getEditors().find((e) => e.getDomNode().closest("#editor"))
            || monaco.editor.getEditors()[0];
        const p = editor.getPosition();
        return [p.lineNumber, p.column];
    }""")


def wait_open(page: Page, path: str) -> None:
    page.wait_for_function("(p) => document.documentElement.dataset.openFile === p", arg=path)


def wait_cursor(page: Page, line: int, column: int | None = None) -> None:
    for _ in range(50):
        at = cursor(page)
        if at[0] == line and (column is None or at[1] == column):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"cursor at {cursor(page)}, wanted line {line} column {column}")


def quick_open(page: Page, text: str) -> None:
    page.keyboard.press("Control+p")
    box = page.locator("#quick-open input")
    expect(box).to_be_focused()
    box.fill(text)


def shown_by(page: Page, keys: str, panel: str, field: str) -> tuple[Locator, Locator]:
    """`keys` pressed: `panel` shows, its `field` focused; both."""
    page.keyboard.press(keys)
    shown = page.locator(panel)
    expect(shown).to_be_visible()
    focused = shown.locator(field)
    expect(focused).to_be_focused()
    return shown, focused


def test_quick_open_finds_and_opens_files(page: Page, live_server: LiveServer) -> None:
    alerts: list[str] = []
    flows.dismiss_dialogs(page, alerts)
    project_with_files(page, live_server.url, FILES)

    # A fuzzy query, typed key by key: camel-case initials find ButtonGroup first.
    quick_open(page, "")
    page.keyboard.type("btngrp", delay=30)
    rows = page.locator("#quick-open .picker-row")
    expect(rows.first).to_have_attribute("data-value", "src/components/ButtonGroup.jsx")
    expect(rows.first).to_have_attribute("aria-selected", "true")
    marked = rows.first.locator("mark").all_text_contents()
    assert "".join(marked).lower() == "btngrp"
    page.keyboard.press("Enter")
    wait_open(page, "src/components/ButtonGroup.jsx")
    expect(page.locator("#quick-open")).to_be_hidden()

    # Arrow keys move the selection; Escape closes without opening anything.
    quick_open(page, "button")
    expect(rows).to_have_count(2)
    page.keyboard.press("ArrowDown")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#quick-open")).to_be_hidden()
    assert page.evaluate("document.documentElement.dataset.openFile") == (
        "src/components/ButtonGroup.jsx"
    )

    # file:line opens at that line (and file:line:column at that column), even when
    # Enter comes straight after the last key, before the list was redrawn.
    quick_open(page, "")
    page.keyboard.type("App.jsx:44")
    page.keyboard.press("Enter")
    wait_open(page, "src/App.jsx")
    wait_cursor(page, 44)
    quick_open(page, "main:2:8")
    page.keyboard.press("Enter")
    wait_open(page, "src/main.jsx")
    wait_cursor(page, 2, 8)

    # An empty box lists recent files, the previous one first: Ctrl+P, Enter goes back.
    quick_open(page, "")
    expect(rows.first).to_have_attribute("data-value", "src/App.jsx")
    page.keyboard.press("Enter")
    wait_open(page, "src/App.jsx")

    # ":line" goes to a line of the open file.
    quick_open(page, ":3")
    page.keyboard.press("Enter")
    wait_cursor(page, 3)

    # The mouse works too; a hostile file name is shown as text, never as HTML.
    quick_open(page, "onerror")
    row = page.locator(f'#quick-open .picker-row[data-value="weird/{EVIL}"]')
    expect(row).to_have_count(1)
    assert row.locator(".picker-label").text_content() == EVIL
    assert page.locator("#quick-open img").count() == 0
    row.click()
    wait_open(page, f"weird/{EVIL}")

    # Nothing matches: said so.
    quick_open(page, "zzzzqqq")
    expect(page.locator("#quick-open .picker-empty")).to_have_text("No matching results")
    page.keyboard.press("Escape")
    assert alerts == []


def test_search_in_files(page: Page, live_server: LiveServer) -> None:
    alerts: list[str] = []
    flows.dismiss_dialogs(page, alerts)
    project_with_files(page, live_server.url, FILES)
    view, query = shown_by(page, "Control+Shift+f", "#search-view", ".search-query")

    # Plain text, case-insensitive: every line holding "app", grouped by file.
    query.fill("app")
    page.wait_for_function("document.documentElement.dataset.search === 'done'")
    expect(view.locator(".search-summary")).to_have_text("8 results in 4 files")
    hits = view.locator(".search-hit")
    found = hits.evaluate_all("rows => rows.map(r => [r.dataset.path, +r.dataset.line])")
    assert found == [
        ["docs/guide.md", 3],
        ["server/app_settings.py", 3],
        ["src/App.jsx", 3],
        ["src/App.jsx", 4],
        ["src/App.jsx", 46],
        ["src/main.jsx", 1],
        ["src/main.jsx", 2],
    ]
    app_jsx = view.locator('.search-file[data-path="src/App.jsx"] .search-count')
    expect(app_jsx).to_have_text("3")
    # The match is highlighted inside the line's text.
    line4 = view.locator('.search-hit[data-path="src/App.jsx"][data-line="4"]')
    assert line4.text_content() == "return <h1>Hello App</h1>;"
    assert line4.locator("mark").all_text_contents() == ["App"]

    # Clicking a result opens the file at that line and column.
    line4.click()
    wait_open(page, "src/App.jsx")
    wait_cursor(page, 4, 20)

    # Case-sensitive and whole-word toggles narrow it.
    view.locator('button[data-option="case_sensitive"]').click()
    page.wait_for_function("document.documentElement.dataset.search === 'done'")
    expect(view.locator(".search-summary")).to_have_text("2 results in 2 files")
    view.locator('button[data-option="case_sensitive"]').click()
    view.locator('button[data-option="whole_word"]').click()
    page.wait_for_function("document.documentElement.dataset.search === 'done'")
    expect(view.locator(".search-summary")).to_have_text("7 results in 3 files")
    expect(view.locator('.search-file[data-path="server/app_settings.py"]')).to_have_count(0)

    # A regex lists the right lines; include/exclude filter the files.
    view.locator('button[data-option="whole_word"]').click()
    view.locator('button[data-option="regex"]').click()
    query.fill(r"export const \w+")
    page.wait_for_function("document.documentElement.dataset.search === 'done'")
    paths = hits.evaluate_all("rows => rows.map(r => r.dataset.path + ':' + r.dataset.line)")
    assert paths == ["src/components/Button.jsx:1", "src/components/ButtonGroup.jsx:1"]
    view.locator("input[name=exclude]").fill("*Group*")
    page.wait_for_function("document.documentElement.dataset.search === 'done'")
    expect(hits).to_have_count(1)
    view.locator("input[name=exclude]").fill("")
    view.locator("input[name=include]").fill("server/**")
    page.wait_for_function("document.documentElement.dataset.search === 'done'")
    expect(view.locator(".search-summary")).to_have_text("No results.")
    view.locator("input[name=include]").fill("")

    # An invalid regex: a clear message, no results, nothing thrown.
    query.fill("(unclosed")
    page.wait_for_function("document.documentElement.dataset.search === 'error'")
    summary = view.locator(".search-summary")
    expect(summary).to_have_attribute("data-level", "error")
    expect(summary).to_contain_text("Invalid regular expression")
    expect(hits).to_have_count(0)

    # Lines and file names from the project are shown literally.
    view.locator('button[data-option="regex"]').click()
    query.fill("<b>not bold")
    page.wait_for_function("document.documentElement.dataset.search === 'done'")
    evil = view.locator(f'.search-file[data-path="weird/{EVIL}"]')
    expect(evil.locator(".search-file-name")).to_have_text(EVIL)
    expect(evil.locator(".search-hit")).to_have_text("const boom = '<b>not bold</b>';")
    assert view.locator("img, b").count() == 0

    # Files that change while the view is open are searched again.
    page.evaluate("cospaiDebug.write('src/new.js', 'const fresh = \"<b>not bold</b>\";\\n')")
    expect(view.locator('.search-hit[data-path="src/new.js"]')).to_have_count(1, timeout=10_000)
    assert alerts == []


def test_command_palette_lists_and_runs_commands(page: Page, live_server: LiveServer) -> None:
    project_with_files(page, live_server.url, FILES)
    palette, box = shown_by(page, "Control+Shift+p", "#command-palette", "input")
    # Every command, with its shortcut on the right.
    for command, keys in [
        ("quickOpen.show", "Ctrl+P"),
        ("search.show", "Ctrl+Shift+F"),
        ("palette.show", "Ctrl+Shift+P"),
        ("view.toggleSidebar", "Ctrl+B"),
        ("settings.wordWrap", "Alt+Z"),
    ]:
        row = palette.locator(f'.picker-row[data-command="{command}"]')
        expect(row.locator(".picker-hint")).to_have_text(keys)

    # Fuzzy filtered; Enter runs the first: the sidebar hides, and comes back.
    assert page.evaluate("document.documentElement.dataset.panelSidebar") == "shown"
    box.fill("toggle file tree")
    first = palette.locator(".picker-row").first
    expect(first).to_have_attribute("data-command", "view.toggleSidebar")
    page.keyboard.press("Enter")
    expect(palette).to_be_hidden()
    page.wait_for_function("document.documentElement.dataset.panelSidebar === 'hidden'")
    expect(page.locator("#sidebar")).to_be_hidden()

    # F1 opens it too; the command just run is listed first.
    page.keyboard.press("F1")
    expect(palette).to_be_visible()
    expect(palette.locator(".picker-row").first).to_have_attribute(
        "data-command", "view.toggleSidebar"
    )
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.dataset.panelSidebar === 'shown'")

    # ">" typed in quick open switches to commands, as in VS Code.
    page.keyboard.press("Control+p")
    page.locator("#quick-open input").fill(">word wrap")
    expect(palette).to_be_visible()
    expect(page.locator("#quick-open")).to_be_hidden()
    expect(palette.locator("input")).to_have_value("word wrap")
    expect(palette.locator(".picker-row").first).to_have_attribute(
        "data-command", "settings.wordWrap"
    )
    page.keyboard.press("Escape")


def test_screenshots_in_both_themes(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 1200, "height": 720})
    project_with_files(page, live_server.url, FILES)
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        quick_open(page, "app")
        expect(page.locator("#quick-open .picker-row").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"quick-open-{scheme}.png"))
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Shift+f")
        page.locator("#search-view .search-query").fill("app")
        page.wait_for_function("document.documentElement.dataset.search === 'done'")
        page.screenshot(path=str(ARTIFACTS / f"search-{scheme}.png"))
        page.keyboard.press("Control+Shift+p")
        page.locator("#command-palette input").fill("toggle")
        page.screenshot(path=str(ARTIFACTS / f"palette-{scheme}.png"))
        page.keyboard.press("Escape")
