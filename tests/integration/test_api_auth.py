"""Accounts through the API: sign up, sign in, sessions, CSRF and Origin checks, sign-in
throttling, password change, account deletion, and `cospai create-user`."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support import databases
from tests.support.api import BASE_URL, PASSWORD, TEST_HOSTS, Api, api_app, tiny_dist
from tests.support.paths import ROOT

COOKIE = "cospai_session"
EVIL = "https://evil.example"
NewApi = Callable[[], Api]


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database_url(pg_admin_url: str) -> Iterator[str]:
    """One database for most tests here (each signs up its own users, so they do not meet);
    it keeps `new_api` and `api` from creating a database per test."""
    with databases.fresh_database(pg_admin_url) as url:
        yield url


@dataclass(frozen=True)
class Fresh:
    url: str
    new_api: NewApi


@pytest.fixture
def fresh(pg_admin_url: str, tmp_path: Path) -> Iterator[Fresh]:
    """A database of the test's own, for tests that count rows across users or fail
    sign-ins (failures count per client address, and every TestClient has the same)."""
    with databases.fresh_database(pg_admin_url) as url, api_app(url, tmp_path) as factory:
        yield Fresh(url, factory)


# --- helpers -----------------------------------------------------------------------------


def expect_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape, with this status and code; returns the error object."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    return error


def parse_set_cookie(header: str) -> tuple[str, str, dict[str, str]]:
    """'name=value; Attr; Key=Val' -> (name, value, {attr lowercased: value})."""
    first, *rest = (part.strip() for part in header.split(";"))
    name, value = first.split("=", 1)
    attrs = {}
    for part in rest:
        key, _, val = part.partition("=")
        attrs[key.lower()] = val
    return name, value, attrs


def session_cookie(response: Any) -> tuple[str, dict[str, str]]:
    headers = response.headers.get_list("set-cookie")
    assert len(headers) == 1, headers
    name, value, attrs = parse_set_cookie(headers[0])
    assert name == COOKIE
    return value, attrs


def token_of(api: Api) -> str:
    token = api.client.cookies.get(COOKIE)
    assert token, "no session cookie in the jar"
    return token


def with_cookie(new_api: NewApi, token: str) -> Api:
    """A fresh client (empty jar) that presents `token` as its session cookie."""
    other = new_api()
    other.client.cookies.set(COOKIE, token)
    return other


def session_status(api: Api) -> int:
    return api.client.get("/api/auth/session").status_code


def query(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def count(url: str, table: str) -> int:
    return int(query(url, f"SELECT count(*) FROM {table}")[0][0])


def fresh_email(tag: str) -> str:
    return f"{tag}-{os.urandom(3).hex()}@example.com"


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- sign up -----------------------------------------------------------------------------


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


# --- sign in, session, sign out ----------------------------------------------------------


def test_signin_opens_a_second_independent_session(new_api: NewApi, database_url: str) -> None:
    first = new_api()
    signup = first.signup("In@Example.com")
    second = new_api()
    response = second.signin("IN@example.COM ")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"] == signup["user"]
    assert body["csrf_token"] != signup["csrf_token"]
    token, attrs = session_cookie(response)
    assert token != token_of(first)
    assert "httponly" in attrs and attrs["samesite"].lower() == "lax" and "secure" not in attrs
    assert session_status(first) == 200 and session_status(second) == 200
    assert second.client.get("/api/auth/session").json()["csrf_token"] == body["csrf_token"]
    assert query(
        database_url, "SELECT count(*) FROM sessions WHERE user_id = %s", (body["user"]["id"],)
    ) == [(2,)]


def test_signin_wrong_password_and_unknown_email_get_the_same_answer(fresh: Fresh) -> None:
    new_api = fresh.new_api
    new_api().signup("known@example.com")
    wrong = new_api().signin("known@example.com", "not the password")
    unknown = new_api().signin("nobody@example.com", PASSWORD)
    for response in (wrong, unknown):
        expect_error(response, 401, "invalid_credentials")
        assert response.headers.get_list("set-cookie") == []
    assert wrong.json() == unknown.json()
    assert wrong.headers.get("content-length") == unknown.headers.get("content-length")


def test_signin_bad_bodies(new_api: NewApi, database_url: str) -> None:
    client = new_api()
    before = query(database_url, "SELECT * FROM auth_failures ORDER BY key")
    for body in (
        {},
        {"email": "known@example.com"},
        {"password": PASSWORD},
        {"email": "known@example.com", "password": 12345678},
    ):
        expect_error(client.post("/api/auth/signin", json=body), 422, "invalid")
    for raw in (b"[1, 2]", b"{oops"):
        response = client.post(
            "/api/auth/signin", content=raw, headers={"content-type": "application/json"}
        )
        expect_error(response, 400, "malformed_json")
    expect_error(
        client.post(
            "/api/auth/signin", json={"email": "big@example.com", "password": "x" * (17 * 1024)}
        ),
        413,
        "too_large",
    )
    # Requests refused for their shape are not failed sign-ins.
    assert query(database_url, "SELECT * FROM auth_failures ORDER BY key") == before


def test_session_needs_a_valid_cookie(new_api: NewApi, api: Api) -> None:
    expect_error(new_api().client.get("/api/auth/session"), 401, "unauthenticated")
    expect_error(
        with_cookie(new_api, "forged-token").client.get("/api/auth/session"), 401, "unauthenticated"
    )
    expect_error(
        with_cookie(new_api, "x" * 5000).client.get("/api/auth/session"), 401, "unauthenticated"
    )
    # A cookie with the right name from a real session works in any client.
    assert session_status(with_cookie(new_api, token_of(api))) == 200
    # Every API route that needs a session answers 401 without one.
    expect_error(new_api().client.get("/api/projects"), 401, "unauthenticated")


def test_database_keeps_only_a_hash_of_the_session_token(api: Api, database_url: str) -> None:
    token = token_of(api)
    rows = query(
        database_url,
        "SELECT token_hash, csrf_token, user_id::text, user_agent, "
        "address, expires_at - now() FROM sessions WHERE user_id = %s",
        (api.user["id"],),
    )
    assert len(rows) == 1
    token_hash, csrf, user_id, agent, address, remaining = rows[0]
    assert bytes(token_hash) == hashlib.sha256(token.encode()).digest()
    assert bytes(token_hash) != token.encode()
    assert token not in (csrf, agent, address)
    assert csrf == api.csrf
    assert user_id == api.user["id"]
    assert timedelta(days=13, hours=23) < remaining <= timedelta(days=14)
    # Nothing anywhere in the database holds the token itself.
    dump = query(
        database_url,
        "SELECT string_agg(t::text, '|') FROM sessions t WHERE user_id = %s",
        (api.user["id"],),
    )[0][0]
    assert token not in dump


def test_signout_clears_the_cookie_and_kills_the_session(
    new_api: NewApi, api: Api, database_url: str
) -> None:
    old_token, csrf = token_of(api), api.csrf
    response = api.post("/api/auth/signout")
    assert response.status_code == 204
    value, attrs = session_cookie(response)
    assert value in {"", '""'} and attrs["max-age"] == "0"
    assert "httponly" in attrs and attrs["path"] == "/"
    assert COOKIE not in api.client.cookies
    assert session_status(api) == 401
    replay = with_cookie(new_api, old_token)
    expect_error(replay.client.get("/api/auth/session"), 401, "unauthenticated")
    expect_error(
        replay.client.post("/api/auth/signout", headers={"origin": BASE_URL, "x-csrf-token": csrf}),
        401,
        "unauthenticated",
    )
    assert query(
        database_url, "SELECT count(*) FROM sessions WHERE user_id = %s", (api.user["id"],)
    ) == [(0,)]
    # Signing in again works and gives a new token.
    assert api.signin(api.user["email"]).status_code == 200
    assert token_of(api) != old_token


def test_signout_everywhere_revokes_every_session_of_the_user(
    new_api: NewApi, database_url: str
) -> None:
    here = new_api()
    email = here.signup()["user"]["email"]
    laptop, phone = new_api(), new_api()
    assert laptop.signin(email).status_code == 200
    assert phone.signin(email).status_code == 200
    bystander = new_api()
    bystander.signup()
    laptop_token = token_of(laptop)

    response = here.post("/api/auth/signout-everywhere")
    assert response.status_code == 204
    value, attrs = session_cookie(response)
    assert value in {"", '""'} and attrs["max-age"] == "0"
    for client in (here, laptop, phone):
        assert session_status(client) == 401
    expect_error(laptop.post("/api/projects", json={"name": "x"}), 401, "unauthenticated")
    assert session_status(with_cookie(new_api, laptop_token)) == 401
    assert session_status(bystander) == 200
    assert query(
        database_url,
        "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = %s",
        (email,),
    ) == [(0,)]


def test_expired_session_is_refused(new_api: NewApi, api: Api, database_url: str) -> None:
    other = new_api()
    other.signup()
    # Long unused as well, so that a sliding expiry would be due if it were still alive.
    query(
        database_url,
        "UPDATE sessions SET expires_at = now() - interval '1 s', "
        "last_seen_at = now() - interval '2 hours' WHERE user_id = %s",
        (api.user["id"],),
    )
    expect_error(api.client.get("/api/auth/session"), 401, "unauthenticated")
    expect_error(api.client.get("/api/projects"), 401, "unauthenticated")
    expect_error(api.post("/api/projects", json={"name": "late"}), 401, "unauthenticated")
    # Using it did not bring it back to life.
    rows = query(
        database_url,
        "SELECT expires_at < now() FROM sessions WHERE user_id = %s",
        (api.user["id"],),
    )
    assert rows == [(True,)]
    assert session_status(other) == 200


def test_a_session_in_use_slides_its_expiry_forward(api: Api, database_url: str) -> None:
    mine = "WHERE user_id = %s"
    query(
        database_url,
        "UPDATE sessions SET expires_at = now() + interval '1 day', "
        f"last_seen_at = now() - interval '1 hour' {mine}",
        (api.user["id"],),
    )
    assert session_status(api) == 200
    remaining = query(
        database_url, f"SELECT expires_at - now() FROM sessions {mine}", (api.user["id"],)
    )[0][0]
    assert remaining > timedelta(days=13, hours=23)


# --- password change and account deletion -----------------------------------------------


def test_change_password_refusals(api: Api, new_api: NewApi) -> None:
    url = "/api/auth/password"
    error = expect_error(
        api.post(
            url, json={"current_password": "wrong password!", "new_password": "brand new password"}
        ),
        403,
        "wrong_password",
    )
    assert error["details"] == {"field": "current_password"}
    error = expect_error(
        api.post(url, json={"current_password": PASSWORD, "new_password": "short"}), 422, "invalid"
    )
    assert error["details"] == {"field": "new_password"}
    error = expect_error(api.post(url, json={"new_password": "brand new password"}), 422, "invalid")
    assert error["details"] == {"field": "current_password"}
    expect_error(
        api.post(url, content=b"{", headers={"content-type": "application/json"}),
        400,
        "malformed_json",
    )
    # Nothing changed.
    assert session_status(api) == 200
    assert new_api().signin(api.user["email"]).status_code == 200


def test_change_password_keeps_this_session_and_revokes_the_others(fresh: Fresh) -> None:
    new_api = fresh.new_api
    here = new_api()
    email = here.signup()["user"]["email"]
    elsewhere = new_api()
    assert elsewhere.signin(email).status_code == 200
    response = here.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a much better password"},
    )
    assert response.status_code == 204, response.text
    assert response.headers.get_list("set-cookie") == []
    # This session goes on, with the same CSRF token.
    assert session_status(here) == 200
    assert here.post("/api/projects", json={"name": "still here"}).status_code == 201
    assert session_status(elsewhere) == 401
    expect_error(new_api().signin(email), 401, "invalid_credentials")
    assert new_api().signin(email, "a much better password").status_code == 200


def test_delete_account_with_wrong_password_is_403(api: Api, new_api: NewApi) -> None:
    project = api.new_project("keep me")
    error = expect_error(
        api.delete("/api/auth/account", json={"password": "wrong password"}), 403, "wrong_password"
    )
    assert error["details"] == {"field": "current_password"}
    expect_error(api.delete("/api/auth/account", json={}), 422, "invalid")
    assert session_status(api) == 200
    assert api.get(f"/api/projects/{project['id']}").status_code == 200
    assert new_api().signin(api.user["email"]).status_code == 200


def test_delete_account_removes_projects_sessions_and_unshared_blobs(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    alice = new_api()
    email = alice.signup()["user"]["email"]
    alice_id = alice.user["id"]
    other_device = new_api()
    assert other_device.signin(email).status_code == 200
    from_template = alice.new_project("tpl", template="static-site")
    mine = alice.new_project("mine")
    shared_text = "shared between alice and bob\n"
    assert (
        alice.sync(
            mine["id"],
            [
                {"op": "put", "path": "shared.txt", "content": shared_text},
                {"op": "put", "path": "only-alice.txt", "content": "alice's secret v1\n"},
            ],
            revision_message="v1",
        ).status_code
        == 200
    )
    version = alice.files(mine["id"])["only-alice.txt"]["version"]
    assert (
        alice.sync(
            mine["id"],
            [
                {
                    "op": "put",
                    "path": "only-alice.txt",
                    "base_version": version,
                    "content": "alice's secret v2\n",
                }
            ],
        ).status_code
        == 200
    )

    bob = new_api()
    bob.signup()
    bobs = bob.new_project("bob's")
    assert (
        bob.sync(
            bobs["id"],
            [
                {"op": "put", "path": "copy.txt", "content": shared_text},
                {"op": "put", "path": "bob.txt", "content": "bob\n"},
            ],
        ).status_code
        == 200
    )
    bob_shas = {bytes.fromhex(f["sha256"]) for f in bob.files(bobs["id"]).values()}
    assert len(query(database_url, "SELECT sha256 FROM blobs")) > len(bob_shas)

    response = alice.delete("/api/auth/account", json={"password": PASSWORD})
    assert response.status_code == 204, response.text
    value, attrs = session_cookie(response)
    assert value in {"", '""'} and attrs["max-age"] == "0"

    for table in (
        "users WHERE id = %s",
        "projects WHERE owner_id = %s",
        "sessions WHERE user_id = %s",
    ):
        assert query(database_url, f"SELECT count(*) FROM {table}", (alice_id,)) == [(0,)]
    for project in (from_template, mine):
        for table in ("files", "revisions"):
            assert query(
                database_url,
                f"SELECT count(*) FROM {table} WHERE project_id = %s",
                (project["id"],),
            ) == [(0,)]
    assert query(database_url, "SELECT count(*) FROM revision_files") == [(0,)]
    # Only Bob's contents remain; the one he shares with Alice stays.
    assert {bytes(r[0]) for r in query(database_url, "SELECT sha256 FROM blobs")} == bob_shas
    assert bob.files(bobs["id"])["copy.txt"]["content"] == shared_text

    assert session_status(alice) == 401
    assert session_status(other_device) == 401
    expect_error(new_api().signin(email), 401, "invalid_credentials")
    # The email is free again, for an empty account.
    again = new_api()
    again.signup(email)
    assert again.user["id"] != alice_id
    assert again.get("/api/projects").json() == {"projects": []}


# --- CSRF and Origin ---------------------------------------------------------------------


def unsafe_requests(project_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One valid request for every state-changing endpoint (each would succeed if let in)."""
    archive = zip_of({"zipped.txt": b"from a zip\n"})
    zip_kwargs = {"content": archive, "headers": {"content-type": "application/zip"}}
    base = f"/api/projects/{project_id}"
    return [
        ("POST", "/api/auth/signout", {}),
        ("POST", "/api/auth/signout-everywhere", {}),
        (
            "POST",
            "/api/auth/password",
            {"json": {"current_password": PASSWORD, "new_password": "attacker's choice"}},
        ),
        ("DELETE", "/api/auth/account", {"json": {"password": PASSWORD}}),
        ("POST", "/api/projects", {"json": {"name": "planted"}}),
        ("PATCH", base, {"json": {"name": "renamed", "description": "defaced"}}),
        ("DELETE", base, {}),
        ("POST", f"{base}/duplicate", {}),
        (
            "POST",
            f"{base}/sync",
            {"json": {"ops": [{"op": "put", "path": "planted.txt", "content": "x"}]}},
        ),
        ("POST", f"{base}/revisions", {"json": {"message": "planted"}}),
        ("POST", f"{base}/revisions/1/restore", {}),
        ("POST", "/api/projects/import?name=planted", zip_kwargs),
        ("POST", f"{base}/import", zip_kwargs),
        ("POST", f"{base}/upload", {"files": [("f", ("planted.txt", b"x", "text/plain"))]}),
    ]


