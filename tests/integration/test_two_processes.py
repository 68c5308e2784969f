"""Two real `cospai serve` processes on one database behave as one server: sessions,
sign-in throttling and migrations live in PostgreSQL, not in a process."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import pytest

from server import migrate
from tests.support import databases
from tests.support.api import PASSWORD, tiny_dist
from tests.support.databases import query
from tests.support.live_server import LiveServer

COOKIE = "cospai_session"


class Browser:
    """What a browser tab keeps: the session cookie and the CSRF token. It talks to any
    server, always with that server's own Origin, as a page served by it would."""

    def __init__(self) -> None:
        self.token = ""
        self.csrf = ""

    def call(
        self,
        server: LiveServer,
        method: str,
        path: str,
        *,
        origin: str | None = None,
        **kwargs: Any,
    ) -> httpx2.Response:
        headers = {"origin": origin or server.url, **kwargs.pop("headers", {})}
        if self.token:
            headers["cookie"] = f"{COOKIE}={self.token}"
        if self.csrf:
            headers["x-csrf-token"] = self.csrf
        # A client per call: no cookie jar but ours.
        return httpx2.request(method, server.url + path, headers=headers, timeout=30, **kwargs)

    def sign(
        self, server: LiveServer, action: str, email: str, password: str = PASSWORD
    ) -> httpx2.Response:
        response = self.call(
            server, "POST", f"/api/auth/{action}", json={"email": email, "password": password}
        )
        if response.status_code in (200, 201):
            self.token = response.cookies[COOKIE]
            self.csrf = response.json()["csrf_token"]
        return response


def fresh_email() -> str:
    return f"two-{secrets.token_hex(4)}@example.com"


def error_code(response: httpx2.Response) -> str:
    return str(response.json()["error"]["code"])


@pytest.fixture(scope="module")
def servers(
    pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, LiveServer, str]]:
    """Two servers on one fresh database (and the database's URL)."""
    dist = tiny_dist(tmp_path_factory.mktemp("dist"))
    with databases.fresh_database(pg_admin_url) as url:
        first = LiveServer(database_url=url, data_dir=tmp_path_factory.mktemp("a"), dist_dir=dist)
        second = LiveServer(database_url=url, data_dir=tmp_path_factory.mktemp("b"), dist_dir=dist)
        with first, second:
            assert first.url != second.url
            yield first, second, url


def test_a_session_made_on_one_server_works_on_the_other(
    servers: tuple[LiveServer, LiveServer, str],
) -> None:
    one, two, _url = servers
    tab = Browser()
    created = tab.sign(one, "signup", fresh_email())
    assert created.status_code == 201, created.text
    user = created.json()["user"]

    session = tab.call(two, "GET", "/api/auth/session")
    assert session.status_code == 200, session.text
    assert session.json() == {"user": user, "csrf_token": tab.csrf}
    project = tab.call(two, "POST", "/api/projects", json={"name": "made on two"})
    assert project.status_code == 201, project.text
    pid = project.json()["id"]
    listed = tab.call(one, "GET", "/api/projects").json()["projects"]
    assert [p["id"] for p in listed] == [pid]
    synced = tab.call(
        one,
        "POST",
        f"/api/projects/{pid}/sync",
        json={"ops": [{"op": "put", "path": "a.txt", "content": "from one\n"}]},
    )
    assert synced.status_code == 200, synced.text
    files = tab.call(two, "GET", f"/api/projects/{pid}/files").json()["files"]
    assert [(f["path"], f["content"]) for f in files] == [("a.txt", "from one\n")]

    # Each server is its own origin: the other's Origin is refused.
    foreign = tab.call(two, "POST", "/api/projects", origin=one.url, json={"name": "x"})
    assert foreign.status_code == 403 and error_code(foreign) == "bad_origin"

    # Signing out on one ends the session on both.
    out = tab.call(two, "POST", "/api/auth/signout")
    assert out.status_code == 204
    for server in (one, two):
        gone = tab.call(server, "GET", "/api/auth/session")
        assert gone.status_code == 401 and error_code(gone) == "unauthenticated"


def forget_address_failures(url: str) -> None:
    """The module's tests share a database and a client address (127.0.0.1): start each
    throttling test with that address's count at zero."""
    query(url, "DELETE FROM auth_failures WHERE key LIKE 'address:%%'")


