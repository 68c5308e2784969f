"""What the serving tests share: a fake dist/ laid out as build.py lays it out, the app
over it (no database: the lifespan never runs), and requests sent as uvicorn passes them."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import brotli
import httpx2 as httpx
import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message, Scope

from server.app import create_app
from server.settings import Settings

ISOLATION = {
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "same-origin",
}
SECRET = b"SECRET-OUTSIDE-DIST"

SITE = {
    "index.html": b"<!doctype html><title>fake</title>" + b"<p>hello</p>" * 50,
    "pyscript.json": b'{"packages": []}',
    "assets/app-1/main.mjs": b"export const answer = 42;\n" * 40,
    "assets/app-1/worker.js": b"self.onmessage = () => postMessage(1);\n" * 40,
    "assets/app-1/py.wasm": b"\x00asm\x01\x00\x00\x00" + bytes(range(256)) * 8,
    "assets/app-1/style.css": b"body { color: red; }\n" * 40,
    "assets/app-1/data.json": b'{"a": [1, 2, 3]}' * 30,
    "assets/app-1/blob.bin": b"\x01\x02\x03",
    "assets/app-1/plain.txt": b"no precompressed variants for me\n",
}
NO_VARIANTS = {"assets/app-1/blob.bin", "assets/app-1/plain.txt"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_dist(dist: Path, files: dict[str, bytes], build_id: str) -> Path:
    """A dist/ the way build.py lays it out: files, .br/.gz variants, manifest.json last."""
    entries: dict[str, dict[str, object]] = {}
    for name, data in files.items():
        path = dist / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        entry: dict[str, object] = {"sha256": sha(data), "size": len(data)}
        if name not in NO_VARIANTS:
            variants = {"br": brotli.compress(data), "gz": gzip.compress(data, mtime=0)}
            encodings = {}
            for enc, blob in variants.items():
                path.with_name(f"{path.name}.{enc}").write_bytes(blob)
                encodings[enc] = {"sha256": sha(blob), "size": len(blob)}
            entry["encodings"] = encodings
        entries[name] = entry
    manifest = json.dumps({"build_id": build_id, "files": entries}, indent=1)
    staged = dist / "manifest.json.tmp"
    staged.write_text(manifest)
    os.replace(staged, dist / "manifest.json")  # a new inode, as a rebuild gives
    return dist


@pytest.fixture
def fake_dist(tmp_path: Path) -> Path:
    # Files just outside dist/, which no request may ever reach.
    (tmp_path / "pyproject.toml").write_bytes(SECRET)
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "app.py").write_bytes(SECRET)
    dist = write_dist(tmp_path / "dist", SITE, "build-1")
    (dist / "not-listed.txt").write_bytes(SECRET)  # on disk, not in the manifest
    return dist


def make_app(dist: Path) -> ASGIApp:
    return create_app(
        Settings(dist_dir=dist, allowed_hosts=("testserver",)),
        database_url="postgresql://",
        run_migrations=False,
    )


@pytest.fixture
def client(fake_dist: Path) -> TestClient:
    return TestClient(make_app(fake_dist))


def get(
    client: TestClient, path: str, encoding: str = "identity", **headers: str
) -> httpx.Response:
    return client.get(path, headers={"accept-encoding": encoding, **headers})


def call_asgi(app: ASGIApp, scope: Scope, first: Message) -> list[Message]:
    """Run one connection through `app` as a server would: `first` is what receive() gives
    first (later calls wait until the app is done); returns every message the app sent.
    In a thread of its own: Playwright's sync API may already run a loop in this one."""
    messages: list[Message] = []

    async def run() -> None:
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return first
            await asyncio.sleep(3600)  # cancelled once the response is sent
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            messages.append(message)

        await app(scope, receive, send)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()
    return messages


def raw_request(
    app: ASGIApp,
    raw_path: str,
    method: str = "GET",
    host: bytes = b"testserver",
    server: tuple[str, int] = ("testserver", 80),
) -> tuple[int, dict[str, str], bytes]:
    """Send a request target (and Host header) exactly as given (httpx would normalise `..`
    away, and refuses a garbled host).

    The scope is built as uvicorn builds it: `path` is the percent-decoded raw path.
    """
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "root_path": "",
        "query_string": b"",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode("latin-1"),
        "headers": [(b"host", host), (b"accept-encoding", b"identity")],
        "client": ("127.0.0.1", 50000),
        "server": server,
    }
    messages = call_asgi(app, scope, {"type": "http.request", "body": b"", "more_body": False})
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], headers, body


def assert_error_shape(body: dict, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    """An error answer: this status, and the one error shape with this code."""
    assert response.status_code == status
    assert_error_shape(response.json(), code)


def assert_isolated(headers: Mapping[str, str]) -> None:
    for name, value in ISOLATION.items():
        assert headers[name] == value, name
