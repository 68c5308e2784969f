"""/api/projects/{id}/revisions: record, list, read a file as it was, restore.

A revision is a list of (path, blob): recording one stores no content, only rows that point
at blobs already there. Restore makes the files exactly those of the revision and records
that as a new revision.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

import pytest

from tests.support.api import Api
from tests.support.databases import scalar

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\0\0\xff"


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def sync(
    api: Api, pid: str, ops: list[dict[str, Any]], parts: dict[str, bytes] | None = None
) -> dict[str, Any]:
    if parts:
        files = {n: (n, d, "application/octet-stream") for n, d in parts.items()}
        response = api.post(
            f"/api/projects/{pid}/sync", data={"ops": json.dumps({"ops": ops})}, files=files
        )
    else:
        response = api.sync(pid, ops)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {r["status"] for r in body["results"]} <= {"ok"}, body
    return body


def put(path: str, content: str, base: int | None = None) -> dict[str, Any]:
    return {"op": "put", "path": path, "base_version": base, "content": content}


def put_bin(path: str, ref: str, base: int | None = None) -> dict[str, Any]:
    return {"op": "put", "path": path, "base_version": base, "content_ref": ref, "binary": True}


def record(api: Api, pid: str, message: str | None = None) -> dict[str, Any]:
    body = {} if message is None else {"message": message}
    response = api.post(f"/api/projects/{pid}/revisions", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def contents(api: Api, pid: str) -> dict[str, tuple[bytes, bool]]:
    """path -> (bytes, binary) for every current file."""
    binary = {path: item["binary"] for path, item in api.files(pid).items()}
    return {path: (data, binary[path]) for path, data in api.contents(pid).items()}


@pytest.fixture
def pid(api: Api) -> str:
    return str(api.new_project("history")["id"])


def test_record_numbers_revisions_and_lists_newest_first(api: Api, pid: str) -> None:
    sync(api, pid, [put("a.txt", "a")])
    before = api.get(f"/api/projects/{pid}/files").json()
    first = record(api, pid, "first")
    # Recording changes nothing in the project itself.
    after = api.get(f"/api/projects/{pid}/files").json()
    assert after["files"] == before["files"] and after["version"] == before["version"] == 1
    assert first["number"] == 1 and first["message"] == "first"
    assert (first["project_version"], first["file_count"], first["total_bytes"]) == (1, 1, 1)
    sync(api, pid, [put("b.txt", "bb")])
    second = record(api, pid, "  second  ")
    assert second["number"] == 2 and second["message"] == "second"
    assert (second["project_version"], second["file_count"], second["total_bytes"]) == (2, 2, 3)
    third = record(api, pid)  # no message at all
    assert third["number"] == 3 and third["message"] == ""
    empty_body = api.post(f"/api/projects/{pid}/revisions")
    assert empty_body.status_code == 201 and empty_body.json()["number"] == 4

    listed = api.get(f"/api/projects/{pid}/revisions")
    assert listed.status_code == 200
    revisions = listed.json()["revisions"]
    assert [r["number"] for r in revisions] == [4, 3, 2, 1]
    assert revisions[2] == second and revisions[3] == first
    # Numbers are per project.
    other = api.new_project("other")["id"]
    assert record(api, other)["number"] == 1
    assert record(api, pid)["number"] == 5


def test_show_lists_the_files_of_a_revision(api: Api, pid: str) -> None:
    sync(
        api,
        pid,
        [put("a.txt", "one"), put("src/b.py", "print(1)\n"), put_bin("i.png", "p")],
        {"p": PNG},
    )
    record(api, pid, "r1")
    sync(
        api,
        pid,
        [put("a.txt", "changed", 1), {"op": "delete", "path": "src/b.py", "base_version": 1}],
    )
    response = api.get(f"/api/projects/{pid}/revisions/1")
    assert response.status_code == 200
    body = response.json()
    assert body["revision"]["number"] == 1 and body["revision"]["message"] == "r1"
    assert body["files"] == [
        {"path": "a.txt", "size": 3, "sha256": sha("one"), "binary": False},
        {"path": "i.png", "size": len(PNG), "sha256": sha(PNG), "binary": True},
        {"path": "src/b.py", "size": 9, "sha256": sha("print(1)\n"), "binary": False},
    ]


def test_read_a_file_as_it_was(api: Api, pid: str) -> None:
    text = "héllo ✓\nsecond line\n"
    sync(
        api,
        pid,
        [put("docs/a b.txt", text), put("ünï.md", "# u\n"), put_bin("bin/i.png", "p")],
        {"p": PNG},
    )
    record(api, pid)
    sync(api, pid, [put("docs/a b.txt", "new", 1), put_bin("bin/i.png", "q", 1)], {"q": b"\0"})

    base = f"/api/projects/{pid}/revisions/1/files/"
    response = api.get(base + quote("docs/a b.txt"))
    assert response.status_code == 200
    assert response.content == text.encode()
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    unicode = api.get(base + quote("ünï.md"))
    assert unicode.status_code == 200 and unicode.content == b"# u\n"
    binary = api.get(base + "bin/i.png")
    assert binary.status_code == 200
    assert binary.content == PNG
    assert binary.headers["content-type"] == "application/octet-stream"
    # The current files are the new ones.
    assert api.files(pid)["docs/a b.txt"]["content"] == "new"


def test_unknown_revisions_and_files_are_404(api: Api, pid: str) -> None:
    sync(api, pid, [put("a.txt", "a")])
    record(api, pid)
    for path in [
        "/revisions/2",
        "/revisions/0",
        "/revisions/abc",
        "/revisions/-1",
        "/revisions/99999999999",
        "/revisions/2/files/a.txt",
        "/revisions/1/files/missing.txt",
        "/revisions/1/files/A.TXT",
        "/revisions/1/files/..%2Fa.txt",
    ]:
        response = api.get(f"/api/projects/{pid}{path}")
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found", path
    for number in ["2", "abc", "0"]:
        response = api.post(f"/api/projects/{pid}/revisions/{number}/restore")
        assert response.status_code == 404, number
        assert response.json()["error"]["code"] == "not_found"
    assert [r["number"] for r in api.get(f"/api/projects/{pid}/revisions").json()["revisions"]] == [
        1
    ]


def test_revisions_of_someone_elses_project_are_404(new_api: Any) -> None:
    owner, other = new_api(), new_api()
    owner.signup()
    other.signup()
    pid = owner.new_project("p")["id"]
    sync(owner, pid, [put("a.txt", "secret")])
    record(owner, pid)
    for method, path in [
        ("GET", "/revisions"),
        ("POST", "/revisions"),
        ("GET", "/revisions/1"),
        ("GET", "/revisions/1/files/a.txt"),
        ("POST", "/revisions/1/restore"),
    ]:
        response = other.request(method, f"/api/projects/{pid}{path}")
        assert response.status_code == 404, (method, path)
    assert len(owner.get(f"/api/projects/{pid}/revisions").json()["revisions"]) == 1


def test_bad_messages_and_missing_csrf_are_refused(api: Api, pid: str) -> None:
    for body in [{"message": 5}, {"message": "m" * 501}, {"message": "a\x00b"}]:
        response = api.post(f"/api/projects/{pid}/revisions", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["details"]["field"] == "message"
    for raw in [b"{", b"[]"]:
        response = api.post(
            f"/api/projects/{pid}/revisions",
            content=raw,
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "malformed_json"
    csrf, api.csrf = api.csrf, ""
    response = api.post(f"/api/projects/{pid}/revisions", json={"message": "m"})
    api.csrf = csrf
    assert response.status_code == 403 and response.json()["error"]["code"] == "csrf"
    assert api.get(f"/api/projects/{pid}/revisions").json()["revisions"] == []


def test_a_revision_stores_no_content(api: Api, pid: str, database_url: str) -> None:
    files = {f"f{i}.txt": f"content {i}\n" for i in range(5)}
    sync(api, pid, [put(p, c) for p, c in files.items()])
    blobs = scalar(database_url, "SELECT count(*) FROM blobs")
    record(api, pid, "r1")
    assert scalar(database_url, "SELECT count(*) FROM blobs") == blobs
    sync(api, pid, [put("f0.txt", "changed\n", 1)])
    assert scalar(database_url, "SELECT count(*) FROM blobs") == blobs + 1
    record(api, pid, "r2")
    record(api, pid, "r3")
    assert scalar(database_url, "SELECT count(*) FROM blobs") == blobs + 1
    # Every revision lists every file, each row pointing at an existing blob.
    per_revision = """SELECT count(*) FROM revision_files rf
                      JOIN revisions r ON r.id = rf.revision_id WHERE r.number = %s"""
    for number in (1, 2, 3):
        assert scalar(database_url, per_revision, (number,)) == 5
    orphans = """SELECT count(*) FROM revision_files rf
                 WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = rf.sha256)"""
    assert scalar(database_url, orphans) == 0
    shared = """SELECT count(DISTINCT rf.sha256) FROM revision_files rf"""
    assert scalar(database_url, shared) == 6  # five originals and one change


def test_restore_makes_the_files_those_of_the_revision(api: Api, pid: str) -> None:
    sync(
        api,
        pid,
        [
            put("same.txt", "unchanged"),
            put("edit.txt", "v1"),
            put("gone.txt", "deleted later"),
            put("old/name.txt", "renamed later"),
            put_bin("pic.png", "p"),
            put_bin("logo.bin", "l"),
        ],
        {"p": PNG, "l": b"\0\1\2"},
    )
    record(api, pid, "good state")
    wanted = contents(api, pid)

    sync(
        api,
        pid,
        [
            put("edit.txt", "v2", 1),
            {"op": "delete", "path": "gone.txt", "base_version": 1},
            {"op": "rename", "path": "old/name.txt", "to": "new/name.txt", "base_version": 1},
            put("added.txt", "added later"),
            put("added/deep/x.txt", "x"),
            put_bin("pic.png", "q", 1),
        ],
        {"q": b"\xff\xd8\xff not a png any more"},
    )
    sync(api, pid, [put("edit.txt", "v3", 2)])
    before = api.files(pid)
    assert before["edit.txt"]["version"] == 3

    response = api.post(f"/api/projects/{pid}/revisions/1/restore")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 4
    assert body["revision"]["number"] == 2
    assert body["revision"]["message"] == "Restored revision 1"
    assert body["revision"]["project_version"] == 4
    # edit, gone, old/name, new/name, added, added/deep/x, pic
    assert body["changed"] == 7

    assert contents(api, pid) == wanted
    after = api.files(pid)
    assert sorted(after) == [
        "edit.txt",
        "gone.txt",
        "logo.bin",
        "old/name.txt",
        "pic.png",
        "same.txt",
    ]
    # Only the files that changed take the new version.
    assert after["same.txt"]["version"] == before["same.txt"]["version"] == 1
    assert after["logo.bin"]["version"] == 1
    for path in ["edit.txt", "gone.txt", "old/name.txt", "pic.png"]:
        assert after[path]["version"] == 4, path
    info = api.get(f"/api/projects/{pid}").json()
    assert info["version"] == 4 and info["file_count"] == 6
    assert info["total_bytes"] == sum(len(d) for d, _b in wanted.values())

    listed = api.get(f"/api/projects/{pid}/revisions").json()["revisions"]
    assert [r["message"] for r in listed] == ["Restored revision 1", "good state"]
    # The restoring revision holds the restored files.
    shown = api.get(f"/api/projects/{pid}/revisions/2").json()["files"]
    assert {f["path"]: f["sha256"] for f in shown} == {p: sha(d) for p, (d, _b) in wanted.items()}
    # Folders that only the removed files implied are gone: `added` can be a file now.
    sync(api, pid, [put("added", "a file")])


def test_restore_of_the_current_state_changes_nothing_but_records(api: Api, pid: str) -> None:
    sync(api, pid, [put("a.txt", "a"), put_bin("b.bin", "b")], {"b": b"\0b"})
    record(api, pid, "now")
    before = api.get(f"/api/projects/{pid}/files").json()
    response = api.post(f"/api/projects/{pid}/revisions/1/restore")
    assert response.status_code == 200
    body = response.json()
    assert body["changed"] == 0 and body["version"] == 1
    assert body["revision"]["number"] == 2 and body["revision"]["project_version"] == 1
    after = api.get(f"/api/projects/{pid}/files").json()
    assert after["files"] == before["files"] and after["version"] == 1


def test_restore_an_empty_revision_removes_everything(
    api: Api, pid: str, database_url: str
) -> None:
    record(api, pid, "empty")
    sync(api, pid, [put("a/b.txt", "b"), put("c.txt", "c")])
    body = api.post(f"/api/projects/{pid}/revisions/1/restore").json()
    assert body["changed"] == 2 and body["version"] == 2
    assert api.files(pid) == {}
    info = api.get(f"/api/projects/{pid}").json()
    assert (info["file_count"], info["total_bytes"]) == (0, 0)
    assert scalar(database_url, "SELECT count(*) FROM files") == 0


def test_restore_across_a_case_only_rename(api: Api, pid: str) -> None:
    sync(api, pid, [put("readme.md", "r")])
    record(api, pid)
    sync(api, pid, [{"op": "rename", "path": "readme.md", "to": "README.md", "base_version": 1}])
    response = api.post(f"/api/projects/{pid}/revisions/1/restore")
    assert response.status_code == 200, response.text
    assert list(api.files(pid)) == ["readme.md"]


def test_restore_then_sync_and_restore_again(api: Api, pid: str) -> None:
    sync(api, pid, [put("a.txt", "one")])
    record(api, pid, "one")
    sync(api, pid, [put("a.txt", "two", 1)])
    record(api, pid, "two")
    assert api.post(f"/api/projects/{pid}/revisions/1/restore").status_code == 200
    item = api.files(pid)["a.txt"]
    assert item["content"] == "one" and item["version"] == 3
    # The client continues from the restored version.
    sync(api, pid, [put("a.txt", "three", 3)])
    assert api.post(f"/api/projects/{pid}/revisions/2/restore").status_code == 200
    assert api.files(pid)["a.txt"]["content"] == "two"
    numbers = [r["number"] for r in api.get(f"/api/projects/{pid}/revisions").json()["revisions"]]
    assert numbers == [4, 3, 2, 1]
    # Restoring needs the CSRF token like every change.
    csrf, api.csrf = api.csrf, ""
    response = api.post(f"/api/projects/{pid}/revisions/1/restore")
    api.csrf = csrf
    assert response.status_code == 403
    assert api.files(pid)["a.txt"]["content"] == "two"
