"""Duplicating a project (a copy that lives on its own) and deleting one (its contents
go when nothing else holds them)."""

from __future__ import annotations

import hashlib
import uuid

from tests.support.api import Api, expect_error
from tests.support.databases import query

BINARY = bytes(range(256)) * 3 + b"\x00\xff"


def blob_shas(url: str) -> set[str]:
    return {bytes(row[0]).hex() for row in query(url, "SELECT sha256 FROM blobs")}


def test_duplicate_copies_files_and_is_independent_afterwards(api: Api) -> None:
    source = api.post(
        "/api/projects", json={"name": "orig", "description": "desc", "template": "python-cli"}
    ).json()
    sid = source["id"]
    main = api.files(sid)["main.py"]
    assert (
        api.sync(
            sid,
            [
                {
                    "op": "put",
                    "path": "main.py",
                    "base_version": main["version"],
                    "content": "print('edited')\n",
                }
            ],
        ).status_code
        == 200
    )
    assert (
        api.put_binary(sid, "assets/logo.bin", BINARY, revision_message="with logo").status_code
        == 200
    )
    source = api.get(f"/api/projects/{sid}").json()
    source_files = api.contents(sid)
    source_meta = api.files(sid)
    assert source_files["assets/logo.bin"] == BINARY

    response = api.post(f"/api/projects/{sid}/duplicate")
    assert response.status_code == 201, response.text
    copy = response.json()
    cid = copy["id"]
    assert cid != sid
    assert copy["name"] == "orig (copy)"
    assert (copy["description"], copy["template"]) == ("desc", "python-cli")
    assert (copy["file_count"], copy["total_bytes"]) == (
        source["file_count"],
        source["total_bytes"],
    )
    assert copy["version"] == 1
    assert api.contents(cid) == source_files
    copy_meta = api.files(cid)
    assert {p: (f["sha256"], f["size"], f["binary"]) for p, f in copy_meta.items()} == {
        p: (f["sha256"], f["size"], f["binary"]) for p, f in source_meta.items()
    }
    assert {f["version"] for f in copy_meta.values()} == {1}

    # Changing the copy leaves the original as it was, and the other way round.
    assert (
        api.sync(
            cid,
            [
                {"op": "put", "path": "main.py", "base_version": 1, "content": "print('copy')\n"},
                {"op": "delete", "path": "sample.txt", "base_version": 1},
                {"op": "put", "path": "new.txt", "content": "only in the copy\n"},
            ],
        ).status_code
        == 200
    )
    assert api.contents(sid) == source_files
    assert api.get(f"/api/projects/{sid}").json()["version"] == source["version"]
    readme = source_meta["README.md"]["version"]
    assert (
        api.sync(
            sid,
            [
                {
                    "op": "put",
                    "path": "README.md",
                    "base_version": readme,
                    "content": "# changed in the original\n",
                }
            ],
        ).status_code
        == 200
    )
    copy_files = api.contents(cid)
    assert copy_files["README.md"] == source_files["README.md"]
    assert copy_files["main.py"] == b"print('copy')\n" and "sample.txt" not in copy_files
    assert "new.txt" not in api.contents(sid)

    # The copy keeps its contents when the original goes.
    assert api.delete(f"/api/projects/{sid}").status_code == 204
    assert api.contents(cid)["assets/logo.bin"] == BINARY
    assert api.contents(cid)["textstats/counting.py"] == source_files["textstats/counting.py"]


def test_duplicate_with_a_name_and_of_an_empty_project(api: Api) -> None:
    empty = api.new_project("empty")
    response = api.post(f"/api/projects/{empty['id']}/duplicate", json={"name": " Named "})
    assert response.status_code == 201, response.text
    copy = response.json()
    assert copy["name"] == "Named"
    assert (copy["version"], copy["file_count"], copy["total_bytes"]) == (0, 0, 0)
    assert api.files(copy["id"]) == {}
    long = api.new_project("L" * 100)
    long_copy = api.post(f"/api/projects/{long['id']}/duplicate").json()
    assert 1 <= len(long_copy["name"]) <= 100
    expect_error(
        api.post(f"/api/projects/{empty['id']}/duplicate", json={"name": "x" * 101}), 422, "invalid"
    )
    assert len(api.get("/api/projects").json()["projects"]) == 4


def test_delete_then_404_and_unreferenced_contents_go(api: Api, database_url: str) -> None:
    # Contents no other test can hold: the database is shared by this module.
    text = {name: f"{name} {uuid.uuid4()}\n" for name in ("v1", "v2", "shared")}
    binary = BINARY + uuid.uuid4().bytes
    doomed = api.new_project("doomed")
    did = doomed["id"]
    assert (
        api.sync(
            did,
            [
                {"op": "put", "path": "a.txt", "content": text["v1"]},
                {"op": "put", "path": "shared.txt", "content": text["shared"]},
            ],
            revision_message="r1",
        ).status_code
        == 200
    )
    assert (
        api.sync(
            did, [{"op": "put", "path": "a.txt", "base_version": 1, "content": text["v2"]}]
        ).status_code
        == 200
    )
    assert api.put_binary(did, "b.bin", binary).status_code == 200
    keeper = api.new_project("keeper")
    assert (
        api.sync(
            keeper["id"],
            [{"op": "put", "path": "s.txt", "content": text["shared"]}],
        ).status_code
        == 200
    )
    sha = {name: hashlib.sha256(data.encode()).hexdigest() for name, data in text.items()}
    sha["bin"] = hashlib.sha256(binary).hexdigest()
    assert set(sha.values()) <= blob_shas(database_url)

    response = api.delete(f"/api/projects/{did}")
    assert response.status_code == 204
    assert response.content == b""
    for method, path in (
        ("GET", ""),
        ("DELETE", ""),
        ("GET", "/files"),
        ("GET", "/revisions"),
        ("GET", f"/blobs/{sha['bin']}"),
    ):
        expect_error(api.request(method, f"/api/projects/{did}{path}"), 404, "not_found")
    expect_error(api.patch(f"/api/projects/{did}", json={"name": "zombie"}), 404, "not_found")
    assert [p["id"] for p in api.get("/api/projects").json()["projects"]] == [keeper["id"]]
    for table in ("projects WHERE id", "files WHERE project_id", "revisions WHERE project_id"):
        assert query(database_url, f"SELECT count(*) FROM {table} = %s", (did,)) == [(0,)]
    remaining = blob_shas(database_url)
    assert sha["shared"] in remaining
    assert not {sha["v1"], sha["v2"], sha["bin"]} & remaining
    assert api.contents(keeper["id"]) == {"s.txt": text["shared"].encode()}
