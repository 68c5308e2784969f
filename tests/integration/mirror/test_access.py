"""Who may read the mirror and what it refuses: hostile names (400 before storage or the
upstream is asked), the per-address rate limit, no cookies needed, and CORS for the
sandbox origins only."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.integration.mirror.conftest import MirrorFactory, Upstream
from tests.support.api import expect_error

SANDBOX = "http://p0123abcd.sandbox.test:8001"  # mirror_app's sandbox: {project}.sandbox.test

# Dots are sent encoded: HTTP clients (TestClient's too) resolve a literal `..` before
# sending, and the server decodes %2e to a dot.
HOSTILE = [
    ("/api/mirror/npm/%2e%2e", "invalid_name"),
    ("/api/mirror/npm/.hidden", "invalid_name"),
    ("/api/mirror/npm/_private", "invalid_name"),
    ("/api/mirror/npm/a%00b", "invalid_name"),
    ("/api/mirror/npm/" + "a" * 215, "invalid_name"),
    ("/api/mirror/npm/a%2F..%2F..%2Fetc", "invalid_name"),
    ("/api/mirror/npm/@scope", "invalid_name"),
    ("/api/mirror/npm/@scope/a/b", "invalid_name"),
    ("/api/mirror/npm/has space", "invalid_name"),
    ("/api/mirror/npm/caf%C3%A9", "invalid_name"),
    ("/api/mirror/npm/ok/-/..tgz", "invalid_filename"),
    ("/api/mirror/npm/ok/-/a..b.tgz", "invalid_filename"),
    ("/api/mirror/npm/ok/-/x.tar", "invalid_filename"),
    ("/api/mirror/npm/ok/-/%00.tgz", "invalid_filename"),
    ("/api/mirror/npm/%2e%2e/-/x.tgz", "invalid_name"),
    ("/api/mirror/npm/ok/-/%2e%2e%2fx.tgz", "invalid_name"),
    ("/api/mirror/pypi/simple/-bad/", "invalid_name"),
    ("/api/mirror/pypi/simple/a%00/", "invalid_name"),
    ("/api/mirror/pypi/simple/a%2Fb/", "invalid_name"),
    ("/api/mirror/pypi/simple/" + "a" * 201 + "/", "invalid_name"),
    ("/api/mirror/pypi/files/six/..%2F..%2Fsecret.whl", "invalid_filename"),
    ("/api/mirror/pypi/files/six/six.exe", "invalid_filename"),
    ("/api/mirror/pypi/files/six/.six-1.0.whl", "invalid_filename"),
    ("/api/mirror/pypi/files/..%2Fsix/six-1.0-py3-none-any.whl", "invalid_name"),
]


@pytest.mark.parametrize(("path", "code"), HOSTILE)
def test_hostile_names_are_refused(
    mirror: TestClient, upstream: Upstream, path: str, code: str
) -> None:
    expect_error(mirror.get(path), 400, code)
    assert sum(upstream.counting.hits.values()) == 0


def test_rate_limit_per_address(new_mirror: MirrorFactory) -> None:
    mirror = new_mirror(requests_per_minute=5)
    one, other = {"x-forwarded-for": "192.0.2.1"}, {"x-forwarded-for": "192.0.2.2"}
    for _ in range(5):
        assert mirror.get("/api/mirror/npm/balanced-match", headers=one).status_code == 200
    refused = mirror.get("/api/mirror/npm/balanced-match", headers=one)
    error = expect_error(refused, 429, "rate_limited")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert error["details"]["retry_after"] == int(refused.headers["retry-after"])
    # Bad names count too; another address has its own allowance.
    expect_error(mirror.get("/api/mirror/npm/%2e%2e", headers=one), 429, "rate_limited")
    assert mirror.get("/api/mirror/npm/balanced-match", headers=other).status_code == 200


def test_no_cookies_needed_even_with_a_bad_one(mirror: TestClient) -> None:
    mirror.cookies.set("cospai_session", "not-a-session")
    response = mirror.get("/api/mirror/pypi/simple/iniconfig/")
    assert response.status_code == 200
    assert "set-cookie" not in response.headers


def test_cors_for_the_sandbox_origin_only(mirror: TestClient) -> None:
    allowed = mirror.get("/api/mirror/npm/balanced-match", headers={"origin": SANDBOX})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SANDBOX
    assert "access-control-allow-credentials" not in allowed.headers
    assert allowed.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "origin" in allowed.headers["vary"].lower()
    # Errors too: the runtime must be able to read why.
    error = mirror.get("/api/mirror/npm/%2e%2e", headers={"origin": SANDBOX})
    assert error.status_code == 400
    assert error.headers["access-control-allow-origin"] == SANDBOX
    for other in ("http://evil.example", "http://testserver", "http://p0123abcd.sandbox.test"):
        refused = mirror.get("/api/mirror/npm/balanced-match", headers={"origin": other})
        assert "access-control-allow-origin" not in refused.headers, other


def test_preflight(mirror: TestClient) -> None:
    headers = {
        "origin": SANDBOX,
        "access-control-request-method": "GET",
        "access-control-request-headers": "if-none-match",
    }
    response = mirror.options("/api/mirror/npm/balanced-match", headers=headers)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == SANDBOX
    assert "GET" in response.headers["access-control-allow-methods"]
    assert "if-none-match" in response.headers["access-control-allow-headers"]
    other = mirror.options(
        "/api/mirror/npm/balanced-match", headers={**headers, "origin": "http://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
    # Elsewhere in the API, OPTIONS is still not a method anything answers.
    assert mirror.options("/api/projects", headers=headers).status_code == 405