def send(api: Api, method: str, path: str, kwargs: dict[str, Any], headers: dict[str, str]) -> Any:
    """A raw request with exactly these headers (plus the cookie jar)."""
    merged = {**kwargs.get("headers", {}), **headers}
    return api.client.request(method, path, **{**kwargs, "headers": merged})


class Victim:
    """A signed-in user with a project (one file, one revision), and a way to see that
    nothing about them changed."""

    def __init__(self, api: Api, database_url: str) -> None:
        self.api, self.url = api, database_url
        self.project = api.new_project("victim")
        response = api.sync(
            self.project["id"],
            [{"op": "put", "path": "main.py", "content": "print('v1')\n"}],
            revision_message="r1",
        )
        assert response.status_code == 200, response.text
        self.before = self.state()

    def state(self) -> dict[str, Any]:
        projects = self.api.client.get("/api/projects")
        assert projects.status_code == 200, "the victim was signed out"
        return {
            "projects": projects.json(),
            "revisions": self.api.client.get(
                f"/api/projects/{self.project['id']}/revisions"
            ).json(),
            "users": query(self.url, "SELECT id, email, password_hash FROM users ORDER BY id"),
            "sessions": query(
                self.url, "SELECT token_hash, csrf_token FROM sessions ORDER BY token_hash"
            ),
            "projects_in_db": query(self.url, "SELECT id, name, version FROM projects ORDER BY id"),
        }

    def assert_untouched(self) -> None:
        assert self.state() == self.before


