"""One user can neither see nor touch another's projects: every project route answers
another user's project id exactly as it answers an id that does not exist."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import psycopg

from tests.support.api import Api
from tests.support.archives import zip_of

from .conftest import NewApi, routes, signed_up

BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def answer(response: Any) -> tuple[int, bytes, str | None]:
    return response.status_code, response.content, response.headers.get("content-type")


def snapshot(api: Api, project_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the project as it was when called, everything the owner can see of it now).
    Loading the files marks the project opened, so the project is read before and after."""
    base = f"/api/projects/{project_id}"
    project = api.get(base)
    assert project.status_code == 200, project.text
    files = api.get(f"{base}/files")
    assert files.status_code == 200, files.text
    blobs = {
        f["path"]: api.get(f"{base}/blobs/{f['sha256']}").content
        for f in files.json()["files"]
        if f["binary"]
    }
    return project.json(), {
        "project": api.get(base).json(),
        "files": files.json()["files"],
        "blobs": blobs,
        "revisions": api.get(f"{base}/revisions").json(),
        "revision_1": api.get(f"{base}/revisions/1").json(),
        "export": api.get(f"{base}/export").content,
    }


def make_owner_project(api: Api) -> dict[str, Any]:
    project = api.new_project("alice's", template="python-cli")
    pid = project["id"]
    assert (
        api.put_binary(pid, "assets/logo.png", BINARY, revision_message="logo").status_code == 200
    )
    return api.get(f"/api/projects/{pid}").json()


def test_another_users_project_looks_exactly_like_a_missing_one(
    new_api: NewApi, database_url: str
) -> None:
    alice, bob = signed_up(new_api, 2)
    project = make_owner_project(alice)
    pid = project["id"]
    logo = alice.files(pid)["assets/logo.png"]
    assert logo["sha256"] == hashlib.sha256(BINARY).hexdigest()
    etag = alice.get(f"/api/projects/{pid}/files").headers["etag"]
    _, before = snapshot(alice, pid)
    bobs = bob.new_project("bob's")
    assert (
        bob.sync(bobs["id"], [{"op": "put", "path": "mine.txt", "content": "bob\n"}]).status_code
        == 200
    )

    missing = str(uuid.uuid4())
    differences = []
    for (method, path, kwargs), (_m, other_path, other_kwargs) in zip(
        routes(pid, logo["sha256"], etag), routes(missing, logo["sha256"], etag), strict=True
    ):
        theirs = bob.request(method, path, **kwargs)
        nowhere = bob.request(method, other_path, **other_kwargs)
        assert theirs.status_code == 404, (method, path, theirs.text)
        assert theirs.json()["error"]["code"] == "not_found"
        if answer(theirs) != answer(nowhere):
            differences.append(f"{method} {path}: {theirs.text} != {nowhere.text}")
    assert differences == []

    # Alice's project is exactly as it was: same version, files, contents, history.
    untouched, after = snapshot(alice, pid)
    assert untouched == before["project"]  # name, description, version, times, counts
    assert untouched["version"] == project["version"]
    assert {k: v for k, v in after.items() if k != "project"} == {
        k: v for k, v in before.items() if k != "project"
    }
    # Bob gained nothing either: no copy, no import, no extra project.
    assert [p["id"] for p in bob.get("/api/projects").json()["projects"]] == [bobs["id"]]
    with psycopg.connect(database_url, autocommit=True) as conn:
        owners = [alice.user["id"], bob.user["id"]]
        assert conn.execute(
            "SELECT count(*) FROM projects WHERE owner_id = ANY(%s::uuid[])", (owners,)
        ).fetchone() == (2,)
        assert conn.execute(
            "SELECT count(*) FROM revisions WHERE project_id = %s", (pid,)
        ).fetchone() == (1,)


def test_the_same_requests_succeed_on_ones_own_project(new_api: NewApi) -> None:
    """The control for the test above: those requests are refused for whose project it
    is, not for what they are."""
    bob = new_api()
    bob.signup()
    project = make_owner_project(bob)
    pid = project["id"]
    logo = bob.files(pid)["assets/logo.png"]
    etag = bob.get(f"/api/projects/{pid}/files").headers["etag"]
    failed = []
    for method, path, kwargs in routes(pid, logo["sha256"], etag):
        response = bob.request(method, path, **kwargs)
        if not 200 <= response.status_code < 400:
            failed.append(f"{method} {path}: {response.status_code} {response.text}")
    assert failed == []
    assert bob.get(f"/api/projects/{pid}").status_code == 404  # the DELETE went through


def test_a_blob_is_only_served_through_a_project_that_holds_it(new_api: NewApi) -> None:
    alice, bob = signed_up(new_api, 2)
    project = make_owner_project(alice)
    alice_files = alice.files(project["id"])
    bobs = bob.new_project("bob's")
    assert bob.put_binary(bobs["id"], "other.bin", b"\x00bob's own bytes\xff").status_code == 200
    assert (
        bob.sync(
            bobs["id"],
            [{"op": "put", "path": "main.py", "content": "print('b')\n"}],
            revision_message="r1",
        ).status_code
        == 200
    )
    own = bob.files(bobs["id"])["other.bin"]
    base = f"/api/projects/{bobs['id']}"
    assert bob.get(f"{base}/blobs/{own['sha256']}").content == b"\x00bob's own bytes\xff"

    nowhere = bob.get(f"{base}/blobs/{hashlib.sha256(b'nothing').hexdigest()}")
    assert nowhere.status_code == 404
    for item in alice_files.values():  # binary and text alike, by their real hashes
        response = bob.get(f"{base}/blobs/{item['sha256']}")
        assert answer(response) == answer(nowhere), item["path"]
    # Nor through a revision of his own project, nor through the owner's id.
    assert bob.get(f"{base}/revisions/1/files/assets/logo.png").status_code == 404
    logo = alice_files["assets/logo.png"]["sha256"]
    response = bob.get(f"/api/projects/{project['id']}/blobs/{logo}")
    assert response.status_code == 404 and BINARY not in response.content
    # Alice still gets it.
    assert alice.get(f"/api/projects/{project['id']}/blobs/{logo}").content == BINARY


def test_lists_show_only_ones_own_projects(new_api: NewApi) -> None:
    alice, bob = signed_up(new_api, 2)
    mine = {alice.new_project(f"a{i}")["id"] for i in range(3)}
    theirs = {bob.new_project("b")["id"]}
    assert {p["id"] for p in alice.get("/api/projects").json()["projects"]} == mine
    assert {p["id"] for p in bob.get("/api/projects").json()["projects"]} == theirs
    # A cross-user import-as-new lands in the caller's own account only.
    archive = zip_of({"x.txt": b"x\n"})
    response = bob.post(
        "/api/projects/import?name=imported",
        content=archive,
        headers={"content-type": "application/zip"},
    )
    assert response.status_code == 201, response.text
    assert {p["id"] for p in alice.get("/api/projects").json()["projects"]} == mine
    assert len(bob.get("/api/projects").json()["projects"]) == 2
