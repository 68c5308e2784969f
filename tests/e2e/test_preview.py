"""The preview panel, as a person uses it: the static-site template shown from the separate
preview origin, an edit reaching it after a save, the page's console output and uncaught
errors in the console section, and the preview unable to read the IDE's storage, offline
too after the first load.

Previews need Chrome's third-party storage partitioning, which Playwright turns off, so
this module launches its own Chromium (tests/support/browser.partitioned_launch_args).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from tests.e2e import flows, seed
from tests.e2e.test_offline import wait_offline_ready
from tests.e2e.test_terminal import type_line, wait_for_prompt, wait_for_text
from tests.support.browser import off_machine
from tests.support.live_server import LiveServer

HEADING = "#preview-frame"


@pytest.fixture
def preview_page(
    partitioned_browser: Browser, live_server: LiveServer
) -> Iterator[tuple[Page, list[str]]]:
    """A page of its own browser context, signed up as a new user, and every URL requested
    in that context."""
    context = partitioned_browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    flows.sign_up(page, live_server.url)
    yield page, requests
    context.close()


def run_command(page: Page, title: str) -> None:
    page.keyboard.press("Control+Shift+P")
    page.keyboard.type(title)
    page.keyboard.press("Enter")


def open_preview(page: Page) -> None:
    run_command(page, "Open Preview")
    page.wait_for_function("document.documentElement.dataset.preview === 'ready'", timeout=30_000)


def preview_frame(page: Page) -> Frame:
    return flows.frame_at(page, "/preview/")


def run_a_server(page: Page, line: str, said: str, port: str) -> None:
    """`line` typed in the terminal starts a server: once it says `said`, server-ready
    opens the preview on `port`."""
    type_line(page, line)
    wait_for_text(page, said)
    expect(page.locator("#preview-port")).to_have_value(port, timeout=30_000)


def test_static_site_previews_follows_an_edit_and_works_offline(
    preview_page: tuple[Page, list[str]],
    live_server: LiveServer,
    artifacts: Path,
) -> None:
    page, requests = preview_page
    flows.create_project(page, "site", "static-site")
    open_preview(page)
    heading = page.frame_locator(HEADING).locator("h1")
    expect(heading).to_have_text("Hello, static site!", timeout=15_000)
    # The page's stylesheet and script came through the service worker too.
    frame = preview_frame(page)
    # On the project's own sandbox site: p<project id>.localhost.
    assert re.match(r"^http://p[0-9a-f]{32}\.localhost:\d+/preview/", frame.url), frame.url
    frame.wait_for_function("getComputedStyle(document.body).fontFamily !== ''")
    page.frame_locator(HEADING).locator("#increment").click()
    expect(page.frame_locator(HEADING).locator("#count")).to_have_text("1")

    # Edit index.html in the editor, save: the preview shows it.
    flows.open_file(page, "index.html")
    flows.type_at_start(page, '<p id="added">Added in the editor</p>\n')
    page.keyboard.press("Control+s")
    expect(page.frame_locator(HEADING).locator("#added")).to_have_text(
        "Added in the editor", timeout=10_000
    )

    # The URL bar navigates; a missing page is our 404.
    page.fill("#preview-url", "/about.html")
    page.keyboard.press("Enter")
    expect(page.frame_locator(HEADING).locator("h1")).not_to_have_text("Hello, static site!")
    page.fill("#preview-url", "/nope.html")
    page.keyboard.press("Enter")
    expect(page.frame_locator(HEADING).locator("h1")).to_have_text("404 Not Found")
    page.click("#preview-back")
    expect(page.locator("#preview-url")).to_have_value("/about.html")

    page.screenshot(path=artifacts / "preview-light.png")
    page.focus("#preview-url")
    run_command(page, "Toggle Light")
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    page.screenshot(path=artifacts / "preview-dark.png")

    # The browser stops idle service workers; a restarted one finds its relay again. Only
    # the preview's worker is stopped: with the IDE's own worker (service_worker/) stopped
    # too, Playwright's set_offline below waited forever on its target.
    cdp = page.context.new_cdp_session(page)
    versions: list[dict] = []
    cdp.on("ServiceWorker.workerVersionUpdated", lambda event: versions.extend(event["versions"]))
    cdp.send("ServiceWorker.enable")
    assert page.evaluate("document.documentElement.dataset.previewConnections") == "1"
    preview_workers: set[str] = set()
    for _ in range(50):
        preview_workers = {
            v["versionId"]
            for v in versions
            if v["runningStatus"] == "running" and not v["scriptURL"].startswith(live_server.url)
        }
        if preview_workers:
            break
        page.wait_for_timeout(100)
    assert preview_workers, versions
    for version in preview_workers:
        cdp.send("ServiceWorker.stopWorker", {"versionId": version})
    page.fill("#preview-url", "/nope.html")
    page.keyboard.press("Enter")
    expect(page.frame_locator(HEADING).locator("h1")).to_have_text("404 Not Found")
    page.click("#preview-back")
    expect(page.frame_locator(HEADING).locator("h1")).to_have_text("About")
    assert page.evaluate("document.documentElement.dataset.previewConnections") == "2"

    # Offline after the first load: the preview still answers from the IDE's memory.
    page.context.set_offline(True)
    page.fill("#preview-url", "/")
    page.keyboard.press("Enter")
    expect(page.frame_locator(HEADING).locator("#added")).to_have_text("Added in the editor")
    page.context.set_offline(False)
    assert off_machine(requests) == []


CONSOLE_PAGE = """<!doctype html>
<html><head><title>console</title></head>
<body><h1>Console page</h1>
<script>
  console.log("hello from the page", {answer: 42});
  console.warn("careful");
  function explode() { throw new Error("kaboom in the page"); }
  setTimeout(explode, 0);
