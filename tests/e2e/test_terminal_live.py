"""The terminal while a program keeps running, and the terminal's own conveniences, in
Chromium: files a running program writes reach the tree before it ends (the worker scans
from the program's output and its time.sleep), Ctrl+C stops a sleep, URLs are links that
open in a new tab, Ctrl+Shift+C / Ctrl+Shift+V copy and paste."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.test_terminal import (
    ACTIVE,
    screen,
    shell_in_new_project,
    type_line,
    wait_for_text,
)
from tests.support.live_server import LiveServer

SLEEPER = (
    "python -c \"import time; open('live.txt', 'w').write('written early'); "
    "print('wrote live.txt'); time.sleep(60); print('WOKE'.lower())\""
)
# A busy loop that prints (no sleep, no free event loop): its output is where the scan runs.
LOOPER = (
    "python -c \"import itertools; [(open('count.txt', 'w').write(str(i)), "
    'i % 20000 or print(i)) for i in itertools.count()]"'
)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "permissions": ["clipboard-read", "clipboard-write"]}


def model_files(page: Page) -> dict[str, str]:
    return json.loads(page.evaluate("window.cospaiDebug.files()"))


def test_files_of_a_running_program_show_while_it_runs(
    page: Page,
    live_server: LiveServer,
    artifacts: Path,
) -> None:
    shell_in_new_project(page, live_server.url, "live", {"main.py": "print(1)\n"}, query="?debug=1")
    type_line(page, SLEEPER)
    wait_for_text(page, "wrote live.txt")
    # Within about a second, while the program still sleeps (it sleeps a minute).
    page.wait_for_selector('#file-tree .tree-row[data-path="live.txt"]', timeout=5_000)
    assert model_files(page)["live.txt"] == "written early"
    assert "woke" not in screen(page)
    page.screenshot(path=artifacts / "terminal-live-file.png")
    page.keyboard.press("Control+c")  # the sleep ends at once (Pyodide's own would not)
    wait_for_text(page, "KeyboardInterrupt", 5_000)
    assert "woke" not in screen(page)
    type_line(page, "echo after-sleep")
    wait_for_text(page, "after-sleep")

    # A busy loop that prints: its file shows, and keeps changing, before Ctrl+C.
    type_line(page, "clear")  # the KeyboardInterrupt below must be the loop's
    type_line(page, LOOPER)
    page.wait_for_function(
        "() => Number(JSON.parse(window.cospaiDebug.files())['count.txt'] || -1) >= 0",
        timeout=10_000,
    )
    first = int(model_files(page)["count.txt"])
    page.wait_for_function(
        f"() => Number(JSON.parse(window.cospaiDebug.files())['count.txt']) > {first}",
        timeout=10_000,
    )
    # One Ctrl+C stops it, even when Python delivers it in a finalizer (the loop opens and
    # drops a file per turn) or where C code drops it (the "unclosed file" warning built
    # as that file closes): the worker raises it again in the program's code.
    page.keyboard.press("Control+c")
    page.wait_for_selector('#terminal-tabs .term-tab[data-exit="130"]', timeout=5_000)
    assert "Exception ignored" not in screen(page)
    assert "KeyboardInterrupt" in screen(page)
    assert "late_interrupt" not in screen(page)  # the traceback ends in the program's code
    type_line(page, "echo after-loop")
    wait_for_text(page, "\nafter-loop")


def _text_centre(page: Page, text: str) -> tuple[float, float]:
    """Where `text` shows in the active terminal (its last occurrence), in page pixels."""
    box = page.evaluate(
        """([selector, text]) => {
            const rows = [...document.querySelectorAll(selector + ' .xterm-rows > div')];
            for (const row of rows.reverse()) {
                const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const at = node.textContent.indexOf(text);
                    if (at < 0) continue;
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + text.length);
                    const r = range.getBoundingClientRect();
                    return {x: r.x + r.width / 2, y: r.y + r.height / 2};
                }
            }
            return null;
        }""",
        [ACTIVE, text],
    )
    assert box is not None, f"{text!r} is not on the terminal's screen"
    return box["x"], box["y"]


def test_links_open_in_a_new_tab_and_copy_paste_keys(
    page: Page,
    live_server: LiveServer,
) -> None:
    shell_in_new_project(page, live_server.url, "links", {"main.py": "print(1)\n"})
    url = f"{live_server.url}/health?from=terminal"
    type_line(page, f"echo 'see {url} now'")
    wait_for_text(page, f"see {url} now")
    x, y = _text_centre(page, url)
    page.mouse.move(x, y)  # xterm asks the link provider on hover
    with page.expect_popup(timeout=10_000) as popup:
        page.mouse.click(x, y)
    opened = popup.value
    opened.wait_for_load_state()
    assert opened.url == url
    opened.close()

    # Ctrl+Shift+C copies the selection (Ctrl+C stays the interrupt key).
    type_line(page, "echo copy-me-42")
    wait_for_text(page, "\ncopy-me-42")
    x, y = _text_centre(page, "copy-me-42")
    page.evaluate("navigator.clipboard.writeText('')")
    page.mouse.dblclick(x, y)  # xterm selects the word
    page.keyboard.press("Control+Shift+C")
    page.wait_for_function(
        "navigator.clipboard.readText().then(t => t === 'copy-me-42')", timeout=5_000
    )
    assert "^C" not in screen(page)

    # Ctrl+Shift+V pastes into the shell's line, once.
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    page.keyboard.type("echo pasted:")
    page.keyboard.press("Control+Shift+V")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    wait_for_text(page, "\npasted:copy-me-42\n")
    assert "pasted:copy-me-42copy-me-42" not in screen(page)
