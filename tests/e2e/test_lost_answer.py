"""A push the server applied whose answer the page never got (it reloaded mid-request),
raced by edits: the interleaving that once brought a deleted src/c.js back in the soak,
forced step by step here (tests/unit/client/test_lost_answers.py has the same in core)."""

from __future__ import annotations

import contextlib
import json
import time

from playwright.sync_api import BrowserContext, Page, Route

from tests.e2e import flows
from tests.e2e.test_workbench_sync import server_files
from tests.support.live_server import LiveServer


def page_files(page: Page) -> dict[str, str]:
    return json.loads(page.evaluate("window.cospaiDebug.files()"))


def wait_saved(page: Page) -> None:
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=60_000)


def test_a_file_made_again_while_its_delete_flew_stays_deleted_after_a_reload(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    project = flows.create_project(page, "lost answer")
    page.goto(f"{live_server.url}/p/{project}?debug=1")
    flows.wait_for_workbench(page)
    write = "([p, t]) => window.cospaiDebug.write(p, t)"
    page.evaluate(write, ["src/c.js", "one\n"])
    page.evaluate(write, ["a.txt", "a\n"])
    page.keyboard.press("Control+s")
    wait_saved(page)

    # The delete goes out and is held on its way; c.js is written again meanwhile. (The
    # route stays: unrouting would let the held request go on, and the page would get an
    # answer after all.)
    held: list[Route] = []
    holding = {"on": True}

    def hold(route: Route) -> None:
        if holding["on"]:
            held.append(route)
        else:
            route.continue_()

    page.route(f"**/api/projects/{project}/sync", hold)
    page.evaluate("(p) => window.cospaiDebug.remove(p)", "src/c.js")
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the delete never left"
    assert json.loads(held[0].request.post_data or "{}")["ops"][0]["op"] == "delete"
    page.evaluate(write, ["src/c.js", "written while the delete flew\n"])
    # The server applies it; the page reloads before the answer reaches it.
    answer = held[0].fetch()
    assert answer.ok
    assert "src/c.js" not in server_files(context, live_server.url, project)
    holding["on"] = False
    page.reload()
    for route in held:
        with contextlib.suppress(Exception):  # gone with the page that sent it
            route.abort()
    flows.wait_for_workbench(page)

    # The server's copy went by our own hand: no conflict, the new text is a new file.
    assert page.evaluate("document.documentElement.dataset.conflicts") == "0"
    assert page_files(page) == {"src/c.js": "written while the delete flew\n", "a.txt": "a\n"}
    page.evaluate("(p) => window.cospaiDebug.remove(p)", "src/c.js")
    page.keyboard.press("Control+s")
    wait_saved(page)
    assert page_files(page) == {"a.txt": "a\n"}
    assert server_files(context, live_server.url, project) == {"a.txt": "a\n"}
    page.reload()
    flows.wait_for_workbench(page)
    assert page_files(page) == {"a.txt": "a\n"}