</script></body></html>
"""


def test_console_output_and_uncaught_errors_reach_the_console_panel(
    preview_page: tuple[Page, list[str]],
) -> None:
    page, _requests = preview_page
    seed.new_project(page, "console", {"index.html": CONSOLE_PAGE})
    open_preview(page)
    expect(page.frame_locator(HEADING).locator("h1")).to_have_text("Console page")
    lines = page.locator("#preview-console-lines")
    expect(lines.locator('[data-level="log"]')).to_contain_text('hello from the page {"answer":42}')
    expect(lines.locator('[data-level="warn"]')).to_contain_text("careful")
    uncaught = lines.locator('[data-level="uncaught"]')
    expect(uncaught).to_contain_text("kaboom in the page")
    expect(uncaught.locator(".pv-stack")).to_contain_text("explode")
    expect(page.locator("#preview-console-errors")).to_have_text("1")
    page.click("#preview-console-clear")
    expect(lines.locator(".pv-line")).to_have_count(0)


def test_the_preview_cannot_read_the_ides_cookies_or_indexeddb(
    preview_page: tuple[Page, list[str]],
    live_server: LiveServer,
) -> None:
    page, _requests = preview_page
    seed.new_project(page, "isolated", {"index.html": "<h1>Isolated</h1>"})
    # A script-readable cookie on the IDE's site (the session cookie is HttpOnly anyway).
    page.evaluate("document.cookie = 'ide-probe=visible; path=/'")
    ide_dbs = page.evaluate("indexedDB.databases().then(list => list.map(d => d.name))")
    assert "cospai" in ide_dbs
    open_preview(page)
    expect(page.frame_locator(HEADING).locator("h1")).to_have_text("Isolated")
    frame = preview_frame(page)
    assert frame.evaluate("document.cookie") == ""
    seen = frame.evaluate("indexedDB.databases().then(list => list.map(d => d.name))")
    assert "cospai" not in seen
    # Nor can it reach the IDE's API with the IDE's session: it is another site.
    status = frame.evaluate(
        """(base) => fetch(base + '/api/auth/session', {credentials: 'include'})
             .then(r => r.status, () => 'blocked')""",
        live_server.url,
    )
    assert status in ("blocked", 401)
    # And its window cannot touch the IDE page's DOM.
    assert (
        frame.evaluate(
            "(() => { try { return parent.document.title; } catch (e) { return 'denied'; } })()"
        )
        == "denied"
    )


def test_the_asgi_template_answers_in_the_preview_after_python_app_py_offline(
    preview_page: tuple[Page, list[str]],
    artifacts: Path,
) -> None:
    page, requests = preview_page
    flows.create_project(page, "web", "asgi-app")
    wait_for_prompt(page)
    open_preview(page)  # the preview origin's relay and worker, loaded once online
    wait_offline_ready(page)
    page.context.set_offline(True)  # from here the app, its server and preview are local
    run_a_server(page, "python app.py", "on port 8000", "8000")
    page.wait_for_function("document.documentElement.dataset.preview === 'ready'", timeout=30_000)
    frame = page.frame_locator(HEADING)
    expect(frame.locator("h1")).to_have_text("Hello from an ASGI app", timeout=15_000)
    frame.locator("#name").fill("Ada")
    frame.locator("button[type=submit]").click()
    expect(frame.locator("#answer")).to_have_text("Hello, Ada!")  # an absolute /api URL
    expect(page.locator('#preview-console-lines [data-level="log"]')).to_contain_text(
        'the API said {"message":"Hello, Ada!"}'
    )
    page.screenshot(path=artifacts / "preview-asgi.png")
    # Back to the project's files: app.py is not a page, so the static preview says 404.
    page.select_option("#preview-port", "static")
    expect(frame.locator("h1")).to_have_text("404 Not Found")
    page.context.set_offline(False)
    assert off_machine(requests) == []


def test_python_m_http_server_serves_the_project_folder(
    preview_page: tuple[Page, list[str]],
) -> None:
    page, _requests = preview_page
    # (A README beside the folder: an import of one lone folder is unwrapped.)
    seed.new_project(
        page,
        "folder",
        {
            "public/index.html": "<h1>From http.server</h1>",
            "public/notes.txt": "plain",
            "README.md": "# folder",
        },
    )
    wait_for_prompt(page)
    run_a_server(page, "python -m http.server 8080 -d public", "Serving HTTP on port 8080", "8080")
    expect(page.frame_locator(HEADING).locator("h1")).to_have_text(
        "From http.server", timeout=15_000
    )
    page.fill("#preview-url", "/notes.txt")
    page.keyboard.press("Enter")
    expect(page.frame_locator(HEADING).locator("body")).to_have_text("plain")


def test_the_panel_says_when_the_preview_does_not_start(
    preview_page: tuple[Page, list[str]],
) -> None:
    """The preview origin's relay never loads (a blocked origin): after its timeout (2 s
    here, through ?preview-timeout) the panel says so instead of "Starting…" forever."""
    page, _requests = preview_page
    page.route("**/relay.html*", lambda route: route.abort())
    seed.new_project(
        page, "nostart", {"index.html": "<h1>never shown</h1>"}, query="?preview-timeout=2"
    )
    run_command(page, "Open Preview")
    page.wait_for_function("document.documentElement.dataset.preview === 'timeout'", timeout=15_000)
    expect(page.locator("#preview-note")).to_contain_text("did not start within 2 s")
    expect(page.locator("#preview-note")).to_be_visible()


NEVER_ANSWERS = """import asyncio
from cospai import serve


async def app(scope, receive, send):
    await asyncio.sleep(3600)  # never answers


serve(app, port=8000)
"""


def test_the_panel_says_when_an_app_never_answers(
    preview_page: tuple[Page, list[str]],
    artifacts: Path,
) -> None:
    page, _requests = preview_page
    seed.new_project(page, "silent", {"app.py": NEVER_ANSWERS}, query="?preview-timeout=2")
    wait_for_prompt(page)
    run_a_server(page, "python app.py", "on port 8000", "8000")
    said = "The app on port 8000 did not answer within 2 s"
    expect(page.frame_locator(HEADING).locator("body")).to_contain_text(said, timeout=15_000)
    expect(page.locator("#preview-note")).to_contain_text(said)
    expect(page.locator('#preview-console-lines [data-level="error"]')).to_contain_text(said)
    page.screenshot(path=artifacts / "preview-app-timeout.png")
