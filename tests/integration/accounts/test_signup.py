"""Signing up through the API: the session cookie, and what is refused."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support.api import PASSWORD, TEST_HOSTS, expect_error, tiny_dist
from tests.support.databases import query

from .conftest import Fresh, NewApi, count, fresh_email, session_cookie


def test_signup_returns_user_and_sets_an_httponly_lax_cookie(new_api: NewApi) -> None:
    client = new_api()
    response = client.post(
        "/api/auth/signup",
        json={
            "email": "  Ada.Lovelace@Example.COM ",
            "password": PASSWORD,
            "display_name": " Ada ",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"user", "csrf_token"}
    user = body["user"]
    assert set(user) == {"id", "email", "display_name", "created_at"}
    assert str(UUID(user["id"])) == user["id"]
    assert user["email"] == "ada.lovelace@example.com"
    assert user["display_name"] == "Ada"
    created = datetime.fromisoformat(user["created_at"])
    assert created.tzinfo is not None
    assert abs(datetime.now(created.tzinfo) - created) < timedelta(minutes=5)
    assert isinstance(body["csrf_token"], str) and len(body["csrf_token"]) >= 32
    assert PASSWORD not in response.text and "hash" not in response.text

    token, attrs = session_cookie(response)
    assert len(token) >= 32 and token != body["csrf_token"]
    assert "httponly" in attrs
    assert attrs["samesite"].lower() == "lax"
    assert "secure" not in attrs  # plain http: a Secure cookie would never come back
    assert attrs["path"] == "/"
    assert int(attrs["max-age"]) == 14 * 24 * 3600

    session = client.client.get("/api/auth/session")
    assert session.status_code == 200
    assert session.json() == body
    assert session.headers["cache-control"] == "no-store"


def test_signup_over_https_sets_a_secure_cookie(database_url: str, tmp_path: Path) -> None:
    app = create_app(
        Settings(dist_dir=tiny_dist(tmp_path / "dist"), allowed_hosts=TEST_HOSTS),
        database_url=database_url,
    )
    with TestClient(app, base_url="https://testserver") as client:
        own = {"origin": "https://testserver"}
        # The http origin of the same host is another origin.
        refused = client.post(
            "/api/auth/signup",
            headers={"origin": "http://testserver"},
            json={"email": "s@example.com", "password": PASSWORD},
        )
        expect_error(refused, 403, "bad_origin")
        response = client.post(
            "/api/auth/signup", headers=own, json={"email": "s@example.com", "password": PASSWORD}
        )
        assert response.status_code == 201, response.text
        _token, attrs = session_cookie(response)
        assert "secure" in attrs and "httponly" in attrs
        assert attrs["samesite"].lower() == "lax"
        csrf = response.json()["csrf_token"]
        assert client.get("/api/auth/session").status_code == 200
        out = client.post("/api/auth/signout", headers={**own, "x-csrf-token": csrf})
        assert out.status_code == 204
        _value, cleared = session_cookie(out)
        assert "secure" in cleared and cleared["max-age"] == "0"


def test_signup_duplicate_email_is_409_whatever_the_case(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    first = new_api()
    first.signup("A@x.io")
    for spelling in ("a@x.io", "A@X.IO", "  a@X.io  "):
        response = new_api().post(
            "/api/auth/signup", json={"email": spelling, "password": "other password"}
        )
        error = expect_error(response, 409, "email_taken")
        assert error["details"] == {"field": "email"}
        assert response.headers.get_list("set-cookie") == []
    assert query(database_url, "SELECT email FROM users") == [("a@x.io",)]
    # The first account still signs in with its own password, not the later attempts'.
    assert new_api().signin("a@x.io").status_code == 200
    assert new_api().signin("a@x.io", "other password").status_code == 401


BAD_EMAILS = [
    "",
    "plain",
    "a@b",
    "a b@c.io",
    "@x.io",
    "a@@x.io",
    "a@x.io@y.io",
    "a@x.",
    123,
    None,
    "x" * 250 + "@x.io",
]
BAD_PASSWORDS = ["", "1234567", "x" * 1025, 12345678, ["a" * 10]]


def test_signup_refuses_invalid_email(new_api: NewApi, database_url: str) -> None:
    client = new_api()
    users = count(database_url, "users")
    for email in BAD_EMAILS:
        response = client.post("/api/auth/signup", json={"email": email, "password": PASSWORD})
        error = expect_error(response, 422, "invalid")
        assert error["details"] == {"field": "email"}, email
    assert count(database_url, "users") == users


def test_signup_refuses_bad_password(new_api: NewApi, database_url: str) -> None:
    client = new_api()
    users = count(database_url, "users")
    for password in BAD_PASSWORDS:
        response = client.post(
            "/api/auth/signup", json={"email": "p@example.com", "password": password}
        )
        error = expect_error(response, 422, "invalid")
        assert error["details"] == {"field": "password"}, password
    assert count(database_url, "users") == users


def test_signup_password_length_bounds_are_inclusive(new_api: NewApi) -> None:
    for password in ("12345678", "y" * 1024):
        email = fresh_email("bounds")
        assert (
            new_api()
            .post("/api/auth/signup", json={"email": email, "password": password})
            .status_code
            == 201
        )
        assert new_api().signin(email, password).status_code == 200


def test_signup_missing_or_bad_fields_are_422(new_api: NewApi) -> None:
    client = new_api()
    cases: list[tuple[dict[str, Any], str]] = [
        ({}, "email"),
        ({"password": PASSWORD}, "email"),
        ({"email": "m@example.com"}, "password"),
        (
            {"email": "m@example.com", "password": PASSWORD, "display_name": "x" * 101},
            "display_name",
        ),
        (
            {"email": "m@example.com", "password": PASSWORD, "display_name": "a\x00b"},
            "display_name",
        ),
    ]
    for body, field in cases:
        error = expect_error(client.post("/api/auth/signup", json=body), 422, "invalid")
        assert error["details"] == {"field": field}, body


def test_signup_malformed_json_is_400(new_api: NewApi) -> None:
    client = new_api()
    for raw in (b"{", b"not json", b"[]", b'"a string"', b"\xff\xfe{}", b""):
        response = client.post(
            "/api/auth/signup", content=raw, headers={"content-type": "application/json"}
        )
        expect_error(response, 400, "malformed_json")


def test_signup_body_over_16_kib_is_413(new_api: NewApi, database_url: str) -> None:
    client = new_api()
    users = count(database_url, "users")
    padded = {"email": "big@example.com", "password": PASSWORD, "pad": "x" * (16 * 1024)}
    error = expect_error(client.post("/api/auth/signup", json=padded), 413, "too_large")
    assert error["details"] == {"limit": 16 * 1024}
    # Without a Content-Length (chunked), the limit holds while reading.
    raw = json.dumps(padded).encode()
    chunks = iter([raw[:1000], raw[1000:]])
    streamed = client.post(
        "/api/auth/signup", content=chunks, headers={"content-type": "application/json"}
    )
    expect_error(streamed, 413, "too_large")
    assert count(database_url, "users") == users
    # Just under the limit is fine.
    small = {"email": "big@example.com", "password": PASSWORD, "pad": "x" * 15000}
    assert client.post("/api/auth/signup", json=small).status_code == 201
    assert count(database_url, "users") == users + 1
