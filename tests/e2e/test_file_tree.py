"""The explorer as a person uses it: create, rename, refuse bad names inline, delete with
confirm and undo, drag to move, copy and paste, the context menu, the keyboard, upload
and download, dimmed ignored paths, a hostile file name, 20,000 files, and reload."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.e2e import flows
from tests.e2e.seed import server_files, zip_of
from tests.support.live_server import LiveServer

TREE = "#file-tree"


def row(page: Page, path: str) -> str:
    return f'{TREE} .tree-row[data-path="{path}"]'


def csrf(page: Page) -> tuple[str, str]:
    base = page.evaluate("location.origin")
    return base, page.request.get(f"{base}/api/auth/session").json()["csrf_token"]


def project_with(page: Page, name: str, files: Mapping[str, bytes | str], query: str = "") -> str:
    """Set-up through the API (a zip import, as the dashboard does), then opened."""
    base, token = csrf(page)
    response = page.request.post(
        f"{base}/api/projects/import?name={name}",
        data=zip_of(files),
        headers={"x-csrf-token": token, "origin": base, "content-type": "application/zip"},
        timeout=300_000,
    )
    assert response.ok, response.text()
    project = response.json()["project"]["id"]
    page.goto(f"{base}/p/{project}{query}")
    page.wait_for_function(
        "['ready', 'error'].includes(document.documentElement.dataset.workbench)", timeout=120_000
    )
    state = page.evaluate("document.documentElement.dataset.workbench")
    assert state == "ready", page.inner_text("#status-text")
    return project


def save_and_wait(page: Page) -> None:
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=30_000)


def visible_rows(page: Page) -> list[str]:
    """Paths of the drawn rows, top to bottom."""
    return page.evaluate(f"""() => [...document.querySelectorAll('{TREE} .tree-row')]
        .filter((r) => !r.hidden)
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((r) => r.dataset.path)""")


FILES = {
    "README.md": "# demo\n",
    "src/app.py": "print('app')\n",
    "src/util/strings.py": "S = 1\n",
    "docs/guide.md": "guide\n",
}


def test_click_folders_open_and_files_open_in_the_editor(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    project_with(page, "tree", FILES)
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


def api_calls(page: Page) -> list[str]:
    """Every /api request the page makes from now on."""
    calls: list[str] = []
    page.on(
        "request", lambda request: calls.append(request.url) if "/api/" in request.url else None
    )
    return calls


def new_entry(page: Page, kind: str, name: str) -> None:
    """New File / New Folder from the explorer's title bar, typed in place."""
    page.click(f'#explorer .tree-title button[data-action="new{kind}"]')
    field = page.locator(f"{TREE} .tree-row[data-new] input.tree-input")
    expect(field).to_be_focused()
    field.type(name)
    field.press("Enter")


