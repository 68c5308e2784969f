"""A crashed runtime recovers: deep recursion in Python code is a RecursionError; a fatal
engine error (the browser's stack overflowing inside Python's C code) is said in plain words
in the terminal and the status bar, and a fresh engine starts by itself with the project's
files and a new prompt; a program that ignores Ctrl+C for 5 s gets a "Restart runtime"
button that ends it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_terminal import (
    screen,
    shell_in_new_project,
    type_line,
    wait_for_text,
)
from tests.support.live_server import LiveServer

FILES = {
    "main.py": "print('main here')\n",
    "deep.py": "def down(n):\n    return down(n + 1)\n\n\ndown(0)\n",
    # CPython raises RecursionError here; Pyodide's C recursion overflows the browser's
    # stack first, a fatal error of the engine (pyodide/pyodide#5959).
    "selfref.py": "a = []\na.append(a)\nb = []\nb.append(b)\nprint(a == b)\n",
    "stubborn.py": (
        "print('stubborn', flush=True)\n"
        "while True:\n"
        "    try:\n"
        "        while True:\n"
        "            pass\n"
        "    except KeyboardInterrupt:\n"
        "        print('ignored Ctrl+C', flush=True)\n"
    ),
}
FRESH_PROMPT = """(after) => {
    const rows = document.querySelector('#bottom-panel .term-host:not([hidden]) .xterm-rows');
    const texts = [...rows.children].map((r) => r.textContent.replace(/\\u00a0/g, ' '));
    const at = texts.findLastIndex((t) => t.startsWith(after));
    return at >= 0 && texts.slice(at + 1).some((t) => t.trimEnd().endsWith('$'));
}"""
WATCH_STATUS = """() => {
    window.engineStates = [];
    const node = document.querySelector('#status-engine');
    new MutationObserver(() => window.engineStates.push(node.textContent))
        .observe(node, {childList: true, characterData: true, subtree: true});
}"""


def test_recursion_and_a_crashed_engine(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    shell_in_new_project(page, live_server.url, "crash", FILES)

    type_line(page, "python deep.py")
    wait_for_text(page, "RecursionError: maximum recursion depth exceeded")
    type_line(page, "echo after-deep")
    wait_for_text(page, "\nafter-deep")
    assert "crashed" not in screen(page)

    page.evaluate(WATCH_STATUS)
    type_line(page, "python selfref.py")
    wait_for_text(
        page,
        "The Python runtime crashed: a program recursed deeper than the browser's stack",
    )
    # Where in the project: the innermost frame of Pyodide's dump of the Python stack.
    page.wait_for_function(
        """(text) => document.querySelector('#bottom-panel .term-host:not([hidden]) .xterm-rows')
            .innerText.replace(/\\n/g, '').includes(text)""",
        arg="stack allows, at selfref.py, line 5 (deep recursion",
    )
    wait_for_text(page, "Restarting it with the project's files")
    page.wait_for_function(FRESH_PROMPT, arg="Restarting it with", timeout=30_000)
    states = page.evaluate("window.engineStates")
    assert any("failed" in s and "crashed" in s for s in states), states
    assert states[-1] == "Python (Pyodide): ready", states
    # A fresh prompt in the same tab, with the project's files mounted.
    type_line(page, "cat main.py")
    wait_for_text(page, "main here")
    assert page.locator("#terminal-tabs .term-tab").count() == 1
    page.screenshot(path=str(artifacts / "runtime-crash-recovered.png"))


def test_a_program_ignoring_ctrl_c_is_offered_a_restart(
    page: Page,
    live_server: LiveServer,
) -> None:
    shell_in_new_project(page, live_server.url, "stubborn", FILES)
    type_line(page, "python stubborn.py")
    wait_for_text(page, "stubborn")
    page.keyboard.press("Control+c")
    wait_for_text(page, "ignored Ctrl+C")
    stuck = page.locator("#terminal-stuck")
    expect(stuck).to_be_hidden()
    expect(stuck).to_be_visible(timeout=10_000)
    expect(stuck).to_contain_text("ignored Ctrl+C for 5 s")
    page.click("#terminal-restart")
    wait_for_text(page, "Restarting the runtime")
    expect(stuck).to_be_hidden()
    page.wait_for_function(FRESH_PROMPT, arg="Restarting the runtime", timeout=30_000)
    type_line(page, "echo back-again; cat main.py")
    wait_for_text(page, "main here")
    wait_for_text(page, "\nback-again")
