"""The terminal, as a person uses it: the Pyodide engine's shell in xterm tabs, files made
there reaching the tree and the server, resize, history, Ctrl+C and input()."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e import flows, seed
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer

ACTIVE = "#bottom-panel .term-host:not([hidden])"


def screen(page: Page) -> str:
    """What the active terminal shows (xterm's DOM renderer keeps one div per row)."""
    return page.locator(f"{ACTIVE} .xterm-rows").inner_text()


def wait_for_text(page: Page, text: str, timeout: float = 20_000) -> None:
    page.wait_for_function(
        """(text) => {
            const rows = document.querySelector(
                '#bottom-panel .term-host:not([hidden]) .xterm-rows');
            return rows !== null && rows.innerText.includes(text);
        }""",
        arg=text,
        timeout=timeout,
    )


def wait_for_prompt(page: Page) -> None:
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'", timeout=60_000)
    wait_for_text(page, "~ $", 60_000)


def type_line(page: Page, line: str) -> None:
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    page.keyboard.type(line)
    page.keyboard.press("Enter")


def answer(page: Page, question: str, typed: str, reply: str) -> None:
    """Once the program asks `question`, type `typed` and Enter; it replies `reply`."""
    wait_for_text(page, question)
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    wait_for_text(page, reply)


def interrupt_once(page: Page, started: str) -> None:
    """Once the program says `started`, Ctrl+C: it stops with a KeyboardInterrupt."""
    wait_for_text(page, started)
    page.keyboard.press("Control+c")
    wait_for_text(page, "KeyboardInterrupt")


def shell_in_new_project(
    page: Page, base_url: str, name: str, files: Mapping[str, bytes | str], query: str = ""
) -> str:
    """A new user signs up and opens a new project holding `files`, and its terminal's
    prompt is up; the project's id."""
    flows.sign_up(page, base_url)
    project = seed.new_project(page, name, files, query)
    wait_for_prompt(page)
    return project


def test_echo_to_a_file_reaches_the_tree_and_the_server(
    page: Page,
    live_server: LiveServer,
    request_log: list[str],
    artifacts: Path,
) -> None:
    project = shell_in_new_project(
        page, live_server.url, "term", {"main.py": "print('hello from main')\n"}, query="?debug=1"
    )
    type_line(page, "echo hi > a.txt && cat a.txt")
    wait_for_text(page, "hi")
    page.wait_for_selector('#file-tree .tree-row[data-path="a.txt"]', timeout=10_000)
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")
    assert seed.server_files(page, project)["a.txt"] == b"hi\n"
    type_line(page, "ls -la")
    wait_for_text(page, "main.py")
    page.screenshot(path=artifacts / "terminal-light.png")

    # A burst (as a package install writes) reaches the model; ignored folders never do.
    type_line(
        page,
        "mkdir -p gen node_modules/pkg && touch node_modules/pkg/index.js && "
        "python -c \"[open(f'gen/f{i}.txt', 'w').write(str(i)) for i in range(300)]\"",
    )
    page.wait_for_function(
        """() => Object.keys(JSON.parse(window.cospaiDebug.files()))
        .filter((p) => p.startsWith('gen/')).length === 300""",
        timeout=30_000,
    )
    files = page.evaluate("Object.keys(JSON.parse(window.cospaiDebug.files()))")
    assert not [p for p in files if p.startswith("node_modules/")]
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=30_000)
    on_server = seed.server_files(page, project)
    assert on_server["gen/f299.txt"] == b"299"
    assert not [p for p in on_server if p.startswith("node_modules/")]
    assert off_machine(request_log) == []