def test_new_file_new_folder_and_f2_rename_persist(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    project = project_with(page, "create", FILES)
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
    flows.sign_up(page, live_server.url)
    project_with(page, "names", FILES)
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
    flows.sign_up(page, live_server.url)
    project = project_with(page, "delete", FILES)
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


def test_drag_rows_onto_a_folder_and_back_to_the_root(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    project = project_with(page, "dnd", {**FILES, "notes.txt": "n\n"})
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
    flows.sign_up(page, live_server.url)
    project = project_with(page, "clip", FILES)
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
    flows.sign_up(page, live_server.url)
    project_with(page, "menu", FILES)
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
    flows.sign_up(page, live_server.url)
    project_with(page, "keys", FILES)
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


def run_command(page: Page, command: str, typed: str) -> None:
    """Through the command palette, as a person does: Ctrl+Shift+P, type, Enter."""
    page.keyboard.press("Control+Shift+p")
    palette = page.locator("#command-palette")
    palette.locator("input").fill(typed)
    expect(palette.locator(".picker-row").first).to_have_attribute("data-command", command)
    page.keyboard.press("Enter")
    expect(palette).to_be_hidden()


def test_explorer_commands_from_the_palette_and_their_shortcut(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    project_with(page, "commands", FILES)
    flows.open_file(page, "src/util/strings.py")
    page.click('#explorer .tree-title button[data-action="collapseAll"]')
    assert visible_rows(page) == ["docs", "src", "README.md"]
    run_command(page, "explorer.reveal", "reveal active file")
    expect(page.locator(row(page, "src/util/strings.py"))).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator(TREE)).to_be_focused()
    # Ctrl+Alt+N, from the editor: a new file beside the file chosen in the tree.
    page.click(".monaco-editor .view-lines")
    page.keyboard.press("Control+Alt+n")
    field = page.locator(f"{TREE} input.tree-input")
    expect(field).to_be_focused()
    page.keyboard.type("from_keys.py")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "src/util/from_keys.py"))).to_be_visible()
    run_command(page, "explorer.newFolder", "new folder")
    expect(field).to_be_focused()
    page.keyboard.type("made")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "src/util/made"))).to_have_attribute("data-kind", "folder")
    run_command(page, "explorer.rename", "rename")
    expect(field).to_have_value("made")
    page.keyboard.type("renamed")
    page.keyboard.press("Enter")
    expect(page.locator(row(page, "src/util/renamed"))).to_be_visible()
    run_command(page, "explorer.delete", "explorer delete")
    page.click("#tree-confirm-yes")
    expect(page.locator(row(page, "src/util/renamed"))).to_have_count(0)


PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"
MB = 1024 * 1024

DROP_JS = """async ([target]) => {
    const data = new DataTransfer();
    data.items.add(new File(["dropped\\n"], "dropped.txt"));
    data.items.add(new File([new Uint8Array(11 * 1024 * 1024)], "huge.dat"));
    data.items.add(new File([""], "site"));  // stands for the dropped folder below
    // A page-made DataTransfer has no file system entries; a real desktop drop has. The
    // folder's entry is a double of FileSystemDirectoryEntry (readEntries hands out its
    // children once, then an empty batch, as the browser does), given for the "site" item.
    const file = (name, text) => ({isFile: true, isDirectory: false, name,
                                   file: (ok) => setTimeout(() => ok(new File([text], name)))});
    const folder = (name, children) => ({isFile: false, isDirectory: true, name,
        createReader() {
            let given = false;
            return {readEntries(ok) {
                const batch = given ? [] : children;
                given = true;
                setTimeout(() => ok(batch));
            }};
        }});
    const site = folder("site", [file("index.html", "<h1>hi</h1>"),
                                 folder("css", [file("main.css", "b {}")])]);
    const original = DataTransferItem.prototype.webkitGetAsEntry;
    DataTransferItem.prototype.webkitGetAsEntry = function () {
        const dropped = this.getAsFile();
        return dropped && dropped.name === "site" ? site : null;
    };
    const node = document.querySelector(target);
    try {
        for (const type of ["dragenter", "dragover", "drop"]) {
            node.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true,
                                                    dataTransfer: data}));
        }
    } finally {
        DataTransferItem.prototype.webkitGetAsEntry = original;
    }
}"""


def file_flags(page: Page, project: str) -> dict[str, bool]:
    base = page.evaluate("location.origin")
    response = page.request.get(f"{base}/api/projects/{project}/files")
    assert response.ok, response.text()
    return {f["path"]: f["binary"] for f in response.json()["files"]}


