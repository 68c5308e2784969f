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
        "version": info["version"], "file_count": info["file_count"],
        "total_bytes": info["total_bytes"],
        "files": {p: (f["version"], f["sha256"], f["binary"]) for p, f in api.files(pid).items()},
        "blobs": scalar(url, "SELECT count(*) FROM blobs"),
        "revisions": scalar(url, "SELECT count(*) FROM revisions"),
    }  # fmt: skip


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


# --- put, delete, rename ------------------------------------------------------------------------


def test_put_new_then_update(api: Api, pid: str) -> None:
    body = ok_sync(api, pid, [put("a.txt", "one\n")])
    assert body["version"] == 1
    assert body["results"] == [{"index": 0, "status": "ok", "path": "a.txt", "version": 1,
                                "sha256": sha("one\n")}]  # fmt: skip
    assert body["revision"] is None
    body = ok_sync(api, pid, [put("a.txt", "two\n", 1)])
    assert body["version"] == 2 and body["results"][0]["version"] == 2
    item = api.files(pid)["a.txt"]
    assert (item["content"], item["version"], item["sha256"]) == ("two\n", 2, sha("two\n"))
    info = project(api, pid)
    assert info["version"] == 2 and info["file_count"] == 1 and info["total_bytes"] == 4


def test_delete(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a"), put("b.txt", "bb")])
    body = ok_sync(api, pid, [delete("a.txt", 1)])
    assert body["results"] == [{"index": 0, "status": "ok", "path": "a.txt", "version": 2}]
    files = api.files(pid)
    assert list(files) == ["b.txt"] and files["b.txt"]["version"] == 1
    info = project(api, pid)
    assert (info["version"], info["file_count"], info["total_bytes"]) == (2, 1, 2)


def test_rename_keeps_content_and_takes_the_new_version(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("old.txt", "content"), put("other.txt", "x")])
    body = ok_sync(api, pid, [rename("old.txt", "new.txt", 1)])
    assert body["results"] == [{"index": 0, "status": "ok", "path": "old.txt", "to": "new.txt",
                                "version": 2}]  # fmt: skip
    files = api.files(pid)
    assert sorted(files) == ["new.txt", "other.txt"]
    assert files["new.txt"]["content"] == "content" and files["new.txt"]["version"] == 2
    assert files["new.txt"]["sha256"] == sha("content")
    assert files["other.txt"]["version"] == 1
    assert project(api, pid)["file_count"] == 2


def test_case_only_rename(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("readme.md", "# hi\n")])
    body = ok_sync(api, pid, [rename("readme.md", "README.md", 1)])
    assert body["results"][0]["to"] == "README.md"
    files = api.files(pid)
    assert list(files) == ["README.md"]
    assert files["README.md"]["content"] == "# hi\n" and files["README.md"]["version"] == 2
    assert project(api, pid)["file_count"] == 1
    assert scalar(database_url, "SELECT count(*) FROM files") == 1
    # And back, in the same way.
    ok_sync(api, pid, [rename("README.md", "readme.md", 2)])
    assert list(api.files(pid)) == ["readme.md"]


def test_rename_into_a_new_folder(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("main.py", "print(1)\n")])
    ok_sync(api, pid, [rename("main.py", "src/app/main.py", 1)])
    files = api.files(pid)
    assert list(files) == ["src/app/main.py"]
    assert files["src/app/main.py"]["content"] == "print(1)\n"
    # The old place is free, and can even become a folder-free file again.
    ok_sync(api, pid, [put("main.py", "new\n")])
    assert sorted(api.files(pid)) == ["main.py", "src/app/main.py"]


def test_rename_a_file_into_a_folder_of_its_own_name(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("notes", "n")])
    ok_sync(api, pid, [rename("notes", "notes/notes.txt", 1)])
    assert list(api.files(pid)) == ["notes/notes.txt"]


