"""Hostile values in every URL parameter of the API: project ids, revision numbers, file
paths in a revision, content hashes, share tokens. Each names nothing, so each is a 404 in
the one error shape with the message of its kind, on reads and writes alike, and a write
changes nothing. A content hash is exactly 64 hex digits: bytes.fromhex alone took spaces
around and between them (one content, many URLs, against the documented pattern).
One user, project, revision and link serve the whole module."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.support import databases
from tests.support.api import Api, expect_error, signed_in_world

TEXT = "hello, parameters\n"
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
NAMES = {"a.txt": TEXT, "dir/naïve file.txt": "accents and a space"}


@dataclass
class World:
    api: Api
    url: str
    pid: str
    token: str

    def state(self) -> tuple[object, ...]:
        """What no refused request may change."""
        return (
            self.api.get(f"/api/projects/{self.pid}").json()["version"],
            databases.scalar(self.url, "SELECT count(*) FROM revisions"),
            databases.scalar(self.url, "SELECT count(*) FROM shares"),
            databases.scalar(self.url, "SELECT count(*) FROM projects"),
        )


@pytest.fixture(scope="module")
def world(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with signed_in_world(pg_admin_url, tmp_path_factory.mktemp("params")) as (api, url, _):
        pid = api.new_project("params")["id"]
        ops = [
            {"op": "put", "path": path, "base_version": None, "content": text}
            for path, text in NAMES.items()
        ]
        assert api.sync(pid, ops, revision_message="first").status_code == 200
        token = api.post(f"/api/projects/{pid}/shares", json={}).json()["token"]
        yield World(api, url, pid, token)


BAD_PROJECT_IDS = [
    "%00",
    "x",
    "1" * 5000,
    "00000000-0000-0000-0000-000000000000",
    "%2E%2E",
    "ffffffff-ffff-ffff-ffff-ffffffffffff%00",
    "%E2%80%AE00000000-0000-0000-0000-000000000000",
]


@pytest.mark.parametrize("bad", BAD_PROJECT_IDS)
def test_a_project_id_that_names_nothing_is_404_everywhere(world: World, bad: str) -> None:
    before = world.state()
    base = f"/api/projects/{bad}"
    requests: list[tuple[str, str, dict[str, object] | None]] = [
        ("GET", base, None),
        ("PATCH", base, {"name": "x"}),
        ("DELETE", base, None),
        ("GET", f"{base}/files", None),
        ("POST", f"{base}/sync", {"ops": []}),
        ("GET", f"{base}/blobs/{SHA}", None),
        ("GET", f"{base}/revisions", None),
        ("POST", f"{base}/revisions", {}),
        ("GET", f"{base}/revisions/1", None),
        ("POST", f"{base}/revisions/1/restore", None),
        ("GET", f"{base}/shares", None),
        ("POST", f"{base}/shares", {}),
        ("POST", f"{base}/duplicate", {}),
        ("GET", f"{base}/export", None),
    ]
    for method, path, body in requests:
        response = world.api.request(method, path, json=body)
        error = expect_error(response, 404, "not_found")
        assert error["message"] == "No such project.", (method, path)
    assert world.state() == before


BAD_NUMBERS = ["0", "-1", "+1", "1.0", "1e0", "²", "١", "１", " 1", "1%00", "9999999999", "99"]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_a_revision_number_that_names_nothing_is_404(world: World, bad: str) -> None:
    before = world.state()
    base = f"/api/projects/{world.pid}/revisions/{bad}"
    for method, path in (
        ("GET", base),
        ("GET", f"{base}/files/a.txt"),
        ("POST", f"{base}/restore"),
    ):
        response = world.api.request(method, path)
        assert expect_error(response, 404, "not_found")["message"] == "No such revision.", path
    assert world.state() == before


def test_the_revision_and_its_files_are_found_by_their_real_names(world: World) -> None:
    base = f"/api/projects/{world.pid}/revisions/1"
    shown = world.api.get(base)
    assert shown.status_code == 200
    assert shown.json()["revision"]["message"] == "first"
    assert sorted(f["path"] for f in shown.json()["files"]) == sorted(NAMES)
    plain = world.api.get(f"{base}/files/a.txt")
    assert plain.status_code == 200 and plain.text == TEXT
    assert plain.headers["content-type"] == "text/plain; charset=utf-8"
    assert plain.headers["etag"] == f'"{SHA}"'
    spaced = world.api.get(f"{base}/files/dir/na%C3%AFve%20file.txt")
    assert spaced.status_code == 200 and spaced.text == "accents and a space"


@pytest.mark.parametrize(
    "bad",
    [
        "%00",
        "a.txt%00",
        "..%2Fa.txt",
        "a.txt/",
        "/a.txt",
        "dir//na%C3%AFve%20file.txt",
        "A.TXT",
        "%5Ca.txt",
        "dir%5Cna%C3%AFve%20file.txt",
        "x" * 5000,
        "nai%CC%88ve.txt",
        "dir",
    ],
)
def test_a_file_path_that_names_nothing_in_the_revision_is_404(world: World, bad: str) -> None:
    response = world.api.get(f"/api/projects/{world.pid}/revisions/1/files/{bad}")
    assert expect_error(response, 404, "not_found")["message"] == "No such file in this revision."


BAD_HASHES = [
    f"%20{SHA}",
    f"{SHA}%20",
    f"{SHA[:32]}%20{SHA[32:]}",
    f"{SHA[:32]}%09{SHA[32:]}",
    SHA[:-1],
    SHA + "0",
    SHA[:-2],
    "zz" * 32,
    "%00",
    hashlib.sha256(b"not in this project").hexdigest(),
    SHA[:40],  # as long as a SHA-1
]


@pytest.mark.parametrize("bad", BAD_HASHES)
def test_a_content_hash_is_64_hex_digits_exactly(world: World, bad: str) -> None:
    own = world.api.get(f"/api/projects/{world.pid}/blobs/{bad}")
    assert expect_error(own, 404, "not_found")["message"].startswith("No such content")
    shared = world.api.get(f"/api/shares/{world.token}/blobs/{bad}")
    assert expect_error(shared, 404, "not_found")["message"].startswith("No such content")


@pytest.mark.parametrize("spelling", [SHA, SHA.upper()])
def test_either_case_of_the_hash_fetches_the_content(world: World, spelling: str) -> None:
    for path in (
        f"/api/projects/{world.pid}/blobs/{spelling}",
        f"/api/shares/{world.token}/blobs/{spelling}",
    ):
        response = world.api.get(path)
        assert response.status_code == 200, path
        assert response.content == TEXT.encode()
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.headers["etag"] == f'"{SHA}"'


BAD_TOKENS = ["short", "a" * 31, "a" * 65, "a" * 40 + ".b", "a" * 40 + "%00", "é" * 40, "%20" * 40]


@pytest.mark.parametrize("bad", BAD_TOKENS)
def test_a_share_token_that_names_nothing_is_404(world: World, bad: str) -> None:
    before = world.state()
    for method, path in (
        ("GET", f"/api/shares/{bad}"),
        ("GET", f"/api/shares/{bad}/blobs/{SHA}"),
        ("POST", f"/api/projects/{world.pid}/shares/{bad}/publish"),
        ("DELETE", f"/api/projects/{world.pid}/shares/{bad}"),
    ):
        response = world.api.request(method, path)
        assert expect_error(response, 404, "not_found")["message"].startswith("No such share")
    assert world.state() == before


def test_the_real_token_with_anything_around_it_is_no_token(world: World) -> None:
    for bad in (f"{world.token}%20", f"%20{world.token}", world.token.swapcase()):
        expect_error(world.api.get(f"/api/shares/{bad}"), 404, "not_found")
    assert world.api.get(f"/api/shares/{world.token}").status_code == 200


@pytest.mark.parametrize("length", ["abc", "1e3", "0x10", "1,2"])
def test_a_content_length_that_is_no_number_is_400(world: World, length: str) -> None:
    before = world.state()
    for path in (f"/api/projects/{world.pid}/revisions", f"/api/projects/{world.pid}/sync"):
        response = world.api.post(
            path,
            content=b'{"ops": []}',
            headers={"content-type": "application/json", "content-length": length},
        )
        error = expect_error(response, 400, "bad_request")
        assert error["message"] == "Content-Length is not a number"
    assert world.state() == before


def test_a_project_load_takes_its_tag_back_weakened_or_as_a_star(world: World) -> None:
    url = f"/api/projects/{world.pid}/files"
    etag = world.api.get(url).headers["etag"]
    for header in (etag, f"W/{etag}", f'"stale", W/{etag}', "*"):
        response = world.api.get(url, headers={"if-none-match": header})
        assert response.status_code == 304, header
        assert response.content == b"" and response.headers["etag"] == etag
        assert response.headers["cache-control"] == "private, no-cache"
    assert world.api.get(url, headers={"if-none-match": '"stale"'}).status_code == 200


def test_nothing_here_leaves_a_file_behind(world: World) -> None:
    """The module's requests changed no file: the project holds what it was given."""
    assert world.api.contents(world.pid) == {p: t.encode() for p, t in NAMES.items()}


@pytest.mark.parametrize(
    "path",
    ["revisions/1/files/a.txt%0A", f"blobs/{SHA[:32]}%0A{SHA[32:]}", "revisions/1%0A", "%0A"],
)
def test_a_line_break_in_a_parameter_is_a_404_in_the_error_shape(world: World, path: str) -> None:
    # No route's pattern takes a line break, so the router's own 404 answers: same shape.
    response = world.api.get(f"/api/projects/{world.pid}/{path}")
    expect_error(response, 404, "not_found")
