"""A static host for tests that applies a site's `_headers` file as Netlify and Cloudflare
Pages do (a path pattern line, then indented `Name: value` lines; `*` matches the rest), so
a static-only build's sandbox site is served as its README tells a self-hoster to serve it.
Any Host name is answered: `p<id>.localhost:<port>` names all reach it."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Any


def header_rules(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def matches(pattern: str, path: str) -> bool:
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    return path == pattern


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def end_headers(self) -> None:
        rules_file = Path(self.directory) / "_headers"
        if rules_file.is_file():
            path = self.path.split("?", 1)[0]
            for pattern, headers in header_rules(rules_file.read_text()):
                if matches(pattern, path):
                    for name, value in headers:
                        self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: a runtime loads hundreds of files


class StaticHost:
    """Serves `root` (which may be written after start) on 127.0.0.1, in a thread."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_Handler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StaticHost:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)
