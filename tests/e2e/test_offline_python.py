"""A Python project, offline after one visit, as a person works on it: the IDE reloads with
the network off, `pip install` takes packages from the wheelhouse the service worker
cached, a script using one writes a file that shows in the tree, the template's tests pass
under `python -m pytest` and fail after an edit in the editor, input() and Ctrl+C work, a
second terminal tab has the history, and once the network is back the file the script
wrote reaches the server."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e import flows, seed
from tests.e2e.test_offline import (  # noqa: F401  (fixtures: Chromium as Chrome ships)
    partitioned_context,
    partitioned_page,
    reload_offline,
    wait_offline_ready,
    wait_sandbox_offline_ready,
)
from tests.e2e.test_terminal import (
    answer,
    interrupt_once,
    type_line,
    wait_for_prompt,
    wait_for_text,
)
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer

SCRIPT_LINES = [
    "import click",
    "click.echo('made by click ' + click.__version__)",
    "open('made.txt', 'w').write('written offline with click')",
]


def test_python_project_offline_pip_script_and_tests(
    page: Page, live_server: LiveServer, request_log: list[str], artifacts: Path
) -> None:
    flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "offline python", "python-cli")
    wait_for_prompt(page)
    wait_offline_ready(page)  # the worker holds the shell, Pyodide and the wheelhouse
    wait_sandbox_offline_ready(page)  # and the sandbox's worker the runtime's files
    reload_offline(page)
    assert page.evaluate("document.documentElement.dataset.projectSource") == "cache"
    wait_for_prompt(page)

    type_line(page, "pip install click pytest")
    wait_for_text(page, "Successfully installed", 60_000)
    for n, line in enumerate(SCRIPT_LINES):
        type_line(page, f'echo "{line}" {">" if n == 0 else ">>"} use_click.py')
    type_line(page, "python use_click.py")
    wait_for_text(page, "made by click 8.")
    page.wait_for_selector('#file-tree .tree-row[data-path="made.txt"]', timeout=15_000)

    type_line(page, "clear && python -m pytest -q -p no:cacheprovider")
    wait_for_text(page, "5 passed", 60_000)

    # An edit in the editor, then the tests again at once: the new test runs and fails.
    flows.open_file(page, "tests/test_counting.py")
    page.click(".monaco-editor .view-lines")
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n\ndef test_broken_offline():\n    assert 1 == 2\n")
    type_line(page, "clear && python -m pytest -q -p no:cacheprovider")
    wait_for_text(page, "1 failed, 5 passed", 60_000)
    expect(page.locator("#terminal-tabs .term-tab .term-code")).to_have_text("1")
    page.screenshot(path=artifacts / "offline-python.png")
    expect(page.locator("#status-text")).to_contain_text("Offline")

    # input() answered from the terminal, and Ctrl+C stopping a busy loop, offline too.
    # The texts waited for are built by the programs, so the echoed command never matches.
    type_line(page, "clear && python -c \"print('hi ' + input('na' + 'me? '))\"")
    answer(page, "name? ", "Ada", "hi Ada\n")
    type_line(page, "python -c \"print('loop' + 'ing'); [0 for _ in iter(int, 1)]\"")
    interrupt_once(page, "looping")

    # A second terminal tab, its history (↑ brings the last line back), then closed.
    page.click("#terminal-new")
    expect(page.locator("#terminal-tabs .term-tab")).to_have_count(2)
    wait_for_prompt(page)
    type_line(page, "echo second tab")
    wait_for_text(page, "second tab\n")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.wait_for_function("""() => document.querySelector(
        '#bottom-panel .term-host:not([hidden]) .xterm-rows').innerText
        .split('second tab').length === 5""")  # two commands and two outputs
    page.locator("#terminal-tabs .term-tab:nth-child(2) .term-close").click()
    expect(page.locator("#terminal-tabs .term-tab")).to_have_count(1)

    page.context.set_offline(False)
    page.keyboard.press("Control+s")
    for _ in range(60):
        files = seed.server_files(page, project)
        if "made.txt" in files and b"test_broken_offline" in files["tests/test_counting.py"]:
            break
        page.wait_for_timeout(500)
    assert files["made.txt"] == b"written offline with click"
    assert b"def test_broken_offline():" in files["tests/test_counting.py"]
    assert files["use_click.py"].decode().splitlines() == SCRIPT_LINES
    assert off_machine(request_log) == []
