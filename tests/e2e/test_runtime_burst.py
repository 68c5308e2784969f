"""Issue 4's watcher under a burst, as `npm install` makes one: a program writes thousands
of files at once. The tree shows them, the server receives what the sync rules allow and
nothing from the ignored folder, and the page stays usable (it answers while they land).
bench/ reports the long tasks; this test checks the outcome."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e import flows, seed
from tests.e2e.test_terminal import type_line, wait_for_prompt, wait_for_text
from tests.support.live_server import LiveServer

GENERATOR = """import os
for i in range(1500):
    os.makedirs(f"gen/d{i // 100}", exist_ok=True)
    with open(f"gen/d{i // 100}/f{i}.txt", "w") as out:
        out.write(str(i))
    os.makedirs(f"node_modules/p{i // 100}", exist_ok=True)
    with open(f"node_modules/p{i // 100}/m{i}.js", "w") as out:
        out.write("x")
print("burst done")
"""


def test_a_burst_of_program_files_reaches_tree_and_server_but_not_ignored_ones(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    project = seed.new_project(page, "burst", {"main.py": "print(1)\n", "gen.py": GENERATOR})
    wait_for_prompt(page)
    type_line(page, "python gen.py")
    wait_for_text(page, "burst done", 60_000)
    # The tree gets every generated file (folders appear; the last file's folder too).
    page.wait_for_selector('#file-tree .tree-row[data-path="gen"]', timeout=30_000)
    # The page answers while the files land: a click on the editor still works.
    flows.open_file(page, "main.py")
    page.keyboard.press("Control+s")
    for _ in range(120):
        stored = seed.server_files(page, project)
        if sum(p.startswith("gen/") for p in stored) == 1500:
            break
        page.wait_for_timeout(500)
    stored = seed.server_files(page, project)
    assert sum(p.startswith("gen/") for p in stored) == 1500
    assert stored["gen/d14/f1499.txt"] == b"1499"
    assert not any(p.startswith("node_modules/") for p in stored)
    # Ignored files stay in the runtime (the terminal sees them) and never sync; the
    # watcher drops them before the model, so a huge node_modules costs the page nothing.
    type_line(page, "ls node_modules | wc -l")
    wait_for_text(page, "15")
    assert page.locator('#file-tree .tree-row[data-path="node_modules"]').count() == 0
