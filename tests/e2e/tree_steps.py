"""The explorer's rows and actions, as steps for the file tree's browser tests."""

from __future__ import annotations

from collections.abc import Mapping

from playwright.sync_api import Page, expect

from tests.e2e import flows, seed

TREE = "#file-tree"
FILES = {
    "README.md": "# demo\n",
    "src/app.py": "print('app')\n",
    "src/util/strings.py": "S = 1\n",
    "docs/guide.md": "guide\n",
}


def row(page: Page, path: str) -> str:
    return f'{TREE} .tree-row[data-path="{path}"]'


def project_with(
    page: Page, base_url: str, name: str, files: Mapping[str, bytes | str], query: str = ""
) -> str:
    """A new user signs up, and has a project holding `files` opened: set-up through the
    API (a zip import, as the dashboard does), with room for a project of 20,000 files."""
    flows.sign_up(page, base_url)
    return seed.new_project(page, name, files, query, timeout_ms=300_000)


def save_and_wait(page: Page) -> None:
    page.keyboard.press("Control+s")
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=30_000)


def visible_rows(page: Page) -> list[str]:
    """Paths of the drawn rows, top to bottom."""
    return page.evaluate(f"""() => [...document.querySelectorAll('{TREE} .tree-row')]
        .filter((r) => !r.hidden)
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((r) => r.dataset.path)""")


def api_calls(page: Page) -> list[str]:
    """Every /api request the page makes from now on."""
    calls: list[str] = []
    page.on(
        "request", lambda request: calls.append(request.url) if "/api/" in request.url else None
    )
    return calls


def new_entry(page: Page, kind: str, name: str) -> None:
    """New File / New Folder from the explorer's title bar, typed in place."""
    page.click(f'#explorer .tree-title button[data-action="new{kind}"]')
    field = page.locator(f"{TREE} .tree-row[data-new] input.tree-input")
    expect(field).to_be_focused()
    field.type(name)
    field.press("Enter")


def run_command(page: Page, command: str, typed: str) -> None:
    """Through the command palette, as a person does: Ctrl+Shift+P, type, Enter."""
    page.keyboard.press("Control+Shift+p")
    palette = page.locator("#command-palette")
    palette.locator("input").fill(typed)
    expect(palette.locator(".picker-row").first).to_have_attribute("data-command", command)
    page.keyboard.press("Enter")
    expect(palette).to_be_hidden()


def file_flags(page: Page, project: str) -> dict[str, bool]:
    base = page.evaluate("location.origin")
    response = page.request.get(f"{base}/api/projects/{project}/files")
    assert response.ok, response.text()
    return {f["path"]: f["binary"] for f in response.json()["files"]}
