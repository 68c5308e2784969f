"""/embed on another site, in Chromium: a host page on a second origin (its own port, and
another site than the IDE's) frames the embed, with and without COOP/COEP (the full and
the lite tier). It loads, takes files from the host and reports changes, runs a Python
file and reports its exit status, ignores an origin not on its allow-list, and loads a
share link's files."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from tests.e2e import flows, seed
from tests.support.browser import off_machine
from tests.support.host_page import host_server
from tests.support.live_server import LiveServer

PROGRAM = "import sys\nprint('hello from the host page')\nsys.exit(3)\n"


@pytest.fixture
def page(partitioned_browser: Browser) -> Iterator[Page]:
    context = partitioned_browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    yield context.new_page()
    context.close()
    assert off_machine(requests) == []


@pytest.fixture
def hosts() -> Iterator[tuple[str, str]]:
    """Two host origins: the allowed one, and a stranger."""
    with host_server() as allowed, host_server() as stranger:
        yield allowed, stranger


def host_url(host: str, embed: str, isolated: bool) -> str:
    return f"{host}/host.html?isolated={int(isolated)}&src={quote(embed, safe='')}"


def embed_frame(page: Page) -> Frame:
    return flows.frame_at(page, "/embed")


def wait_event(page: Page, kind: str, timeout: float = 90_000, after: int = 0) -> Any:
    page.wait_for_function(
        f"window.events.slice({after}).some(e => e && e.type === {json.dumps(kind)})",
        timeout=timeout,
    )
    events = page.evaluate("window.events")[after:]
    return next(e for e in events if e["type"] == kind)


def send(page: Page, message: dict[str, Any]) -> None:
    page.evaluate("message => window.send(message)", {"cospai": 1, **message})


@pytest.mark.parametrize("isolated", [True, False], ids=["isolated-host", "plain-host"])
def test_embed_on_a_second_origin(
    page: Page, live_server: LiveServer, hosts: tuple[str, str], isolated: bool, artifacts: Any
) -> None:
    allowed, _stranger = hosts
    embed = f"{live_server.url}/embed?origins={allowed}&panels=tree,editor,terminal&debug=1"
    page.goto(host_url(allowed, embed, isolated))
    assert page.evaluate("crossOriginIsolated") is isolated
    ready = wait_event(page, "ready")
    assert ready["tier"] == ("full" if isolated else "lite")
    frame = embed_frame(page)
    assert frame.evaluate("crossOriginIsolated") is isolated

    count = len(page.evaluate("window.events"))
    send(
        page,
        {"type": "set-files", "files": {"main.py": PROGRAM, "notes.txt": "n"}, "open": "main.py"},
    )
    change = wait_event(page, "change", after=count)
    assert change["files"]["main.py"] == PROGRAM
    files = json.loads(frame.evaluate("window.cospaiDebug.files()"))
    assert files == {"main.py": PROGRAM, "notes.txt": "n"}

    # Typing in the embed's editor reaches the host as a change.
    count = len(page.evaluate("window.events"))
    frame.click(".monaco-editor .view-lines")
    page.keyboard.press("Control+End")
    page.keyboard.type("# typed")
    change = wait_event(page, "change", after=count)
    assert change["files"]["main.py"].endswith("# typed")

    send(page, {"type": "get-files", "id": 7})
    listed = wait_event(page, "files")
    assert listed["id"] == 7 and listed["files"]["notes.txt"] == "n"

    count = len(page.evaluate("window.events"))
    send(page, {"type": "run", "path": "main.py"})
    finished = wait_event(page, "run-exit", after=count)
    assert finished["code"] == 3
    page.screenshot(path=str(artifacts / f"embed-{'isolated' if isolated else 'plain'}.png"))
    # The embed never opened the IDE's IndexedDB (PyScript's own cache is all there is).
    names = frame.evaluate("indexedDB.databases().then(dbs => dbs.map(d => d.name))")
    assert not [n for n in names if n.startswith("cospai")], names


def test_messages_from_another_origin_are_ignored(
    page: Page, live_server: LiveServer, hosts: tuple[str, str]
) -> None:
    allowed, stranger = hosts
    # The stranger frames an embed that names only `allowed` as its host.
    embed = f"{live_server.url}/embed?origins={allowed}&panels=editor&debug=1"
    page.goto(host_url(stranger, embed, False))
    frame = embed_frame(page)
    frame.wait_for_function("document.documentElement.dataset.embed === 'ready'", timeout=90_000)
    send(page, {"type": "set-files", "files": {"evil.py": "print('x')"}})
    send(page, {"type": "get-files", "id": 1})
    page.wait_for_timeout(1500)
    assert json.loads(frame.evaluate("window.cospaiDebug.files()")) == {}
    assert page.evaluate("window.events") == []  # not even `ready` went to the stranger


def test_embed_of_a_share_link(
    page: Page, live_server: LiveServer, hosts: tuple[str, str], artifacts: Any
) -> None:
    allowed, _stranger = hosts
    flows.sign_up(page, live_server.url)
    project = seed.new_project(
        page, "embedded", {"main.py": "print('shared')\n", "lib/util.py": "X = 1\n"}
    )
    page.click("#share-button")
    page.click("#share-create")
    page.wait_for_selector(".share-row")
    page.click("#share-tab-embed")
    page.fill("#embed-origins", allowed)
    page.check("#embed-readonly")
    snippet = page.input_value("#embed-snippet")
    page.screenshot(path=str(artifacts / "share-embed-tab.png"))
    assert 'allow="cross-origin-isolated; clipboard-write"' in snippet
    assert 'loading="lazy"' in snippet and "readonly=1" in snippet
    src = snippet.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert src.startswith(f"{live_server.url}/embed?share=")
    page.goto(host_url(allowed, src + "&debug=1", True))
    ready = wait_event(page, "ready")
    assert ready["files"] == ["lib/util.py", "main.py"]
    frame = embed_frame(page)
    assert frame.evaluate("document.documentElement.dataset.openFile") == "main.py"
    # Read-only: typing changes nothing.
    frame.click(".monaco-editor .view-lines")
    page.keyboard.type("zzz")
    page.wait_for_timeout(500)
    assert "zzz" not in json.loads(frame.evaluate("window.cospaiDebug.files()"))["main.py"]
    # Nor can the explorer change files: F2 and Delete say why, the menu leaves them out.
    row = '#file-tree .tree-row[data-path="main.py"]'
    frame.click(row)
    page.keyboard.press("F2")
    expect(frame.locator("#status-notice")).to_have_text("These files are read-only here.")
    assert frame.locator("#file-tree .tree-edit, #file-tree input").count() == 0
    page.keyboard.press("Delete")
    frame.click(row, button="right")
    labels = frame.locator(".tree-menu [data-action]").evaluate_all(
        "(items) => items.map((i) => i.getAttribute('data-action'))"
    )
    assert "copyPath" in labels and not {"rename", "delete", "newFile", "paste"} & set(labels)
    page.keyboard.press("Escape")
    assert sorted(json.loads(frame.evaluate("window.cospaiDebug.files()"))) == [
        "lib/util.py",
        "main.py",
    ]
    # The whole project as a zip: an embed has no server project, so the page makes it.
    box = frame.locator("#file-tree").bounding_box()
    assert box is not None
    frame.click("#file-tree", button="right", position={"x": 40, "y": box["height"] - 10})
    with page.expect_download() as got:
        frame.click('.tree-menu [data-action="download"]')
    assert got.value.suggested_filename == "project.zip"
    with zipfile.ZipFile(got.value.path()) as archive:
        assert sorted(archive.namelist()) == ["lib/util.py", "main.py"]
        assert archive.read("main.py") == b"print('shared')\n"
    assert project


def test_terminal_on_a_plain_host_says_what_it_cannot_do(
    page: Page,
    live_server: LiveServer,
    hosts: tuple[str, str],
    artifacts: Any,
) -> None:
    """Without cross-origin isolation (a plain host page around the embed) the shell still
    works, and the terminal and status say that Ctrl+C and input() cannot."""
    allowed, _stranger = hosts
    embed = f"{live_server.url}/embed?origins={allowed}&panels=tree,editor,terminal&debug=1"
    page.goto(host_url(allowed, embed, False))
    wait_event(page, "ready")
    frame = embed_frame(page)
    assert frame.evaluate("crossOriginIsolated") is False
    rows = "#bottom-panel .term-host:not([hidden]) .xterm-rows"

    def wait_for(text: str) -> None:
        frame.wait_for_function(
            "([rows, text]) => (document.querySelector(rows) || {}).innerText?.includes(text)",
            arg=[rows, text],
            timeout=60_000,
        )

    wait_for("~ $")
    wait_for("Ctrl+C cannot stop a running program and input() cannot read the keyboard")
    status = frame.locator("#status-engine")
    if status.count():  # the embed shows the status bar only when asked for it
        assert "not cross-origin isolated" in (status.get_attribute("title") or "")
        assert "limited" in status.inner_text()
    frame.locator("#bottom-panel .term-host:not([hidden]) .xterm-helper-textarea").focus()
    page.keyboard.type("echo plain-shell-works")
    page.keyboard.press("Enter")
    wait_for("\nplain-shell-works")
    page.keyboard.type("python -c \"print('got', repr(input('name? ')))\"; echo status=$?")
    page.keyboard.press("Enter")
    wait_for("input() cannot wait for the keyboard here")
    wait_for("status=1")
    page.keyboard.type("echo still-here")
    page.keyboard.press("Enter")
    wait_for("\nstill-here")
    page.screenshot(path=str(artifacts / "terminal-not-isolated.png"))