def test_tabs_resize_history_and_the_editor_reaching_the_shell(
    page: Page,
    live_server: LiveServer,
    artifacts: Path,
) -> None:
    shell_in_new_project(page, live_server.url, "tabs", {"main.py": "print('hello from main')\n"})
    type_line(page, "echo first-line")
    wait_for_text(page, "first-line")

    # A second tab is a shell of its own; double-click renames; × closes.
    page.click("#terminal-new")
    expect(page.locator("#terminal-tabs .term-tab")).to_have_count(2)
    wait_for_text(page, "~ $")
    assert "first-line" not in screen(page)
    page.dblclick("#terminal-tabs .term-tab:nth-child(2) .term-label")
    page.fill("#terminal-tabs .term-rename", "server")
    page.keyboard.press("Enter")
    expect(page.locator("#terminal-tabs .term-tab:nth-child(2) .term-label")).to_have_text("server")

    # ↑ recalls the other tab's line (one history per project).
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    wait_for_text(page, "first-line")

    # The panel grows: the process sees the new size.
    type_line(page, "stty size")
    page.wait_for_function("""() => /\\n\\d+ \\d+\\n/.test(document.querySelector(
        '#bottom-panel .term-host:not([hidden]) .xterm-rows').innerText)""")
    before = _last_size(page)
    divider = page.locator('[data-divider="bottom"]').bounding_box()
    assert divider is not None
    page.mouse.move(divider["x"] + 200, divider["y"] + 2)
    page.mouse.down()
    page.mouse.move(divider["x"] + 200, divider["y"] - 150, steps=5)
    page.mouse.up()
    page.wait_for_timeout(300)
    type_line(page, "clear && stty size")
    page.wait_for_timeout(500)
    after = _last_size(page)
    assert after[0] > before[0], (before, after)
    assert after[1] == before[1]

    # A failing command's status shows on the tab.
    type_line(page, "ls nothing-here")
    expect(page.locator("#terminal-tabs .term-tab:nth-child(2) .term-code")).to_have_text("2")
    page.screenshot(path=artifacts / "terminal-tabs.png")

    # An edit in the editor is in the worker before the next command, even when the
    # command is typed at machine speed, well inside the editor's 300 ms debounce: the
    # worker asks the page for pending writes before it runs a line.
    for n in range(3):
        flows.type_at_start(page, f"# edited {n}\n")
        type_line(page, "head -1 main.py")
        wait_for_text(page, f"# edited {n}")

    page.locator("#terminal-tabs .term-tab:nth-child(2) .term-close").click()
    expect(page.locator("#terminal-tabs .term-tab")).to_have_count(1)
    wait_for_text(page, "first-line")


def _last_size(page: Page) -> tuple[int, int]:
    lines = [line for line in screen(page).splitlines() if line.strip()]
    sizes = [line.split() for line in lines if line.replace(" ", "").isdigit()]
    rows, cols = sizes[-1]
    return int(rows), int(cols)


def test_python_ctrl_c_input_and_run_in_dark(
    page: Page,
    live_server: LiveServer,
    artifacts: Path,
) -> None:
    shell_in_new_project(
        page,
        live_server.url,
        "py",
        {
            "main.py": "name = input('Your name? ')\nprint(f'Hello, {name}!')\n",
        },
    )
    assert page.evaluate("crossOriginIsolated")
    # A busy loop that says it started (a Ctrl+C typed before the program runs would only
    # be typeahead); `any` over an endless generator spins without using memory.
    type_line(
        page,
        "python -c \"import itertools; print('spin' + 'ning'); "
        'any(False for _ in itertools.count())"',
    )
    interrupt_once(page, "spinning")
    type_line(page, "echo still-alive")
    wait_for_text(page, "still-alive")

    page.click("#terminal-run")
    answer(page, "Your name? ", "Ada", "Hello, Ada!")

    type_line(page, 'python -c "import shutil; print(shutil.get_terminal_size())"')
    wait_for_text(page, "os.terminal_size(columns=")
    page.keyboard.press("Control+Shift+P")  # the palette's theme command, as a person would
    page.locator("#command-palette input").fill("theme")
    page.locator('#command-palette .picker-row[data-command="settings.theme"]').click()
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    type_line(page, "echo https://example.com/docs")
    wait_for_text(page, "https://example.com/docs")
    page.screenshot(path=artifacts / "terminal-dark.png")
