"""What the sync tests share: operations written briefly, a project to sync into, and the
state a refused batch must leave exactly as it was (`project` checks each refusal)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.support.api import Api
from tests.support.databases import scalar


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def put(path: Any, content: str = "x", base: object = None) -> dict[str, Any]:
    return {"op": "put", "path": path, "base_version": base, "content": content}


def delete(path: Any, base: int) -> dict[str, Any]:
    return {"op": "delete", "path": path, "base_version": base}


def rename(path: Any, to: Any, base: int) -> dict[str, Any]:
    return {"op": "rename", "path": path, "to": to, "base_version": base}


def conflict(index: int, path: str, version: int, content: str) -> dict[str, Any]:
    """The result of a batch's op `index` refused as a conflict: the server holds `path` at
    `version`, with `content`."""
    return {
        "index": index,
        "status": "conflict",
        "path": path,
        "current_version": version,
        "current_sha256": sha(content),
    }


def stored(api: Api, pid: str) -> dict[str, tuple[str, int]]:
    """Each file of the project as the server keeps it: (content, version)."""
    return {p: (f["content"], f["version"]) for p, f in api.files(pid).items()}


def ok_sync(api: Api, pid: str, ops: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    response = api.sync(pid, ops, **extra)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["ok"] * len(ops), body
    return body


def multipart(api: Api, pid: str, body: dict[str, Any], parts: dict[str, bytes]) -> Any:
    return api.sync_parts(pid, {"ops": json.dumps(body)}, parts)


def project_info(api: Api, pid: str) -> dict[str, Any]:
    response = api.get(f"/api/projects/{pid}")
    assert response.status_code == 200
    return dict(response.json())


def state(api: Api, pid: str, url: str) -> dict[str, Any]:
    """Everything a refused batch must leave as it was."""
    info = project_info(api, pid)
    return {
        "version": info["version"],
        "file_count": info["file_count"],
        "total_bytes": info["total_bytes"],
        "files": {p: (f["version"], f["sha256"], f["binary"]) for p, f in api.files(pid).items()},
        "blobs": scalar(url, "SELECT count(*) FROM blobs"),
        "revisions": scalar(url, "SELECT count(*) FROM revisions"),
    }


@pytest.fixture
def pid(api: Api) -> str:
    return str(api.new_project("sync")["id"])


class Project:
    """A project with a few files, and a way to check nothing about it changed."""

    def __init__(self, api: Api, url: str) -> None:
        self.api, self.url = api, url
        self.id = str(api.new_project("bad-input")["id"])
        response = api.sync(
            self.id, [put("keep.txt", "keep"), put("src/a.js", "a"), put("README.md", "# r")]
        )
        assert response.status_code == 200
        assert api.post(f"/api/projects/{self.id}/revisions", json={}).status_code == 201
        self.before = self.state()

    def state(self) -> dict[str, Any]:
        return state(self.api, self.id, self.url)

    def sync(self, ops: Any, **extra: Any) -> Any:
        return self.api.post(f"/api/projects/{self.id}/sync", json={"ops": ops, **extra})

    def parts(self, fields: dict[str, str], parts: dict[str, bytes]) -> Any:
        return self.api.sync_parts(self.id, fields, parts)

    def raw(self, body: bytes, content_type: str = "application/json", **headers: str) -> Any:
        return self.api.post(
            f"/api/projects/{self.id}/sync",
            content=body,
            headers={"content-type": content_type, **headers},
        )

    def refused(
        self, response: Any, status: int, code: str, label: object = "", **details: Any
    ) -> dict[str, Any]:
        """Check the refusal's status, shape, code and details, and that nothing changed."""
        why = f"{label!r}: {response.text}"
        assert response.status_code == status, why
        body = response.json()
        assert set(body) == {"error"}, why
        error = body["error"]
        assert set(error) == {"code", "message", "details"}, why
        assert error["code"] == code, why
        assert isinstance(error["message"], str) and len(error["message"]) > 5, why
        assert "Traceback" not in error["message"], why
        assert isinstance(error["details"], dict), why
        for key, value in details.items():
            assert error["details"].get(key) == value, why
        assert self.state() == self.before, f"{label!r}: a refused request changed the project"
        return error


@pytest.fixture
def project(api: Api, database_url: str) -> Project:
    return Project(api, database_url)