def test_mixed_batch_shares_one_new_version(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("keep.txt", "k"), put("edit.txt", "e1"), put("gone.txt", "g"),
                       put("move.txt", "m")])  # fmt: skip
    body = ok_sync(api, pid, [
        put("new.txt", "n"), put("edit.txt", "e2", 1), delete("gone.txt", 1),
        rename("move.txt", "dir/moved.txt", 1),
    ])  # fmt: skip
    assert body["version"] == 2
    assert [r["index"] for r in body["results"]] == [0, 1, 2, 3]
    assert {r["version"] for r in body["results"]} == {2}
    files = api.files(pid)
    assert sorted(files) == ["dir/moved.txt", "edit.txt", "keep.txt", "new.txt"]
    assert {p: f["version"] for p, f in files.items()} == {
        "dir/moved.txt": 2, "edit.txt": 2, "keep.txt": 1, "new.txt": 2}
    assert files["edit.txt"]["content"] == "e2" and files["dir/moved.txt"]["content"] == "m"
    info = project(api, pid)
    assert info["file_count"] == 4 and info["total_bytes"] == 1 + 2 + 1 + 1


def test_delete_then_recreate_and_rename_chains_in_one_batch(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "A"), put("b.txt", "B")])
    body = ok_sync(api, pid, [
        delete("a.txt", 1), put("a.txt", "A2"),            # recreate after delete
        rename("b.txt", "c.txt", 1), put("b.txt", "B2"),   # reuse a renamed-away name
    ])  # fmt: skip
    files = api.files(pid)
    assert {p: f["content"] for p, f in files.items()} == {"a.txt": "A2", "b.txt": "B2",
                                                          "c.txt": "B"}  # fmt: skip
    assert {f["version"] for f in files.values()} == {body["version"]}
    assert project(api, pid)["file_count"] == 3


def test_swap_is_refused_as_a_conflict_not_corrupted(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("x", "X"), put("y", "Y")])
    body = api.sync(pid, [rename("x", "y", 1)]).json()
    assert body["results"][0]["status"] == "conflict"
    assert {p: f["content"] for p, f in api.files(pid).items()} == {"x": "X", "y": "Y"}


def test_empty_batch_changes_nothing(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    body = ok_sync(api, pid, [])
    assert body == {"version": 1, "results": [], "revision": None}
    assert project(api, pid)["version"] == 1


def test_unicode_names_are_stored_in_nfc(api: Api, pid: str) -> None:
    decomposed = "cafe\u0301/nai\u0308ve.txt"
    body = ok_sync(api, pid, [put(decomposed, "x")])
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


def test_stale_put_is_a_conflict_and_the_rest_applies(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a1"), put("b.txt", "b1")])
    ok_sync(api, pid, [put("a.txt", "a2", 1)])  # a.txt is now at version 2
    response = api.sync(pid, [put("a.txt", "mine", 1), put("b.txt", "b2", 1), put("c.txt", "c")])
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 3
    assert body["results"][0] == {"index": 0, "status": "conflict", "path": "a.txt",
                                  "current_version": 2, "current_sha256": sha("a2")}  # fmt: skip
    assert [r["status"] for r in body["results"][1:]] == ["ok", "ok"]
    assert {r["version"] for r in body["results"][1:]} == {3}
    files = api.files(pid)
    assert (files["a.txt"]["content"], files["a.txt"]["version"]) == ("a2", 2)
    assert (files["b.txt"]["content"], files["b.txt"]["version"]) == ("b2", 3)
    assert files["c.txt"]["version"] == 3


def test_stale_delete_and_rename_are_conflicts(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("d.txt", "d1"), put("r.txt", "r1")])
    ok_sync(api, pid, [put("d.txt", "d2", 1), put("r.txt", "r2", 1)])
    body = api.sync(pid, [delete("d.txt", 1), rename("r.txt", "s.txt", 1)]).json()
    assert body["version"] == 2
    assert body["results"] == [
        {"index": 0, "status": "conflict", "path": "d.txt", "current_version": 2,
         "current_sha256": sha("d2")},
        {"index": 1, "status": "conflict", "path": "r.txt", "current_version": 2,
         "current_sha256": sha("r2")},
    ]  # fmt: skip
    files = api.files(pid)
    assert sorted(files) == ["d.txt", "r.txt"]
    assert files["d.txt"]["content"] == "d2" and files["r.txt"]["content"] == "r2"


def test_conflict_on_a_file_that_is_gone_has_null_current(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    ok_sync(api, pid, [delete("a.txt", 1)])
    body = api.sync(pid, [put("a.txt", "again", 1), delete("a.txt", 1),
                          rename("a.txt", "b.txt", 1), delete("never.txt", 5)]).json()  # fmt: skip
    for result in body["results"]:
        assert result["status"] == "conflict"
        assert result["current_version"] is None and result["current_sha256"] is None
    assert api.files(pid) == {}
    assert body["version"] == 2 == project(api, pid)["version"]


def test_put_with_null_base_on_an_existing_file_is_a_conflict(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "theirs")])
    body = api.sync(pid, [put("a.txt", "mine")]).json()
    assert body["results"] == [{"index": 0, "status": "conflict", "path": "a.txt",
                                "current_version": 1, "current_sha256": sha("theirs")}]
    assert api.files(pid)["a.txt"]["content"] == "theirs"
    assert body["version"] == 1


