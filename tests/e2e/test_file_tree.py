"""The explorer as a person uses it: folders open and files open in the editor, create and
rename, bad names refused inline, delete with confirm and undo."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e import flows
from tests.e2e.seed import server_files
from tests.e2e.tree_steps import (
    FILES,
    TREE,
    api_calls,
    new_entry,
    project_with,
    row,
    save_and_wait,
    visible_rows,
)
from tests.support.live_server import LiveServer


def test_click_folders_open_and_files_open_in_the_editor(
    page: Page, live_server: LiveServer
) -> None:
    project_with(page, live_server.url, "tree", FILES)
    expect(page.locator(f"{TREE}[role=tree]")).to_be_visible()
    assert visible_rows(page) == ["docs", "src", "README.md"]
    src = page.locator(row(page, "src"))
    expect(src).to_have_attribute("aria-expanded", "false")
    expect(src).to_have_attribute("data-kind", "folder")
    expect(src).to_have_attribute("aria-level", "1")
    src.click()
    expect(src).to_have_attribute("aria-expanded", "true")
    assert visible_rows(page) == ["docs", "src", "src/util", "src/app.py", "README.md"]
    flows.open_file(page, "src/util/strings.py")
    expect(page.locator(row(page, "src/util/strings.py"))).to_have_attribute("aria-level", "3")
    expect(page.locator(row(page, "src/util/strings.py"))).to_have_attribute(
        "aria-selected", "true"
    )


def test_new_file_new_folder_and_f2_rename_persist(page: Page, live_server: LiveServer) -> None:
    project = project_with(page, live_server.url, "create", FILES)
    page.click(row(page, "src"))  # a folder chosen: new entries go inside it
    new_entry(page, "File", "main.py")
    page.wait_for_function("document.documentElement.dataset.openFile === 'src/main.py'")
    expect(page.locator(row(page, "src/main.py"))).to_have_attribute("aria-selected", "true")
    page.click(row(page, "src"))  # closes src
    page.click(row(page, "src"))  # and opens it again, chosen
    new_entry(page, "Folder", "empty")
    expect(page.locator(row(page, "src/empty"))).to_have_attribute("data-kind", "folder")
    # F2 on a file: the name without its extension is selected, ready to be typed over.
    page.click(row(page, "src/app.py"))
    page.keyboard.press("F2")
    field = page.locator(f"{row(page, 'src/app.py')} input.tree-input")
    expect(field).to_be_focused()
    assert field.evaluate("(i) => [i.selectionStart, i.selectionEnd]") == [0, 3]
    page.keyboard.type("server")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "src/server.py"))).to_be_visible()
    expect(page.locator(row(page, "src/app.py"))).to_have_count(0)
    # Escape cancels.
    page.keyboard.press("F2")
    page.keyboard.type("nope")
    page.keyboard.press("Escape")
    expect(page.locator(f"{TREE} input.tree-input")).to_have_count(0)
    expect(page.locator(row(page, "src/server.py"))).to_be_visible()
    expect(page.locator(TREE)).to_be_focused()
    # A folder renamed carries its files; the open tab follows.
    page.click(row(page, "src/util"))
    page.keyboard.press("F2")
    page.keyboard.press("Control+a")
    page.keyboard.type("helpers")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "src/helpers"))).to_have_attribute("aria-expanded", "true")
    expect(page.locator(row(page, "src/helpers/strings.py"))).to_be_visible()
    save_and_wait(page)
    stored = server_files(page, project)
    assert sorted(stored) == [
        "README.md",
        "docs/guide.md",
        "src/helpers/strings.py",
        "src/main.py",
        "src/server.py",
    ]
    assert stored["src/server.py"] == b"print('app')\n"
    # After a reload: the server's files, and the empty folder kept on this device.
    page.reload()
    flows.wait_for_workbench(page)
    page.click(row(page, "src"))
    for path in ("src/empty", "src/helpers", "src/main.py", "src/server.py"):
        expect(page.locator(row(page, path))).to_be_visible()


def test_bad_names_are_refused_inline_before_any_request(
    page: Page, live_server: LiveServer
) -> None:
    project_with(page, live_server.url, "names", FILES)
    page.click(row(page, "src"))
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")
    calls = api_calls(page)
    page.click('#explorer .tree-title button[data-action="newFile"]')
    field = page.locator(f"{TREE} input.tree-input")
    error = page.locator(f"{TREE} .tree-error")
    cases = {
        "app.py": "A file or folder “app.py” already exists in “src”.",
        "APP.PY": "(names differ only by case)",
        "a/b.py": "cannot contain “/”",
        "..": "The name “..” is not allowed.",
        "x" * 256: "The name is too long: 256 bytes, at most 255 are allowed.",
        "Util": "“util” already exists",
    }
    for name, words in cases.items():
        field.fill(name)
        expect(error).to_be_visible()
        expect(error).to_contain_text(words)
        expect(field).to_have_attribute("aria-invalid", "true")
        field.press("Enter")  # refused: the input stays, with the reason
        expect(field).to_be_focused()
    field.fill("")
    field.press("Enter")
    expect(error).to_have_text("A file or folder name must be provided.")
    field.fill("fine.py")
    expect(error).to_be_hidden()
    field.press("Escape")
    expect(page.locator(row(page, "src/fine.py"))).to_have_count(0)
    # Rename to a sibling's name is refused the same way.
    page.click(row(page, "src/app.py"))
    page.keyboard.press("F2")
    page.keyboard.press("Control+a")
    page.keyboard.type("UTIL")
    expect(error).to_contain_text("A file or folder “util” already exists in “src”")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "src/app.py"))).to_be_visible()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert calls == [], calls


def test_delete_several_with_confirm_then_undo(page: Page, live_server: LiveServer) -> None:
    project = project_with(page, live_server.url, "delete", FILES)
    page.click(row(page, "docs"))
    page.click(row(page, "README.md"), modifiers=["Control"])
    page.click(row(page, "src"), modifiers=["Control"])
    expect(page.locator(f"{TREE} .tree-row[aria-selected=true]")).to_have_count(3)
    page.keyboard.press("Delete")
    dialog = page.locator("#tree-confirm")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Delete these 3 items?")
    assert dialog.locator("li").all_inner_texts() == [
        "docs/ (folder and everything in it)",
        "src/ (folder and everything in it)",
        "README.md",
    ]
    page.click("#tree-confirm-no")  # Cancel: nothing goes
    expect(dialog).to_have_count(0)
    expect(page.locator(row(page, "README.md"))).to_be_visible()
    page.keyboard.press("Delete")
    page.click("#tree-confirm-yes")
    expect(page.locator(f"{TREE} .tree-row:not([hidden])")).to_have_count(0)
    expect(page.locator("#tree-toast")).to_contain_text("Deleted 3 items.")
    save_and_wait(page)
    assert server_files(page, project) == {}
    page.click("#tree-undo")
    expect(page.locator(row(page, "README.md"))).to_be_visible()
    expect(page.locator("#tree-toast")).to_contain_text("Restored 3 items.")
    save_and_wait(page)
    assert server_files(page, project) == {p: c.encode() for p, c in FILES.items()}
