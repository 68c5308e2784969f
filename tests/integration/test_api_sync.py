"""POST /api/projects/{id}/sync: versioned batches of put, delete and rename.

Every applied operation takes the project's new version; a stale base is a per-file
conflict while the rest applies; bad input anywhere refuses the whole batch and leaves
nothing written; limits come from contract/sync_rules.json.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from server.sync_rules import RULES
from tests.support.api import Api


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def scalar(url: str, sql: str, params: tuple[Any, ...] = ()) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def execute(url: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(sql, params)


def put(path: str, content: str, base: int | None = None) -> dict[str, Any]:
    return {"op": "put", "path": path, "base_version": base, "content": content}


def delete(path: str, base: int) -> dict[str, Any]:
    return {"op": "delete", "path": path, "base_version": base}


def rename(path: str, to: str, base: int) -> dict[str, Any]:
    return {"op": "rename", "path": path, "to": to, "base_version": base}


def ok_sync(api: Api, pid: str, ops: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    response = api.sync(pid, ops, **extra)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["ok"] * len(ops), body
    return body


def project(api: Api, pid: str) -> dict[str, Any]:
    response = api.get(f"/api/projects/{pid}")
    assert response.status_code == 200
    return response.json()


def state(api: Api, pid: str, url: str) -> dict[str, Any]:
    """Everything a refused batch must leave as it was."""
    info = project(api, pid)
    return {
        "version": info["version"],
        "file_count": info["file_count"],
        "total_bytes": info["total_bytes"],
        "files": {p: (f["version"], f["sha256"], f["binary"]) for p, f in api.files(pid).items()},
        "blobs": scalar(url, "SELECT count(*) FROM blobs"),
        "revisions": scalar(url, "SELECT count(*) FROM revisions"),
    }


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def pid(api: Api) -> str:
    return str(api.new_project("sync")["id"])


# --- put, delete, rename ------------------------------------------------------------------


def test_put_new_update_and_delete(api: Api, pid: str) -> None:
    assert ok_sync(api, pid, []) == {"version": 0, "results": [], "revision": None}
    body = ok_sync(api, pid, [put("a.txt", "one\n"), put("b.txt", "bb")])
    assert body["version"] == 1
    assert body["results"][0] == {
        "index": 0,
        "status": "ok",
        "path": "a.txt",
        "version": 1,
        "sha256": sha("one\n"),
    }
    assert body["revision"] is None
    body = ok_sync(api, pid, [put("a.txt", "two\n", 1)])
    assert body["version"] == 2 and body["results"][0]["version"] == 2
    files = api.files(pid)
    assert (files["a.txt"]["content"], files["a.txt"]["version"]) == ("two\n", 2)
    assert files["a.txt"]["sha256"] == sha("two\n")
    assert files["b.txt"]["version"] == 1  # untouched files keep their version
    info = project(api, pid)
    assert (info["version"], info["file_count"], info["total_bytes"]) == (2, 2, 6)

    body = ok_sync(api, pid, [delete("a.txt", 2)])
    assert body["results"] == [{"index": 0, "status": "ok", "path": "a.txt", "version": 3}]
    files = api.files(pid)
    assert list(files) == ["b.txt"] and files["b.txt"]["version"] == 1
    info = project(api, pid)
    assert (info["version"], info["file_count"], info["total_bytes"]) == (3, 1, 2)
    # An empty batch changes nothing.
    assert ok_sync(api, pid, []) == {"version": 3, "results": [], "revision": None}
    assert project(api, pid)["version"] == 3


def test_rename_keeps_content_and_takes_the_new_version(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("old.txt", "content"), put("other.txt", "x"), put("notes", "n")])
    body = ok_sync(api, pid, [rename("old.txt", "new.txt", 1)])
    assert body["results"] == [
        {"index": 0, "status": "ok", "path": "old.txt", "to": "new.txt", "version": 2}
    ]
    files = api.files(pid)
    assert sorted(files) == ["new.txt", "notes", "other.txt"]
    assert files["new.txt"]["content"] == "content" and files["new.txt"]["version"] == 2
    assert files["new.txt"]["sha256"] == sha("content")
    assert files["other.txt"]["version"] == 1
    assert project(api, pid)["file_count"] == 3
    # Into a new folder; and a file into a folder of its own name.
    ok_sync(api, pid, [rename("new.txt", "src/app/main.txt", 2), rename("notes", "notes/n.txt", 1)])
    files = api.files(pid)
    assert sorted(files) == ["notes/n.txt", "other.txt", "src/app/main.txt"]
    assert files["src/app/main.txt"]["content"] == "content"
    # The old place is free again.
    ok_sync(api, pid, [put("new.txt", "again")])
    assert project(api, pid)["file_count"] == 4


def test_case_only_rename(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("readme.md", "# hi\n")])
    body = ok_sync(api, pid, [rename("readme.md", "README.md", 1)])
    assert body["results"][0]["to"] == "README.md"
    files = api.files(pid)
    assert list(files) == ["README.md"]
    assert files["README.md"]["content"] == "# hi\n" and files["README.md"]["version"] == 2
    assert project(api, pid)["file_count"] == 1
    assert scalar(database_url, "SELECT count(*) FROM files") == 1
    ok_sync(api, pid, [rename("README.md", "readme.md", 2)])
    assert list(api.files(pid)) == ["readme.md"]


def test_mixed_batch_shares_one_new_version(api: Api, pid: str) -> None:
    ok_sync(
        api,
        pid,
        [put("keep.txt", "k"), put("edit.txt", "e1"), put("gone.txt", "g"), put("move.txt", "m")],
    )
    body = ok_sync(
        api,
        pid,
        [
            put("new.txt", "n"),
            put("edit.txt", "e2", 1),
            delete("gone.txt", 1),
            rename("move.txt", "dir/moved.txt", 1),
        ],
    )
    assert body["version"] == 2
    assert [r["index"] for r in body["results"]] == [0, 1, 2, 3]
    assert {r["version"] for r in body["results"]} == {2}
    files = api.files(pid)
    assert {p: f["version"] for p, f in files.items()} == {
        "dir/moved.txt": 2,
        "edit.txt": 2,
        "keep.txt": 1,
        "new.txt": 2,
    }
    assert files["edit.txt"]["content"] == "e2" and files["dir/moved.txt"]["content"] == "m"
    info = project(api, pid)
    assert info["file_count"] == 4 and info["total_bytes"] == 1 + 2 + 1 + 1


def test_chains_within_one_batch(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "A"), put("b.txt", "B"), put("x", "X"), put("y", "Y")])
    body = ok_sync(
        api,
        pid,
        [
            delete("a.txt", 1),
            put("a.txt", "A2"),  # recreate after delete
            rename("b.txt", "c.txt", 1),
            put("b.txt", "B2"),  # reuse a renamed-away name
        ],
    )
    files = api.files(pid)
    assert {p: f["content"] for p, f in files.items()} == {
        "a.txt": "A2",
        "b.txt": "B2",
        "c.txt": "B",
        "x": "X",
        "y": "Y",
    }
    assert {files[p]["version"] for p in ("a.txt", "b.txt", "c.txt")} == {body["version"]}
    assert project(api, pid)["file_count"] == 5
    # A swap through an occupied name is a conflict, never a corruption.
    body = api.sync(pid, [rename("x", "y", 1)]).json()
    assert body["results"][0]["status"] == "conflict"
    assert api.files(pid)["x"]["content"] == "X" and api.files(pid)["y"]["content"] == "Y"
    # A conflict with a file written earlier in the same batch reports its real new version.
    body = api.sync(pid, [put("twice.txt", "first"), put("twice.txt", "second")]).json()
    assert body["results"][0]["status"] == "ok"
    assert body["results"][1] == {
        "index": 1,
        "status": "conflict",
        "path": "twice.txt",
        "current_version": body["version"],
        "current_sha256": sha("first"),
    }
    assert api.files(pid)["twice.txt"]["content"] == "first"


def test_unicode_names_are_stored_in_nfc(api: Api, pid: str) -> None:
    body = ok_sync(api, pid, [put("cafe\u0301/nai\u0308ve.txt", "x")])
    assert body["results"][0]["path"] == "café/naïve.txt"
    assert list(api.files(pid)) == ["café/naïve.txt"]
    # The composed spelling is the same file.
    response = api.sync(pid, [put("café/naïve.txt", "y")])
    assert response.json()["results"][0]["status"] == "conflict"


def test_implied_folders_leave_no_trace(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("a/b/c.txt", "deep")])
    assert list(api.files(pid)) == ["a/b/c.txt"]
    ok_sync(api, pid, [delete("a/b/c.txt", 1)])
    assert api.files(pid) == {}
    assert scalar(database_url, "SELECT count(*) FROM files") == 0
    info = project(api, pid)
    assert info["file_count"] == 0 and info["total_bytes"] == 0
    # No folder is left behind: `a` and `a/b` can now be files.
    ok_sync(api, pid, [put("a", "file a")])
    ok_sync(api, pid, [delete("a", 3), put("a/b", "file b")])
    assert list(api.files(pid)) == ["a/b"]


# --- conflicts --------------------------------------------------------------------------------


def test_stale_bases_are_conflicts_and_the_rest_applies(api: Api, pid: str) -> None:
    ok_sync(
        api, pid, [put("a.txt", "a1"), put("b.txt", "b1"), put("d.txt", "d1"), put("r.txt", "r1")]
    )
    ok_sync(api, pid, [put("a.txt", "a2", 1), put("d.txt", "d2", 1), put("r.txt", "r2", 1)])
    response = api.sync(
        pid,
        [
            put("a.txt", "mine", 1),
            put("b.txt", "b2", 1),
            put("c.txt", "c"),
            delete("d.txt", 1),
            rename("r.txt", "s.txt", 1),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 3
    assert body["results"][0] == {
        "index": 0,
        "status": "conflict",
        "path": "a.txt",
        "current_version": 2,
        "current_sha256": sha("a2"),
    }
    assert [(r["status"], r["version"]) for r in body["results"][1:3]] == [("ok", 3), ("ok", 3)]
    assert body["results"][3:] == [
        {
            "index": 3,
            "status": "conflict",
            "path": "d.txt",
            "current_version": 2,
            "current_sha256": sha("d2"),
        },
        {
            "index": 4,
            "status": "conflict",
            "path": "r.txt",
            "current_version": 2,
            "current_sha256": sha("r2"),
        },
    ]
    files = api.files(pid)
    assert {p: (f["content"], f["version"]) for p, f in files.items()} == {
        "a.txt": ("a2", 2),
        "b.txt": ("b2", 3),
        "c.txt": ("c", 3),
        "d.txt": ("d2", 2),
        "r.txt": ("r2", 2),
    }
    # A batch of conflicts only leaves the version alone.
    body = api.sync(pid, [put("a.txt", "x", 7)]).json()
    assert body["version"] == 3 == project(api, pid)["version"]


def test_conflict_on_a_file_that_is_gone_has_null_current(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    ok_sync(api, pid, [delete("a.txt", 1)])
    body = api.sync(
        pid,
        [
            put("a.txt", "again", 1),
            delete("a.txt", 1),
            rename("a.txt", "b.txt", 1),
            delete("never.txt", 5),
        ],
    ).json()
    assert [r["status"] for r in body["results"]] == ["conflict"] * 4
    for result in body["results"]:
        assert result["current_version"] is None and result["current_sha256"] is None
    assert api.files(pid) == {}
    assert body["version"] == 2 == project(api, pid)["version"]


def test_creating_or_renaming_onto_an_existing_file_is_a_conflict(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "theirs"), put("src.txt", "source"), put("readme.md", "r")])
    body = api.sync(
        pid,
        [
            put("a.txt", "mine"),
            rename("src.txt", "a.txt", 1),
            rename("src.txt", "README.md", 1),
            put("x.txt", "x"),
        ],
    ).json()
    assert body["results"][0] == {
        "index": 0,
        "status": "conflict",
        "path": "a.txt",
        "current_version": 1,
        "current_sha256": sha("theirs"),
    }
    rename_conflict = body["results"][1]
    assert rename_conflict["status"] == "conflict"
    assert rename_conflict["current_version"] == 1
    assert rename_conflict["current_sha256"] == sha("theirs")
    assert body["results"][2]["status"] == "conflict"  # another spelling of readme.md
    assert body["results"][3]["status"] == "ok"
    files = api.files(pid)
    assert {p: (f["content"], f["version"]) for p, f in files.items()} == {
        "a.txt": ("theirs", 1),
        "src.txt": ("source", 1),
        "readme.md": ("r", 1),
        "x.txt": ("x", 2),
    }


def _race(
    clients: list[Api], pid: str, ops_for: Callable[[int], list[dict[str, Any]]]
) -> list[Any]:
    barrier = threading.Barrier(len(clients))
    responses: list[Any] = [None] * len(clients)

    def run(i: int) -> None:
        barrier.wait()
        responses[i] = clients[i].sync(pid, ops_for(i))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(r is not None for r in responses), "a sync did not finish"
    return responses


def _two_tabs(new_api: Callable[[], Api]) -> tuple[Api, Api, str]:
    """Two clients of one user (two tabs or two devices), each with its own app instance."""
    first, second = new_api(), new_api()
    email = "racer@example.com"
    first.signup(email)
    assert second.signin(email).status_code == 200
    return first, second, str(first.new_project("race")["id"])


def test_concurrent_updates_of_one_file_one_wins(new_api: Callable[[], Api]) -> None:
    first, second, pid = _two_tabs(new_api)
    ok_sync(first, pid, [put("shared.txt", "start")])
    for round_ in range(6):
        base = first.files(pid)["shared.txt"]["version"]

        def same_file(i: int, r: int = round_, b: int = base) -> list[dict[str, Any]]:
            return [put("shared.txt", f"tab{i}-r{r}", b)]

        responses = _race([first, second], pid, same_file)
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        results = [r.json()["results"][0] for r in responses]
        assert sorted(r["status"] for r in results) == ["conflict", "ok"], results
        winner = next(i for i, r in enumerate(results) if r["status"] == "ok")
        loser = results[1 - winner]
        stored = first.files(pid)["shared.txt"]
        assert stored["content"] == f"tab{winner}-r{round_}"
        assert stored["version"] == results[winner]["version"] == base + 1
        assert loser["current_version"] == base + 1
        assert loser["current_sha256"] == sha(f"tab{winner}-r{round_}")


def test_concurrent_creations_one_wins_and_other_files_both_apply(
    new_api: Callable[[], Api],
) -> None:
    first, second, pid = _two_tabs(new_api)
    for round_ in range(4):
        path = f"new{round_}.txt"

        def new_file(i: int, p: str = path) -> list[dict[str, Any]]:
            return [put(p, f"from {i}")]

        responses = _race([first, second], pid, new_file)
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        results = [r.json()["results"][0] for r in responses]
        assert sorted(r["status"] for r in results) == ["conflict", "ok"]
        winner = next(i for i, r in enumerate(results) if r["status"] == "ok")
        assert first.files(pid)[path]["content"] == f"from {winner}"
    version = project(first, pid)["version"]
    assert version == 4
    # Different files at once: both apply, one after the other, each with its own version.
    for round_ in range(3):

        def own_file(i: int, r: int = round_) -> list[dict[str, Any]]:
            return [put(f"t{i}/f{r}.txt", "x")]

        responses = _race([first, second], pid, own_file)
        versions = sorted(r.json()["version"] for r in responses)
        assert versions == [version + 1, version + 2]
        version += 2
    info = project(first, pid)
    assert info["version"] == version and info["file_count"] == 4 + 6


# --- revisions through sync -------------------------------------------------------------------


def test_revision_message_records_a_revision_in_the_same_request(api: Api, pid: str) -> None:
    body = ok_sync(api, pid, [put("a.txt", "a"), put("b.txt", "b")], revision_message="  first  ")
    revision = body["revision"]
    assert revision["number"] == 1 and revision["message"] == "first"
    assert revision["project_version"] == 1 and revision["file_count"] == 2
    shown = api.get(f"/api/projects/{pid}/revisions/1").json()
    assert sorted(f["path"] for f in shown["files"]) == ["a.txt", "b.txt"]
    body = ok_sync(api, pid, [put("a.txt", "a2", 1)], revision_message="second")
    assert body["revision"]["number"] == 2 and body["revision"]["project_version"] == 2


# --- multipart ---------------------------------------------------------------------------------


def multipart(api: Api, pid: str, body: dict[str, Any], parts: dict[str, bytes]) -> Any:
    files = {name: (name, data, "application/octet-stream") for name, data in parts.items()}
    return api.post(f"/api/projects/{pid}/sync", data={"ops": json.dumps(body)}, files=files)


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
        error = error_of(response, 422, code)
        assert error["details"] == {"op": 1, "field": field}
        assert state(api, pid, database_url) == before


# --- all or nothing ---------------------------------------------------------------------------


BAD_LAST_OPS = {
    "invalid_path": (put("../escape.txt", "x"), 422, "invalid_path"),
    "ignored_path": (put("node_modules/x.js", "x"), 422, "ignored_path"),
    "file_in_the_way": (put("keep.txt/inner.txt", "x"), 409, "file_in_the_way"),
    "folder_in_the_way": (put("pkg", "x"), 409, "folder_in_the_way"),
    "folder_made_in_batch": (put("lib", "x"), 409, "folder_in_the_way"),
    "case_conflict": (put("KEEP.txt", "x"), 409, "case_conflict"),
    "too_large": (put("huge.txt", "x" * (RULES.max_file_bytes + 1)), 413, "file_too_large"),
    "bad_base": ({"op": "delete", "path": "keep.txt", "base_version": -1}, 422, "invalid"),
}


def test_a_bad_op_anywhere_leaves_nothing_written(api: Api, pid: str, database_url: str) -> None:
    ok_sync(
        api,
        pid,
        [
            put("keep.txt", "keep"),
            put("gone.txt", "gone"),
            put("src/a.js", "a"),
            put("pkg/index.js", "p"),
        ],
    )
    before = state(api, pid, database_url)
    for case, (bad, status, code) in BAD_LAST_OPS.items():
        response = api.sync(
            pid,
            [
                put("new.txt", "brand new content"),
                delete("gone.txt", 1),
                rename("src/a.js", "lib/a.js", 1),
                bad,
            ],
            revision_message="never",
        )
        error = error_of(response, status, code)
        assert error["details"]["op"] == 3, case
        assert state(api, pid, database_url) == before, case
    # A bad revision message refuses the batch too.
    for message in ["x" * 501, 42, "bell\x07"]:
        response = api.sync(
            pid, [put("new.txt", "n"), delete("keep.txt", 1)], revision_message=message
        )
        assert error_of(response, 422, "invalid")["details"]["field"] == "revision_message"
        assert state(api, pid, database_url) == before, message


# --- limits ------------------------------------------------------------------------------------


def test_file_size_limit(api: Api, pid: str) -> None:
    at_limit = "y" * RULES.max_file_bytes
    ok_sync(api, pid, [put("max.txt", at_limit)])
    assert api.files(pid)["max.txt"]["size"] == RULES.max_file_bytes
    response = api.sync(pid, [put("over.txt", at_limit + "y")])
    error = error_of(response, 413, "file_too_large")
    assert error["details"] == {"op": 0, "field": "content"}
    # The same for a binary part.
    response = multipart(
        api,
        pid,
        {
            "ops": [
                {
                    "op": "put",
                    "path": "big.bin",
                    "base_version": None,
                    "content_ref": "a",
                    "binary": True,
                }
            ]
        },
        {"a": b"\0" * (RULES.max_file_bytes + 1)},
    )
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "file_too_large"
    assert sorted(api.files(pid)) == ["max.txt"]


def test_request_size_limit(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("keep.txt", "k")])
    before = state(api, pid, database_url)
    chunk = "z" * (1 << 20)
    ops = [put(f"f{i}.txt", chunk) for i in range(RULES.max_request_bytes // len(chunk) + 1)]
    payload = json.dumps({"ops": ops}).encode()
    assert RULES.max_request_bytes < len(payload) < RULES.max_request_bytes + 2 * len(chunk)
    response = api.post(
        f"/api/projects/{pid}/sync", content=payload, headers={"content-type": "application/json"}
    )
    error = error_of(response, 413, "too_large")
    assert error["details"]["limit"] == RULES.max_request_bytes
    # The same for a multipart body.
    response = multipart(
        api, pid, {"ops": []}, {f"p{i}": b"\0" * (RULES.max_file_bytes - 1) for i in range(4)}
    )
    error_of(response, 413, "too_large")
    assert state(api, pid, database_url) == before


def test_ops_per_sync_limit(api: Api, pid: str, database_url: str) -> None:
    before = state(api, pid, database_url)
    ops = [put(f"f{i}.txt", "") for i in range(RULES.max_ops_per_sync + 1)]
    error = error_of(api.sync(pid, ops), 413, "too_many_ops")
    assert error["details"]["limit"] == RULES.max_ops_per_sync
    assert state(api, pid, database_url) == before
    body = ok_sync(
        api, pid, [put(f"d{i % 10}/f{i}.txt", str(i % 7)) for i in range(RULES.max_ops_per_sync)]
    )
    assert body["version"] == 1
    assert project(api, pid)["file_count"] == RULES.max_ops_per_sync


def test_project_file_count_limit(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    execute(
        database_url,
        "UPDATE projects SET file_count = %s WHERE id = %s",
        (RULES.max_project_files, pid),
    )
    before = state(api, pid, database_url)
    error = error_of(api.sync(pid, [put("one-more.txt", "x")]), 413, "too_many_files")
    assert error["details"]["limit"] == RULES.max_project_files
    assert state(api, pid, database_url) == before
    # At the limit, replacing, renaming and deleting still work.
    ok_sync(api, pid, [put("a.txt", "a2", 1)])
    ok_sync(api, pid, [rename("a.txt", "b.txt", 2)])
    assert project(api, pid)["file_count"] == RULES.max_project_files
    ok_sync(api, pid, [delete("b.txt", 3), put("c.txt", "c")])
    assert project(api, pid)["file_count"] == RULES.max_project_files


def test_project_size_limit(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("a.txt", "12345")])
    execute(
        database_url,
        "UPDATE projects SET total_bytes = %s WHERE id = %s",
        (RULES.max_project_bytes - 5, pid),
    )
    before = state(api, pid, database_url)
    error = error_of(api.sync(pid, [put("b.txt", "123456")]), 413, "project_too_large")
    assert error["details"]["limit"] == RULES.max_project_bytes
    assert state(api, pid, database_url) == before
    ok_sync(api, pid, [put("b.txt", "12345")])  # exactly at the limit
    assert project(api, pid)["total_bytes"] == RULES.max_project_bytes
    # Shrinking a file frees room.
    ok_sync(api, pid, [put("a.txt", "1", 1), put("c.txt", "1234")])
    assert project(api, pid)["total_bytes"] == RULES.max_project_bytes
