"""Putting files into a project from a test, through the page's own signed-in session (the
same API the IDE uses). Seeding is set-up, not the feature under test."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from playwright.sync_api import FilePayload, Page

from tests.e2e.flows import wait_for_workbench


def upload(page: Page, project: str, files: Mapping[str, bytes | str]) -> None:
    """Add or replace files (text or bytes) in a project, via its multipart upload."""
    base = page.evaluate("location.origin")
    csrf = page.request.get(f"{base}/api/auth/session").json()["csrf_token"]
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


def zip_of(files: Mapping[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def new_project(page: Page, name: str, files: Mapping[str, bytes | str], query: str = "") -> str:
    """A project holding `files` (imported as a zip), opened in the workbench."""
    base = page.evaluate("location.origin")
    csrf = page.request.get(f"{base}/api/auth/session").json()["csrf_token"]
    response = page.request.post(
        f"{base}/api/projects/import?name={name}",
        data=zip_of(files),
        headers={"x-csrf-token": csrf, "origin": base, "content-type": "application/zip"},
    )
    assert response.ok, response.text()
    project = response.json()["project"]["id"]
    page.goto(f"{base}/p/{project}{query}")
    wait_for_workbench(page)
    return project


def server_files(page: Page, project: str) -> dict[str, bytes]:
    base = page.evaluate("location.origin")
    response = page.request.get(f"{base}/api/projects/{project}/export")
    assert response.ok, response.text()
    with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
