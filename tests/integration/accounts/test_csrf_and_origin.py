"""CSRF tokens and the Origin and Sec-Fetch-Site checks on every unsafe request."""

from __future__ import annotations

from typing import Any

from tests.support.api import BASE_URL, PASSWORD, Api, expect_error
from tests.support.archives import zip_of
from tests.support.databases import query

from .conftest import COOKIE, EVIL, NewApi, count, token_of


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
