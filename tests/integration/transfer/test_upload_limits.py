"""Folder upload at its limits and with names that only look alike: a body declared over the
request limit is refused before it is read, a file over the file limit is named, two parts
for one file (by case, or by Unicode form) are refused, names arrive in UTF-8 and are
stored in NFC, and ignored paths are skipped whatever their case. A refused upload stores
nothing. One database and one user serve the module; each test has its own project."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from server.sync_rules import RULES
from tests.support.api import Api, expect_error, signed_in_world

from .conftest import snapshot, upload


@pytest.fixture(scope="module")
def owner(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with signed_in_world(pg_admin_url, tmp_path_factory.mktemp("upload")) as (api, url, _):
        yield api, url


def project_of(owner: Any, name: str) -> tuple[Api, str, str]:
    api, url = owner
    return api, api.new_project(name)["id"], url


def test_a_body_declared_over_the_request_limit_is_refused_unread(owner: Any) -> None:
    api, pid, url = project_of(owner, "declared")
    before = snapshot(api, pid, url)
    response = api.post(
        f"/api/projects/{pid}/upload",
        content=b"--b--\r\n",
        headers={
            "content-type": "multipart/form-data; boundary=b",
            "content-length": str(RULES.max_request_bytes + 1),
        },
    )
    error = expect_error(response, 413, "too_large")
    assert error["details"] == {"limit": RULES.max_request_bytes}
    assert snapshot(api, pid, url) == before


@pytest.mark.parametrize("length", ["", "-1", "1e9", "ten"])
def test_a_content_length_that_is_no_number_is_411(owner: Any, length: str) -> None:
    api, pid, _url = project_of(owner, "length")
    response = api.post(
        f"/api/projects/{pid}/upload",
        content=b"--b--\r\n",
        headers={"content-type": "multipart/form-data; boundary=b", "content-length": length},
    )
    expect_error(response, 411, "length_required")


def test_a_file_at_the_limit_is_stored_and_one_byte_more_is_named(owner: Any) -> None:
    api, pid, url = project_of(owner, "big")
    limit = RULES.max_file_bytes
    at_limit = upload(api, pid, [("big/at-limit.bin", b"\x00" * limit)])
    assert at_limit.status_code == 200, at_limit.text
    assert api.files(pid)["big/at-limit.bin"]["size"] == limit
    before = snapshot(api, pid, url)
    over = upload(api, pid, [("small.txt", b"s"), ("big/over.bin", b"\x00" * (limit + 1))])
    error = expect_error(over, 413, "file_too_large")
    assert error["details"] == {"file": "big/over.bin"}
    assert str(limit) in error["message"]
    assert snapshot(api, pid, url) == before  # not even small.txt


@pytest.mark.parametrize(
    ("first", "second", "stored"),
    [
        ("a.txt", "a.txt", "a.txt"),
        ("Docs/Read.md", "docs/READ.md", "docs/READ.md"),
        ("café.txt", "cafe\u0301.txt", "café.txt"),  # NFC and NFD: one name
        ("Ǆ.txt", "ǆ.txt", "ǆ.txt"),  # a letter whose case folds
    ],
)
def test_two_parts_for_one_file_are_refused(
    owner: Any, first: str, second: str, stored: str
) -> None:
    api, pid, url = project_of(owner, "twice")
    before = snapshot(api, pid, url)
    response = upload(api, pid, [(first, b"1"), ("other.txt", b"o"), (second, b"2")])
    error = expect_error(response, 422, "duplicate_path")
    assert error["details"] == {"file": stored}
    assert snapshot(api, pid, url) == before


def test_names_arrive_in_utf8_and_are_stored_in_nfc(owner: Any) -> None:
    api, pid, _url = project_of(owner, "unicode")
    files = [
        ("日本/ファイル.txt", b"jp"),
        ("cafe\u0301/menu.txt", b"nfd folder"),
        ("emoji 🎉/party.md", b"party"),
        ("\u202eevil.txt", b"bidi"),  # a format character is a character, not a control
    ]
    response = upload(api, pid, files)
    assert response.status_code == 200, response.text
    assert response.json()["written"] == 4
    assert api.contents(pid) == {
        "日本/ファイル.txt": b"jp",
        "café/menu.txt": b"nfd folder",
        "emoji 🎉/party.md": b"party",
        "\u202eevil.txt": b"bidi",
    }


def test_ignored_paths_are_skipped_whatever_their_case(owner: Any) -> None:
    api, pid, _url = project_of(owner, "ignored")
    ignored = ["Node_Modules/x/index.js", ".ENV", ".env.Local", "sub/.GIT/config", "Dist/app.js"]
    kept = ["x.env", "environment.txt", "src/build.py", "distance/a.txt"]
    response = upload(api, pid, [(name, b"1") for name in ignored + kept])
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted(body["skipped"]) == sorted(ignored)
    assert body["written"] == len(kept)
    assert sorted(api.files(pid)) == sorted(kept)


@pytest.mark.parametrize(
    "name",
    ["a\\b.txt", "tab\there.txt", "x" * 256, "/".join(["d"] * 600)],
)
def test_names_no_project_can_hold_are_refused_by_name(owner: Any, name: str) -> None:
    api, pid, url = project_of(owner, "bad-name")
    before = snapshot(api, pid, url)
    error = expect_error(upload(api, pid, [("ok.txt", b"1"), (name, b"2")]), 422, "invalid_path")
    assert error["details"] == {"file": name}
    assert snapshot(api, pid, url) == before
