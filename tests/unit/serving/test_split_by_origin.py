"""Which app answers (server/sandbox_site.py SplitByOrigin): with host patterns configured,
the Host header picks the sandbox or the share origin, and anything else goes to the IDE,
whose AllowedHosts answers a name it does not know with 400. A garbled Host ("[") used to
raise in the split itself, a 500 before any app was reached. Websockets follow the same
split; a refused one is closed with 1008. Without a database: no request here needs one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.types import ASGIApp, Message

from server.app import create_app
from server.settings import Settings

from .conftest import assert_isolated, call_asgi, raw_request, write_dist

SITE = {
    "index.html": b"<!doctype html><title>IDE</title>",
    "assets/pyodide-abcdef/pyodide.mjs": b"export const loadPyodide = 1;\n",
    "sandbox-origin/runtime.html": b"<!doctype html><script src=runtime.js></script>",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> ASGIApp:
    dist = write_dist(tmp_path_factory.mktemp("split") / "dist", SITE, "build-split")
    settings = Settings(
        dist_dir=dist,
        port=8000,
        sandbox_port=8001,
        sandbox_host="{project}.sandbox.example.com",
        share_host="share.example.com",
        allowed_hosts=("ide.example.com",),
    )
    return create_app(settings, database_url="postgresql://", run_migrations=False)


def answered_by(app: ASGIApp, host: bytes, server: tuple[str, int] = ("10.0.0.1", 80)) -> str:
    """ "sandbox", "share" or "ide", from what each one answers to GET /runtime.html."""
    status, headers, body = raw_request(app, "/runtime.html", host=host, server=server)
    if status == 200 and body == SITE["sandbox-origin/runtime.html"]:
        assert headers["cross-origin-resource-policy"] == "cross-origin"
        return "sandbox"
    if status == 404 and b"Nothing is served here but shared links" in body:
        return "share"
    assert status in (400, 404), (host, status, body)
    assert_isolated(headers)  # the IDE app's headers, on its refusals too
    return "ide"


@pytest.mark.parametrize(
    "host",
    [
        b"[",
        b"[::1",
        b"share.example.com]",
        b"pabc.sandbox.example.com:99999",
        b"pabc.sandbox.example.com:port",
        b"user@share.example.com",
        b"share.example.com/s/x",
        b"",
        b"\xff\xfe",
    ],
)
def test_a_garbled_host_is_the_ides_400_not_a_500(app: ASGIApp, host: bytes) -> None:
    status, headers, body = raw_request(app, "/", host=host)
    assert status == 400, (host, body)
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"This server does not answer to the host name")
    assert_isolated(headers)
    status, headers, body = raw_request(app, "/api/health", host=host)
    assert status == 400
    error = json.loads(body)["error"]
    assert error["code"] == "bad_host"
    assert error["details"] == {"host": host.decode("latin-1")}


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (b"pabc123.sandbox.example.com", "sandbox"),
        (b"PABC123.Sandbox.Example.COM", "sandbox"),
        (b"pabc123.sandbox.example.com:8443", "sandbox"),
        (b"pabc123.sandbox.example.com.", "sandbox"),  # the absolute form of the name
        (b"p" + b"a" * 62 + b".sandbox.example.com", "sandbox"),  # a 63-letter label
        (b"p" + b"a" * 63 + b".sandbox.example.com", "ide"),  # 64: no DNS label
        (b"pabc-.sandbox.example.com", "ide"),
        (b"a.b.sandbox.example.com", "ide"),
        (b"p_abc.sandbox.example.com", "ide"),
        (b"share.example.com", "share"),
        (b"SHARE.example.com:443", "share"),
        (b"x.share.example.com", "ide"),
        (b"share.example.com.evil.test", "ide"),
        (b"ide.example.com", "ide"),
        (b"evil.example", "ide"),
    ],
)
def test_the_host_name_picks_the_origin(app: ASGIApp, host: bytes, expected: str) -> None:
    assert answered_by(app, host) == expected


def test_the_sandbox_port_wins_over_the_ides_names(app: ASGIApp) -> None:
    for host in (b"ide.example.com", b"evil.example", b"[", b""):
        assert answered_by(app, host, server=("0.0.0.0", 8001)) == "sandbox", host  # noqa: S104
    assert answered_by(app, b"ide.example.com", server=("0.0.0.0", 8000)) == "ide"  # noqa: S104


def test_the_ide_answers_its_own_name(app: ASGIApp) -> None:
    status, headers, body = raw_request(app, "/", host=b"IDE.example.com:8000")
    assert status == 200 and body == SITE["index.html"]
    assert_isolated(headers)


def websocket(
    app: ASGIApp, host: bytes, server: tuple[str, int] = ("10.0.0.1", 80)
) -> list[Message]:
    """What the app sends to a websocket handshake (the IDE app serves no websocket)."""
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": "/api/rooms/x",
        "raw_path": b"/api/rooms/x",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", host)],
        "client": ("127.0.0.1", 50000),
        "server": server,
        "subprotocols": [],
    }
    return call_asgi(app, scope, {"type": "websocket.connect"})


def test_a_websocket_to_a_host_the_ide_does_not_answer_is_closed_with_1008(app: ASGIApp) -> None:
    for host in (b"evil.example", b"["):
        sent = websocket(app, host)
        assert len(sent) == 1 and sent[0]["type"] == "websocket.close", sent
        assert sent[0]["code"] == 1008
        assert sent[0]["reason"].startswith("This server does not answer to the host name")
        assert len(sent[0]["reason"]) <= 120


def test_the_sandbox_and_share_origins_ignore_websockets(app: ASGIApp) -> None:
    assert websocket(app, b"pabc.sandbox.example.com") == []
    assert websocket(app, b"share.example.com") == []
    assert websocket(app, b"ide.example.com", server=("0.0.0.0", 8001)) == []  # noqa: S104


def test_without_patterns_only_the_port_splits(tmp_path: Path) -> None:
    dist = write_dist(tmp_path / "dist", SITE, "build-ports")
    app = create_app(
        Settings(dist_dir=dist, port=8000, sandbox_port=8001, allowed_hosts=("*",)),
        database_url="postgresql://",
        run_migrations=False,
    )
    assert answered_by(app, b"pabc.sandbox.example.com") == "ide"
    assert answered_by(app, b"[") == "ide"  # "*" is any name, but a garbled one is none
    assert answered_by(app, b"anything.example", server=("127.0.0.1", 8001)) == "sandbox"
