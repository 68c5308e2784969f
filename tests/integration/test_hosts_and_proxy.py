"""Who the IDE answers to: configured host names only (DNS rebinding), state changes only
from allowed origins, and behind a trusted proxy the client's own address and scheme.
Sign-ups are throttled per address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support.api import PASSWORD, tiny_dist

EVIL = "http://evil.example"


@pytest.fixture
def client_for(database_url: str, tmp_path: Path) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make(base_url: str = "http://127.0.0.1:8000", **settings: Any) -> TestClient:
        app = create_app(
            Settings(dist_dir=tiny_dist(tmp_path / "dist"), **settings), database_url=database_url
        )
        client = TestClient(app, base_url=base_url)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def signup(client: TestClient, origin: str, email: str = "ada@example.com", **headers: str) -> Any:
    return client.post(
        "/api/auth/signup",
        json={"email": email, "password": PASSWORD},
        headers={"origin": origin, **headers},
    )


def users(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM users").fetchone()
    assert row is not None
    return int(row[0])


def test_dns_rebinding_sign_up_is_refused(client_for: Any, database_url: str) -> None:
    """The probe: sign-up with Host and Origin of another name answered 201."""
    client = client_for()  # started for 127.0.0.1: answers to the loopback names only
    for host in (
        "evil.example",
        "evil.example:8000",
        "127.0.0.1.evil.example",
        "localhost.evil",
        "[::2]:8000",
        "",
        "a@127.0.0.1",
        "127.0.0.1:notaport",
    ):
        origin = f"http://{host}" if host else EVIL
        response = signup(client, origin, host=host)
        assert response.status_code == 400, (host, response.text)
        error = response.json()["error"]
        assert error["code"] == "bad_host" and "--allowed-hosts" in error["message"], host
        assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert users(database_url) == 0
    page = client.get("/", headers={"host": "evil.example"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/plain")
    assert "does not answer to the host name 'evil.example'" in page.text
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST", "localhost."):
        origin = f"http://{host}"
        response = signup(
            client, origin, f"{len(host)}-{host.strip('[].:')}@example.com", host=host
        )
        assert response.status_code == 201, (host, response.text)


def test_configured_names_replace_the_defaults(client_for: Any) -> None:
    client = client_for(
        "https://ide.example.com", allowed_hosts=("IDE.example.com", "*.team.example")
    )
    assert signup(client, "https://ide.example.com").status_code == 201
    assert client.get("/api/health", headers={"host": "a.team.example"}).status_code == 200
    for host in ("127.0.0.1", "localhost", "team.example", "ateam.example"):
        assert client.get("/api/health", headers={"host": host}).status_code == 400, host
    anyone = client_for(allowed_hosts=("*",))
    assert anyone.get("/api/health", headers={"host": "whatever.example"}).status_code == 200


def test_a_state_change_from_another_hosts_origin_is_refused(client_for: Any) -> None:
    client = client_for()
    for origin in (
        EVIL,
        "null",
        "http://evil.example:8000",
        "file://",
        "garbage",
        "http://127.0.0.1:notaport",
    ):
        response = signup(client, origin)
        assert response.status_code == 403, (origin, response.text)
        assert response.json()["error"]["code"] == "bad_origin"
        assert response.json()["error"]["details"]["origin"] == origin
    # Reads are not state changes; allowed origins pass on to the route's own check.
    assert client.get("/api/health", headers={"origin": EVIL}).status_code == 200
    allowed = client_for(allowed_origins=(EVIL,))
    response = signup(allowed, EVIL)
    assert response.status_code == 201, response.text


def test_sandbox_and_share_sites_keep_their_own_host_names(client_for: Any) -> None:
    client = client_for(port=8000, sandbox_port=8001, share_host="share.test")
    preview = client.get("http://p123.localhost:8001/preview/x/", headers={})
    assert preview.status_code == 503 and "Preview not running" in preview.text
    share = client.get("http://share.test:8000/s/nothing/")
    assert share.status_code != 400 and "does not answer" not in share.text
    assert client.get("http://p123.localhost:8000/").status_code == 400  # the IDE's port


def test_behind_a_trusted_proxy_cookies_are_secure_and_throttles_key_on_the_client(
    client_for: Any,
    database_url: str,
) -> None:
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}
    proxied = client_for(
        "http://ide.example.com", allowed_hosts=("ide.example.com",), forwarded_allow_ips=("*",)
    )
    response = signup(proxied, "https://ide.example.com", **forwarded)
    assert response.status_code == 201, response.text
    cookie = response.headers["set-cookie"].lower()
    assert "; secure" in cookie and "httponly" in cookie
    # Sign-in failures count against the client's address, not the proxy's.
    wrong = proxied.post(
        "/api/auth/signin",
        json={"email": "x@example.com", "password": "nope"},
        headers={"origin": "https://ide.example.com", **forwarded},
    )
    assert wrong.status_code == 401
    with psycopg.connect(database_url) as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM auth_failures")}
    assert {"address:203.0.113.7", "signup:203.0.113.7"} <= keys
    assert not any("testclient" in k for k in keys)


def test_forwarded_headers_from_anyone_else_are_ignored(client_for: Any, database_url: str) -> None:
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}
    for settings in ({}, {"forwarded_allow_ips": ("10.0.0.1", "192.168.0.0/16")}):
        client = client_for(**settings)
        email = f"n{len(settings)}@example.com"
        response = signup(client, "http://127.0.0.1:8000", email, **forwarded)
        assert response.status_code == 201, response.text
        assert "secure" not in response.headers["set-cookie"].lower()
        # The scheme stayed http: an https Origin is not ours.
        assert signup(client, "https://127.0.0.1:8000", "z" + email, **forwarded).status_code == 403
    with psycopg.connect(database_url) as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM auth_failures")}
    assert keys == {"signup:testclient"}


def test_sign_ups_are_throttled_per_address(client_for: Any, database_url: str) -> None:
    client = client_for(signups_per_hour=3, forwarded_allow_ips=("*",))
    origin = "http://127.0.0.1:8000"
    here = {"x-forwarded-for": "198.51.100.1"}
    for i in range(3):
        assert signup(client, origin, f"u{i}@example.com", **here).status_code == 201
    # Past the free ones, the n-th more waits 2^n s after the last: the first extra is let
    # through when it comes a second or more after the third (a loaded machine's hashing
    # takes that long), the second after 2 s and so on: one of them is refused.
    extra = 0
    for i in range(3, 9):
        refused = signup(client, origin, f"u{i}@example.com", **here)
        if refused.status_code != 201:
            break
        extra += 1
    assert refused.status_code == 429, refused.text
    error = refused.json()["error"]
    assert (
        error["code"] == "rate_limited"
        and "Too many sign-ups from your address" in error["message"]
    )
    assert int(refused.headers["retry-after"]) == error["details"]["retry_after"] >= 1
    assert users(database_url) == 3 + extra
    # Another address is not held up by this one.
    other = signup(client, origin, "v@example.com", **{"x-forwarded-for": "198.51.100.2"})
    assert other.status_code == 201
    # A refused sign-up does not hash at all: the refusal comes before.
    assert users(database_url) == 4 + extra