def refusals(
    api: Api, project_id: str, headers: dict[str, str], status: int, code: str
) -> list[str]:
    """Send every unsafe request; return a line for each not answered `status`/`code`."""
    wrong = []
    for method, path, kwargs in unsafe_requests(project_id):
        response = send(api, method, path, kwargs, headers)
        got = response.json().get("error", {}).get("code") if response.content else None
        if response.status_code != status or got != code:
            wrong.append(f"{method} {path}: {response.status_code} {got}")
    return wrong


def test_unsafe_requests_without_csrf_token_are_403(api: Api, database_url: str) -> None:
    victim = Victim(api, database_url)
    assert refusals(api, victim.project["id"], {"origin": BASE_URL}, 403, "csrf") == []
    assert refusals(api, victim.project["id"], {}, 403, "csrf") == []
    victim.assert_untouched()


def test_unsafe_requests_with_a_wrong_csrf_token_are_403(api: Api, database_url: str) -> None:
    victim = Victim(api, database_url)
    for token in ("wrong", "", api.csrf[:-1], api.csrf + "x", api.csrf.upper(), token_of(api)):
        headers = {"origin": BASE_URL, "x-csrf-token": token}
        assert refusals(api, victim.project["id"], headers, 403, "csrf") == [], token
    victim.assert_untouched()


