"""Loading a project's files, fetching binary content by hash, and how content is stored.

Load: every path with version, size, sha256 and kind, text inline, binary by hash; an ETag
makes an unchanged project one 304; gzip on request. Storage: one row per distinct content,
binary as raw bytes, content over 1 MB compressed, all read back byte-exact.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from typing import Any

import psycopg

from server.sync_rules import RULES
from tests.support.api import Api
from tests.support.databases import scalar

BINARY = bytes(range(256)) * 3 + b"\0\0\0" + b"\xff\xfe\x00\x80"  # every byte value, NULs


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_row(url: str, data: bytes) -> tuple[int, bool, bytes]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT size, compressed, data FROM blobs WHERE sha256 = %s",
            (hashlib.sha256(data).digest(),),
        ).fetchone()
    assert row is not None, "no blob row for this content"
    return row[0], row[1], bytes(row[2])


def put_binary(api: Api, pid: str, path: str, data: bytes, base: int | None = None) -> Any:
    """A multipart sync carrying one binary part."""
    ops = {
        "ops": [
            {"op": "put", "path": path, "base_version": base, "content_ref": "p0", "binary": True}
        ]
    }
    response = api.post(
        f"/api/projects/{pid}/sync",
        data={"ops": json.dumps(ops)},
        files={"p0": ("p0", data, "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "ok", response.text
    return response.json()


def put_text(api: Api, pid: str, files: dict[str, str]) -> dict[str, Any]:
    response = api.sync(
        pid,
        [{"op": "put", "path": p, "base_version": None, "content": c} for p, c in files.items()],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert all(r["status"] == "ok" for r in body["results"]), body
    return body


def fetch_blob(api: Api, pid: str, digest: str, **kwargs: Any) -> Any:
    return api.get(f"/api/projects/{pid}/blobs/{digest}", **kwargs)


# --- load -----------------------------------------------------------------------------------


def test_load_lists_every_file_with_version_size_hash_and_kind(api: Api) -> None:
    pid = api.new_project("load")["id"]
    empty = api.get(f"/api/projects/{pid}/files").json()
    assert empty["files"] == [] and empty["version"] == 0
    text = "héllo wörld\nline two\n"
    put_text(api, pid, {"a.txt": text, "src/deep/main.py": "print('x')\n", "empty.txt": ""})
    put_binary(api, pid, "img/pic.bin", BINARY)

    response = api.get(f"/api/projects/{pid}/files")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2
    assert body["project"]["id"] == pid and body["project"]["version"] == 2
    files = {f["path"]: f for f in body["files"]}
    assert sorted(files) == ["a.txt", "empty.txt", "img/pic.bin", "src/deep/main.py"]
    for path, content in [("a.txt", text), ("src/deep/main.py", "print('x')\n"), ("empty.txt", "")]:
        item = files[path]
        raw = content.encode()
        assert item == {
            "path": path,
            "version": 1,
            "size": len(raw),
            "sha256": sha(raw),
            "binary": False,
            "content": content,
        }
    assert files["img/pic.bin"] == {
        "path": "img/pic.bin",
        "version": 2,
        "size": len(BINARY),
        "sha256": sha(BINARY),
        "binary": True,
    }
    assert "content" not in files["img/pic.bin"]


def test_binary_content_is_fetched_raw_by_hash_byte_exact(api: Api) -> None:
    pid = api.new_project("blobs")["id"]
    put_binary(api, pid, "data.bin", BINARY)
    digest = api.files(pid)["data.bin"]["sha256"]
    response = fetch_blob(api, pid, digest)
    assert response.status_code == 200
    assert response.content == BINARY
    assert response.headers["content-type"] == "application/octet-stream"
    assert "immutable" in response.headers["cache-control"]
    # Upper-case hex names the same content.
    assert fetch_blob(api, pid, digest.upper()).content == BINARY
    # A text file's content can be fetched by hash too.
    put_text(api, pid, {"t.txt": "plain text ✓\n"})
    response = fetch_blob(api, pid, sha("plain text ✓\n".encode()))
    assert response.status_code == 200
    assert response.content == "plain text ✓\n".encode()


def test_blob_is_refused_unless_it_belongs_to_the_project(new_api: Any) -> None:
    owner, other = new_api(), new_api()
    owner.signup()
    other.signup()
    pid = owner.new_project("mine")["id"]
    put_binary(owner, pid, "secret.bin", BINARY)
    digest = sha(BINARY)
    # Another user: not their project.
    assert fetch_blob(other, pid, digest).status_code == 404
    # Another user's own project does not reference that content either.
    theirs = other.new_project("theirs")["id"]
    response = fetch_blob(other, theirs, digest)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # Unknown, short and non-hex hashes.
    for bad in ["0" * 64, "abcd", "zz" * 32, sha(b"nothing")]:
        assert fetch_blob(owner, pid, bad).status_code == 404, bad


def test_blob_of_a_deleted_file_stays_reachable_through_a_revision(api: Api) -> None:
    pid = api.new_project("rev-blob")["id"]
    put_binary(api, pid, "x.bin", BINARY)
    assert api.post(f"/api/projects/{pid}/revisions", json={"message": "keep"}).status_code == 201
    version = api.files(pid)["x.bin"]["version"]
    response = api.sync(pid, [{"op": "delete", "path": "x.bin", "base_version": version}])
    assert response.json()["results"][0]["status"] == "ok"
    assert fetch_blob(api, pid, sha(BINARY)).content == BINARY


def test_etag_gives_304_without_a_body_until_something_changes(api: Api) -> None:
    pid = api.new_project("etag")["id"]
    put_text(api, pid, {"a.txt": "one"})
    first = api.get(f"/api/projects/{pid}/files")
    etag = first.headers["etag"]
    assert etag

    cached = api.get(f"/api/projects/{pid}/files", headers={"if-none-match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    # One of several tags is enough.
    listed = api.get(f"/api/projects/{pid}/files", headers={"if-none-match": f'"other", {etag}'})
    assert listed.status_code == 304
    # A tag that does not match gets the body.
    assert (
        api.get(f"/api/projects/{pid}/files", headers={"if-none-match": '"nope"'}).status_code
        == 200
    )

    version = first.json()["files"][0]["version"]
    response = api.sync(
        pid, [{"op": "put", "path": "a.txt", "base_version": version, "content": "two"}]
    )
    assert response.json()["results"][0]["status"] == "ok"
    fresh = api.get(f"/api/projects/{pid}/files", headers={"if-none-match": etag})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] != etag
    assert fresh.json()["files"][0]["content"] == "two"
    again = api.get(f"/api/projects/{pid}/files", headers={"if-none-match": fresh.headers["etag"]})
    assert again.status_code == 304
    # Another project at the same version does not match.
    other = api.new_project("other")["id"]
    put_text(api, other, {"a.txt": "x"})
    put_text(api, other, {"b.txt": "y"})
    assert (
        api.get(
            f"/api/projects/{other}/files", headers={"if-none-match": fresh.headers["etag"]}
        ).status_code
        == 200
    )


def test_etag_changes_when_the_project_is_renamed(api: Api) -> None:
    """The load body carries the project (name, description): a rename must not be 304'd."""
    pid = api.new_project("before")["id"]
    first = api.get(f"/api/projects/{pid}/files")
    assert first.json()["project"]["name"] == "before"
    assert api.patch(f"/api/projects/{pid}", json={"name": "after"}).status_code == 200
    response = api.get(
        f"/api/projects/{pid}/files", headers={"if-none-match": first.headers["etag"]}
    )
    assert response.status_code == 200, "a renamed project answered 304 with the old name"
    assert response.json()["project"]["name"] == "after"


