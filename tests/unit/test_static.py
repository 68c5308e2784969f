"""server/static.py (DistSite), server/db.redact and server/errors, without a database.

The app is used without `with TestClient(...)`, so the lifespan (and its pool) never runs:
serving dist/ needs no database.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import brotli
import httpx2 as httpx
import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message

from server.app import create_app
from server.db import redact
from server.errors import HANDLERS, ApiError
from server.headers import IsolationHeaders
from server.settings import Settings
from server.static import IMMUTABLE, DistMissing, DistSite, _accepted
from tests.support.paths import DIST

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


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_dist(dist: Path, files: dict[str, bytes], build_id: str) -> Path:
    """A dist/ the way build.py lays it out: files, .br/.gz variants, manifest.json last."""
    entries: dict[str, dict[str, object]] = {}
    for name, data in files.items():
        path = dist / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        entry: dict[str, object] = {"sha256": _sha(data), "size": len(data)}
        if name not in NO_VARIANTS:
            variants = {"br": brotli.compress(data), "gz": gzip.compress(data, mtime=0)}
            encodings = {}
            for enc, blob in variants.items():
                path.with_name(f"{path.name}.{enc}").write_bytes(blob)
                encodings[enc] = {"sha256": _sha(blob), "size": len(blob)}
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


def raw_request(
    app: ASGIApp, raw_path: str, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """Send a request target exactly as given (httpx would normalise `..` away).

    The scope is built as uvicorn builds it: `path` is the percent-decoded raw path.
    """
    messages: list[Message] = []

    async def run() -> None:
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.sleep(3600)  # cancelled once the response is sent
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            messages.append(message)

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
            "headers": [(b"host", b"testserver"), (b"accept-encoding", b"identity")],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        await app(scope, receive, send)

    # In a thread of its own: Playwright's sync API may already run a loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()
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


def assert_isolated(headers: Mapping[str, str]) -> None:
    for name, value in ISOLATION.items():
        assert headers[name] == value, name


# --- serving files -------------------------------------------------------------------


def test_index_is_served_at_root(client: TestClient) -> None:
    for path in ("/", "/index.html"):
        response = get(client, path)
        assert response.status_code == 200
        assert response.content == SITE["index.html"]
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "content-encoding" not in response.headers


def test_a_folder_without_an_index_in_the_manifest_is_404(client: TestClient) -> None:
    response = get(client, "/assets/")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/assets/app-1/main.mjs", "text/javascript; charset=utf-8"),
        ("/assets/app-1/worker.js", "text/javascript; charset=utf-8"),
        ("/assets/app-1/py.wasm", "application/wasm"),
        ("/assets/app-1/data.json", "application/json"),
        ("/pyscript.json", "application/json"),
        ("/manifest.json", "application/json"),
        ("/assets/app-1/style.css", "text/css; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/assets/app-1/plain.txt", "text/plain; charset=utf-8"),
        ("/assets/app-1/blob.bin", "application/octet-stream"),
    ],
)
def test_media_types(client: TestClient, path: str, media_type: str) -> None:
    for encoding in ("identity", "br"):
        response = get(client, path, encoding)
        assert response.status_code == 200
        assert response.headers["content-type"] == media_type


def test_manifest_json_is_served_as_built(client: TestClient, fake_dist: Path) -> None:
    response = get(client, "/manifest.json")
    assert response.status_code == 200
    assert response.content == (fake_dist / "manifest.json").read_bytes()
    assert response.json()["build_id"] == "build-1"


DIST_FILE_FOR = {
    "br": brotli.compress,
    "gzip": lambda data: gzip.compress(data, mtime=0),
    None: lambda data: data,
}


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate, br", "br"),  # br is preferred whatever the order
        ("gzip;q=0.2, br;q=0.1", "br"),
        ("BR", "br"),
        ("gzip", "gzip"),
        ("deflate, gzip;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.0, gzip;q=1.0", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("br;q=zero", None),  # an unreadable q counts as a refusal
        ("identity", None),
        ("deflate", None),
        ("", None),
    ],
)
def test_accept_encoding_negotiation(client: TestClient, accept: str, coding: str | None) -> None:
    name = "assets/app-1/main.mjs"
    response = client.get(f"/{name}", headers={"accept-encoding": accept})
    assert response.status_code == 200
    assert response.headers["vary"].lower() == "accept-encoding"
    assert response.headers.get("content-encoding") == coding
    served = DIST_FILE_FOR[coding](SITE[name])
    assert int(response.headers["content-length"]) == len(served)
    assert response.headers["etag"] == f'"{_sha(served)[:32]}"'
    # httpx decodes br and gzip: whatever was chosen, the client gets the original bytes.
    assert response.content == SITE[name]


def test_raw_bytes_of_the_br_variant_are_the_file_on_disk(
    client: TestClient, fake_dist: Path
) -> None:
    with client.stream("GET", "/assets/app-1/py.wasm", headers={"accept-encoding": "br"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "br"
        assert r.headers["content-type"] == "application/wasm"
    assert raw == (fake_dist / "assets/app-1/py.wasm.br").read_bytes()
    assert brotli.decompress(raw) == SITE["assets/app-1/py.wasm"]


def test_no_variant_available_serves_identity(client: TestClient) -> None:
    response = get(client, "/assets/app-1/plain.txt", "br, gzip")
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.headers["vary"].lower() == "accept-encoding"
    assert response.content == SITE["assets/app-1/plain.txt"]


@pytest.mark.parametrize(
    ("path", "cache"),
    [
        ("/assets/app-1/main.mjs", IMMUTABLE),
        ("/assets/app-1/py.wasm", IMMUTABLE),
        ("/assets/app-1/plain.txt", IMMUTABLE),
        ("/", "no-cache"),
        ("/index.html", "no-cache"),
        ("/pyscript.json", "no-cache"),
        ("/manifest.json", "no-cache"),
    ],
)
def test_cache_control(client: TestClient, path: str, cache: str) -> None:
    response = get(client, path, "br")
    assert response.status_code == 200
    assert response.headers["cache-control"] == cache
    if cache == IMMUTABLE:
        assert "immutable" in cache and "max-age=31536000" in cache


def test_etag_and_if_none_match(client: TestClient) -> None:
    path = "/assets/app-1/main.mjs"
    first = get(client, path)
    etag = first.headers["etag"]
    assert etag == f'"{_sha(SITE[path[1:]])[:32]}"'

    again = get(client, path, **{"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == IMMUTABLE
    assert again.headers["vary"].lower() == "accept-encoding"
    assert_isolated(again.headers)

    listed = get(client, path, **{"if-none-match": f'"nope", {etag}'})
    assert listed.status_code == 304

    stale = get(client, path, **{"if-none-match": '"0123456789abcdef"'})
    assert stale.status_code == 200
    assert stale.content == SITE[path[1:]]

    # The br representation has its own tag: the identity one does not validate it.
    br = get(client, path, "br", **{"if-none-match": etag})
    assert br.status_code == 200
    assert br.headers["etag"] != etag
    assert get(client, path, "br", **{"if-none-match": br.headers["etag"]}).status_code == 304


def test_if_none_match_star_is_304(client: TestClient) -> None:
    assert get(client, "/", **{"if-none-match": "*"}).status_code == 304


def test_index_revalidates_with_304(client: TestClient) -> None:
    etag = get(client, "/").headers["etag"]
    response = get(client, "/", **{"if-none-match": etag})
    assert response.status_code == 304
    assert response.headers["cache-control"] == "no-cache"


def test_head(client: TestClient) -> None:
    for path, encoding in (("/assets/app-1/main.mjs", "identity"), ("/", "gzip")):
        full = get(client, path, encoding)
        response = client.head(path, headers={"accept-encoding": encoding})
        assert response.status_code == 200
        assert response.content == b""
        for header in ("content-type", "content-length", "etag", "cache-control", "vary"):
            assert response.headers[header] == full.headers[header], header
        assert response.headers.get("content-encoding") == full.headers.get("content-encoding")
    assert client.head("/nope.js").status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_the_error_shape(client: TestClient, method: str) -> None:
    response = client.request(method, "/index.html")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert_error_shape(response.json(), "method_not_allowed")
    assert {m.strip() for m in response.headers["allow"].split(",")} >= {"GET", "HEAD"}
    assert_isolated(response.headers)


def test_isolation_headers_on_every_status(client: TestClient) -> None:
    ok = get(client, "/assets/app-1/worker.js", "br")
    assert ok.status_code == 200
    not_modified = get(
        client, "/assets/app-1/worker.js", "br", **{"if-none-match": ok.headers["etag"]}
    )
    assert not_modified.status_code == 304
    missing = get(client, "/assets/app-1/missing.js")
    assert missing.status_code == 404
    not_allowed = client.post("/")
    assert not_allowed.status_code == 405
    api_missing = client.get("/api/nothing-here")
    assert api_missing.status_code == 404
    for response in (ok, not_modified, missing, not_allowed, api_missing):
        assert_isolated(response.headers)
        assert response.headers["x-content-type-options"] == "nosniff"


def test_unknown_file_is_404_with_the_error_shape(client: TestClient) -> None:
    response = get(client, "/assets/app-1/missing.js")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


# --- nothing outside the manifest ------------------------------------------------------

TRAVERSALS = [
    "/../pyproject.toml",
    "/../../pyproject.toml",
    "/assets/../../pyproject.toml",
    "/assets/%2e%2e/%2e%2e/pyproject.toml",
    "/assets/%2E%2E/%2E%2E/pyproject.toml",
    "/%2e%2e/pyproject.toml",
    "/%2e%2e/server/app.py",
    "/assets/..%2f..%2fpyproject.toml",
    "/assets/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/..%2fpyproject.toml",
    "//etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/etc/passwd",
    "/..\\pyproject.toml",
    "/assets\\..\\..\\pyproject.toml",
    "/assets/%5c..%5c..%5cpyproject.toml",
    "/%5c..%5cserver%5capp.py",
    "/index.html%00",
    "/%00/../pyproject.toml",
    "/assets/app-1/main.mjs%00.txt",
    "/../dist/index.html",
    "/assets/app-1/../../../pyproject.toml",
    "/not-listed.txt",  # on disk in dist/, but not in the manifest
    "/index.html.br",  # a variant is never a name of its own
    "/assets/app-1/main.mjs.gz",
    "/manifest.json.tmp",
]


@pytest.mark.parametrize("raw_path", TRAVERSALS)
def test_paths_outside_the_manifest_are_404(fake_dist: Path, raw_path: str) -> None:
    app = make_app(fake_dist)
    for method in ("GET", "HEAD"):
        status, headers, body = raw_request(app, raw_path, method)
        assert status == 404, (method, raw_path)
        assert SECRET not in body
        assert b"root:" not in body
        assert_isolated(headers)
        if method == "GET":
            assert_error_shape(json.loads(body), "not_found")


# --- missing or rebuilt dist/ ----------------------------------------------------------


def test_missing_manifest_is_dist_missing(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>half a build</p>")
    with pytest.raises(DistMissing, match=r"python build\.py"):
        DistSite(tmp_path)
    with pytest.raises(DistMissing, match=r"python build\.py"):
        make_app(tmp_path)
    with pytest.raises(DistMissing, match=r"python build\.py"):
        DistSite(tmp_path / "does-not-exist")


@pytest.mark.parametrize("manifest", ["{not json", '{"files": {}}', '{"build_id": "x"}'])
def test_unreadable_manifest_is_dist_missing(tmp_path: Path, manifest: str) -> None:
    (tmp_path / "manifest.json").write_text(manifest)
    with pytest.raises(DistMissing, match=r"python build\.py"):
        DistSite(tmp_path)


def test_rebuilt_dist_is_picked_up_while_serving(fake_dist: Path) -> None:
    site = DistSite(fake_dist)
    client = TestClient(
        create_app(
            Settings(dist_dir=fake_dist, allowed_hosts=("testserver",)),
            database_url="postgresql://",
            run_migrations=False,
            site=site,
        )
    )
    old_etag = get(client, "/").headers["etag"]
    assert get(client, "/assets/app-2/new.js").status_code == 404

    # A broken rebuild is ignored: the old build stays served.
    broken = fake_dist / "manifest.json.tmp"
    good_manifest = (fake_dist / "manifest.json").read_bytes()
    broken.write_text("{truncated")
    os.replace(broken, fake_dist / "manifest.json")
    time.sleep(1.1)
    assert get(client, "/").headers["etag"] == old_etag
    assert site.build_id == "build-1"
    assert get(client, "/assets/app-1/main.mjs").status_code == 200
    (fake_dist / "manifest.json").write_bytes(good_manifest)

    rebuilt = {**SITE, "index.html": b"<p>build two</p>", "assets/app-2/new.js": b"new();"}
    write_dist(fake_dist, rebuilt, "build-2")
    time.sleep(1.1)
    index = get(client, "/")
    assert index.status_code == 200
    assert index.content == b"<p>build two</p>"
    assert index.headers["etag"] == f'"{_sha(b"<p>build two</p>")[:32]}"'
    assert index.headers["etag"] != old_etag
    new = get(client, "/assets/app-2/new.js", "br")
    assert new.status_code == 200
    assert new.headers["content-encoding"] == "br"
    assert new.content == b"new();"
    assert get(client, "/manifest.json").json()["build_id"] == "build-2"
    assert site.build_id == "build-2"


def test_manifest_file_missing_on_disk_is_404_not_500(fake_dist: Path) -> None:
    (fake_dist / "assets/app-1/plain.txt").unlink()
    client = TestClient(make_app(fake_dist))
    response = get(client, "/assets/app-1/plain.txt")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


# --- the real build --------------------------------------------------------------------


def test_real_dist() -> None:
    manifest = json.loads((DIST / "manifest.json").read_text())
    client = TestClient(make_app(DIST))

    index = get(client, "/", "gzip, deflate, br")
    assert index.status_code == 200
    assert index.headers["content-encoding"] == "br"
    assert index.content == (DIST / "index.html").read_bytes()
    assert_isolated(index.headers)
    assert get(client, "/manifest.json").json()["build_id"] == manifest["build_id"]

    # Every listed file is there, with the listed size and a known media type.
    for name, meta in manifest["files"].items():
        response = client.head(f"/{name}", headers={"accept-encoding": "identity"})
        assert response.status_code == 200, name
        assert int(response.headers["content-length"]) == meta["size"], name
        assert response.headers["content-type"] != "application/octet-stream", name
        expected_cache = IMMUTABLE if name.startswith("assets/") else "no-cache"
        assert response.headers["cache-control"] == expected_cache, name
        suffix = Path(name).suffix
        if suffix in (".js", ".mjs"):
            assert response.headers["content-type"].startswith("text/javascript"), name
        if suffix == ".wasm":
            assert response.headers["content-type"] == "application/wasm", name

    app = make_app(DIST)
    for raw_path in TRAVERSALS:
        status, _headers, body = raw_request(app, raw_path)
        assert status == 404, raw_path
        assert b"[build-system]" not in body and b"create_app" not in body


# --- helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("", set()),
        ("gzip", {"gzip"}),
        ("gzip, deflate, br", {"gzip", "deflate", "br"}),
        ("  GZip ,BR ", {"gzip", "br"}),
        ("br;q=0", set()),
        ("br;q=0.0, gzip", {"gzip"}),
        ("br; q=0.001", {"br"}),
        ("br;q=1, gzip;q=0.5, identity;q=0", {"br", "gzip"}),
        ("br;q=nonsense", set()),
        ("br;level=5;q=0", set()),
        ("br;level=5", {"br"}),
        (",,,", set()),
        ("*", {"*"}),
    ],
)
def test_accepted(header: str, accepted: set[str]) -> None:
    assert _accepted(header) == accepted


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://alice:s3cr3t@db.example:5432/app",
            "postgresql://alice:***@db.example:5432/app",
        ),
        (
            "postgres://alice:s3cr3t@db/app?sslmode=require",
            "postgres://alice:***@db/app?sslmode=require",
        ),
        ("postgresql://alice:p%40ss@db/app", "postgresql://alice:***@db/app"),
        ("postgresql://postgres@127.0.0.1:5432/test", "postgresql://postgres@127.0.0.1:5432/test"),
        ("postgresql://", "postgresql://"),
        ("host=db user=alice dbname=app", "host=db user=alice dbname=app"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "host=db user=alice password=s3cr3t dbname=app",
        "host=db password='s3cr3t' dbname=app",
        "postgresql://alice@db/app?password=s3cr3t",
        "postgresql://alice:s3cr3t@db/app?password=s3cr3t",
        "postgresql://alice@db/app?sslmode=disable&password=s3cr3t&connect_timeout=5",
    ],
)
def test_redact_key_value_and_query_passwords(url: str) -> None:
    redacted = redact(url)
    assert "s3cr3t" not in redacted
    assert "***" in redacted
    assert "db" in redacted and "app" in redacted


def test_redact_unparsable() -> None:
    assert redact("not a url ===") == "<unparsable database URL>"


# --- the error shape -------------------------------------------------------------------


async def _conflict(_request: Request) -> None:
    raise ApiError(409, "conflict", "That name is taken.", {"name": "demo"})


async def _plain_api_error(_request: Request) -> None:
    raise ApiError(422, "invalid", "Bad input.")


async def _http_error(_request: Request) -> None:
    raise HTTPException(404, "Nothing at this address.")


async def _teapot(_request: Request) -> None:
    raise HTTPException(418)


async def _crash(_request: Request) -> None:
    raise RuntimeError("db password is hunter2")  # must never reach the client


def _error_app() -> TestClient:
    app = Starlette(
        routes=[
            Route("/conflict", _conflict),
            Route("/invalid", _plain_api_error),
            Route("/http", _http_error),
            Route("/teapot", _teapot),
            Route("/crash", _crash),
        ],
        exception_handlers=HANDLERS,
    )
    return TestClient(IsolationHeaders(app), raise_server_exceptions=False)


def test_api_error_shape() -> None:
    client = _error_app()
    response = client.get("/conflict")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "error": {"code": "conflict", "message": "That name is taken.", "details": {"name": "demo"}}
    }
    invalid = client.get("/invalid")
    assert invalid.status_code == 422
    assert invalid.json() == {"error": {"code": "invalid", "message": "Bad input.", "details": {}}}


def test_http_exception_shape() -> None:
    client = _error_app()
    response = client.get("/http")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Nothing at this address.", "details": {}}
    }
    teapot = client.get("/teapot")
    assert teapot.status_code == 418
    assert_error_shape(teapot.json(), "error")
    no_route = client.get("/no-such-route")
    assert no_route.status_code == 404
    assert_error_shape(no_route.json(), "not_found")
    wrong_method = client.post("/conflict")
    assert wrong_method.status_code == 405
    assert_error_shape(wrong_method.json(), "method_not_allowed")


def test_unexpected_exception_is_500_internal_without_trace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = _error_app()
    with caplog.at_level("ERROR", logger="cospai"):
        response = client.get("/crash")
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal",
            "message": "The server failed to handle this request.",
            "details": {},
        }
    }
    for leak in ("Traceback", "RuntimeError", "hunter2", "test_static"):
        assert leak not in response.text
    assert_isolated(response.headers)
    # The trace goes to the log instead.
    assert any(record.exc_info for record in caplog.records)


def test_lookup_only_knows_manifest_names(fake_dist: Path) -> None:
    site = DistSite(fake_dist)
    assert site.lookup("/../pyproject.toml") is None
    assert site.lookup("/not-listed.txt") is None
    found = site.lookup("/")
    assert found is not None and found[0] == "index.html"
    found = site.lookup("/manifest.json")
    assert found is not None and found[1].path == fake_dist / "manifest.json"


@pytest.mark.parametrize(
    "path", ["/p/3f0c9e5e-8a2b-4f0e-9d7c-1b2a3c4d5e6f", "/signin", "/signup", "/projects"]
)
def test_app_routes_serve_the_shell(client: TestClient, path: str) -> None:
    response = get(client, path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.content == get(client, "/").content


@pytest.mark.parametrize("path", ["/p/", "/p/a/b", "/p/x.js", "/signin/x", "/px/1"])
def test_only_known_app_routes_fall_back_to_the_shell(client: TestClient, path: str) -> None:
    assert get(client, path).status_code == 404