def test_csrf_token_of_another_users_session_is_403(
    api: Api, new_api: NewApi, database_url: str
) -> None:
    mallory = new_api()
    mallory.signup()
    victim = Victim(api, database_url)
    headers = {"origin": BASE_URL, "x-csrf-token": mallory.csrf}
    assert refusals(api, victim.project["id"], headers, 403, "csrf") == []
    # The token of another session of the same user does not fit this session either.
    twin = new_api()
    assert twin.signin(api.user["email"]).status_code == 200
    victim.before = victim.state()
    headers = {"origin": BASE_URL, "x-csrf-token": twin.csrf}
    assert refusals(api, victim.project["id"], headers, 403, "csrf") == []
    victim.assert_untouched()


def test_cross_site_origin_is_403_even_with_a_valid_token(api: Api, database_url: str) -> None:
    victim = Victim(api, database_url)
    for origin in (
        EVIL,
        "null",
        "http://testserver.evil.example",
        "http://testserver:8080",
        "https://testserver",
        "http://evil.example/http://testserver",
        "",
    ):
        headers = {"origin": origin, "x-csrf-token": api.csrf}
        assert refusals(api, victim.project["id"], headers, 403, "bad_origin") == [], origin
    victim.assert_untouched()


def test_sec_fetch_site_other_than_same_origin_is_403_without_origin(
    api: Api, database_url: str
) -> None:
    victim = Victim(api, database_url)
    for site in ("cross-site", "same-site"):
        headers = {"sec-fetch-site": site, "x-csrf-token": api.csrf}
        assert refusals(api, victim.project["id"], headers, 403, "bad_origin") == [], site
    victim.assert_untouched()


