"""A user's own account: changing the password, and deleting the account with all it
owns."""

from __future__ import annotations

from tests.support.api import PASSWORD, Api, expect_error
from tests.support.databases import query

from .conftest import Fresh, NewApi, session_cookie, session_status


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