def test_rename_onto_an_existing_file_is_a_conflict(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("src.txt", "source"), put("dst.txt", "target")])
    body = api.sync(pid, [rename("src.txt", "dst.txt", 1), put("x.txt", "x")]).json()
    conflict = body["results"][0]
    assert conflict["status"] == "conflict"
    assert conflict["current_version"] == 1 and conflict["current_sha256"] == sha("target")
    assert body["results"][1]["status"] == "ok"
    files = api.files(pid)
    assert {p: f["content"] for p, f in files.items()} == {"src.txt": "source",
                                                          "dst.txt": "target", "x.txt": "x"}
    assert files["src.txt"]["version"] == files["dst.txt"]["version"] == 1


def test_rename_onto_another_spelling_of_an_existing_file_is_a_conflict(
    api: Api, pid: str
) -> None:  # fmt: skip
    ok_sync(api, pid, [put("a.txt", "a"), put("readme.md", "r")])
    body = api.sync(pid, [rename("a.txt", "README.md", 1)]).json()
    assert body["results"][0]["status"] == "conflict"
    assert sorted(api.files(pid)) == ["a.txt", "readme.md"]


def test_only_conflicts_leave_the_version_alone(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    body = api.sync(pid, [put("a.txt", "x", 7)]).json()
    assert body["version"] == 1
    assert project(api, pid)["version"] == 1


def _race(clients: list[Api], pid: str, ops_for: Callable[[int], list[dict[str, Any]]]) -> list[Any]:
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
        responses = _race([first, second], pid,
                          lambda i, r=round_, b=base: [put("shared.txt", f"tab{i}-r{r}", b)])
        assert [r.status_code for r in responses] == [200, 200]
        results = [r.json()["results"][0] for r in responses]
        statuses = sorted(r["status"] for r in results)
        assert statuses == ["conflict", "ok"], results
        winner = next(i for i, r in enumerate(results) if r["status"] == "ok")
        loser = results[1 - winner]
        stored = first.files(pid)["shared.txt"]
        assert stored["content"] == f"tab{winner}-r{round_}"
        assert stored["version"] == results[winner]["version"] == base + 1
        assert loser["current_version"] == base + 1
        assert loser["current_sha256"] == sha(f"tab{winner}-r{round_}")


def test_concurrent_creation_of_one_new_file_one_wins(new_api: Callable[[], Api]) -> None:
    first, second, pid = _two_tabs(new_api)
    for round_ in range(4):
        path = f"new{round_}.txt"
        responses = _race([first, second], pid,
                          lambda i, p=path: [put(p, f"from {i}")])  # fmt: skip
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        results = [r.json()["results"][0] for r in responses]
        assert sorted(r["status"] for r in results) == ["conflict", "ok"]
        winner = next(i for i, r in enumerate(results) if r["status"] == "ok")
        assert first.files(pid)[path]["content"] == f"from {winner}"


def test_concurrent_syncs_of_different_files_both_apply_in_turn(
    new_api: Callable[[], Api],
) -> None:  # fmt: skip
    first, second, pid = _two_tabs(new_api)
    for round_ in range(4):
        responses = _race([first, second], pid,
                          lambda i, r=round_: [put(f"tab{i}/f{r}.txt", "x")])  # fmt: skip
        versions = sorted(r.json()["version"] for r in responses)
        assert versions == [2 * round_ + 1, 2 * round_ + 2]
    info = project(first, pid)
    assert info["version"] == 8 and info["file_count"] == 8


# --- content addressing and revisions through sync --------------------------------------------


def test_revision_message_records_a_revision_in_the_same_request(api: Api, pid: str) -> None:
    body = ok_sync(api, pid, [put("a.txt", "a"), put("b.txt", "b")], revision_message="  first  ")
    revision = body["revision"]
    assert revision["number"] == 1 and revision["message"] == "first"
    assert revision["project_version"] == 1 and revision["file_count"] == 2
    shown = api.get(f"/api/projects/{pid}/revisions/1").json()
    assert sorted(f["path"] for f in shown["files"]) == ["a.txt", "b.txt"]
    body = ok_sync(api, pid, [put("a.txt", "a2", 1)], revision_message="second")
    assert body["revision"]["number"] == 2 and body["revision"]["project_version"] == 2


def test_revision_message_is_recorded_even_when_everything_conflicts(api: Api, pid: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    body = api.sync(pid, [put("a.txt", "b", 9)], revision_message="save").json()
    assert body["results"][0]["status"] == "conflict"
    assert body["revision"]["number"] == 1 and body["revision"]["project_version"] == 1


# --- multipart ---------------------------------------------------------------------------------


def multipart(api: Api, pid: str, body: dict[str, Any], parts: dict[str, bytes]) -> Any:
    files = {name: (name, data, "application/octet-stream") for name, data in parts.items()}
    return api.post(f"/api/projects/{pid}/sync", data={"ops": json.dumps(body)}, files=files)


def test_multipart_sync_with_binary_parts(api: Api, pid: str) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\0" * 10
    wasm = b"\0asm\x01\0\0\0" + bytes(reversed(range(256)))
    text = "plain ✓ text\n".encode()
    response = multipart(api, pid, {"ops": [
        {"op": "put", "path": "img/logo.png", "base_version": None, "content_ref": "f0",
         "binary": True},
        {"op": "put", "path": "lib.wasm", "base_version": None, "content_ref": "f1"},
        {"op": "put", "path": "notes.txt", "base_version": None, "content_ref": "f2"},
        {"op": "put", "path": "inline.txt", "base_version": None, "content": "inline"},
    ], "revision_message": "upload"}, {"f0": png, "f1": wasm, "f2": text})  # fmt: skip
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


def test_multipart_update_of_a_binary_file(api: Api, pid: str) -> None:
    ops = {"ops": [{"op": "put", "path": "a.bin", "base_version": None, "content_ref": "x",
                    "binary": True}]}  # fmt: skip
    assert multipart(api, pid, ops, {"x": b"\0\1\2"}).status_code == 200
    ops["ops"][0]["base_version"] = 1
    body = multipart(api, pid, ops, {"x": b"\3\4\5\0"}).json()
    assert body["results"][0]["status"] == "ok"
    ops["ops"][0]["base_version"] = 1
    stale = multipart(api, pid, ops, {"x": b"\6"}).json()["results"][0]
    assert stale["status"] == "conflict" and stale["current_sha256"] == sha(b"\3\4\5\0")


def test_multipart_text_declared_but_not_utf8_is_refused(
    api: Api, pid: str, database_url: str
) -> None:  # fmt: skip
    ok_sync(api, pid, [put("keep.txt", "k")])
    before = state(api, pid, database_url)
    response = multipart(api, pid, {"ops": [
        {"op": "put", "path": "ok.bin", "base_version": None, "content_ref": "a", "binary": True},
        {"op": "put", "path": "bad.txt", "base_version": None, "content_ref": "b",
         "binary": False},
    ]}, {"a": b"\xff\0", "b": b"caf\xe9 latin-1"})  # fmt: skip
    error = error_of(response, 422, "invalid_utf8")
    assert error["details"]["op"] == 1
    assert state(api, pid, database_url) == before


def test_multipart_text_declared_with_nul_is_refused(api: Api, pid: str) -> None:
    response = multipart(api, pid, {"ops": [
        {"op": "put", "path": "nul.txt", "base_version": None, "content_ref": "a",
         "binary": False}]}, {"a": b"a\0b"})  # fmt: skip
    error_of(response, 422, "invalid_utf8")
    assert api.files(pid) == {}


def test_multipart_content_ref_must_name_a_part(api: Api, pid: str) -> None:
    response = multipart(api, pid, {"ops": [
        {"op": "put", "path": "a.bin", "base_version": None, "content_ref": "missing"}]},
        {"other": b"\0"})  # fmt: skip
    error = error_of(response, 422, "invalid")
    assert error["details"] == {"op": 0, "field": "content_ref"}
    assert api.files(pid) == {}


# --- all or nothing ---------------------------------------------------------------------------


BAD_LAST_OPS = {
    "invalid_path": (put("../escape.txt", "x"), 422, "invalid_path"),
    "ignored_path": (put("node_modules/x.js", "x"), 422, "ignored_path"),
    "file_in_the_way": (put("keep.txt/inner.txt", "x"), 409, "file_in_the_way"),
    "folder_in_the_way": (put("src", "x"), 409, "folder_in_the_way"),
    "case_conflict": (put("KEEP.txt", "x"), 409, "case_conflict"),
    "too_large": (put("huge.txt", "x" * (RULES.max_file_bytes + 1)), 413, "file_too_large"),
    "bad_base": ({"op": "delete", "path": "keep.txt", "base_version": -1}, 422, "invalid"),
}


@pytest.mark.parametrize("case", sorted(BAD_LAST_OPS))
def test_a_bad_op_anywhere_leaves_nothing_written(
    api: Api, pid: str, database_url: str, case: str
) -> None:  # fmt: skip
    ok_sync(api, pid, [put("keep.txt", "keep"), put("gone.txt", "gone"), put("src/a.js", "a")])
    before = state(api, pid, database_url)
    bad, status, code = BAD_LAST_OPS[case]
    response = api.sync(pid, [put("new.txt", "brand new content"), delete("gone.txt", 1),
                              rename("src/a.js", "lib/a.js", 1), bad],
                        revision_message="never")  # fmt: skip
    error = error_of(response, status, code)
    assert error["details"]["op"] == 3
    assert state(api, pid, database_url) == before


def test_a_bad_revision_message_leaves_nothing_written(
    api: Api, pid: str, database_url: str
) -> None:  # fmt: skip
    ok_sync(api, pid, [put("keep.txt", "keep")])
    before = state(api, pid, database_url)
    for message in ["x" * 501, 42, "bell\x07"]:
        response = api.sync(pid, [put("new.txt", "n"), delete("keep.txt", 1)],
                            revision_message=message)  # fmt: skip
        assert error_of(response, 422, "invalid")["details"]["field"] == "revision_message"
        assert state(api, pid, database_url) == before


# --- limits ------------------------------------------------------------------------------------


def test_file_at_the_size_limit_is_accepted_one_more_byte_is_not(api: Api, pid: str) -> None:
    at_limit = "y" * RULES.max_file_bytes
    ok_sync(api, pid, [put("max.txt", at_limit)])
    assert api.files(pid)["max.txt"]["size"] == RULES.max_file_bytes
    response = api.sync(pid, [put("over.txt", at_limit + "y")])
    error = error_of(response, 413, "file_too_large")
    assert error["details"] == {"op": 0, "field": "content"}
    assert sorted(api.files(pid)) == ["max.txt"]


def test_binary_part_over_the_file_limit_is_refused(api: Api, pid: str) -> None:
    response = multipart(api, pid, {"ops": [
        {"op": "put", "path": "big.bin", "base_version": None, "content_ref": "a",
         "binary": True}]}, {"a": b"\0" * (RULES.max_file_bytes + 1)})  # fmt: skip
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] in {"file_too_large", "too_large"}
    assert api.files(pid) == {}


def test_request_over_the_body_limit_is_refused(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("keep.txt", "k")])
    before = state(api, pid, database_url)
    chunk = "z" * (1 << 20)
    count = RULES.max_request_bytes // len(chunk) + 1
    ops = [put(f"f{i}.txt", chunk) for i in range(count)]
    payload = json.dumps({"ops": ops}).encode()
    assert RULES.max_request_bytes < len(payload) < RULES.max_request_bytes + 2 * len(chunk)
    response = api.post(f"/api/projects/{pid}/sync", content=payload,
                        headers={"content-type": "application/json"})  # fmt: skip
    error = error_of(response, 413, "too_large")
    assert error["details"]["limit"] == RULES.max_request_bytes
    assert state(api, pid, database_url) == before


