"""The editor as a person uses it: tabs, layout, settings with vim mode, TypeScript
IntelliSense across files, binary and large files, deep links, both themes."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e import flows
from tests.e2e.seed import new_project, server_files
from tests.support.live_server import LiveServer
from tests.support.paths import ARTIFACTS
from tests.unit.client.monaco_typescript import MONACO_ENUMS

MONACO = """async () => {
    const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
    return (await import(url)).monaco;
}"""


def editor_eval(page: Page, body: str, arg: object = None) -> Any:
    """Run `body` with `monaco`, `editor` (the workbench's) and `arg` in scope."""
    return page.evaluate(
        f"""async (arg) => {{
            const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
            const {{monaco}} = await import(url);
            const editor = monaco.editor.getEditors()
                .find((e) => e.getDomNode().closest("#editor"));
            {body}
        }}""",
        arg,
    )


def cursor(page: Page) -> list[int]:
    return editor_eval(page, "const p = editor.getPosition(); return [p.lineNumber, p.column];")


def tab_paths(page: Page) -> list[str]:
    return page.eval_on_selector_all("#tabs .tab", "tabs => tabs.map(t => t.dataset.path)")


def active_tab(page: Page) -> str:
    return page.get_attribute('#tabs .tab[aria-selected="true"]', "data-path") or ""


def png(width: int = 3, height: int = 2) -> bytes:
    """A real PNG (red pixels), small enough to write by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_tabs_switch_close_reorder_and_come_back(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    project = new_project(page, "tabs", {"a.py": "a = 1\n", "b.py": "b = 2\n", "c.py": "c = 3\n"})
    for path in ("a.py", "b.py", "c.py"):
        flows.open_file(page, path)
    assert tab_paths(page) == ["a.py", "b.py", "c.py"]
    assert active_tab(page) == "c.py"
    # Edit a.py: the dirty dot shows; undo history survives switching away and back.
    flows.open_file(page, "a.py")
    flows.type_at_start(page, "# edited\n")
    expect(page.locator('#tabs .tab[data-path="a.py"]')).to_have_attribute("data-dirty", "true")
    page.click('#tabs .tab[data-path="b.py"]')
    page.click('#tabs .tab[data-path="a.py"]')
    assert flows.model_text(page, "a.py") == "# edited\na = 1\n"
    page.click(".monaco-editor .view-lines")
    for _ in range(3):  # typing and the line break are separate undo stops
        page.keyboard.press("Control+z")
        if flows.model_text(page, "a.py") == "a = 1\n":
            break
    assert flows.model_text(page, "a.py") == "a = 1\n"
    flows.type_at_start(page, "# kept\n")
    page.keyboard.press("Control+s")
    expect(page.locator('#tabs .tab[data-path="a.py"]')).to_have_attribute(
        "data-dirty", "false", timeout=15_000
    )
    assert server_files(page, project)["a.py"] == b"# kept\na = 1\n"
    # Middle-click closes a tab; the previously used tab becomes active.
    page.click('#tabs .tab[data-path="c.py"]')
    page.click('#tabs .tab[data-path="c.py"]', button="middle")
    assert tab_paths(page) == ["a.py", "b.py"]
    assert active_tab(page) == "a.py"
    # Drag b.py before a.py.
    page.drag_and_drop(
        '#tabs .tab[data-path="b.py"]',
        '#tabs .tab[data-path="a.py"]',
        target_position={"x": 3, "y": 5},
    )
    assert tab_paths(page) == ["b.py", "a.py"]
    # Tabs and the active one come back after a reload.
    page.reload()
    flows.wait_for_workbench(page)
    expect(page.locator("#tabs .tab")).to_have_count(2)
    assert tab_paths(page) == ["b.py", "a.py"]
    assert active_tab(page) == "a.py"
    # Close Others from the tab's context menu, then the × button closes the last one.
    page.click('#tabs .tab[data-path="a.py"]', button="right")
    page.click("#tab-menu >> text=Close Others")
    assert tab_paths(page) == ["a.py"]
    page.click('#tabs .tab[data-path="a.py"] .tab-close')
    expect(page.locator("#tabs .tab")).to_have_count(0)
    expect(page.locator("#editor-empty")).to_be_visible()


def test_layout_panels_toggle_resize_and_are_remembered(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    new_project(page, "layout", {"main.py": "print('hi')\n"})
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_visible()
    page.keyboard.press("Control+b")
    expect(sidebar).to_be_hidden()
    page.keyboard.press("Control+b")
    expect(sidebar).to_be_visible()
    expect(page.locator("#bottom-panel")).to_be_visible()
    page.keyboard.press("Control+`")
    expect(page.locator("#bottom-panel")).to_be_hidden()
    expect(page.locator("#preview-panel")).to_be_hidden()
    sidebar_box = sidebar.bounding_box()
    divider = page.locator('[data-divider="sidebar"]').bounding_box()
    assert sidebar_box is not None and divider is not None
    before = sidebar_box["width"]
    page.mouse.move(divider["x"] + 2, divider["y"] + 200)
    page.mouse.down()
    page.mouse.move(divider["x"] + 122, divider["y"] + 200, steps=5)
    page.mouse.up()
    sidebar_box = sidebar.bounding_box()
    assert sidebar_box is not None
    after = sidebar_box["width"]
    assert 110 <= after - before <= 130, (before, after)
    page.reload()
    flows.wait_for_workbench(page)
    reloaded = page.locator("#sidebar").bounding_box()
    assert reloaded is not None and abs(reloaded["width"] - after) <= 1
    expect(page.locator("#bottom-panel")).to_be_hidden()


def test_settings_vim_mode_edits_and_is_remembered(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    new_project(page, "vim", {"notes.txt": "first\nsecond\nthird\n"})
    flows.open_file(page, "notes.txt")
    page.keyboard.press("Control+,")
    page.check("#settings-dialog input[name=vim]")
    page.fill("#settings-dialog input[name=font_size]", "17")
    page.dispatch_event("#settings-dialog input[name=font_size]", "change")
    page.check("#settings-dialog input[name=word_wrap]")
    page.click("#settings-close")
    expect(page.locator("#settings-dialog")).to_have_count(0)
    expect(page.locator("#status-vim")).to_contain_text("NORMAL")
    # Vim keys: dd deletes the first line; o opens a line below and inserts.
    page.click(".monaco-editor .view-lines")
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    page.keyboard.press("g")
    page.keyboard.press("d")
    page.keyboard.press("d")
    assert flows.model_text(page, "notes.txt") == "second\nthird\n"
    page.keyboard.press("o")
    page.keyboard.type("inserted")
    page.keyboard.press("Escape")
    assert flows.model_text(page, "notes.txt") == "second\ninserted\nthird\n"
    options = editor_eval(
        page, "const o = editor.getRawOptions(); return [o.fontSize, o.wordWrap];"
    )
    assert options == [17, "on"]
    page.reload()
    flows.wait_for_workbench(page)
    expect(page.locator("#status-vim")).to_contain_text("NORMAL")
    assert page.evaluate("document.documentElement.dataset.vim") == "on"
    assert editor_eval(page, "return editor.getRawOptions().fontSize;") == 17
    # Off again from the command palette's command (run through the registry's shortcut-less
    # entry point: the settings dialog).
    page.keyboard.press("Control+,")
    page.uncheck("#settings-dialog input[name=vim]")
    page.keyboard.press("Escape")
    assert page.evaluate("document.documentElement.dataset.vim") == "off"


TS_FILES = {
    "tsconfig.json": '{\n  // comments are allowed\n  "compilerOptions": {"strict": true, '
    '"target": "ES2020", "module": "ESNext",},\n}\n',
    "src/math.ts": "export function add(a: number, b: number): number {\n  return a + b;\n}\n",
    "src/main.ts": 'import { add } from "./math";\n\nconst total: string = add(1, 2);\n'
    "console.log(total);\n",
}


def test_typescript_errors_and_go_to_definition_across_files(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    new_project(page, "ts", TS_FILES, "?file=src/main.ts&line=3")
    assert page.evaluate("document.documentElement.dataset.openFile") == "src/main.ts"
    assert cursor(page)[0] == 3
    expect(page.locator("#status-language")).to_have_text("TypeScript")
    # The type error from an import of another file shows as a marker and a squiggle.
    page.wait_for_function(
        """async () => {
            const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
            const {monaco} = await import(url);
            return monaco.editor.getModelMarkers({}).some(
                (m) => m.resource.path === "/src/main.ts" && m.message.includes("not assignable"));
        }""",
        timeout=30_000,
    )
    expect(page.locator("#editor .squiggly-error").first).to_be_attached(timeout=20_000)
    markers = editor_eval(
        page,
        """return monaco.editor.getModelMarkers({})
        .filter((m) => m.resource.path === "/src/main.ts").map((m) => m.message);""",
    )
    assert not any("Cannot find module" in m for m in markers), markers
    # The tsconfig's words reached the worker as numbers read from Monaco's own enums
    # (which the unit tests' double copies).
    exported = editor_eval(
        page,
        """return Object.fromEntries(
            ["ScriptTarget", "ModuleKind", "ModuleResolutionKind", "JsxEmit"].map((name) => [
                name,
                Object.fromEntries(Object.entries(monaco.typescript[name])
                    .filter(([, value]) => typeof value === "number")),
            ]));""",
    )
    assert exported == MONACO_ENUMS
    options = editor_eval(page, "return monaco.typescript.typescriptDefaults.getCompilerOptions();")
    assert {k: options[k] for k in ("target", "module", "moduleResolution", "jsx", "strict")} == {
        "target": 7,
        "module": 99,
        "moduleResolution": 2,
        "jsx": 4,
        "strict": True,
    }
    # F12 on `add` jumps into src/math.ts at its definition.
    editor_eval(page, "editor.setPosition({lineNumber: 3, column: 23}); editor.focus();")
    page.keyboard.press("F12")
    page.wait_for_function(
        "document.documentElement.dataset.openFile === 'src/math.ts'", timeout=20_000
    )
    assert cursor(page)[0] == 1
    assert "src/math.ts" in tab_paths(page)
    # Only the shown file is checked (as VS Code does): back on main.ts, its error is found
    # again; math.ts, correct, has none.
    assert not page.locator("#editor .squiggly-error").count()
    page.click('#tabs .tab[data-path="src/main.ts"]')
    expect(page.locator("#editor .squiggly-error").first).to_be_attached(timeout=20_000)


def test_binary_image_and_large_files(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    large = ("x" * 99 + "\n") * 52_500  # 5.25 MB of text
    new_project(
        page,
        "bin",
        {
            "logo.png": png(),
            "data.bin": bytes(range(256)) * 4,
            "big.log": large,
            "ok.txt": "fine\n",
        },
    )
    flows.open_file(page, "logo.png")
    image = page.locator("#image-preview")
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('#image-preview').naturalWidth === 3")
    flows.open_file(page, "data.bin")
    expect(page.locator("#binary-notice")).to_contain_text("Binary file, 1.0 KB")
    expect(page.locator("#viewer-download")).to_be_visible()
    with page.expect_download() as download:
        page.click("#viewer-download")
    assert download.value.suggested_filename == "data.bin"
    flows.open_file(page, "big.log")
    assert page.evaluate("document.documentElement.dataset.openKind") == "text-readonly"
    expect(page.locator("#editor-notice")).to_contain_text("read-only")
    page.click(".monaco-editor .view-lines")
    page.keyboard.type("typed")
    assert (flows.model_text(page, "big.log") or "")[:5] == "xxxxx"
    flows.open_file(page, "ok.txt")
    expect(page.locator("#editor-notice")).to_be_hidden()


def test_both_themes_render(page: Page, live_server: LiveServer) -> None:
    """Screenshots of the workbench in light and dark (looked at by a person)."""
    flows.sign_up(page, live_server.url)
    new_project(page, "themes", TS_FILES)
    flows.open_file(page, "src/main.ts")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The panels reach the status bar, which is the page's last 24 px (no band between).
    boxes = page.evaluate("""() => ['main', 'footer'].map((s) => {
      const r = document.querySelector(s).getBoundingClientRect();
      return [r.top, r.bottom]; }).concat([[innerHeight, innerHeight]])""")
    (_, main_bottom), (footer_top, footer_bottom), (height, _) = boxes
    assert main_bottom == footer_top and footer_bottom == height and height - footer_top == 24
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.keyboard.press("Control+,")
        page.select_option("#settings-dialog select[name=theme]", "auto")
        page.keyboard.press("Escape")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        editor_bg = page.evaluate(
            "getComputedStyle(document.querySelector('.monaco-editor-background')).backgroundColor"
        )
        dark = scheme == "dark"
        assert (background == "rgb(30, 30, 30)") is dark, background
        assert (editor_bg == "rgb(30, 30, 30)") is dark, editor_bg
        page.screenshot(path=str(ARTIFACTS / f"workbench-{scheme}.png"))
    # With "auto", a change of the system's preference while the page is open reaches
    # Monaco too (the page's CSS follows it by itself).
    page.emulate_media(color_scheme="light")
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.monaco-editor-background')).backgroundColor"
        " !== 'rgb(30, 30, 30)'"
    )
    # The theme setting overrides the system's preference.
    page.keyboard.press("Control+,")
    page.select_option("#settings-dialog select[name=theme]", "light")
    page.keyboard.press("Escape")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def test_keyboard_close_tab_format_and_project_title(page: Page, live_server: LiveServer) -> None:
    flows.sign_up(page, live_server.url)
    new_project(page, "<b>keys</b>", {"app.js": "const a={b:1,c:[1,2]}\n", "x.txt": "x\n"})
    expect(page.locator("#header-title")).to_have_text("<b>keys</b>")  # shown as text
    assert page.locator("#header-title b").count() == 0
    flows.open_file(page, "x.txt")
    flows.open_file(page, "app.js")
    expect(page.locator("#status-language")).to_have_text("JavaScript")
    page.click(".monaco-editor .view-lines")
    page.keyboard.press("Shift+Alt+F")
    page.wait_for_function(
        """async () => {
        const url = new URL(cospaiBoot.assets.monaco + "monaco.js", document.baseURI).href;
        const {monaco} = await import(url);
        const m = monaco.editor.getModels().find((m) => m.uri.path === "/app.js");
        return m.getValue() === "const a = { b: 1, c: [1, 2] }\\n";
    }""",
        timeout=20_000,
    )
    page.keyboard.press("Control+w")
    assert tab_paths(page) == ["x.txt"]
    assert page.evaluate("document.documentElement.dataset.openFile") == "x.txt"
    page.keyboard.press("Alt+w")
    expect(page.locator("#tabs .tab")).to_have_count(0)