def test_failed_sign_ins_count_across_servers(
    servers: tuple[LiveServer, LiveServer, str],
) -> None:
    one, two, url = servers
    forget_address_failures(url)
    email = fresh_email()
    assert Browser().sign(one, "signup", email).status_code == 201
    attacker = Browser()
    # Alternating servers, the five free failures are five in all, not five per server.
    for attempt, server in enumerate((one, two, one, two, one), start=1):
        response = attacker.sign(server, "signin", email, f"wrong guess {attempt}")
        assert response.status_code == 401, (attempt, response.text)
        assert error_code(response) == "invalid_credentials"
    assert query(
        url, "SELECT failures FROM auth_failures WHERE key = %s", (f"account:{email}",)
    ) == [(5,)]
    # The sixth attempt, within the 1 s wait, is refused by either server. The last failure
    # is set to now before each, so a loaded machine's slow requests stay within the wait.
    for server in (two, one):
        for password in ("wrong guess 6", PASSWORD):
            query(
                url,
                "UPDATE auth_failures SET last_failure = now() WHERE key = %s",
                (f"account:{email}",),
            )
            response = attacker.sign(server, "signin", email, password)
            assert response.status_code == 429, (server.url, response.text)
            assert error_code(response) == "rate_limited"
            assert response.headers["retry-after"] == "1"
            assert response.json()["error"]["details"] == {"retry_after": 1}
    # Once the wait is over, the right password works on either.
    query(
        url,
        "UPDATE auth_failures SET last_failure = now() - interval '2 s' WHERE key = %s",
        (f"account:{email}",),
    )
    assert attacker.sign(two, "signin", email).status_code == 200
    assert attacker.call(one, "GET", "/api/auth/session").status_code == 200


def test_concurrent_failed_sign_ins_cannot_outrun_the_throttle(
    servers: tuple[LiveServer, LiveServer, str],
) -> None:
    """A burst of wrong guesses sent at once, half to each server, gets the same five free
    failures as the same guesses sent one by one; the others are refused with 429.
    (Checking the count, verifying the password and recording the failure must not race.)"""
    one, two, url = servers
    forget_address_failures(url)
    email = fresh_email()
    assert Browser().sign(one, "signup", email).status_code == 201
    attempts = 12
    together = threading.Barrier(attempts)

    def guess(i: int) -> int:
        together.wait(timeout=30)
        server = (one, two)[i % 2]
        return Browser().sign(server, "signin", email, f"wrong guess {i}").status_code

    with ThreadPoolExecutor(attempts) as pool:
        codes = list(pool.map(guess, range(attempts)))
    counted = query(url, "SELECT failures FROM auth_failures WHERE key = %s", (f"account:{email}",))
    assert sorted(codes) == [401] * 5 + [429] * (attempts - 5), (sorted(codes), counted)
    assert counted == [(5,)]
    forget_address_failures(url)


def test_two_servers_starting_at_once_migrate_exactly_once(
    pg_admin_url: str, tmp_path: Path
) -> None:
    dist = tiny_dist(tmp_path / "dist")
    expected = [(m.version, m.name) for m in migrate.discover()]
    with databases.fresh_database(pg_admin_url) as url:
        pair = [
            LiveServer(database_url=url, data_dir=tmp_path / f"data{i}", dist_dir=dist)
            for i in range(2)
        ]
        together = threading.Barrier(len(pair))

        def start(server: LiveServer) -> LiveServer:
            together.wait(timeout=30)
            return server.start()

        try:
            with ThreadPoolExecutor(len(pair)) as pool:
                started = list(pool.map(start, pair))
            for server in started:
                health = server.health()
                assert health["status"] == "ok", health
                assert health["database"]["schema_version"] == len(expected)
                assert "Traceback" not in server.log and "cospai: error" not in server.log
            rows = query(url, "SELECT version, name FROM schema_migrations ORDER BY version")
            assert rows == expected
            # And the schema works for both: an account made on one signs in on the other.
            email = fresh_email()
            assert Browser().sign(started[0], "signup", email).status_code == 201
            assert Browser().sign(started[1], "signin", email).status_code == 200
        finally:
            for server in pair:
                server.stop()
