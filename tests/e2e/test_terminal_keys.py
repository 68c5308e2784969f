"""Keys in the terminal: editor shortcuts (Ctrl+W) go to the shell, workbench ones still
work (Ctrl+P opens Go to File)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e import flows, seed
from tests.e2e.test_terminal import ACTIVE, wait_for_prompt
from tests.support.live_server import LiveServer


def test_ctrl_w_cuts_a_word_in_the_shell_and_leaves_editor_tabs_alone(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    seed.new_project(page, "keys", {"main.py": "print(1)\n"})
    flows.open_file(page, "main.py")
    wait_for_prompt(page)
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    page.keyboard.type("echo kept dropped")
    page.keyboard.press("Control+w")
    page.keyboard.press("Enter")
    # The command's output, a line of its own (the typed line shows "kept" at once).
    page.wait_for_function(
        """(sel) => document.querySelector(sel).innerText.split('\\n')
        .some((line) => line.trim() === 'kept')""",
        arg=f"{ACTIVE} .xterm-rows",
    )
    assert "kept dropped" not in page.locator(f"{ACTIVE} .xterm-rows").inner_text()
    expect(page.locator('#tabs .tab[data-path="main.py"]')).to_have_count(1)
    page.locator(f"{ACTIVE} .xterm-helper-textarea").focus()
    page.keyboard.press("Control+p")
    expect(page.locator("#quick-open")).to_be_visible()
