"""The terminal, as a person uses it: the Pyodide engine's shell in xterm tabs, files made
there reaching the tree and the server, resize, history, Ctrl+C and input()."""

from __future__ import annotations

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
        }""", arg=text, timeout=timeout)  # fmt: skip


def wait_for_prompt(page: Page) -> None:
    page.wait_for_function("document.documentElement.dataset.engine === 'ready'",
                           timeout=60_000)  # fmt: skip
    wait_for_text(page, "~ $", 60_000)


def type_line(page: Page, line: str) -> None:
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    page.keyboard.type(line)
    page.keyboard.press("Enter")


def test_echo_to_a_file_reaches_the_tree_and_the_server(
    page: Page, live_server: LiveServer, request_log: list[str], artifacts: Path,
) -> None:  # fmt: skip
    flows.sign_up(page, live_server.url)
    project = seed.new_project(page, "term", {"main.py": "print('hello from main')\n"})
    wait_for_prompt(page)
    type_line(page, "echo hi > a.txt && cat a.txt")
    wait_for_text(page, "hi")
    page.wait_for_selector('#file-tree .tree-row[data-path="a.txt"]', timeout=10_000)
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'")
    assert seed.server_files(page, project)["a.txt"] == b"hi\n"
    type_line(page, "ls -la")
    wait_for_text(page, "main.py")
    page.screenshot(path=artifacts / "terminal-light.png")
    assert off_machine(request_log) == []