def test_large_load_is_gzipped_on_request(api: Api) -> None:
    pid = api.new_project("gzip")["id"]
    put_text(api, pid, {f"src/file{i}.py": f"print({i})\n" * 200 for i in range(10)})
    zipped = api.get(f"/api/projects/{pid}/files", headers={"accept-encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert len(zipped.json()["files"]) == 10
    plain = api.get(f"/api/projects/{pid}/files", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json()["files"] == zipped.json()["files"]
    # The wire bytes are really gzip, and smaller.
    with api.client.stream(
        "GET", f"/api/projects/{pid}/files", headers=api.headers({"accept-encoding": "gzip"})
    ) as raw:
        wire = b"".join(raw.iter_raw())
    assert len(wire) < len(plain.content) / 5
    assert json.loads(gzip.decompress(wire))["files"] == plain.json()["files"]


def test_blob_is_served_as_stored_not_gzipped(api: Api) -> None:
    """app.py: 'binary and zips pass through as they are' (only JSON is compressed)."""
    pid = api.new_project("gzip-blob")["id"]
    data = bytes(4096)  # very compressible, so gzip would certainly kick in
    put_binary(api, pid, "zeros.bin", data)
    response = fetch_blob(api, pid, sha(data), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.content == data
    assert "content-encoding" not in response.headers


def test_load_needs_a_session_and_ownership(new_api: Any) -> None:
    owner, stranger = new_api(), new_api()
    owner.signup()
    pid = owner.new_project("p")["id"]
    response = stranger.get(f"/api/projects/{pid}/files")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    stranger.signup()
    response = stranger.get(f"/api/projects/{pid}/files")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert stranger.get("/api/projects/not-a-uuid/files").status_code == 404


# --- storage --------------------------------------------------------------------------------


def test_identical_content_is_stored_once(api: Api, database_url: str) -> None:
    pid = api.new_project("dedupe")["id"]
    before = scalar(database_url, "SELECT count(*) FROM blobs")
    put_text(api, pid, {"a.txt": "same\n", "b/c.txt": "same\n", "d.txt": "other\n"})
    assert scalar(database_url, "SELECT count(*) FROM blobs") == before + 2
    files = api.files(pid)
    assert files["a.txt"]["sha256"] == files["b/c.txt"]["sha256"] == sha(b"same\n")
    # A second project with the same content adds no blob either.
    other = api.new_project("dedupe-2")["id"]
    put_text(api, other, {"x.txt": "same\n"})
    assert scalar(database_url, "SELECT count(*) FROM blobs") == before + 2
    # The same bytes as binary share the row too.
    put_binary(api, other, "y.bin", b"other\n")
    assert scalar(database_url, "SELECT count(*) FROM blobs") == before + 2
    assert api.files(other)["y.bin"]["binary"] is True


def test_binary_and_text_are_stored_as_raw_bytes(api: Api, database_url: str) -> None:
    pid = api.new_project("raw")["id"]
    small = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\x00\x01"
    put_binary(api, pid, "pic.png", small)
    size, compressed, data = blob_row(database_url, small)
    assert (size, compressed, data) == (len(small), False, small)
    # Text is its UTF-8 bytes, nothing else.
    text = "naïve — ✓ 😀\n"
    put_text(api, pid, {"u.txt": text})
    assert blob_row(database_url, text.encode()) == (len(text.encode()), False, text.encode())


def test_text_over_1_mb_is_compressed_and_read_back_exactly(api: Api, database_url: str) -> None:
    pid = api.new_project("big-text")["id"]
    text = "".join(f"line {i}: the quick brown fox ✓\n" for i in range(40_000))
    raw = text.encode()
    assert len(raw) > RULES.compress_over_bytes
    put_text(api, pid, {"big.txt": text})
    size, compressed, data = blob_row(database_url, raw)
    assert size == len(raw) and compressed is True and len(data) < len(raw)
    item = api.files(pid)["big.txt"]
    assert item["content"] == text and item["size"] == len(raw) and item["sha256"] == sha(raw)
    assert fetch_blob(api, pid, sha(raw)).content == raw
    # Content of exactly the threshold is left as it is.
    edge = "a" * RULES.compress_over_bytes
    put_text(api, pid, {"edge.txt": edge})
    size, compressed, stored = blob_row(database_url, edge.encode())
    assert (size, compressed) == (len(edge), False) and stored == edge.encode()


def test_binary_over_1_mb_is_compressed_unless_that_does_not_help(
    api: Api, database_url: str
) -> None:
    pid = api.new_project("big-bin")["id"]
    data = (bytes(range(256)) + b"\0" * 256) * 2600
    assert len(data) > RULES.compress_over_bytes
    put_binary(api, pid, "big.bin", data)
    size, compressed, stored = blob_row(database_url, data)
    assert size == len(data) and compressed is True and len(stored) < len(data)
    assert fetch_blob(api, pid, sha(data)).content == data
    assert api.files(pid)["big.bin"]["size"] == len(data)
    # Compressing noise would not make it shorter: it is kept as it is.
    noise = os.urandom(RULES.compress_over_bytes + 4096)
    put_binary(api, pid, "noise.bin", noise)
    size, compressed, kept = blob_row(database_url, noise)
    assert size == len(noise)
    assert compressed is False and kept == noise
    assert fetch_blob(api, pid, sha(noise)).content == noise
