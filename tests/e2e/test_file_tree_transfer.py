"""The explorer's commands from the palette, upload (picked and dropped) and download,
a hostile file name shown as text, 20,000 files, and ignored paths dimmed in both themes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.e2e import flows
from tests.e2e.seed import server_files
from tests.e2e.tree_steps import (
    FILES,
    TREE,
    file_flags,
    new_entry,
    project_with,
    row,
    run_command,
    save_and_wait,
    visible_rows,
)
from tests.support.live_server import LiveServer


def test_explorer_commands_from_the_palette_and_their_shortcut(
    page: Page, live_server: LiveServer
) -> None:
    project_with(page, live_server.url, "commands", FILES)
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


def test_upload_picked_and_dropped_with_one_too_big(page: Page, live_server: LiveServer) -> None:
    project = project_with(page, live_server.url, "upload", FILES)
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
    project_with(page, live_server.url, "Down Load", {**FILES, "logo.png": PNG})
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
    project = project_with(
        page,
        live_server.url,
        "xss",
        {"<b onmouseover=alert(2)>bold</b>.txt".replace("/", ""): "x", "ok.txt": "y"},
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
    project_with(page, live_server.url, "twenty-thousand", files)
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
    project_with(
        page,
        live_server.url,
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
