"""Putting files into a project from a test, through the page's own signed-in session (the
same API the IDE uses). Seeding is set-up, not the feature under test."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from playwright.sync_api import FilePayload, Page

from tests.e2e.flows import wait_for_workbench
from tests.support.archives import zip_of


def session(page: Page) -> tuple[str, str]:
    """(the page's origin, the CSRF token of its signed-in session)."""
    base = page.evaluate("location.origin")
    return base, page.request.get(f"{base}/api/auth/session").json()["csrf_token"]


def upload(page: Page, project: str, files: Mapping[str, bytes | str]) -> None:
    """Add or replace files (text or bytes) in a project, via its multipart upload."""
    base, csrf = session(page)
    multipart: dict[str, str | float | bool | bytes | FilePayload] = {
        f"f{i}": {
            "name": path,
            "mimeType": "application/octet-stream",
            "buffer": data.encode() if isinstance(data, str) else data,
        }
        for i, (path, data) in enumerate(files.items())
    }
    response = page.request.post(
        f"{base}/api/projects/{project}/upload",
        multipart=multipart,
        headers={"x-csrf-token": csrf, "origin": base},
    )
    assert response.ok, response.text()


def import_project(
    page: Page, name: str, files: Mapping[str, bytes | str], timeout_ms: float = 60_000
) -> str:
    """A new project holding `files`, imported as a zip (as the dashboard does); its id."""
    base, csrf = session(page)
    response = page.request.post(
        f"{base}/api/projects/import?name={name}",
        data=zip_of(files),
        headers={"x-csrf-token": csrf, "origin": base, "content-type": "application/zip"},
        timeout=timeout_ms,
    )
    assert response.ok, response.text()
    return str(response.json()["project"]["id"])


def new_project(
    page: Page,
    name: str,
    files: Mapping[str, bytes | str],
    query: str = "",
    timeout_ms: float = 60_000,
) -> str:
    """A project holding `files`, opened in the workbench; a large one wants a longer
    `timeout_ms` for its import and its opening."""
    project = import_project(page, name, files, timeout_ms)
    page.goto(f"{page.evaluate('location.origin')}/p/{project}{query}")
    wait_for_workbench(page, timeout_ms)
    return project


def server_files(page: Page, project: str) -> dict[str, bytes]:
    base = page.evaluate("location.origin")
    response = page.request.get(f"{base}/api/projects/{project}/export")
    assert response.ok, response.text()
    with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
