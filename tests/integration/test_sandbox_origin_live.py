"""A real `cospai serve` listens on a second port for the sandbox (user code: the runtime,
previews), reached under per-project host names (`<key>.localhost`, another site than the
IDE's 127.0.0.1 for cookies and storage), where only the sandbox's files answer, with COEP +
CORP cross-origin, and no cookie is ever set."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from tests.support.live_server import LiveServer


def fetch(
    url: str, method: str = "GET", host: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body); `host` names another host than the URL's (what a browser
    sends for <key>.localhost, when the request goes to 127.0.0.1)."""
    headers = {"host": host} if host else {}
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def fetch_as(url: str, host: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    return fetch(url, method, host)


def test_the_sandbox_port_serves_only_the_sandbox(live_server: LiveServer) -> None:
    found = re.search(r"sandbox \(user code\) on port (\d+)", live_server.log)
    assert found, live_server.log
    port = int(found[1])
    status, _headers, body = fetch(f"{live_server.url}/api/runtime-config")
    assert status == 200
    assert json.loads(body)["sandbox"] == f"http://{{project}}.localhost:{port}"
    origin = f"http://127.0.0.1:{port}"

    listed = json.loads(fetch(origin + "/sandbox-files.json")[2])
    assert any("/pyodide-" in name for name in listed["files"])
    status, headers, _body = fetch(origin + listed["files"][-1])
    assert status == 200 and headers["cross-origin-resource-policy"] == "cross-origin"
    status, headers, _body = fetch_as(origin + "/runtime.html", f"pabc.localhost:{port}")
    assert status == 200 and headers["cross-origin-embedder-policy"] == "require-corp"
    for path in ("/relay.html", "/relay.js", "/sw.js", "/runtime.html", "/runtime.js"):
        status, headers, _body = fetch(origin + path)
        assert status == 200, path
        assert headers["cross-origin-embedder-policy"] == "require-corp"
        assert headers["cross-origin-resource-policy"] == "cross-origin"
        assert "set-cookie" not in headers
    for path in ("/", "/api/health", "/signin", "/manifest.json", "/pyscript.json"):
        status, headers, _body = fetch(origin + path)
        assert status == 404, path
        assert headers["cross-origin-resource-policy"] == "cross-origin"
    status, _headers, _body = fetch(origin + "/api/auth/signout", "POST")
    assert status == 405
    # The IDE's own origin still answers as before.
    status, headers, _body = fetch(f"{live_server.url}/api/health")
    assert status == 200 and headers["cross-origin-resource-policy"] == "same-origin"
