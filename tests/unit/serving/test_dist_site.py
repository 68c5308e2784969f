"""server/static.py (DistSite) serving dist/ as its manifest describes it: media types,
precompressed variants by Accept-Encoding, caching and ETags, methods, the isolation
headers, and app routes answered with the shell."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from starlette.testclient import TestClient

from server.static import IMMUTABLE, DistSite, _accepted

from .conftest import SITE, assert_error_shape, assert_isolated, assert_refused, get, sha


def test_index_is_served_at_root(client: TestClient) -> None:
    for path in ("/", "/index.html"):
        response = get(client, path)
        assert response.status_code == 200
        assert response.content == SITE["index.html"]
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "content-encoding" not in response.headers


def test_a_folder_without_an_index_in_the_manifest_is_404(client: TestClient) -> None:
    response = get(client, "/assets/")
    assert_refused(response, 404, "not_found")


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
    assert response.headers["etag"] == f'"{sha(served)[:32]}"'
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
    assert etag == f'"{sha(SITE[path[1:]])[:32]}"'

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
    assert_refused(response, 404, "not_found")


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
