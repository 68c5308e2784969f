"""client/adapters/local_only_api.py: the ServerApi of a static-only site, where this
browser's IndexedDB is the only copy. Pushes are acknowledged with growing versions,
loads bring nothing, and every other call says plainly that there is no server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from client.core import local_projects
from client.core.ports import Offline

from .conftest import Browser, arun


class LocalStorage:
    def __init__(self, items: dict[str, str] | None = None, blocked: bool = False) -> None:
        self.items, self.blocked = dict(items or {}), blocked

    def getItem(self, key: str) -> str | None:  # noqa: N802
        if self.blocked:
            raise RuntimeError("SecurityError: access denied")
        return self.items.get(key)


def api_with(browser: Browser, storage: LocalStorage, sandbox: str | None = None) -> Any:
    browser.js.localStorage = storage
    module = browser.load("client.adapters.local_only_api")
    return module.LocalOnlyApi(sandbox)


def listed(*projects: tuple[str, str]) -> LocalStorage:
    rows = [{"id": pid, "name": name, "created_at": "2026-01-01"} for pid, name in projects]
    return LocalStorage({local_projects.KEY: json.dumps(rows)})


def test_a_project_kept_here_answers_with_its_name(browser: Browser) -> None:
    api = api_with(browser, listed(("p1", "One"), ("p2", "Two")))
    assert arun(lambda: api.call("GET", "/projects/p2")) == {"id": "p2", "name": "Two"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/projects/p9"),  # not kept here
        ("GET", "/projects"),
        ("GET", "/projects/p1/files"),
        ("POST", "/projects/p1"),
        ("DELETE", "/projects/p1"),
        ("GET", "/auth/session"),
        ("GET", "/runtime-config"),  # built without --sandbox-host: no runtime
    ],
)
def test_anything_else_says_there_is_no_server(browser: Browser, method: str, path: str) -> None:
    module = browser.load("client.adapters.local_only_api")
    api = api_with(browser, listed(("p1", "One")))
    with pytest.raises(Offline) as caught:
        arun(lambda: api.call(method, path, {}))
    assert str(caught.value) == module.NO_SERVER
    with pytest.raises(Offline):
        arun(lambda: api.blob("p1", "abc"))


@pytest.mark.parametrize(
    "storage",
    [LocalStorage(blocked=True), LocalStorage(), LocalStorage({local_projects.KEY: "{not"})],
)
def test_blocked_or_unreadable_storage_knows_no_project(
    browser: Browser, storage: LocalStorage
) -> None:
    api = api_with(browser, storage)
    with pytest.raises(Offline):
        arun(lambda: api.call("GET", "/projects/p1"))


def test_loads_bring_nothing_and_links_go_nowhere(browser: Browser) -> None:
    api = api_with(browser, LocalStorage())
    assert arun(lambda: api.load("p1", None)) is None
    assert arun(lambda: api.load("p1", '"v3"')) is None
    assert api.url("/projects/p1/download") == "about:blank"
    assert api.csrf_token == ""


def test_every_push_is_acknowledged_with_a_version_that_only_grows(browser: Browser) -> None:
    api = api_with(browser, LocalStorage())
    ops = [{"op": "put", "path": "a"}, {"op": "delete", "path": "b"}, {"op": "put", "path": "c"}]

    async def main() -> list[dict[str, Any]]:
        return [
            await api.sync("p1", ops, {"h": b"x"}, None),
            await api.sync("p1", [], {}, "Save"),
            await api.sync("p2", ops[:1], {}, None),
        ]

    first, empty, other = arun(main)
    version = first["version"]
    assert first["results"] == [{"index": i, "status": "ok", "version": version} for i in range(3)]
    assert empty == {"results": [], "version": version + 1}
    assert other["results"] == [{"index": 0, "status": "ok", "version": version + 2}]
    again = api_with(browser, LocalStorage())  # a reload: still above what was given before
    assert arun(lambda: again.sync("p1", [], {}, None))["version"] >= version


def test_a_build_with_a_sandbox_names_it_as_the_server_would(browser: Browser) -> None:
    pattern = "https://{project}.sandbox.example.com"
    api = api_with(browser, listed(("p1", "One")), pattern)
    assert arun(lambda: api.call("GET", "/runtime-config")) == {"sandbox": pattern}
    # Only a read of the runtime's settings: other calls still have no server.
    with pytest.raises(Offline):
        arun(lambda: api.call("POST", "/runtime-config", {}))
