"""What the sessions table holds: live sessions only (expired ones are deleted when a session
is opened; before, nothing ever deleted them and the table only grew), the user agent and
address cut to their columns' bounds, and nothing for a cookie that cannot be a token.
The module shares one database, so every count is of the test's own users."""

from __future__ import annotations

from tests.support.api import Api, expect_error
from tests.support.databases import execute, query, scalar

from .conftest import NewApi, fresh_email, session_status, with_cookie


def sessions_of(url: str, *users: Api, expired: bool | None = None) -> int:
    ids = [user.user["id"] for user in users]
    where = "" if expired is None else f" AND (expires_at < now()) = {expired}"
    return int(
        scalar(url, f"SELECT count(*) FROM sessions WHERE user_id::text = ANY(%s){where}", (ids,))
    )


def signed_up(new_api: NewApi, tag: str, **headers: str) -> Api:
    api = new_api()
    body = {"email": fresh_email(tag), "password": "correct horse battery"}
    response = api.post("/api/auth/signup", json=body, headers=headers)
    assert response.status_code == 201, response.text
    api.csrf, api.user = response.json()["csrf_token"], response.json()["user"]
    return api


def test_opening_a_session_deletes_the_expired_ones(new_api: NewApi, database_url: str) -> None:
    old, live = signed_up(new_api, "old"), signed_up(new_api, "live")
    assert new_api().signin(old.user["email"]).status_code == 200
    assert sessions_of(database_url, old, live) == 3
    execute(
        database_url,
        "UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = %s",
        (old.user["id"],),
    )
    # Reading does not purge: the rows stay until someone opens a session.
    assert session_status(old) == 401
    assert sessions_of(database_url, old, expired=True) == 2

    newcomer = signed_up(new_api, "newcomer")
    assert sessions_of(database_url, old) == 0
    assert sessions_of(database_url, live, newcomer, expired=False) == 2
    assert session_status(live) == 200  # a live session is untouched
    again = new_api()
    assert again.signin(old.user["email"]).status_code == 200
    assert sessions_of(database_url, old) == 1
    assert session_status(again) == 200 and session_status(old) == 401


def test_a_backlog_of_expired_sessions_is_purged_in_bounded_steps(
    new_api: NewApi, database_url: str
) -> None:
    user = signed_up(new_api, "backlog")
    # 250 expired sessions, as if nobody had signed in for weeks.
    execute(
        database_url,
        "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, user_agent, address) "
        "SELECT sha256((%s || i)::bytea), %s, 'x', now() - interval '1 day', '', '' "
        "FROM generate_series(1, 250) AS i",
        (user.user["id"], user.user["id"]),
    )
    remaining = []
    for _ in range(3):
        assert new_api().signin(user.user["email"]).status_code == 200
        remaining.append(sessions_of(database_url, user, expired=True))
    assert remaining == [150, 50, 0]  # at most 100 a sign-in: none waits on all of them
    assert sessions_of(database_url, user) == 1 + 3


def test_the_user_agent_and_address_are_cut_to_their_bounds(
    new_api: NewApi, database_url: str
) -> None:
    agent = "Mozilla/5.0 " + "x" * 5000
    api = signed_up(new_api, "agent", **{"user-agent": agent})
    rows = query(
        database_url,
        "SELECT user_agent, address FROM sessions WHERE user_id = %s",
        (api.user["id"],),
    )
    assert rows == [(agent[:300], "testclient")]


def test_no_user_agent_is_an_empty_one(new_api: NewApi, database_url: str) -> None:
    api = new_api()
    api.client.headers.pop("user-agent", None)
    api.signup()
    rows = query(
        database_url, "SELECT user_agent FROM sessions WHERE user_id = %s", (api.user["id"],)
    )
    assert rows == [("",)]


def test_a_cookie_that_cannot_be_a_token_is_no_session(new_api: NewApi) -> None:
    for cookie in ("x" * 201, "", "a" * 43, "%00"):
        client = with_cookie(new_api, cookie)
        expect_error(client.client.get("/api/auth/session"), 401, "unauthenticated")
        expect_error(client.client.get("/api/projects"), 401, "unauthenticated")