def test_multipart_over_the_body_limit_is_refused(api: Api, pid: str) -> None:
    response = multipart(api, pid, {"ops": []},
                         {f"p{i}": b"\0" * (RULES.max_file_bytes - 1) for i in range(4)})
    error_of(response, 413, "too_large")


def test_too_many_ops(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("keep.txt", "k")])
    before = state(api, pid, database_url)
    ops = [put(f"f{i}.txt", "") for i in range(RULES.max_ops_per_sync + 1)]
    error = error_of(api.sync(pid, ops), 413, "too_many_ops")
    assert error["details"]["limit"] == RULES.max_ops_per_sync
    assert state(api, pid, database_url) == before


def test_ops_at_the_limit_are_accepted(api: Api, pid: str) -> None:
    ops = [put(f"d{i % 10}/f{i}.txt", str(i % 7)) for i in range(RULES.max_ops_per_sync)]
    body = ok_sync(api, pid, ops)
    assert body["version"] == 1
    assert project(api, pid)["file_count"] == RULES.max_ops_per_sync


def test_project_file_count_limit(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    execute(database_url, "UPDATE projects SET file_count = %s WHERE id = %s",
            (RULES.max_project_files, pid))  # fmt: skip
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
    execute(database_url, "UPDATE projects SET total_bytes = %s WHERE id = %s",
            (RULES.max_project_bytes - 5, pid))  # fmt: skip
    before = state(api, pid, database_url)
    error = error_of(api.sync(pid, [put("b.txt", "123456")]), 413, "project_too_large")
    assert error["details"]["limit"] == RULES.max_project_bytes
    assert state(api, pid, database_url) == before
    ok_sync(api, pid, [put("b.txt", "12345")])  # exactly at the limit
    assert project(api, pid)["total_bytes"] == RULES.max_project_bytes
    # Shrinking a file frees room.
    ok_sync(api, pid, [put("a.txt", "1", 1), put("c.txt", "1234")])
    assert project(api, pid)["total_bytes"] == RULES.max_project_bytes