def test_same_origin_or_no_browser_headers_with_the_token_is_let_in(api: Api) -> None:
    for headers in (
        {"origin": BASE_URL},
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "none"},
        {},
    ):
        response = send(
            api,
            "POST",
            "/api/projects",
            {"json": {"name": "ok"}},
            {**headers, "x-csrf-token": api.csrf},
        )
        assert response.status_code == 201, (headers, response.text)
    assert len(api.get("/api/projects").json()["projects"]) == 4


def test_unsafe_requests_without_a_session_are_401(api: Api, new_api: NewApi) -> None:
    project = api.new_project("p")
    anonymous = new_api()
    assert (
        refusals(
            anonymous,
            project["id"],
            {"origin": BASE_URL, "x-csrf-token": api.csrf},
            401,
            "unauthenticated",
        )
        == []
    )
    # An anonymous cross-site request is refused for its origin first.
    assert refusals(anonymous, project["id"], {"origin": EVIL}, 403, "bad_origin") == []


def test_signup_and_signin_refuse_cross_site_requests(new_api: NewApi, database_url: str) -> None:
    new_api().signup("target@example.com")
    before = [count(database_url, t) for t in ("users", "sessions", "auth_failures")]
    creds = {"email": "target@example.com", "password": PASSWORD}
    client = new_api()
    for headers in ({"origin": EVIL}, {"origin": "null"}, {"sec-fetch-site": "cross-site"}):
        for path, body in (
            ("/api/auth/signin", creds),
            ("/api/auth/signup", {**creds, "email": "new@example.com"}),
        ):
            response = client.client.post(path, json=body, headers=headers)
            expect_error(response, 403, "bad_origin")
            assert response.headers.get_list("set-cookie") == []
    assert COOKIE not in client.client.cookies
    # No account, no session, and not even a failed sign-in was recorded.
    assert [count(database_url, t) for t in ("users", "sessions", "auth_failures")] == before


