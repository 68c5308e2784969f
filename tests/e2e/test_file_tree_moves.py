"""Moving through and moving things in the explorer: drag to move, copy, cut and paste,
the context menu by mouse and keyboard, keyboard navigation."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.seed import server_files
from tests.e2e.tree_steps import FILES, TREE, project_with, row, save_and_wait
from tests.support.live_server import LiveServer


def test_drag_rows_onto_a_folder_and_back_to_the_root(page: Page, live_server: LiveServer) -> None:
    project = project_with(page, live_server.url, "dnd", {**FILES, "notes.txt": "n\n"})
    page.drag_and_drop(row(page, "README.md"), row(page, "docs"))
    expect(page.locator(row(page, "docs/README.md"))).to_be_visible()
    expect(page.locator(row(page, "docs"))).to_have_attribute("aria-expanded", "true")
    # Two rows at once, dropped onto a file's row: they go into that file's folder.
    page.click(row(page, "docs/guide.md"))
    page.click(row(page, "notes.txt"), modifiers=["Control"])
    page.click(row(page, "src"))
    page.click(row(page, "docs/guide.md"))
    page.click(row(page, "notes.txt"), modifiers=["Control"])
    page.drag_and_drop(row(page, "notes.txt"), row(page, "src/app.py"))
    expect(page.locator(row(page, "src/notes.txt"))).to_be_visible()
    expect(page.locator(row(page, "src/guide.md"))).to_be_visible()
    # A folder into its own child is not a drop target; onto the empty space is the root.
    page.drag_and_drop(row(page, "src"), row(page, "src/util"))
    expect(page.locator(row(page, "src/util"))).to_be_visible()
    box = page.locator(TREE).bounding_box()
    assert box is not None
    page.drag_and_drop(
        row(page, "src/util"), TREE, target_position={"x": 40, "y": box["height"] - 10}
    )
    expect(page.locator(row(page, "util"))).to_be_visible()
    save_and_wait(page)
    assert sorted(server_files(page, project)) == [
        "docs/README.md",
        "src/app.py",
        "src/guide.md",
        "src/notes.txt",
        "util/strings.py",
    ]


def test_copy_cut_and_paste_with_the_keyboard(page: Page, live_server: LiveServer) -> None:
    project = project_with(page, live_server.url, "clip", FILES)
    page.click(row(page, "README.md"))
    page.keyboard.press("Control+c")
    page.click(row(page, "docs"))
    page.keyboard.press("Control+v")
    expect(page.locator(row(page, "docs/README.md"))).to_be_visible()
    page.keyboard.press("Control+v")  # the name is taken now: a copy
    expect(page.locator(row(page, "docs/README copy.md"))).to_be_visible()
    page.click(row(page, "src"))
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")  # a folder pasted onto itself goes beside it
    expect(page.locator(row(page, "src copy"))).to_be_visible()
    # Cut is dimmed until pasted, then moves.
    page.click(row(page, "src/app.py"))
    page.keyboard.press("Control+x")
    expect(page.locator(row(page, "src/app.py"))).to_have_attribute("data-cut", "true")
    page.click(row(page, "docs"))
    page.keyboard.press("Control+v")
    expect(page.locator(row(page, "docs/app.py"))).to_be_visible()
    expect(page.locator(row(page, "src/app.py"))).to_have_count(0)
    save_and_wait(page)
    stored = server_files(page, project)
    assert stored["docs/README copy.md"] == b"# demo\n"
    assert stored["docs/app.py"] == b"print('app')\n"
    assert stored["src copy/util/strings.py"] == b"S = 1\n" and "src/app.py" not in stored
    assert stored["src copy/app.py"] == b"print('app')\n"


def test_context_menu_by_mouse_and_by_keyboard(
    page: Page, live_server: LiveServer, context
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    project_with(page, live_server.url, "menu", FILES)
    page.click(row(page, "src"), button="right")
    menu = page.locator("#tree-menu")
    expect(menu).to_be_visible()
    assert menu.locator("[role=menuitem] > span").all_inner_texts() == [
        "New File…",
        "New Folder…",
        "Rename…",
        "Delete",
        "Copy",
        "Cut",
        "Paste",
        "Download",
        "Copy Path",
        "Upload Files…",
    ]
    assert menu.locator("[role=menuitem] > kbd").all_inner_texts() == [
        "F2",
        "Delete",
        "Ctrl+C",
        "Ctrl+X",
        "Ctrl+V",
    ]
    expect(menu.locator('[data-action="paste"]')).to_have_attribute("aria-disabled", "true")
    menu.locator('[data-action="newFile"]').click()
    page.keyboard.type("from_menu.py")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "src/from_menu.py"))).to_be_visible()
    page.keyboard.press("Escape")
    # Keyboard: Shift+F10 opens it under the focused row; arrows and Enter pick.
    page.click(row(page, "README.md"))
    page.keyboard.press("Shift+F10")
    expect(menu).to_be_visible()
    expect(menu.locator('[data-action="newFile"]')).to_be_focused()
    for _ in range(7):  # Paste is disabled (nothing copied): the arrows skip it
        page.keyboard.press("ArrowDown")
    expect(menu.locator('[data-action="copyPath"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_count(0)
    page.wait_for_function("async () => (await navigator.clipboard.readText()) === 'README.md'")
    expect(page.locator(TREE)).to_be_focused()
    page.keyboard.press("ContextMenu")
    expect(menu).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(page.locator(TREE)).to_be_focused()
    # Rename from the menu, by mouse; a click elsewhere closes a menu.
    page.click(row(page, "docs"), button="right")
    page.click("#editor-area", position={"x": 200, "y": 200})
    expect(menu).to_have_count(0)
    page.click(row(page, "docs"), button="right")
    menu.locator('[data-action="rename"]').click()
    page.keyboard.press("Control+a")
    page.keyboard.type("manual")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "manual"))).to_be_visible()


def test_keyboard_navigation(page: Page, live_server: LiveServer) -> None:
    project_with(page, live_server.url, "keys", FILES)
    page.locator(TREE).focus()
    press = page.keyboard.press

    def focused() -> str:
        return page.get_attribute(f"{TREE} .tree-row[data-focused]", "data-path") or ""

    press("ArrowDown")
    assert focused() == "docs"
    press("ArrowDown")
    press("ArrowRight")  # opens src
    expect(page.locator(row(page, "src"))).to_have_attribute("aria-expanded", "true")
    press("ArrowRight")  # into it
    assert focused() == "src/util"
    press("ArrowRight")
    press("ArrowRight")
    assert focused() == "src/util/strings.py"
    press("ArrowLeft")  # a file: to its folder
    assert focused() == "src/util"
    press("ArrowLeft")  # an open folder: closes
    expect(page.locator(row(page, "src/util"))).to_have_attribute("aria-expanded", "false")
    press("End")
    assert focused() == "README.md"
    press("Shift+ArrowUp")
    press("Shift+ArrowUp")
    assert sorted(
        page.eval_on_selector_all(
            f"{TREE} .tree-row[aria-selected=true]", "(rows) => rows.map((r) => r.dataset.path)"
        )
    ) == ["README.md", "src/app.py", "src/util"]
    press("Home")
    assert focused() == "docs"
    press("PageDown")
    assert focused() == "README.md"
    press("ArrowUp")
    press("Enter")  # a file: opens in the editor
    page.wait_for_function("document.documentElement.dataset.openFile === 'src/app.py'")
