"""`serve(app, port=8000)`: a WSGI or ASGI app, run in the terminal, answers in the preview.

There are no sockets in the worker. Instead `serve` records the app under its port and
tells the IDE page (a "server-ready" message, which the engine turns into the Runtime's
`server-ready` and `port` events); the preview panel then forwards that port's requests,
which reach it from the preview origin's service worker, to `handle` here through the
engine's call channel. `serve` returns at once and the app keeps answering in the
background for as long as the worker lives (a program cannot block the worker's only
thread and still be called). Run the program again after an edit: the new app replaces
the old one on that port.

Users write `from cospai import serve` (build.py ships client/worker/cospai_facade.py as
the top-level `cospai` module in the worker). Standard library only at import time, so the
request plumbing is tested under CPython; the message to the page goes through client/ffi.
"""

from __future__ import annotations

import inspect
import io
import sys
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

APPS: dict[int, Any] = {}  # port -> app
HOST_METHOD = "http"  # what the page's engine.call("http", ...) reaches in the worker


def _announce_to_page(port: int) -> None:
    from client.ffi.worker_post import post  # only inside the worker

    post({"op": "server-ready", "port": port, "url": f"http://localhost:{port}/"})


announce: Callable[[int], None] = _announce_to_page


def serve(app: Any, port: int = 8000) -> None:
    """Serve a WSGI (`app(environ, start_response)`) or ASGI (`async app(scope, receive,
    send)`) application on `port` in the preview. Returns at once; the app stays up."""
    if not callable(app):
        raise TypeError("serve() needs a WSGI or ASGI application (a callable)")
    port = int(port)
    if not 0 < port < 65536:
        raise ValueError(f"port must be between 1 and 65535, not {port}")
    _install()
    APPS[port] = app
    kind = "ASGI" if is_asgi(app) else "WSGI"
    name = getattr(app, "__name__", type(app).__name__)
    print(
        f"Serving the {kind} app {name} on port {port}: it shows in the Preview panel "
        "and keeps running after this command."
    )
    announce(port)


def _install() -> None:
    """Make `http` callable from the page: the engine calls methods of the worker's host."""
    from client.core import runtime_host

    if not hasattr(runtime_host.Host, HOST_METHOD):
        setattr(runtime_host.Host, HOST_METHOD, _host_http)


async def _host_http(host: Any, port: int, request: dict[str, Any]) -> dict[str, Any]:
    try:
        return await handle(int(port), request)
    finally:
        host.answered = True  # what the app wrote goes out at the worker's next tick


def is_asgi(app: Any) -> bool:
    plain = inspect.isfunction(app) or inspect.ismethod(app)
    call = app if plain else type(app).__call__  # an instance (Starlette's): its __call__
    if inspect.iscoroutinefunction(call):
        return True
    try:
        params = [
            p
            for p in inspect.signature(app).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return False
    return len(params) == 3  # (scope, receive, send); WSGI takes two


async def handle(port: int, request: dict[str, Any]) -> dict[str, Any]:
    """One request ({method, path, query, headers, body}) -> {status, headers, body}."""
    app = APPS.get(port)
    if app is None:
        return _text(
            502,
            f"Nothing is served on port {port}. Run your app with serve(app, "
            f"port={port}) in the terminal.",
        )
    try:
        if is_asgi(app):
            return await _asgi(app, port, request)
        return _wsgi(app, port, request)
    except Exception:
        return _text(500, "The app raised an exception:\n\n" + traceback.format_exc())


def _text(status: int, text: str) -> dict[str, Any]:
    return {
        "status": status,
        "headers": [["content-type", "text/plain; charset=utf-8"]],
        "body": text.encode("utf-8"),
    }


def _parts(request: dict[str, Any]) -> tuple[str, str, str, dict[str, str], bytes]:
    raw_path = str(request.get("path") or "/")
    query = str(request.get("query") or "").lstrip("?")
    headers = {str(k).lower(): str(v) for k, v in dict(request.get("headers") or {}).items()}
    body = request.get("body") or b""
    if hasattr(body, "to_bytes"):  # a JS byte array that came through unconverted
        body = body.to_bytes()
    body = bytes(body)
    return str(request.get("method") or "GET").upper(), raw_path, query, headers, body


async def _asgi(app: Any, port: int, request: dict[str, Any]) -> dict[str, Any]:
    method, raw_path, query, headers, body = _parts(request)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode("latin-1", "replace"),
        "query_string": query.encode("latin-1", "replace"),
        "root_path": "",
        "headers": [
            (k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in headers.items()
        ],
        "client": ("127.0.0.1", 0),
        "server": ("localhost", port),
        "state": {},
    }
    sent = False
    status, out_headers, chunks = 500, [], []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, out_headers
        if message["type"] == "http.response.start":
            status = int(message["status"])
            out_headers = [
                [bytes(k).decode("latin-1"), bytes(v).decode("latin-1")]
                for k, v in message.get("headers", [])
            ]
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))

    await app(scope, receive, send)
    return {"status": status, "headers": out_headers, "body": b"".join(chunks)}


def _wsgi(app: Any, port: int, request: dict[str, Any]) -> dict[str, Any]:
    method, raw_path, query, headers, body = _parts(request)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(raw_path).encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": headers.pop("content-type", ""),
        "CONTENT_LENGTH": str(len(body)) if body else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started: dict[str, Any] = {}

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Any:
        started["status"], started["headers"] = status, response_headers
        return lambda data: chunks.append(bytes(data))

    chunks: list[bytes] = []
    result = app(environ, start_response)
    try:
        chunks.extend(bytes(chunk) for chunk in result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    code = int(str(started.get("status", "500")).split(" ", 1)[0])
    return {
        "status": code,
        "headers": [[str(k), str(v)] for k, v in started.get("headers", [])],
        "body": b"".join(chunks),
    }