def test_get_requests_need_no_csrf_token(api: Api) -> None:
    project = api.new_project("reads", template="python-cli")
    assert api.sync(project["id"], [], revision_message="r1").status_code == 200
    base = f"/api/projects/{project['id']}"
    for path in (
        "/api/auth/session",
        "/api/projects",
        base,
        f"{base}/files",
        f"{base}/revisions",
        f"{base}/revisions/1",
        f"{base}/revisions/1/files/main.py",
        f"{base}/export",
        "/api/templates",
    ):
        response = api.client.get(path)  # the cookie only: no Origin, no token
        assert response.status_code == 200, (path, response.text)
        # Whatever a cross-site page asks, nothing lets it read the answer.
        foreign = api.client.get(path, headers={"origin": EVIL, "sec-fetch-site": "cross-site"})
        assert "access-control-allow-origin" not in foreign.headers
        assert foreign.headers["cross-origin-resource-policy"] == "same-origin"


# --- sign-in throttling ------------------------------------------------------------------


def failures(url: str) -> dict[str, int]:
    return dict(query(url, "SELECT key, failures FROM auth_failures"))


def set_failure_age(url: str, key: str, seconds: float) -> None:
    """Pretend the last failure for `key` happened `seconds` ago (instead of waiting)."""
    query(
        url,
        "UPDATE auth_failures SET last_failure = now() - make_interval(secs => %s) WHERE key = %s",
        (seconds, key),
    )


