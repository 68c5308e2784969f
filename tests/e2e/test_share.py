"""Share links from the Share dialog, in Chromium against a live server: the link serves
the saved files on the share origin (another site than the IDE, so the IDE's cookie is not
sent), with its CSP; it keeps its snapshot until "Update to latest"; revoked, it is gone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.e2e import flows, seed
from tests.support.live_server import LiveServer

SITE = {
    "index.html": "<!doctype html><title>Shared</title><link rel=stylesheet href=style.css>"
    "<h1 id=greeting>Hello from a shared site</h1>",
    "style.css": "h1 { color: rgb(200, 0, 0); }",
    "main.py": "print('hi')\n",
}


def open_share_dialog(page: Page) -> None:
    page.click("#share-button")
    page.wait_for_selector("#share-dialog[open]")
    page.wait_for_function("document.documentElement.dataset.shareLinks !== undefined")


def test_share_link_from_the_dialog(page: Page, live_server: LiveServer, artifacts) -> None:
    flows.sign_up(page, live_server.url)
    project = seed.new_project(page, "shared-site", SITE)
    open_share_dialog(page)
    page.click("#share-create")
    row = page.locator(".share-row").first
    expect(row).to_be_visible(timeout=15_000)
    url = row.locator(".share-url").input_value()
    ide, share = urlsplit(live_server.url), urlsplit(url)
    assert share.hostname == "localhost" and share.port != ide.port, url  # another site
    assert share.path.startswith("/s/") and len(share.path.split("/")[2]) >= 43
    page.screenshot(path=str(artifacts / "share-dialog.png"))
    cookies = page.context.cookies(live_server.url)
    assert cookies, "signed in: the IDE has a session cookie"

    visitor = page.context.new_page()  # same browser, so the IDE's cookie is right there
    response = visitor.goto(url)
    assert response is not None and response.status == 200
    expect(visitor.locator("#greeting")).to_have_text("Hello from a shared site")
    color = visitor.eval_on_selector("#greeting", "node => getComputedStyle(node).color")
    assert color == "rgb(200, 0, 0)"  # style.css came with the right content type
    headers = response.all_headers()
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp, csp
    assert "set-cookie" not in headers
    assert "cookie" not in response.request.all_headers()  # no IDE cookie reached it
    # From the shared page, the IDE's API is out of reach (CSP connect-src 'self').
    reached = visitor.evaluate(f"""fetch("{live_server.url}/api/auth/session",
                                         {{credentials: "include"}})
                                   .then(() => "reached", () => "blocked")""")
    assert reached == "blocked"
    missing = visitor.goto(url + "missing.html")
    assert missing is not None and missing.status == 404

    # A later save does not change the link until it is updated.
    seed.upload(page, project, {"index.html": "<h1 id=greeting>Second version</h1>"})
    visitor.goto(url)
    expect(visitor.locator("#greeting")).to_have_text("Hello from a shared site")
    page.click("#share-close")
    open_share_dialog(page)
    expect(page.locator(".share-row .share-info")).to_contain_text("older than the saved")
    page.click(".share-row .share-update")
    expect(page.locator(".share-row .share-info")).to_contain_text("up to date")
    visitor.goto(url)
    expect(visitor.locator("#greeting")).to_have_text("Second version")

    page.click(".share-row .share-revoke")
    expect(page.locator(".share-row")).to_have_count(0)
    gone = visitor.goto(url)
    assert gone is not None and gone.status == 404
