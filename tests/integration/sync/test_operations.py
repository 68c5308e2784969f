"""POST /api/projects/{id}/sync: versioned batches of put, delete and rename. Every applied
operation takes the project's new version; a revision message records a revision in the
same request; bad input anywhere refuses the whole batch and leaves nothing written."""

from __future__ import annotations

from server.sync_rules import RULES
from tests.support.api import Api, expect_error
from tests.support.databases import scalar

from .conftest import conflict, delete, ok_sync, project_info, put, rename, sha, state


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
    info = project_info(api, pid)
    assert (info["version"], info["file_count"], info["total_bytes"]) == (2, 2, 6)

    body = ok_sync(api, pid, [delete("a.txt", 2)])
    assert body["results"] == [{"index": 0, "status": "ok", "path": "a.txt", "version": 3}]
    files = api.files(pid)
    assert list(files) == ["b.txt"] and files["b.txt"]["version"] == 1
    info = project_info(api, pid)
    assert (info["version"], info["file_count"], info["total_bytes"]) == (3, 1, 2)
    # An empty batch changes nothing.
    assert ok_sync(api, pid, []) == {"version": 3, "results": [], "revision": None}
    assert project_info(api, pid)["version"] == 3


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
    assert project_info(api, pid)["file_count"] == 3
    # Into a new folder; and a file into a folder of its own name.
    ok_sync(api, pid, [rename("new.txt", "src/app/main.txt", 2), rename("notes", "notes/n.txt", 1)])
    files = api.files(pid)
    assert sorted(files) == ["notes/n.txt", "other.txt", "src/app/main.txt"]
    assert files["src/app/main.txt"]["content"] == "content"
    # The old place is free again.
    ok_sync(api, pid, [put("new.txt", "again")])
    assert project_info(api, pid)["file_count"] == 4


def test_case_only_rename(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("readme.md", "# hi\n")])
    body = ok_sync(api, pid, [rename("readme.md", "README.md", 1)])
    assert body["results"][0]["to"] == "README.md"
    files = api.files(pid)
    assert list(files) == ["README.md"]
    assert files["README.md"]["content"] == "# hi\n" and files["README.md"]["version"] == 2
    assert project_info(api, pid)["file_count"] == 1
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
    info = project_info(api, pid)
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
    assert project_info(api, pid)["file_count"] == 5
    # A swap through an occupied name is a conflict, never a corruption.
    body = api.sync(pid, [rename("x", "y", 1)]).json()
    assert body["results"][0]["status"] == "conflict"
    assert api.files(pid)["x"]["content"] == "X" and api.files(pid)["y"]["content"] == "Y"
    # A conflict with a file written earlier in the same batch reports its real new version.
    body = api.sync(pid, [put("twice.txt", "first"), put("twice.txt", "second")]).json()
    assert body["results"][0]["status"] == "ok"
    assert body["results"][1] == conflict(1, "twice.txt", body["version"], "first")
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
    info = project_info(api, pid)
    assert info["file_count"] == 0 and info["total_bytes"] == 0
    # No folder is left behind: `a` and `a/b` can now be files.
    ok_sync(api, pid, [put("a", "file a")])
    ok_sync(api, pid, [delete("a", 3), put("a/b", "file b")])
    assert list(api.files(pid)) == ["a/b"]


def test_revision_message_records_a_revision_in_the_same_request(api: Api, pid: str) -> None:
    body = ok_sync(api, pid, [put("a.txt", "a"), put("b.txt", "b")], revision_message="  first  ")
    revision = body["revision"]
    assert revision["number"] == 1 and revision["message"] == "first"
    assert revision["project_version"] == 1 and revision["file_count"] == 2
    shown = api.get(f"/api/projects/{pid}/revisions/1").json()
    assert sorted(f["path"] for f in shown["files"]) == ["a.txt", "b.txt"]
    body = ok_sync(api, pid, [put("a.txt", "a2", 1)], revision_message="second")
    assert body["revision"]["number"] == 2 and body["revision"]["project_version"] == 2


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
        error = expect_error(response, status, code)
        assert error["details"]["op"] == 3, case
        assert state(api, pid, database_url) == before, case
    # A bad revision message refuses the batch too.
    for message in ["x" * 501, 42, "bell\x07"]:
        response = api.sync(
            pid, [put("new.txt", "n"), delete("keep.txt", 1)], revision_message=message
        )
        assert expect_error(response, 422, "invalid")["details"]["field"] == "revision_message"
        assert state(api, pid, database_url) == before, message
