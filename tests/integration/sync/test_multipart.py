"""Multipart syncs: binary content as parts of the request, and what a bad one leaves
(nothing written)."""

from __future__ import annotations

from tests.support.api import Api, expect_error

from .conftest import multipart, ok_sync, put, sha, state


def test_multipart_sync_with_binary_parts(api: Api, pid: str) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\0" * 10
    wasm = b"\0asm\x01\0\0\0" + bytes(reversed(range(256)))
    text = "plain ✓ text\n".encode()
    response = multipart(
        api,
        pid,
        {
            "ops": [
                {
                    "op": "put",
                    "path": "img/logo.png",
                    "base_version": None,
                    "content_ref": "f0",
                    "binary": True,
                },
                {"op": "put", "path": "lib.wasm", "base_version": None, "content_ref": "f1"},
                {"op": "put", "path": "notes.txt", "base_version": None, "content_ref": "f2"},
                {"op": "put", "path": "inline.txt", "base_version": None, "content": "inline"},
            ],
            "revision_message": "upload",
        },
        {"f0": png, "f1": wasm, "f2": text},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["ok"] * 4
    assert body["results"][0]["sha256"] == sha(png)
    assert body["revision"]["number"] == 1
    files = api.files(pid)
    assert files["img/logo.png"]["binary"] is True and "content" not in files["img/logo.png"]
    assert files["lib.wasm"]["binary"] is True  # detected: not UTF-8
    assert files["notes.txt"]["binary"] is False and files["notes.txt"]["content"] == text.decode()
    assert files["inline.txt"]["content"] == "inline"
    for path, data in [("img/logo.png", png), ("lib.wasm", wasm)]:
        assert files[path]["size"] == len(data)
        blob = api.get(f"/api/projects/{pid}/blobs/{files[path]['sha256']}")
        assert blob.content == data
    # Update with a base, then a stale one.
    ops = {
        "ops": [
            {"op": "put", "path": "lib.wasm", "base_version": 1, "content_ref": "x", "binary": True}
        ]
    }
    assert multipart(api, pid, ops, {"x": b"\3\4\5\0"}).json()["results"][0]["status"] == "ok"
    stale = multipart(api, pid, ops, {"x": b"\6"}).json()["results"][0]
    assert stale["status"] == "conflict" and stale["current_sha256"] == sha(b"\3\4\5\0")


def test_multipart_refusals_leave_nothing_written(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("keep.txt", "k")])
    before = state(api, pid, database_url)
    ok_part = {
        "op": "put",
        "path": "ok.bin",
        "base_version": None,
        "content_ref": "a",
        "binary": True,
    }
    cases = [
        # Declared text, but not UTF-8 / with a NUL.
        (
            {
                "op": "put",
                "path": "bad.txt",
                "base_version": None,
                "content_ref": "b",
                "binary": False,
            },
            {"b": b"caf\xe9 latin-1"},
            "invalid_utf8",
            "content_ref",
        ),
        (
            {
                "op": "put",
                "path": "nul.txt",
                "base_version": None,
                "content_ref": "b",
                "binary": False,
            },
            {"b": b"a\0b"},
            "invalid_utf8",
            "content_ref",
        ),
        # A reference to a part that is not there.
        (
            {"op": "put", "path": "c.bin", "base_version": None, "content_ref": "missing"},
            {},
            "invalid",
            "content_ref",
        ),
    ]
    for op, parts, code, field in cases:
        response = multipart(api, pid, {"ops": [ok_part, op]}, {"a": b"\xff\0", **parts})
        error = expect_error(response, 422, code)
        assert error["details"] == {"op": 1, "field": field}
        assert state(api, pid, database_url) == before
