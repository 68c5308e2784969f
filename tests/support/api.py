"""A signed-in API client over Starlette's TestClient, for the API tests."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings

BASE_URL = "http://testserver"
PASSWORD = "correct horse battery"
# The host name TestClient sends; the server answers only to the names it is told (hosts.py).
TEST_HOSTS = ("testserver",)


def expect_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape, with this status and code; returns the error object."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    return dict(error)


def tiny_dist(folder: Path) -> Path:
    """A minimal dist/ (the API tests do not need the real build)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("<!doctype html><title>t</title>\n")
    manifest = {
        "build_id": "api-tests",
        "format": 1,
        "files": {"index.html": {"sha256": "0" * 64, "size": 31}},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


class Api:
    """One browser's worth of state: a cookie jar and, once signed in, the CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""
        self.user: dict[str, Any] = {}

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"origin": BASE_URL}
        if self.csrf:
            headers["x-csrf-token"] = self.csrf
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        kwargs["headers"] = self.headers(kwargs.get("headers"))
        return self.client.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    def signup(self, email: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
        email = email or f"user-{secrets.token_hex(4)}@example.com"
        response = self.post("/api/auth/signup", json={"email": email, "password": password})
        assert response.status_code == 201, response.text
        body = response.json()
        self.csrf, self.user = body["csrf_token"], body["user"]
        return body

    def signin(self, email: str, password: str = PASSWORD) -> Any:
        response = self.post("/api/auth/signin", json={"email": email, "password": password})
        if response.status_code == 200:
            self.csrf, self.user = response.json()["csrf_token"], response.json()["user"]
        return response

    def new_project(self, name: str = "demo", template: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name}
        if template:
            body["template"] = template
        response = self.post("/api/projects", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def sync(self, project_id: str, ops: list[dict[str, Any]], **extra: Any) -> Any:
        return self.post(f"/api/projects/{project_id}/sync", json={"ops": ops, **extra})

    def files(self, project_id: str) -> dict[str, dict[str, Any]]:
        response = self.get(f"/api/projects/{project_id}/files")
        assert response.status_code == 200, response.text
        return {f["path"]: f for f in response.json()["files"]}

    def contents(self, project_id: str) -> dict[str, bytes]:
        """Every file's bytes: text inline from /files, binary from /blobs/{sha256}, each
        checked against its hash and size."""
        out = {}
        for path, item in self.files(project_id).items():
            data = self.file_bytes(project_id, item)
            assert hashlib.sha256(data).hexdigest() == item["sha256"], path
            assert len(data) == item["size"], path
            out[path] = data
        return out

    def file_bytes(self, project_id: str, item: dict[str, Any]) -> bytes:
        """The bytes of a file as /files lists it: text inline, binary from /blobs/{sha256}."""
        if not item["binary"]:
            return bytes(item["content"].encode("utf-8"))
        response = self.get(f"/api/projects/{project_id}/blobs/{item['sha256']}")
        assert response.status_code == 200, response.text
        return bytes(response.content)

    def sync_parts(self, project_id: str, fields: dict[str, str], parts: dict[str, bytes]) -> Any:
        """A multipart sync: form `fields` (the batch as JSON under "ops") and byte parts."""
        files = {name: (name, data, "application/octet-stream") for name, data in parts.items()}
        return self.post(f"/api/projects/{project_id}/sync", data=fields, files=files)

    def put_binary(self, project_id: str, path: str, data: bytes, **extra: Any) -> Any:
        """A sync putting one file as a multipart part (how binary content travels)."""
        ops = {"ops": [{"op": "put", "path": path, "content_ref": "blob"}], **extra}
        return self.sync_parts(project_id, {"ops": json.dumps(ops)}, {"blob": data})


@contextmanager
def api_app(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """The app on a fresh database; yields a factory of independent Api clients."""
    app = create_app(
        Settings(dist_dir=tiny_dist(tmp_path / "dist"), allowed_hosts=TEST_HOSTS),
        database_url=database_url,
    )
    with api_clients(app) as new_api:
        yield new_api


@contextmanager
def api_clients(app: Any) -> Iterator[Callable[[], Api]]:
    """A factory of independent (signed-out) Api clients of `app`, all closed at the end."""
    clients: list[TestClient] = []

    def new_api() -> Api:
        client = TestClient(app, base_url=BASE_URL)
        client.__enter__()
        clients.append(client)
        return Api(client)

    try:
        yield new_api
    finally:
        for client in clients:
            client.__exit__(None, None, None)


@contextmanager
def signed_in_world(admin_url: str, folder: Path) -> Iterator[tuple[Api, str, Callable[[], Api]]]:
    """A fresh database, the app on it and a client signed in as a fresh user: (that client,
    the database URL, the factory of more clients), for a module's tests to share."""
    from tests.support.databases import fresh_database

    with fresh_database(admin_url) as url, api_app(url, folder) as new_api:
        api = new_api()
        api.signup()
        yield api, url, new_api
