"""Signing in and out through the API, and the sessions that carry a signed-in user:
what the database keeps of them, expiry, and signing out everywhere."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from tests.support.api import BASE_URL, PASSWORD, Api, expect_error
from tests.support.databases import query

from .conftest import COOKIE, Fresh, NewApi, session_cookie, session_status, token_of, with_cookie


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
