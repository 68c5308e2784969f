"""client/worker/serve.py under CPython: serve() registers an ASGI or WSGI app on a port and
tells the page; handle() turns a preview request into the app's response. The ASGI
template (templates/asgi-app/app.py) is run through it too."""

from __future__ import annotations

import asyncio
import json
import runpy
import types
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from client.core import runtime_host
from client.worker import serve as serving
from tests.support.paths import ROOT

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


pytestmark = pytest.mark.usefixtures("announced")  # tests/unit/worker/conftest.py


def request(
    path: str = "/",
    method: str = "GET",
    query: str = "",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> dict[str, object]:
    return {"method": method, "path": path, "query": query, "headers": headers or {}, "body": body}


def call(port: int, req: dict[str, object]) -> dict[str, Any]:
    return asyncio.run(serving.handle(port, req))


def test_the_asgi_template_answers(announced: list[int], capsys: pytest.CaptureFixture) -> None:
    template = runpy.run_path(str(ROOT / "templates" / "asgi-app" / "app.py"))
    serving.serve(template["app"], port=8000)
    assert announced == [8000]
    assert "port 8000" in capsys.readouterr().out
    page = call(8000, request("/"))
    assert page["status"] == 200
    assert ["content-type", "text/html; charset=utf-8"] in page["headers"]
    assert b"<h1>Hello from an ASGI app</h1>" in page["body"]
    api = call(8000, request("/api/hello", query="?name=Ada%20L"))
    assert json.loads(api["body"]) == {"message": "Hello, Ada L!"}
    assert call(8000, request("/nope"))["status"] == 404
    # The page's engine.call("http", port, request) reaches handle() in the worker.
    host_http = getattr(runtime_host.Host, serving.HOST_METHOD)
    host = types.SimpleNamespace(answered=False)
    again = asyncio.run(host_http(host, 8000, request("/api/hello")))
    assert json.loads(again["body"]) == {"message": "Hello, world!"}
    assert host.answered  # the worker's next tick looks for files the app wrote


def test_a_wsgi_app_gets_its_environ_and_body() -> None:
    seen = {}

    def app(environ: dict[str, Any], start_response: Callable[..., object]) -> list[bytes]:
        seen.update(environ)
        data = environ["wsgi.input"].read()
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-A", "1")])
        return [b"got ", data]

    serving.serve(app, port=5000)
    answer = call(
        5000,
        request(
            "/a%20b", "POST", "?x=1", b"payload", {"Content-Type": "text/plain", "X-Thing": "y"}
        ),
    )
    assert answer["status"] == 201
    assert answer["body"] == b"got payload"
    assert ["X-A", "1"] in answer["headers"]
    assert (seen["PATH_INFO"], seen["QUERY_STRING"], seen["REQUEST_METHOD"]) == (
        "/a b",
        "x=1",
        "POST",
    )
    assert (seen["CONTENT_TYPE"], seen["HTTP_X_THING"]) == ("text/plain", "y")


def test_a_class_based_asgi_app_and_a_failing_one() -> None:
    class App:
        async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
            message = await receive()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": message["body"][::-1]})

    async def broken(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        raise RuntimeError("boom in the app")

    assert serving.is_asgi(App()) and serving.is_asgi(broken)
    serving.serve(App(), 7000)
    assert call(7000, request(method="POST", body=b"abc"))["body"] == b"cba"
    serving.serve(broken, 7001)
    failed = call(7001, request())
    assert failed["status"] == 500
    assert b"boom in the app" in failed["body"]


def test_nothing_on_a_port_and_bad_arguments() -> None:
    missing = call(9999, request())
    assert missing["status"] == 502
    assert b"serve(app, port=9999)" in missing["body"]
    with pytest.raises(TypeError):
        serving.serve("not an app", 8000)
    with pytest.raises(ValueError):
        serving.serve(lambda e, s: [], 70000)


def test_the_facade_is_what_programs_import(tmp_path: Path) -> None:
    facade = runpy.run_path(str(ROOT / "client" / "worker" / "cospai_facade.py"))
    assert facade["serve"] is serving.serve
