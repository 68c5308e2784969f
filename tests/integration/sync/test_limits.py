"""The sync limits of contract/sync_rules.json: file, request and project sizes, files per
project and operations per batch."""

from __future__ import annotations

import json
from typing import Any

from server.sync_rules import RULES
from tests.support.api import Api, expect_error
from tests.support.databases import execute

from .conftest import delete, multipart, ok_sync, project_info, put, rename, state


def test_file_size_limit(api: Api, pid: str) -> None:
    at_limit = "y" * RULES.max_file_bytes
    ok_sync(api, pid, [put("max.txt", at_limit)])
    assert api.files(pid)["max.txt"]["size"] == RULES.max_file_bytes
    response = api.sync(pid, [put("over.txt", at_limit + "y")])
    error = expect_error(response, 413, "file_too_large")
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


def test_a_patch_may_not_grow_a_file_past_the_limit(api: Api, pid: str) -> None:
    base = "z" * (RULES.max_file_bytes - 10)
    version = ok_sync(api, pid, [put("grow.txt", base)])["results"][0]["version"]

    def grow(by: int) -> Any:
        edit = {"start": len(base), "end": len(base), "text": "+" * by}
        patch = {"op": "patch", "path": "grow.txt", "base_version": version, "edits": [edit]}
        return api.sync(pid, [put("other.txt", "o"), patch])

    error = expect_error(grow(11), 413, "file_too_large")
    assert error["details"] == {"op": 1, "field": "edits"}
    assert f"larger than {RULES.max_file_bytes} bytes" in error["message"]
    assert sorted(api.files(pid)) == ["grow.txt"]  # the batch is refused whole
    assert api.files(pid)["grow.txt"]["version"] == version
    # Up to the limit exactly is a patch like any other.
    response = grow(10)
    assert response.status_code == 200, response.text
    assert api.files(pid)["grow.txt"]["size"] == RULES.max_file_bytes


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
    error = expect_error(response, 413, "too_large")
    assert error["details"]["limit"] == RULES.max_request_bytes
    # The same for a multipart body.
    response = multipart(
        api, pid, {"ops": []}, {f"p{i}": b"\0" * (RULES.max_file_bytes - 1) for i in range(4)}
    )
    expect_error(response, 413, "too_large")
    assert state(api, pid, database_url) == before


def refused_over(
    api: Api, pid: str, database_url: str, ops: list[dict[str, Any]], code: str, limit: int
) -> None:
    """The batch `ops` is refused (413, `code`, `limit` in its details) and changes nothing."""
    before = state(api, pid, database_url)
    error = expect_error(api.sync(pid, ops), 413, code)
    assert error["details"]["limit"] == limit
    assert state(api, pid, database_url) == before


def set_project(database_url: str, pid: str, column: str, value: int) -> None:
    """Set one of the project's counters behind the server's back."""
    execute(database_url, f"UPDATE projects SET {column} = %s WHERE id = %s", (value, pid))


def test_ops_per_sync_limit(api: Api, pid: str, database_url: str) -> None:
    ops = [put(f"f{i}.txt", "") for i in range(RULES.max_ops_per_sync + 1)]
    refused_over(api, pid, database_url, ops, "too_many_ops", RULES.max_ops_per_sync)
    body = ok_sync(
        api, pid, [put(f"d{i % 10}/f{i}.txt", str(i % 7)) for i in range(RULES.max_ops_per_sync)]
    )
    assert body["version"] == 1
    assert project_info(api, pid)["file_count"] == RULES.max_ops_per_sync


def test_project_file_count_limit(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("a.txt", "a")])
    set_project(database_url, pid, "file_count", RULES.max_project_files)
    more = [put("one-more.txt", "x")]
    refused_over(api, pid, database_url, more, "too_many_files", RULES.max_project_files)
    # At the limit, replacing, renaming and deleting still work.
    ok_sync(api, pid, [put("a.txt", "a2", 1)])
    ok_sync(api, pid, [rename("a.txt", "b.txt", 2)])
    assert project_info(api, pid)["file_count"] == RULES.max_project_files
    ok_sync(api, pid, [delete("b.txt", 3), put("c.txt", "c")])
    assert project_info(api, pid)["file_count"] == RULES.max_project_files


def test_project_size_limit(api: Api, pid: str, database_url: str) -> None:
    ok_sync(api, pid, [put("a.txt", "12345")])
    set_project(database_url, pid, "total_bytes", RULES.max_project_bytes - 5)
    more = [put("b.txt", "123456")]
    refused_over(api, pid, database_url, more, "project_too_large", RULES.max_project_bytes)
    ok_sync(api, pid, [put("b.txt", "12345")])  # exactly at the limit
    assert project_info(api, pid)["total_bytes"] == RULES.max_project_bytes
    # Shrinking a file frees room.
    ok_sync(api, pid, [put("a.txt", "1", 1), put("c.txt", "1234")])
    assert project_info(api, pid)["total_bytes"] == RULES.max_project_bytes
