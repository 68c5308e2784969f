"""What the OpenAPI document promises for every route: GET routes answer HEAD too (the same
status and headers, no body), JSON over 1 KiB is gzip-compressed for a client that accepts
it, binary content and zips never are, and /api/sync-rules is contract/sync_rules.json as
it is on disk. One user and project serve the module."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from contract.rules import RULES_FILE
from tests.support.api import Api, expect_error, signed_in_world

BINARY = bytes(range(256)) * 16  # 4 KiB, compresses very well: it must not be compressed
SOURCE = "export const line = 'a line of source that repeats';\n" * 100


@dataclass
class World:
    api: Api
    anonymous: Api
    pid: str
    sha: str


@pytest.fixture(scope="module")
def world(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with signed_in_world(pg_admin_url, tmp_path_factory.mktemp("head")) as (api, _, new_api):
        pid = api.new_project("head")["id"]
        ops = [{"op": "put", "path": "src/app.js", "base_version": None, "content": SOURCE}]
        assert api.sync(pid, ops, revision_message="r1").status_code == 200
        assert api.put_binary(pid, "data.bin", BINARY).status_code == 200
        sha = api.files(pid)["data.bin"]["sha256"]
        yield World(api, new_api(), pid, sha)


PUBLIC = ["/api/health", "/api/sync-rules", "/api/openapi.json", "/api/templates", "/api/embed"]
OWN = [
    "/api/projects",
    "/api/projects/{pid}",
    "/api/projects/{pid}/files",
    "/api/projects/{pid}/blobs/{sha}",
    "/api/projects/{pid}/revisions",
    "/api/projects/{pid}/revisions/1",
    "/api/projects/{pid}/revisions/1/files/src/app.js",
    "/api/projects/{pid}/shares",
    "/api/projects/{pid}/export",
    "/api/auth/session",
]
# Bodies that measure the moment (how long the database took to answer; when the project
# was last opened), so two answers may differ in length by a digit.
VARYING_LENGTH = {"/api/health", "/api/projects/{pid}/files"}
COMPARED = ("content-type", "content-length", "content-encoding", "cache-control", "etag")


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
@pytest.mark.parametrize("route", PUBLIC + OWN)
def test_head_is_get_without_the_body(world: World, route: str, encoding: str) -> None:
    path = route.format(pid=world.pid, sha=world.sha)
    headers = {"accept-encoding": encoding}
    got = world.api.get(path, headers=headers)
    head = world.api.client.head(path, headers=headers)
    assert got.status_code == 200, got.text
    assert head.status_code == 200
    assert head.content == b""
    compared = [n for n in COMPARED if n != "content-length" or route not in VARYING_LENGTH]
    for name in compared:
        assert head.headers.get(name) == got.headers.get(name), (path, name)


@pytest.mark.parametrize("route", OWN)
def test_head_without_a_session_is_401_without_a_body(world: World, route: str) -> None:
    path = route.format(pid=world.pid, sha=world.sha)
    response = world.anonymous.client.head(path)
    assert response.status_code == 401
    assert response.content == b""
    assert response.headers["content-type"] == "application/json"


def test_head_of_no_route_and_of_a_post_route(world: World) -> None:
    missing = world.api.client.head("/api/no/such/route")
    assert (missing.status_code, missing.content) == (404, b"")
    post_only = world.api.client.head("/api/auth/signin")
    assert post_only.status_code == 405 and post_only.content == b""
    assert post_only.headers["allow"] == "POST"


def test_json_over_1_kib_is_gzipped_for_a_client_that_accepts_it(world: World) -> None:
    url = f"/api/projects/{world.pid}/files"
    plain = world.api.get(url, headers={"accept-encoding": "identity"})
    packed = world.api.client.get(url, headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) // 4
    assert "accept-encoding" in packed.headers["vary"].lower()
    # httpx inflates on reading: the same files either way.
    assert json.loads(packed.content)["files"] == json.loads(plain.content)["files"]


def test_small_json_is_sent_as_it_is(world: World) -> None:
    response = world.api.get("/api/health", headers={"accept-encoding": "gzip"})
    assert len(response.content) < 1024
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize(
    ("route", "media"),
    [
        ("/api/projects/{pid}/blobs/{sha}", "application/octet-stream"),
        ("/api/projects/{pid}/export", "application/zip"),
    ],
)
def test_binary_and_zips_are_never_gzipped(world: World, route: str, media: str) -> None:
    response = world.api.get(
        route.format(pid=world.pid, sha=world.sha), headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert "content-encoding" not in response.headers
    if media == "application/octet-stream":
        assert response.content == BINARY


def test_sync_rules_are_the_contract_file_verbatim(world: World) -> None:
    response = world.anonymous.get("/api/sync-rules")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert response.json() == json.loads(RULES_FILE.read_text())


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_other_methods_on_read_only_routes_are_405(world: World, method: str) -> None:
    for path in PUBLIC:
        error = expect_error(world.api.request(method, path), 405, "method_not_allowed")
        assert error["details"]["allow"] == ["GET", "HEAD"], path
