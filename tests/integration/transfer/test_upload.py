"""Folder upload: each file stored at its path, all or nothing, and only with the CSRF
token."""

from __future__ import annotations

from tests.support.api import Api

from .conftest import PNG, fill, snapshot, upload


def test_folder_upload_stores_each_file_at_its_path(api: Api) -> None:
    pid = api.new_project("upload")["id"]
    fill(api, pid, {"existing.txt": b"old", "untouched.txt": b"u"})
    response = upload(
        api,
        pid,
        [
            ("src/app.js", b"app"),
            ("img/logo.png", PNG),
            ("existing.txt", b"new"),
            ("node_modules/x/i.js", b"x"),
            (".env", b"S=1"),
        ],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["written"] == 3
    assert sorted(body["skipped"]) == [".env", "node_modules/x/i.js"]
    assert api.contents(pid) == {
        "src/app.js": b"app",
        "img/logo.png": PNG,
        "existing.txt": b"new",
        "untouched.txt": b"u",
    }
    assert api.files(pid)["img/logo.png"]["binary"] is True


def test_folder_upload_with_one_bad_name_stores_nothing(api: Api, database_url: str) -> None:
    pid = api.new_project("upload")["id"]
    fill(api, pid, {"existing.txt": b"old", "README.md": b"r"})
    before = snapshot(api, pid, database_url)
    for bad in ["../evil.txt", "/abs.txt", "a//b.txt", "bad\x01.txt", "a/./b.txt", ""]:
        files = [("good/one.txt", b"1"), (bad, b"evil"), ("good/two.txt", b"2")]
        response = upload(api, pid, files)
        assert response.status_code == 422, f"{bad!r}: {response.text}"
        error = response.json()["error"]
        assert error["code"] == "invalid_path", bad
        assert error["details"]["file"] == bad
        assert snapshot(api, pid, database_url) == before, bad
    # A second spelling of an existing file.
    response = upload(api, pid, [("new.txt", b"n"), ("readme.md", b"other")])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "case_conflict"
    assert snapshot(api, pid, database_url) == before


def test_folder_upload_needs_the_csrf_token(api: Api) -> None:
    pid = api.new_project("upload")["id"]
    csrf, api.csrf = api.csrf, ""
    response = upload(api, pid, [("a.txt", b"a")])
    api.csrf = csrf
    assert response.status_code == 403
    assert api.files(pid) == {}
