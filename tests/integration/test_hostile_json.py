"""Hostile JSON on every route that reads JSON: a clear 400 in the one error shape, never a
500 (7,000 levels of nesting used to raise RecursionError on sign-in, sign-up and sync)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from server.limits import MAX_DEPTH
from tests.support.api import Api

DEEP = b"[" * 7_000 + b"]" * 7_000
DEEP_OBJECT = b'{"a":' * 2_000 + b"1" + b"}" * 2_000  # under the 16 KB of auth bodies
HUGE_INT = b'{"email": "a@example.com", "password": "12345678", "x": ' + b"9" * 5_000 + b"}"


def assert_refused(response: Any, status: int, code: str, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code, error
    for word in words:
        assert word in error["message"], error
    return error


def json_routes(api: Api, project_id: str) -> list[tuple[str, str]]:
    base = f"/api/projects/{project_id}"
    return [
        ("POST", "/api/auth/signup"),
        ("POST", "/api/auth/signin"),
        ("POST", "/api/auth/password"),
        ("DELETE", "/api/auth/account"),
        ("POST", "/api/projects"),
        ("PATCH", base),
        ("POST", f"{base}/duplicate"),
        ("POST", f"{base}/sync"),
        ("POST", f"{base}/revisions"),
        ("POST", f"{base}/shares"),
    ]


@pytest.mark.parametrize(
    "body", [DEEP, DEEP_OBJECT, b'{"ops": ' + DEEP + b"}"], ids=["array", "object", "inside_ops"]
)
def test_deep_nesting_is_a_400_on_every_json_route(api: Api, body: bytes) -> None:
    project_id = api.new_project()["id"]
    for method, path in json_routes(api, project_id):
        response = api.request(
            method, path, content=body, headers={"content-type": "application/json"}
        )
        assert_refused(response, 400, "malformed_json", f"more than {MAX_DEPTH} levels deep")
    assert api.get(f"/api/projects/{project_id}").json()["version"] == 0


def test_deep_nesting_signed_out_on_sign_in_and_sign_up(new_api: Callable[[], Api]) -> None:
    api = new_api()
    for path in ("/api/auth/signup", "/api/auth/signin"):
        response = api.post(path, content=DEEP, headers={"content-type": "application/json"})
        assert_refused(response, 400, "malformed_json", "levels deep")


def test_deep_nesting_in_a_large_sync_and_in_multipart_ops(api: Api) -> None:
    project_id = api.new_project()["id"]
    url = f"/api/projects/{project_id}/sync"
    padding = b'{"pad": "' + b"x" * 300_000 + b'", "ops": ' + DEEP + b"}"  # the off-loop path
    response = api.post(url, content=padding, headers={"content-type": "application/json"})
    assert_refused(response, 400, "malformed_json", "levels deep")
    response = api.post(
        url,
        data={"ops": DEEP.decode()},
        files={"p": ("p", b"\x00\x01", "application/octet-stream")},
    )
    assert_refused(response, 400, "malformed_json", "'ops' nests", "levels deep")


def test_huge_integers_are_refused_in_plain_words(api: Api) -> None:
    project_id = api.new_project()["id"]
    for method, path in json_routes(api, project_id):
        response = api.request(
            method, path, content=HUGE_INT, headers={"content-type": "application/json"}
        )
        error = assert_refused(response, 400, "malformed_json", "a number with 5000 digits")
        assert "set_int_max_str_digits" not in error["message"]
    sync = b'{"ops": [{"op": "delete", "path": "a", "base_version": ' + b"1" * 4_400 + b"}]}"
    response = api.post(
        f"/api/projects/{project_id}/sync",
        content=sync,
        headers={"content-type": "application/json"},
    )
    assert_refused(response, 400, "malformed_json", "4400 digits", "at most 40")
