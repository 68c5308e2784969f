"""`python -m http.server [PORT] [-d DIR]` in the runtime: the folder served in the preview.

CPython's http.server would open a socket, which the worker has none of; instead the
folder becomes a WSGI app handed to serve() (client/worker/serve.py), so it shows in the
Preview panel under that port. Files are read from the runtime's disk at each request, so
an edit shows at the next reload. Types, index.html and 404s are the static preview's
(client/core/preview_site.py); a folder without index.html is listed, as http.server does.
"""

from __future__ import annotations

import argparse
import html
import os
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from client.core.preview_site import answer

from .serve import serve


def folder_app(root: str) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    root = os.path.realpath(root)

    def read(name: str) -> bytes | None:
        path = os.path.realpath(os.path.join(root, name))
        if not (path == root or path.startswith(root + os.sep)) or not os.path.isfile(path):
            return None  # outside the folder (a symlink out), or not a file
        with open(path, "rb") as handle:
            return handle.read()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw = quote(environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace"))
        result = answer(environ["REQUEST_METHOD"], raw, read)
        folder = os.path.join(root, environ["PATH_INFO"].lstrip("/"))
        if result.status == 404 and raw.endswith("/") and os.path.isdir(folder):
            body = listing(environ["PATH_INFO"], folder)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body]
        start_response(f"{result.status} X", list(result.headers.items()))
        return [result.body]

    return app


def listing(shown: str, folder: str) -> bytes:
    names = sorted(os.listdir(folder), key=str.casefold)
    items = "".join(
        f'<li><a href="{quote(n)}{"/" if os.path.isdir(os.path.join(folder, n)) else ""}">'
        f"{html.escape(n)}{'/' if os.path.isdir(os.path.join(folder, n)) else ''}</a></li>"
        for n in names
    )
    title = html.escape(f"Directory listing for {shown}")
    return (
        f"<!doctype html><meta charset=utf-8><title>{title}</title><h1>{title}</h1>"
        f"<hr><ul>{items}</ul><hr>"
    ).encode()


def http_server(args: list[str], cwd: str) -> None:
    """`python -m http.server` as CPython parses it (port, -d/--directory, -b ignored)."""
    parser = argparse.ArgumentParser(prog="python -m http.server")
    parser.add_argument("port", nargs="?", type=int, default=8000)
    parser.add_argument("-d", "--directory", default=cwd)
    parser.add_argument("-b", "--bind", default="")
    parser.add_argument("-p", "--protocol", default="HTTP/1.0")
    options = parser.parse_args(args)
    folder = os.path.join(cwd, options.directory)
    print(f"Serving HTTP on port {options.port} ({folder}) in the Preview panel.")
    serve(folder_app(folder), options.port)
