"""What the project tests share: one database per module (every test signs up users of its
own, so they do not meet), the templates on disk, and every route of a project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support import databases
from tests.support.api import Api
from tests.support.archives import zip_of
from tests.support.paths import ROOT

TEMPLATES = ROOT / "templates"
NewApi = Callable[[], Api]
Route = tuple[str, str, dict[str, Any]]


@pytest.fixture(scope="module")
def database_url(pg_admin_url: str) -> Iterator[str]:
    """One database for the module: no test pays for a database of its own."""
    with databases.fresh_database(pg_admin_url) as url:
        yield url


def signed_up(new_api: NewApi, count: int) -> list[Api]:
    """`count` clients, each signed in as a user of its own."""
    users = [new_api() for _ in range(count)]
    for user in users:
        user.signup()
    return users


def routes(pid: str, sha: str, etag: str) -> list[Route]:
    """Every project route, each with a request that would succeed on one's own project
    (DELETE last, so that the others still find the project)."""
    base = f"/api/projects/{pid}"
    archive = zip_of({"imported.txt": b"from a zip\n"})
    return [
        ("GET", base, {}),
        ("PATCH", base, {"json": {"name": "taken over", "description": "defaced"}}),
        ("POST", f"{base}/duplicate", {}),
        ("POST", f"{base}/duplicate", {"json": {"name": "stolen copy"}}),
        ("GET", f"{base}/files", {}),
        ("GET", f"{base}/files", {"headers": {"if-none-match": etag}}),
        ("GET", f"{base}/blobs/{sha}", {}),
        (
            "POST",
            f"{base}/sync",
            {"json": {"ops": [{"op": "put", "path": "planted.txt", "content": "planted\n"}]}},
        ),
        ("POST", f"{base}/sync", {"json": {"ops": [], "revision_message": "planted"}}),
        ("GET", f"{base}/revisions", {}),
        ("POST", f"{base}/revisions", {"json": {"message": "planted"}}),
        ("POST", f"{base}/revisions", {}),
        ("GET", f"{base}/revisions/1", {}),
        ("GET", f"{base}/revisions/1/files/main.py", {}),
        ("POST", f"{base}/revisions/1/restore", {}),
        ("GET", f"{base}/export", {}),
        (
            "POST",
            f"{base}/import",
            {"content": archive, "headers": {"content-type": "application/zip"}},
        ),
        ("POST", f"{base}/upload", {"files": [("f", ("uploaded.txt", b"up\n", "text/plain"))]}),
        ("DELETE", base, {}),
    ]