def address_key(url: str) -> str:
    keys = [k for k in failures(url) if k.startswith("address:")]
    assert len(keys) == 1, keys
    return keys[0]


def expect_throttled(response: Any, retry_after: int) -> None:
    error = expect_error(response, 429, "rate_limited")
    assert error["details"] == {"retry_after": retry_after}
    assert response.headers["retry-after"] == str(retry_after)
    assert str(retry_after) in error["message"]
    assert response.headers.get_list("set-cookie") == []


def test_account_is_throttled_after_five_failures_with_doubling_waits(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    email = new_api().signup()["user"]["email"]
    account = f"account:{email}"
    attacker = new_api()
    for attempt in range(1, 6):
        expect_error(attacker.signin(email, f"guess {attempt}xx"), 401, "invalid_credentials")
    assert failures(database_url)[account] == 5
    # From the sixth attempt on: 2^(failures - 5) s after the last failure.
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email, "guess 6xxx"), 1)
    expect_throttled(attacker.signin(email.upper()), 1)  # even the right password
    expect_throttled(new_api().signin(email), 1)  # from any client
    assert failures(database_url)[account] == 5  # refused attempts are not counted

    set_failure_age(database_url, account, 1.5)  # the 1 s wait is over
    expect_error(attacker.signin(email, "guess 6xxx"), 401, "invalid_credentials")
    assert failures(database_url)[account] == 6
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email, "guess 7xxx"), 2)
    set_failure_age(database_url, account, 1.2)
    expect_throttled(attacker.signin(email), 1)  # 2 s - 1.2 s, rounded up

    set_failure_age(database_url, account, 2.5)
    expect_error(attacker.signin(email, "guess 7xxx"), 401, "invalid_credentials")
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email), 4)

    # The wait is capped at 15 minutes however many failures.
    query(database_url, "UPDATE auth_failures SET failures = 500 WHERE key = %s", (account,))
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email), 900)
    # Failures older than an hour are forgotten.
    set_failure_age(database_url, account, 3601)
    owner = new_api()
    assert owner.signin(email).status_code == 200


