"""The project dashboard: list, search, create, rename, duplicate, delete, download, import
(zip and folder), last-opened order, and names shown as text only."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Request, expect

from tests.e2e import flows
from tests.support.live_server import LiveServer


def api(
    page: Page, method: str, path: str, body: Any = None, *, content_type: str = "application/json"
) -> Any:
    """The API through the page's own session (its cookie, its CSRF token): set-up and
    checks, never the feature under test."""
    base = page.evaluate("location.origin")
    csrf = page.request.get(f"{base}/api/auth/session").json()["csrf_token"]
    headers = {"x-csrf-token": csrf, "origin": base, "content-type": content_type}
    response = page.request.fetch(f"{base}/api{path}", method=method, headers=headers, data=body)
    assert response.ok, response.text()
    return response.json() if response.status != 204 else None


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def exported(page: Page, project: str) -> dict[str, bytes]:
    base = page.evaluate("location.origin")
    response = page.request.get(f"{base}/api/projects/{project}/export")
    assert response.ok
    with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def show_dashboard(page: Page, base: str) -> None:
    page.goto(base + "/projects")
    page.wait_for_selector("#project-list li.project-row, #project-empty:not([hidden])")


def expect_names(page: Page, expected: list[str]) -> None:
    """Waits (the list redraws after the server answers) until the rows are exactly these."""
    expect(page.locator("#project-list li.project-row:visible .project-name")).to_have_text(
        expected
    )


def row(page: Page, name: str) -> Any:
    return page.locator("#project-list li.project-row").filter(
        has=page.get_by_role("button", name=name, exact=True)
    )


def menu_action(page: Page, name: str, item: str) -> None:
    row(page, name).locator("button.project-menu").click()
    page.get_by_role("menuitem", name=item).click()


def api_writes(requests: list[Request]) -> list[str]:
    return [f"{r.method} {r.url}" for r in requests if "/api/" in r.url and r.method != "GET"]


def test_create_search_and_last_opened_order(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    flows.sign_up(page, base)
    expect(page.locator("#project-empty")).to_have_text(
        "No projects yet. Create one above, or import a zip or a folder."
    )
    # An empty name is refused here, with its reason, and nothing is sent.
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r))
    page.click("#new-project button[type=submit]")
    expect(page.locator("#dashboard-error")).to_have_text("Enter a name.")
    assert api_writes(sent) == []

    alpha = flows.create_project(page, "Alpha site", template="static-site")
    beta = api(page, "POST", "/projects", {"name": "Beta tool", "template": "python-cli"})
    api(page, "POST", "/projects", {"name": "Gamma notes"})
    show_dashboard(page, base)
    # Never-opened projects count from their last change, so new ones come first.
    expect_names(page, ["Gamma notes", "Beta tool", "Alpha site"])
    alpha_row = row(page, "Alpha site")
    alpha_files = len(exported(page, alpha))
    expect(alpha_row.locator(".project-files")).to_have_text(f"{alpha_files} files")
    when = alpha_row.locator("time")
    expect(when).to_have_text("opened just now")
    assert when.get_attribute("title").startswith("Opened ")
    assert when.get_attribute("datetime")
    expect(row(page, "Gamma notes").locator(".project-files")).to_have_text("0 files")
    expect(page.locator("#project-count")).to_have_text("3 projects")

    # Opening a project moves it to the top.
    row(page, "Beta tool").get_by_role("button", name="Beta tool", exact=True).click()
    flows.wait_for_workbench(page)
    assert page.url.endswith(f"/p/{beta['id']}")
    show_dashboard(page, base)
    expect_names(page, ["Beta tool", "Gamma notes", "Alpha site"])
    expect(row(page, "Beta tool").locator("time")).to_have_text("opened just now")

    # The search filters as one types, ignoring case; no request is made for it.
    sent.clear()
    search = page.locator("#project-search")
    search.press_sequentially("GA")
    expect_names(page, ["Gamma notes"])
    expect(page.locator("#project-count")).to_have_text("1 of 3")
    search.fill("site alpha")
    expect_names(page, ["Alpha site"])
    search.fill("zzz")
    expect_names(page, [])
    expect(page.locator("#project-empty")).to_have_text("No project matches “zzz”.")
    search.fill("")
    expect_names(page, ["Beta tool", "Gamma notes", "Alpha site"])
    assert api_writes(sent) == []
    assert not [r for r in sent if r.url.endswith("/api/projects")]


def test_rename_checks_the_name_and_shows_the_servers_refusal(
    page: Page, live_server: LiveServer
) -> None:
    base = live_server.url
    flows.sign_up(page, base)
    api(page, "POST", "/projects", {"name": "first"})
    doomed = api(page, "POST", "/projects", {"name": "second"})
    show_dashboard(page, base)
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r))

    menu_action(page, "first", "Rename…")
    field = page.locator("input[name=rename]")
    expect(field).to_be_focused()
    expect(field).to_have_value("first")
    field.fill("   ")
    field.press("Enter")
    error = page.locator("#rename-error")
    expect(error).to_have_text("Enter a name.")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("x" * 101)
    field.press("Enter")
    expect(error).to_have_text("A name can have at most 100 characters (this one has 101).")
    field.fill("two\tlines")
    field.press("Enter")
    expect(error).to_have_text("A name must be one line, without control characters.")
    assert api_writes(sent) == []  # every refusal so far came before any request

    # Escape gives up and gives the name back.
    field.press("Escape")
    expect(page.locator("input[name=rename]")).to_have_count(0)
    expect_names(page, ["second", "first"])
    expect(row(page, "first").get_by_role("button", name="first", exact=True)).to_be_focused()

    menu_action(page, "first", "Rename…")
    page.fill("input[name=rename]", "  Renamed ✓ " + "y" * 80 + "  ")
    page.press("input[name=rename]", "Enter")
    renamed = "Renamed ✓ " + "y" * 80
    expect(page.get_by_role("button", name=renamed, exact=True)).to_be_visible()
    expect(page.locator("#dashboard-status")).to_contain_text(f"Renamed “first” to “{renamed}”.")
    assert [p["name"] for p in api(page, "GET", "/projects")["projects"]].count(renamed) == 1

    # The project goes away elsewhere: the server's refusal is shown in the row.
    menu_action(page, "second", "Rename…")
    api(page, "DELETE", f"/projects/{doomed['id']}")
    page.fill("input[name=rename]", "third")
    page.press("input[name=rename]", "Enter")
    expect(page.locator("#rename-error")).to_have_text("No such project.")
    expect(page.locator("#rename-error")).to_have_attribute("role", "alert")


def test_duplicate_download_and_delete_with_confirmation(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    base = live_server.url
    flows.sign_up(page, base)
    files = {
        "README.md": b"# Original\n",
        "src/app.py": b"print('hi')\n",
        "logo.bin": bytes(range(256)),
    }
    original = api(
        page,
        "POST",
        "/projects/import?name=Original",
        zip_bytes(files),
        content_type="application/zip",
    )["project"]
    show_dashboard(page, base)

    menu_action(page, "Original", "Duplicate")
    expect(page.locator("#dashboard-status")).to_have_text(
        "Duplicated “Original” as “Original (copy)”."
    )
    copy_button = page.get_by_role("button", name="Original (copy)", exact=True)
    expect(copy_button).to_be_focused()
    expect(row(page, "Original (copy)").locator(".project-files")).to_have_text("3 files")
    copy = next(
        p for p in api(page, "GET", "/projects")["projects"] if p["name"] == "Original (copy)"
    )
    assert exported(page, copy["id"]) == files

    # Download: the browser saves the server's zip of the project.
    with page.expect_download() as download_info:
        menu_action(page, "Original", "Download as zip")
    download = download_info.value
    assert download.suggested_filename == "Original.zip"
    saved = tmp_path / "download.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == files

    # Delete asks first, naming the project; Cancel has the focus.
    menu_button = row(page, "Original (copy)").locator("button.project-menu")
    menu_action(page, "Original (copy)", "Delete…")
    dialog = page.locator("#delete-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Delete “Original (copy)”?")
    expect(page.locator("#delete-dialog-cancel")).to_be_focused()
    page.keyboard.press("Escape")  # kept
    expect(dialog).to_have_count(0)
    expect(menu_button).to_be_focused()
    menu_action(page, "Original (copy)", "Delete…")
    page.click("#delete-dialog-cancel")  # kept
    expect(dialog).to_have_count(0)
    expect_names(page, ["Original (copy)", "Original"])
    assert len(api(page, "GET", "/projects")["projects"]) == 2

    menu_action(page, "Original (copy)", "Delete…")
    page.click("#delete-dialog-confirm")
    expect(page.locator("#dashboard-status")).to_have_text("Deleted “Original (copy)”.")
    expect_names(page, ["Original"])
    assert [p["id"] for p in api(page, "GET", "/projects")["projects"]] == [original["id"]]


def test_import_a_zip_and_a_folder(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    base = live_server.url
    flows.sign_up(page, base)
    files = {
        "index.js": b"console.log(1)\n",
        "lib/util.js": b"export {}\n",
        "img/dot.png": b"\x89PNG\r\n\x1a\n\x00\xff",
    }
    archive = tmp_path / "my-lib.zip"
    archive.write_bytes(zip_bytes({**files, "node_modules/left-pad/index.js": b"x"}))
    page.set_input_files("#import-zip", archive)
    status = page.locator("#dashboard-status")
    expect(status).to_contain_text("Imported “my-lib” (3 files).", timeout=20_000)
    expect(status).to_contain_text("node_modules/left-pad/index.js")
    expect(page.get_by_role("button", name="my-lib", exact=True)).to_be_focused()
    project = next(p for p in api(page, "GET", "/projects")["projects"] if p["name"] == "my-lib")
    assert exported(page, project["id"]) == files

    # A folder: its name becomes the project's; ignored paths are never sent.
    folder = tmp_path / "site-folder"
    content = {
        "index.html": b"<h1>hi</h1>\n",
        "css/style.css": b"h1 { color: red }\n",
        "assets/blob.bin": bytes(range(256)) * 64,
        "build/keep/no.txt": b"ignored",
    }
    for path, data in {**content, "node_modules/x/index.js": b"x", ".env": b"SECRET=1"}.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    page.set_input_files("#import-folder", folder)
    expect(status).to_contain_text("Imported “site-folder” (3 files).", timeout=20_000)
    expect(status).to_contain_text("Left out, as they never sync")
    project = next(
        p for p in api(page, "GET", "/projects")["projects"] if p["name"] == "site-folder"
    )
    del content["build/keep/no.txt"]
    assert exported(page, project["id"]) == content
    expect_names(page, ["site-folder", "my-lib"])

    # A zip the server refuses: its reason is shown, and no project appears.
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"this is not a zip")
    page.set_input_files("#import-zip", bad)
    error = page.locator("#dashboard-error")
    expect(error).to_have_text("Import refused: The upload is not a readable zip file.")
    expect(error).to_have_attribute("role", "alert")
    assert len(api(page, "GET", "/projects")["projects"]) == 2


def test_a_malicious_name_is_only_text(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    flows.sign_up(page, base)
    evil = '<img src=x onerror="window.__pwned=1">'
    api(page, "POST", "/projects", {"name": evil})
    dialogs: list[str] = []
    flows.dismiss_dialogs(page, dialogs)
    show_dashboard(page, base)
    expect_names(page, [evil])
    assert page.locator("#project-list img").count() == 0
    menu_action(page, evil, "Delete…")
    expect(page.locator("#delete-dialog")).to_contain_text(f"Delete “{evil}”?")
    page.click("#delete-dialog-cancel")
    menu_action(page, evil, "Rename…")
    expect(page.locator("input[name=rename]")).to_have_value(evil)
    page.keyboard.press("Escape")
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


def test_dashboard_screenshots_light_and_dark(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    base = live_server.url
    flows.sign_up(page, base)
    page.set_viewport_size({"width": 1200, "height": 760})
    for name, template in (
        ("Landing page", "static-site"),
        ("Data scripts", "python-cli"),
        ("Notes", None),
    ):
        body = {"name": name, **({"template": template} if template else {})}
        api(page, "POST", "/projects", body)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        show_dashboard(page, base)
        page.screenshot(path=artifacts / f"dashboard-{scheme}.png")
        row(page, "Notes").locator("button.project-menu").click()
        page.screenshot(path=artifacts / f"dashboard-menu-{scheme}.png")
        page.get_by_role("menuitem", name="Delete…").click()
        expect(page.locator("#delete-dialog")).to_be_visible()
        page.screenshot(path=artifacts / f"dashboard-delete-{scheme}.png")
        page.keyboard.press("Escape")
        menu_action(page, "Notes", "Rename…")
        page.fill("input[name=rename]", "")
        page.press("input[name=rename]", "Enter")
        page.screenshot(path=artifacts / f"dashboard-rename-{scheme}.png")
        page.keyboard.press("Escape")
