"""client/adapters/server_api.py: the /api calls as the server sees them (method, path,
headers, body) and every kind of answer mapped onto the ports' errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from client.core.model import ServerFile
from client.core.ports import Offline, Refused, ServerFailed, ServerSnapshot, SignedOut

from .conftest import Browser, arun

SESSION = {"user": {"id": "u1"}, "csrf_token": "tok-1"}


@dataclass
class Sent:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | str | None
    parts: list[tuple[str, bytes | str]] | None


@dataclass
class Wire:
    """fetch() as the adapter sees it: answers by "METHOD /path" (a list is used in turn;
    an exception is raised), and every request it was handed."""

    http: Any
    answers: dict[str, Any] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)

    async def fetch(self, method: str, url: str, **options: Any) -> Any:
        headers, body, parts = (options.get(key) for key in ("headers", "body", "parts"))
        self.sent.append(Sent(method, url, dict(headers or {}), body, parts))
        answer = self.answers[f"{method} {url}"]
        if isinstance(answer, list):
            answer = answer.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body)
        return self.http.HttpResponse(
            status, headers or {}, raw.encode() if isinstance(raw, str) else raw
        )


@pytest.fixture
def wire(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> Wire:
    module = browser.load("client.adapters.server_api")
    wire = Wire(browser.load("client.ffi.http"))
    monkeypatch.setattr(module, "fetch", wire.fetch)
    return wire


def api(browser: Browser, token: str = "") -> Any:
    adapter = browser.load("client.adapters.server_api").HttpServerApi("/api/")
    adapter.csrf_token = token
    return adapter


def error(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def test_sign_in_keeps_the_token_for_the_calls_after_it(browser: Browser, wire: Wire) -> None:
    adapter = api(browser)
    wire.answers["POST /api/auth/signin"] = wire.reply(200, SESSION)
    wire.answers["POST /api/projects"] = wire.reply(201, {"id": "p1"})

    async def main() -> None:
        assert await adapter.sign("signin", "ada@example.com", "pw") == SESSION
        assert await adapter.call("POST", "/projects", {"name": "One"}) == {"id": "p1"}

    arun(main)
    signin, create = wire.sent
    assert json.loads(signin.body or "") == {"email": "ada@example.com", "password": "pw"}
    assert signin.headers == {"content-type": "application/json"}  # no token yet, none asked
    assert create.headers == {"content-type": "application/json", "x-csrf-token": "tok-1"}
    assert adapter.base == "/api" and adapter.url("/x") == "/api/x"


def test_a_write_without_a_token_asks_the_session_first(browser: Browser, wire: Wire) -> None:
    """A page that started offline never got its token: the first write fetches it."""
    adapter = api(browser)
    wire.answers["GET /api/auth/session"] = wire.reply(200, SESSION)
    wire.answers["DELETE /api/projects/p1"] = wire.reply(204)
    assert arun(lambda: adapter.call("DELETE", "/projects/p1")) is None
    assert [(s.method, s.url) for s in wire.sent] == [
        ("GET", "/api/auth/session"),
        ("DELETE", "/api/projects/p1"),
    ]
    assert wire.sent[0].headers == {}  # a GET never carries the token
    assert wire.sent[1].headers == {"x-csrf-token": "tok-1"}


def test_session_is_none_when_signed_out_and_keeps_no_token(browser: Browser, wire: Wire) -> None:
    adapter = api(browser)
    wire.answers["GET /api/auth/session"] = wire.reply(401, error("unauthenticated", "no"))
    assert arun(adapter.session) is None
    assert adapter.csrf_token == ""


@pytest.mark.parametrize(
    ("status", "body", "raised", "words"),
    [
        (500, error("boom", "ignored"), ServerFailed, "the server answered 500"),
        (503, b"<html>busy</html>", ServerFailed, "the server answered 503"),
        (401, error("unauthenticated", "x"), SignedOut, "the session has ended; sign in again"),
        (401, error("bad_credentials", "Wrong email or password"), Refused, "Wrong email"),
        (409, error("conflict", "Taken", {"path": "a"}), Refused, "Taken"),
        (413, b"<html>too large</html>", Refused, "HTTP 413"),
        (400, b"[1, 2]", Refused, "HTTP 400"),
        (404, b'{"error": null}', Refused, "HTTP 404"),
        (404, {"error": "Not Found"}, Refused, "HTTP 404"),  # another app's shape
    ],
)
def test_answers_map_onto_the_ports_errors(
    browser: Browser, wire: Wire, status: int, body: Any, raised: type, words: str
) -> None:
    adapter = api(browser, token="t")
    wire.answers["POST /api/x"] = wire.reply(status, body)
    with pytest.raises(raised) as caught:
        arun(lambda: adapter.call("POST", "/x", {}))
    assert words in str(caught.value)


def test_a_refusal_carries_the_servers_code_and_details(browser: Browser, wire: Wire) -> None:
    adapter = api(browser, token="t")
    details = {"limit": 100, "path": "big.bin"}
    wire.answers["POST /api/x"] = [
        wire.reply(413, error("too_large", "big.bin is over the limit", details)),
        wire.reply(422, {"error": {"message": "no code"}}),
    ]
    with pytest.raises(Refused) as caught:
        arun(lambda: adapter.call("POST", "/x"))
    assert (caught.value.status, caught.value.code, caught.value.details) == (
        413,
        "too_large",
        details,
    )
    assert str(caught.value) == "big.bin is over the limit"
    with pytest.raises(Refused) as caught:
        arun(lambda: adapter.call("POST", "/x"))
    assert (caught.value.code, caught.value.details) == ("error", {})


def test_no_answer_is_offline_with_the_reason(browser: Browser, wire: Wire) -> None:
    adapter = api(browser, token="t")
    http = browser.load("client.ffi.http")
    wire.answers["GET /api/projects"] = http.NetworkError("no answer from the server within 30 s")
    with pytest.raises(Offline, match="within 30 s"):
        arun(lambda: adapter.call("GET", "/projects"))


def test_load_reads_text_and_binary_files_and_the_etag(browser: Browser, wire: Wire) -> None:
    adapter = api(browser)
    files = [
        {
            "path": "a.txt",
            "version": "3",
            "sha256": "s1",
            "binary": False,
            "size": 5,
            "content": "héllo",
        },
        {"path": "img.png", "version": 4, "sha256": "s2", "binary": True, "size": 9},
    ]
    wire.answers["GET /api/projects/p1/files"] = wire.reply(
        200, {"version": "7", "files": files}, {"etag": '"v7"'}
    )
    snapshot = arun(lambda: adapter.load("p1", None))
    assert snapshot == ServerSnapshot(
        7,
        '"v7"',
        [
            ServerFile("a.txt", 3, "s1", False, 5, "héllo".encode()),
            ServerFile("img.png", 4, "s2", True, 9, None),  # fetched later, as a blob
        ],
    )
    assert wire.sent[0].headers == {}


def test_load_with_a_matching_etag_is_none(browser: Browser, wire: Wire) -> None:
    adapter = api(browser)
    wire.answers["GET /api/projects/p1/files"] = wire.reply(304)
    assert arun(lambda: adapter.load("p1", '"v7"')) is None
    assert wire.sent[0].headers == {"if-none-match": '"v7"'}


def test_load_without_an_etag_header_keeps_an_empty_one(browser: Browser, wire: Wire) -> None:
    adapter = api(browser)
    wire.answers["GET /api/projects/p1/files"] = wire.reply(200, {"version": 1, "files": []})
    assert arun(lambda: adapter.load("p1", None)) == ServerSnapshot(1, "", [])


def test_blob_is_the_raw_body(browser: Browser, wire: Wire) -> None:
    adapter = api(browser)
    wire.answers["GET /api/projects/p1/blobs/abc"] = wire.reply(200, bytes(range(256)))
    assert arun(lambda: adapter.blob("p1", "abc")) == bytes(range(256))


def test_sync_without_binary_parts_is_one_json_body(browser: Browser, wire: Wire) -> None:
    adapter = api(browser, token="t")
    answer = {"results": [{"index": 0, "status": "ok", "version": 2}], "version": 2}
    wire.answers["POST /api/projects/p1/sync"] = wire.reply(200, answer)
    ops = [{"op": "put", "path": "a.txt", "content": "x", "base_version": None}]
    assert arun(lambda: adapter.sync("p1", ops, {}, None)) == answer
    sent = wire.sent[0]
    assert json.loads(sent.body or "") == {"ops": ops}  # no revision_message key at all
    assert sent.parts is None
    assert sent.headers == {"content-type": "application/json", "x-csrf-token": "t"}


def test_sync_with_binary_parts_is_multipart_ops_first(browser: Browser, wire: Wire) -> None:
    adapter = api(browser, token="t")
    wire.answers["POST /api/projects/p1/sync"] = wire.reply(200, {"results": [], "version": 3})
    ops = [{"op": "put", "path": "b.bin", "sha256": "h1", "base_version": 2}]
    parts = {"h1": b"\x00\xff", "h2": b""}
    arun(lambda: adapter.sync("p1", ops, parts, "Save"))
    sent = wire.sent[0]
    assert sent.body is None and sent.headers == {"x-csrf-token": "t"}
    assert sent.parts is not None
    name, first = sent.parts[0]
    assert name == "ops" and json.loads(first) == {"ops": ops, "revision_message": "Save"}
    assert sent.parts[1:] == [("h1", b"\x00\xff"), ("h2", b"")]


def test_send_bytes_posts_the_raw_body_with_its_type(browser: Browser, wire: Wire) -> None:
    adapter = api(browser, token="t")
    wire.answers["POST /api/projects/import"] = wire.reply(201, {"id": "p9"})
    zipped = b"PK\x03\x04rest"
    result = arun(lambda: adapter.send_bytes("POST", "/projects/import", zipped, "application/zip"))
    assert result == {"id": "p9"}
    assert wire.sent[0].body == zipped
    assert wire.sent[0].headers == {"content-type": "application/zip", "x-csrf-token": "t"}