def test_upload_picked_and_dropped_with_one_too_big(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    project = project_with(page, "upload", FILES)
    page.click(row(page, "src"))  # the chosen folder receives the upload
    with page.expect_file_chooser() as chooser:
        page.click('#explorer .tree-title button[data-action="upload"]')
    picked: list[FilePayload] = [
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": "héllo\n".encode()},
        {"name": "big.bin", "mimeType": "application/octet-stream", "buffer": bytes(12 * MB)},
        {"name": "pic.png", "mimeType": "image/png", "buffer": PNG},
    ]
    chooser.value.set_files(picked)
    toast = page.locator("#tree-toast")
    expect(toast).to_have_text(
        "Uploaded 2 files. Not uploaded: big.bin: It is 12.0 MB; a file may hold at most 10.0 MB."
    )
    expect(page.locator("#status-notice")).to_contain_text("Not uploaded: big.bin")
    expect(page.locator(row(page, "src/notes.txt"))).to_be_visible()
    expect(page.locator(row(page, "src/pic.png"))).to_be_visible()
    expect(page.locator(row(page, "src/big.bin"))).to_have_count(0)
    # From the desktop, onto the docs folder: two files (one too big) and a folder.
    page.evaluate(DROP_JS, [row(page, "docs")])
    expect(toast).to_have_text(
        "Uploaded 3 files. Not uploaded: huge.dat: It is 11.0 MB; a file may hold at most 10.0 MB."
    )
    page.click(row(page, "docs/site"))
    page.click(row(page, "docs/site/css"))
    expect(page.locator(row(page, "docs/site/css/main.css"))).to_be_visible()
    save_and_wait(page)
    stored = server_files(page, project)
    assert stored["src/notes.txt"] == "héllo\n".encode() and stored["src/pic.png"] == PNG
    assert stored["docs/dropped.txt"] == b"dropped\n"
    assert stored["docs/site/index.html"] == b"<h1>hi</h1>"
    assert stored["docs/site/css/main.css"] == b"b {}"
    assert not any(p.endswith(("big.bin", "huge.dat")) for p in stored)
    flags = file_flags(page, project)
    assert flags["src/pic.png"] is True and flags["src/notes.txt"] is False


def test_download_a_file_a_folder_and_the_project(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    project_with(page, "Down Load", {**FILES, "logo.png": PNG})
    with page.expect_download() as got:
        page.click(row(page, "logo.png"), button="right")
        page.click('#tree-menu [data-action="download"]')
    assert got.value.suggested_filename == "logo.png"
    assert Path(got.value.path()).read_bytes() == PNG
    with page.expect_download() as got:
        page.click(row(page, "src"), button="right")
        page.click('#tree-menu [data-action="download"]')
    assert got.value.suggested_filename == "src.zip"
    with zipfile.ZipFile(got.value.path()) as archive:
        assert sorted(archive.namelist()) == ["src/app.py", "src/util/strings.py"]
        assert archive.read("src/app.py") == b"print('app')\n"
    # The whole project: the empty space's menu, zipped by the server.
    box = page.locator(TREE).bounding_box()
    assert box is not None
    page.click(TREE, button="right", position={"x": 40, "y": box["height"] - 10})
    expect(page.locator('#tree-menu [data-action="download"] span')).to_have_text(
        "Download Project as Zip"
    )
    with page.expect_download() as got:
        page.click('#tree-menu [data-action="download"]')
    assert got.value.suggested_filename == "Down-Load.zip"
    with zipfile.ZipFile(got.value.path()) as archive:
        assert sorted(archive.namelist()) == sorted([*FILES, "logo.png"])


def test_a_hostile_file_name_is_shown_as_text(page: Page, live_server: LiveServer) -> None:
    alerts: list[str] = []
    flows.dismiss_dialogs(page, alerts)
    flows.sign_up(page, live_server.url)
    project = project_with(
        page, "xss", {"<b onmouseover=alert(2)>bold</b>.txt".replace("/", ""): "x", "ok.txt": "y"}
    )
    name = "<img src=x onerror=alert(1)>"
    new_entry(page, "File", name)
    page.wait_for_function(f"document.documentElement.dataset.openFile === {name!r}")
    node = page.locator(f"{TREE} .tree-row[data-path='{name}']")
    assert node.evaluate("(r) => r.textContent") == name
    seeded = page.locator(f"{TREE} .tree-row[data-kind=file]").first
    assert seeded.evaluate("(r) => r.textContent") == "<b onmouseover=alert(2)>bold<b>.txt"
    node.hover()
    seeded.hover()
    assert page.locator(f"{TREE} img, {TREE} b").count() == 0
    assert page.evaluate("document.querySelectorAll('img[src=x], b[onmouseover]').length") == 0
    save_and_wait(page)
    assert name in server_files(page, project)
    assert alerts == []


@pytest.mark.timeout(600)  # a first open of 20,000 files on a busy 2-core machine
def test_twenty_thousand_files_scroll_to_the_end(page: Page, live_server: LiveServer) -> None:
    files: dict[str, bytes | str] = {f"many/file{i:05}.txt": str(i) for i in range(19_998)}
    files.update({"src/app.py": "print(1)\n", "README.md": "# many\n"})
    assert len(files) == 20_000  # the most a project may hold
    flows.sign_up(page, live_server.url)
    project_with(page, "twenty-thousand", files)
    assert visible_rows(page) == ["many", "src", "README.md"]
    page.click(row(page, "many"))
    page.wait_for_function("document.documentElement.dataset.treeRows === '20001'")
    tree = page.locator(TREE)
    assert tree.evaluate("(t) => t.scrollHeight") >= 20_001 * 22
    # Scrolled to the bottom, as by dragging the scroll bar down.
    tree.evaluate("(t) => { t.scrollTop = t.scrollHeight; }")
    expect(page.locator(row(page, "README.md"))).to_be_visible()
    expect(page.locator(row(page, "many/file19997.txt"))).to_be_visible()
    drawn = page.locator(f"{TREE} .tree-row").count()
    assert drawn < 200, drawn
    # Back to the top with the keyboard, then End again: the focus follows.
    tree.focus()
    page.keyboard.press("Home")
    expect(page.locator(row(page, "many/file00000.txt"))).to_be_visible()
    page.keyboard.press("End")
    expect(page.locator(row(page, "README.md"))).to_have_attribute("data-focused", "true")
    page.keyboard.press("PageUp")
    assert page.locator(f"{TREE} .tree-row").count() == drawn  # the same nodes, re-used
    # The middle, as by dragging the scroll bar there: the row is drawn and opens.
    tree.evaluate("(t) => { t.scrollTop = 10_001 * 22 - t.clientHeight / 2; }")
    page.click(row(page, "many/file10000.txt"))
    page.wait_for_function("document.documentElement.dataset.openFile === 'many/file10000.txt'")


def test_ignored_paths_are_dimmed_screenshots_light_and_dark(
    page: Page, live_server: LiveServer, artifacts
) -> None:
    flows.sign_up(page, live_server.url)
    project_with(
        page,
        "look",
        {**FILES, "src/components/Button.jsx": "b", "logo.png": b"\x89PNG\0"},
        "?debug=1",
    )
    flows.tool_writes(page, {"node_modules/x/index.js": "x", ".env": "K=1\n"})
    page.click(row(page, "src"))
    page.click(row(page, "node_modules"))
    for path in ("node_modules", "node_modules/x", ".env"):
        expect(page.locator(row(page, path))).to_have_attribute("data-ignored", "true")
        assert page.locator(row(page, path)).evaluate("(r) => getComputedStyle(r).opacity") == "0.5"
    for path in ("src", "README.md", "logo.png"):
        expect(page.locator(row(page, path))).not_to_have_attribute("data-ignored", "true")
    flows.open_file(page, "src/app.py")
    page.click(row(page, "docs"), modifiers=["Control"])
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(200)
        page.locator("#sidebar").screenshot(path=artifacts / f"file-tree-{scheme}.png")
    # The inline refusal and the context menu, as they look.
    page.click(row(page, "src/app.py"))
    page.keyboard.press("F2")
    page.keyboard.type("../x")
    expect(page.locator(f"{TREE} .tree-error")).to_be_visible()
    page.screenshot(path=artifacts / "file-tree-refusal-dark.png")
    page.keyboard.press("Escape")
    page.click(row(page, "README.md"), button="right")
    page.screenshot(path=artifacts / "file-tree-menu-dark.png")