def test_success_resets_the_account_counter(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    email = new_api().signup()["user"]["email"]
    account = f"account:{email}"
    client = new_api()
    for _ in range(5):
        expect_error(client.signin(email, "wrong password"), 401, "invalid_credentials")
    set_failure_age(database_url, account, 0)
    expect_throttled(client.signin(email), 1)
    set_failure_age(database_url, account, 1.5)
    assert client.signin(email).status_code == 200
    counts = failures(database_url)
    assert account not in counts
    assert counts[address_key(database_url)] == 5  # the address keeps its count
    # The count starts again from zero: the next failure is the first of five free ones.
    expect_error(client.signin(email, "wrong password"), 401, "invalid_credentials")
    assert failures(database_url)[account] == 1
    set_failure_age(database_url, account, 0)
    assert client.signin(email).status_code == 200


def test_the_wait_stays_capped_however_many_failures_were_counted(fresh: Fresh) -> None:
    """2^(failures - 5) overflows a float past 1028 failures; the cap must still hold (and
    concurrent attempts can pile up that many, see test_two_processes)."""
    database_url, new_api = fresh.url, fresh.new_api
    email = new_api().signup()["user"]["email"]
    client = new_api()
    expect_error(client.signin(email, "wrong password"), 401, "invalid_credentials")
    for key, count_ in ((f"account:{email}", 1029), (address_key(database_url), 1044)):
        query(
            database_url,
            "UPDATE auth_failures SET failures = %s, last_failure = now() WHERE key = %s",
            (count_, key),
        )
        expect_throttled(client.signin(email), 900)
        query(database_url, "DELETE FROM auth_failures WHERE key = %s", (key,))
    assert client.signin(email).status_code == 200


def test_unknown_email_is_throttled_like_a_real_account(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    client = new_api()
    for _ in range(5):
        expect_error(client.signin("ghost@example.com"), 401, "invalid_credentials")
    set_failure_age(database_url, "account:ghost@example.com", 0)
    expect_throttled(client.signin("ghost@example.com"), 1)


def test_other_accounts_are_not_throttled_until_the_address_limit(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    victim = new_api().signup()["user"]["email"]
    bystander = new_api().signup()["user"]["email"]
    client = new_api()
    for _ in range(5):
        expect_error(client.signin(victim, "wrong password"), 401, "invalid_credentials")
    set_failure_age(database_url, f"account:{victim}", 0)
    expect_throttled(client.signin(victim), 1)
    # Another account from the same address: free until the address has 20 failures.
    assert client.signin(bystander).status_code == 200
    expect_error(client.signin(bystander, "wrong password"), 401, "invalid_credentials")
    address = address_key(database_url)
    assert failures(database_url)[address] == 6
    # Skip most of the way (argon2 is slow on purpose), then count the last ones for real.
    query(database_url, "UPDATE auth_failures SET failures = 18 WHERE key = %s", (address,))
    for i in range(2):
        expect_error(client.signin(f"nobody{i}@example.com"), 401, "invalid_credentials")
    assert failures(database_url)[address] == 20
    set_failure_age(database_url, address, 0)
    expect_throttled(client.signin(bystander), 1)
    expect_throttled(client.signin("someone-new@example.com"), 1)
    set_failure_age(database_url, address, 1.5)
    assert client.signin(bystander).status_code == 200
    assert failures(database_url)[address] == 20  # success clears only the account


# --- cospai create-user ------------------------------------------------------------------


def create_user(database_url: str, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "create-user", "--password-stdin", *args],
        cwd=ROOT,
        env=env,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("cospai: error:"), result.stderr
    assert "Traceback" not in result.stderr
    assert needle in line, line


def test_cli_create_user_can_then_sign_in(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    result = create_user(
        database_url,
        "--email",
        " Cli.User@Example.com ",
        "--name",
        "Cli",
        password="  spaces count too  ",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    line = result.stdout.strip()
    assert line.startswith("created user cli.user@example.com (")
    user_id = line.rsplit("(", 1)[1].rstrip(")")
    client = new_api()
    response = client.signin("CLI.user@example.com", "  spaces count too  ")
    assert response.status_code == 200, response.text
    user = response.json()["user"]
    assert (user["id"], user["email"], user["display_name"]) == (
        user_id,
        "cli.user@example.com",
        "Cli",
    )
    assert client.get("/api/projects").json() == {"projects": []}
    expect_error(
        new_api().signin("cli.user@example.com", "spaces count too"), 401, "invalid_credentials"
    )
    stored = query(database_url, "SELECT password_hash FROM users")
    assert len(stored) == 1 and stored[0][0].startswith("$argon2id$")


def test_cli_create_user_refuses_a_taken_email(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    new_api().signup("Taken@Example.com")
    result = create_user(database_url, "--email", "TAKEN@example.com", password=PASSWORD)
    assert_one_line_error(result, "taken@example.com exists already")
    assert query(database_url, "SELECT count(*) FROM users") == [(1,)]


def test_cli_create_user_refuses_bad_input(fresh: Fresh) -> None:
    database_url = fresh.url
    for email, password, needle in (
        ("not-an-email", PASSWORD, "is not an email address"),
        ("a@b", PASSWORD, "is not an email address"),
        ("short@example.com", "1234567", "at least 8 characters"),
        ("empty@example.com", "", "at least 8 characters"),
    ):
        result = create_user(database_url, "--email", email, password=password)
        assert_one_line_error(result, needle)
    # Refused before the database was touched: not even migrated.
    assert query(database_url, "SELECT to_regclass('users') IS NULL") == [(True,)]
