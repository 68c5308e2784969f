"""A browser that refuses IndexedDB (some private modes, blocked storage): the IDE still
opens the project, says plainly that edits live in memory only, and still saves them to
the server. Storage errors are shown, never swallowed."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e import flows
from tests.e2e.seed import new_project, server_files
from tests.support.live_server import LiveServer

# The IDE's own database refuses to open, as in browsers that block storage for the site;
# other databases (none of ours) are left alone.
BLOCK_INDEXEDDB = """
const realOpen = IDBFactory.prototype.open;
IDBFactory.prototype.open = function (name, version) {
    if (String(name).startsWith("cospai")) {
        throw new DOMException("The operation is insecure.", "SecurityError");
    }
    return realOpen.call(this, name, version);
};
"""


def test_blocked_indexeddb_is_said_and_edits_still_reach_the_server(
    page: Page, live_server: LiveServer
) -> None:
    flows.sign_up(page, live_server.url)
    page.add_init_script(BLOCK_INDEXEDDB)
    project = new_project(page, "blocked", {"main.py": "print(1)\n"})
    status = page.locator("#status-text")
    expect(status).to_contain_text("cannot store changes in this browser")
    expect(status).to_contain_text("memory only")
    flows.open_file(page, "main.py")
    flows.type_at_start(page, "# typed\n")
    page.keyboard.press("Control+s")
    for _ in range(40):
        if server_files(page, project)["main.py"].startswith(b"# typed\n"):
            break
        page.wait_for_timeout(250)
    assert server_files(page, project)["main.py"] == b"# typed\nprint(1)\n"
    expect(status).to_contain_text("memory only")  # a save to memory does not hide it
